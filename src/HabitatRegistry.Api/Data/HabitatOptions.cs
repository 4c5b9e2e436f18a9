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

    /// <summary>Data annotations do not look inside nested objects: the city's settings are checked here.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(City, new ValidationContext(City), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Habitat:City: {r.ErrorMessage}", r.MemberNames.Select(m => $"City.{m}")));
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
