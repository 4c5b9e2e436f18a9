using System.Text.Json.Serialization;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>A link as OGC API – Common defines it. Links are always absolute (QGIS and GDAL follow them as given).</summary>
public sealed record OgcLink(
    string Href,
    string Rel,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null);
