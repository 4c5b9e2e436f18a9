using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// Recognises an API key sent as <c>Authorization: Bearer KEY</c>, or as the password of HTTP Basic with any user name
/// (what QGIS's Basic authentication configuration and GDAL's GDAL_HTTP_USERPWD send). Credentials come only from
/// this header, never from cookies, so no other web site can act with them. A request without the header is
/// anonymous; one with a header that is not a working key is refused (401), even where reading is open.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0) return AuthenticateResult.NoResult();
        // Failure messages are logged by the framework: they never hold what was sent.
        if (headers.Count > 1) return Refuse(Context, "More than one Authorization header was sent.");
        var key = KeyIn(headers.ToString(), out var problem);
        if (key is null) return Refuse(Context, problem!);
        var holder = await keys.FindAsync(key, Context.RequestAborted);
        if (holder is null) return Refuse(Context, "The key is not known, or it has been revoked.");
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(holder.Name, holder.Role, SchemeName), SchemeName));
    }

    /// <summary>The key in a Bearer or Basic Authorization header, or what is wrong with the header.</summary>
    public static string? KeyIn(string header, out string? problem)
    {
        problem = null;
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var value = space < 0 ? "" : header[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && value.Length > 0) return value;
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
        {
            var bytes = new byte[value.Length];
            if (Convert.TryFromBase64String(value, bytes, out var length))
            {
                var credentials = Encoding.UTF8.GetString(bytes, 0, length);
                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0) return credentials[(colon + 1)..]; // the user name is not looked at: the key says who it is
            }
            problem = "The Basic credentials are not base64 of \"name:key\".";
            return null;
        }
        problem = "Only Bearer and Basic credentials are accepted.";
        return null;
    }

    /// <summary>
    /// Fails authentication and remembers why for the authorization rules: the framework keeps only successes, and a
    /// request with credentials that do not work is refused even where reading is open.
    /// </summary>
    public static AuthenticateResult Refuse(HttpContext context, string reason)
    {
        context.Items[RefusalKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>Why the credentials this request sent were refused; null when it sent none or they work.</summary>
    public static string? Refusal(HttpContext? context) => context?.Items[RefusalKey] as string;

    private static readonly object RefusalKey = new();

    /// <summary>A signed-in caller: the name changes are recorded under, and the role.</summary>
    public static ClaimsPrincipal Principal(string name, Role role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role.Name())], scheme));
}
