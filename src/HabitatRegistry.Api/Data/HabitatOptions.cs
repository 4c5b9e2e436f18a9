using System.ComponentModel.DataAnnotations;
using HabitatRegistry.Analysis.Geometry;

namespace HabitatRegistry.Data;

/// <summary>Settings of the section "Habitat" (environment: Habitat__…; the connection string also from HABITAT_DB).</summary>
public sealed class HabitatOptions : IValidatableObject
{
    public const string Section = "Habitat";

    /// <summary>Npgsql connection string of a PostGIS database.</summary>
    [Required(ErrorMessage = "No database configured: set HABITAT_DB (or Habitat:ConnectionString) to an Npgsql connection string of a PostGIS database, or start the service with ./run.sh.")]
    public string? ConnectionString { get; set; }

    /// <summary>Largest accepted upload, in bytes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>How long one database query of a report may run before it is stopped (503).</summary>
    [Range(0.001, 3600)]
    public double ReportTimeLimitSeconds { get; set; } = 60;

    [Required]
    public CityOptions City { get; set; } = new();

    /// <summary>How many heavy requests (network computations, large pages, reports) and uploads run at once and wait.</summary>
    [Required]
    public Http.HeavyRequestOptions HeavyRequests { get; set; } = new();

    /// <summary>Whether anyone may read (the default: the strategies promise to publish); false: a viewer's key is needed.</summary>
    public bool PublicRead { get; set; } = true;

    /// <summary>
    /// The address people and programs reach the service at, e.g. https://habitat.city.example/registry: every absolute
    /// link starts with it. Unset: the address of a trusted proxy's X-Forwarded-Host, or the one the client connected to.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Reverse proxies (addresses, or networks such as 10.0.0.0/8) whose X-Forwarded-Proto, -Host and -Prefix are believed.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The web map at /map: base map and city boundary.</summary>
    public Features.Maps.MapOptions Map { get; set; } = new();

    /// <summary>Optional: bearer tokens from the city's identity provider, beside API keys.</summary>
    public Features.Access.IdentityProviderOptions IdentityProvider { get; set; } = new();

    public bool IsTrustedProxy(System.Net.IPAddress? address)
    {
        if (address is null || TrustedProxies.Length == 0) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return TrustedProxies.Any(p => Network(p)?.Contains(address) == true);
    }

    /// <summary>An address (one host) or a network in CIDR notation.</summary>
    private static System.Net.IPNetwork? Network(string text) =>
        System.Net.IPNetwork.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : $"{text}/{(text.Contains(':', StringComparison.Ordinal) ? 128 : 32)}", out var network)
            ? network : null;

    /// <summary>Data annotations do not look inside nested objects: the city's settings are checked here.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(City, new ValidationContext(City), results, validateAllProperties: true);
        foreach (var r in results) yield return new ValidationResult($"Habitat:City: {r.ErrorMessage}", r.MemberNames.Select(m => $"City.{m}"));
        results.Clear();
        Validator.TryValidateObject(HeavyRequests, new ValidationContext(HeavyRequests), results, validateAllProperties: true);
        foreach (var r in results) yield return new ValidationResult($"Habitat:HeavyRequests: {r.ErrorMessage}", r.MemberNames.Select(m => $"HeavyRequests.{m}"));
        if (PublicBaseUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0))
        {
            yield return new ValidationResult($"Habitat:PublicBaseUrl must be the http or https address the service is reached at, e.g. https://habitat.city.example/registry, not \"{url}\".", [nameof(PublicBaseUrl)]);
        }
        if (IdentityProvider.Enabled && (!Uri.TryCreate(IdentityProvider.Authority, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(IdentityProvider.Audience)))
        {
            yield return new ValidationResult("Habitat:IdentityProvider needs Authority (the issuer's address, e.g. https://login.microsoftonline.com/TENANT/v2.0) and Audience (the registry's application id).", [nameof(IdentityProvider)]);
        }
        foreach (var (value, role) in IdentityProvider.RoleValues.Where(r => Features.Access.Roles.Parse(r.Value) is null))
        {
            yield return new ValidationResult($"Habitat:IdentityProvider:RoleValues: \"{value}\" stands for \"{role}\", which is not {Features.Access.Roles.Names}.", [nameof(IdentityProvider)]);
        }
        foreach (var proxy in TrustedProxies.Where(p => Network(p) is null))
        {
            yield return new ValidationResult($"Habitat:TrustedProxies: \"{proxy}\" is neither an IP address nor a network such as 10.0.0.0/8.", [nameof(TrustedProxies)]);
        }
    }
}

/// <summary>The city whose registry this is: used to recognise files drawn in its plane-rectangular zone and for planar areas.</summary>
public sealed class CityOptions
{
    [Required] public string Name { get; set; } = "Tokorozawa";
    [Range(-180, 180)] public double Longitude { get; set; } = 139.469;
    [Range(-90, 90)] public double Latitude { get; set; } = 35.799;

    /// <summary>EPSG code of the city's Japan Plane Rectangular CS zone (Tokorozawa: 6677, zone IX).</summary>
    [Range(6669, 6687, ErrorMessage = "PlaneZoneEpsg must be the EPSG code of a JGD2011 Japan Plane Rectangular CS zone, 6669 (zone I) to 6687 (zone XIX).")]
    public int PlaneZoneEpsg { get; set; } = 6677;

    /// <summary>
    /// The city's area in hectares: the landscape area A_L of the connectivity indices unless a request gives
    /// another. Tokorozawa: 7,211.01 ha, its boundary (gis-samples/tokorozawa-boundary.geojson) on GRS80.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "AreaHa must be the city's area in hectares (Tokorozawa: 7211).")]
    public double AreaHa { get; set; } = 7211.01;

    public CityHint Hint => new(Name, Longitude, Latitude, PlaneZoneEpsg);
}
