using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HabitatRegistry.Data;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Http;

/// <summary>
/// Where the service's absolute links (self, next, Location, service-desc …) point. Never the Host header, which any
/// client can forge: the configured Habitat:PublicBaseUrl; else, for a request through a configured trusted proxy, the
/// X-Forwarded-Proto, -Host and -Prefix it sends; else the address the client actually connected to.
/// </summary>
internal static partial class PublicAddress
{
    /// <summary>The service root, without a trailing slash.</summary>
    public static string Root(this HttpRequest request)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<HabitatOptions>>().Value;
        if (options.PublicBaseUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        var connection = request.HttpContext.Connection;
        if (options.IsTrustedProxy(connection.RemoteIpAddress) && Forwarded(request) is { } forwarded) return forwarded;
        if (connection.LocalIpAddress is not { } local) return $"{request.Scheme}://localhost{request.PathBase}"; // the in-process test host
        if (local.IsIPv4MappedToIPv6) local = local.MapToIPv4();
        var host = local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{new IPAddress(local.GetAddressBytes())}]" : local.ToString();
        return $"{request.Scheme}://{host}:{connection.LocalPort}{request.PathBase}";
    }

    private static string? Forwarded(HttpRequest request)
    {
        // The proxy nearest to the service appends last.
        static string Last(string value) => value.Split(',')[^1].Trim();
        var host = Last(request.Headers["X-Forwarded-Host"].ToString());
        if (!HostPattern().IsMatch(host)) return null;
        var scheme = Last(request.Headers["X-Forwarded-Proto"].ToString()).ToLowerInvariant() is "https" ? "https" : "http";
        var prefix = Last(request.Headers["X-Forwarded-Prefix"].ToString()).TrimEnd('/');
        if (!PrefixPattern().IsMatch(prefix)) prefix = "";
        return $"{scheme}://{host}{prefix}{request.PathBase}";
    }

    [GeneratedRegex(@"^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^(/(?!\.{1,2}(/|$))[A-Za-z0-9._~-]+)*$")]
    private static partial Regex PrefixPattern();
}
