using System.Text.Json;

namespace HabitatRegistry.Features.Maps;

/// <summary>Settings of the web map at /map (section "Habitat:Map"; environment: Habitat__Map__…).</summary>
public sealed class MapOptions
{
    /// <summary>
    /// Draw GSI's pale map (地理院タイル, cyberjapandata.gsi.go.jp) under the registers, with its credit 出典：国土地理院.
    /// Off by default: the browsers of a city's internal network may not reach the internet; the map then has a plain
    /// background and the city boundary.
    /// </summary>
    public bool GsiBaseMap { get; set; }

    /// <summary>A GeoJSON file with the city's boundary, drawn as an outline (run.sh: gis-samples/tokorozawa-boundary.geojson). Unset: no outline.</summary>
    public string? BoundaryFile { get; set; }

    /// <summary>What is wrong with these settings, if anything (checked at start-up).</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(BoundaryFile)) yield break;
        if (!File.Exists(BoundaryFile))
        {
            yield return $"Habitat:Map:BoundaryFile: there is no file \"{Path.GetFullPath(BoundaryFile)}\"; give the path of a GeoJSON file with the city's boundary, or leave it unset.";
            yield break;
        }
        string? type = null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(BoundaryFile));
            type = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
        }
        if (type is not ("FeatureCollection" or "Feature" or "Polygon" or "MultiPolygon"))
            yield return $"Habitat:Map:BoundaryFile: \"{BoundaryFile}\" is not a GeoJSON FeatureCollection, Feature, Polygon or MultiPolygon.";
    }
}
