using System.Text.Json;
using HabitatRegistry.Analysis.Geometry;
using HabitatRegistry.Features.Registers;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Imports;

/// <summary>A feature that passed every check, ready to be stored.</summary>
public sealed record RecordRow(int Index, string RecordId, object?[] Values, string? Attributes, Geometry? Geometry);

/// <summary>An upload read and checked: rows to store, or the reasons it cannot be stored.</summary>
public sealed class CheckedUpload
{
    public List<RecordRow> Rows { get; } = [];

    /// <summary>Problems keyed by where they are (<c>features[3]</c>, <c>crs</c>, <c>file</c>).</summary>
    public Dictionary<string, List<string>> Problems { get; } = [];

    public List<string> Warnings { get; } = [];
    public int FeatureCount { get; set; }
    public string? SourceCrs { get; set; }
    public bool IsValid => Problems.Count == 0;

    public void Problem(string key, string message)
    {
        if (!Problems.TryGetValue(key, out var list)) Problems[key] = list = [];
        list.Add(message);
    }
}

/// <summary>
/// Reads a GeoJSON FeatureCollection for a register and checks every feature, collecting every problem
/// instead of stopping at the first, so a planner can fix the whole file in one go.
/// </summary>
public static class FeatureCollectionReader
{
    public static CheckedUpload Read(JsonDocument document, RegisterSchema register, string? crsParameter, bool repair, CityHint city)
    {
        var upload = new CheckedUpload();
        var root = document.RootElement;
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "FeatureCollection" || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            upload.Problem("file", type switch
            {
                "Feature" => "The file holds a single Feature, not a FeatureCollection. Wrap it: {\"type\": \"FeatureCollection\", \"features\": [ … ]}.",
                "FeatureCollection" => "The FeatureCollection has no \"features\" list.",
                null => "The file is JSON but not GeoJSON: a FeatureCollection with a \"features\" list is expected.",
                _ => $"The file holds a {type}, not a FeatureCollection of parcels with properties.",
            });
            return upload;
        }
        upload.FeatureCount = features.GetArrayLength();
        if (upload.FeatureCount == 0)
        {
            upload.Problem("file", "The FeatureCollection has no features; nothing to import.");
            return upload;
        }

        var crs = ResolveCrs(root, crsParameter, upload);
        if (!upload.IsValid) return upload;
        upload.SourceCrs = crs?.Code;
        var options = new PolygonReadOptions(crs is { IsGeographic: false } ? crs.ToLonLat() : null, repair,
            PointOrNone: register.Geometry == RegisterGeometry.Optional);

        (double X, double Y, int Index)? projected = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = -1;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            var key = $"features[{index}]";
            var problems = new List<string>();
            var notes = new List<string>();
            if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var ft) || ft.GetString() != "Feature")
            {
                upload.Problem(key, "This is not a GeoJSON Feature (an object with \"type\": \"Feature\", a geometry and properties).");
                continue;
            }
            var properties = register.ReadProperties(feature.TryGetProperty("properties", out var p) ? p : default, problems, notes);
            var geometry = PolygonReader.Read(feature.TryGetProperty("geometry", out var g) ? g : default, options);
            if (geometry.OutOfRange is { } xy) projected ??= (xy.X, xy.Y, index);
            problems.AddRange(geometry.Problems);
            notes.AddRange(geometry.Notes);

            var label = properties.RecordId is { Length: > 0 } id ? $"{char.ToUpperInvariant(register.RecordNoun[0])}{register.RecordNoun[1..]} {id}" : "This feature";
            if (properties.RecordId is { Length: > 0 } recordId)
            {
                if (seen.TryGetValue(recordId, out var first))
                {
                    problems.Add($"\"{register.IdProperty}\" \"{recordId}\" is already used by features[{first}]; each {register.RecordNoun} may appear once in a file");
                }
                else seen[recordId] = index;
            }
            foreach (var problem in problems) upload.Problem(key, $"{label}: {problem}.");
            foreach (var note in notes) upload.Warnings.Add($"{key} ({label}): {note}.");
            if (problems.Count == 0)
            {
                upload.Rows.Add(new RecordRow(index, properties.RecordId!, properties.Values, properties.Attributes, geometry.Geometry));
            }
        }

        if (projected is { } at)
        {
            upload.Problem("crs", FormattableString.Invariant(
                $"The coordinates are not longitude/latitude (features[{at.Index}] has {at.X:0.###}, {at.Y:0.###}): the file looks projected, probably in ")
                + CoordinateSystems.DescribeLikelyCrs(at.X, at.Y, city) + ".");
        }
        return upload;
    }

    /// <summary>The system the coordinates are in: ?crs=…, else the file's own (legacy) "crs" member, else lon/lat.</summary>
    private static KnownCrs? ResolveCrs(JsonElement root, string? crsParameter, CheckedUpload upload)
    {
        string? declared = null;
        if (root.TryGetProperty("crs", out var crsMember) && crsMember.ValueKind == JsonValueKind.Object
            && crsMember.TryGetProperty("properties", out var props) && props.TryGetProperty("name", out var name))
        {
            declared = name.GetString();
        }
        var requested = CoordinateSystems.Find(crsParameter);
        if (crsParameter is not null && requested is null)
        {
            upload.Problem("crs", $"?crs={crsParameter} is not a coordinate system the registry can convert from. "
                + "Use EPSG:4326 or EPSG:6668 (longitude/latitude), EPSG:6669–6687 (JGD2011 Japan Plane Rectangular CS I–XIX), "
                + "EPSG:2443–2461 (JGD2000 zones) or EPSG:6688–6692 / 32651–32656 (UTM).");
            return null;
        }
        var fromFile = CoordinateSystems.Find(declared);
        if (declared is not null && fromFile is null && requested is null)
        {
            upload.Problem("crs", $"The file says its coordinates are in {declared}, which the registry cannot convert from. "
                + "Export it as longitude/latitude (EPSG:4326), or in the city's plane-rectangular zone and pass ?crs=EPSG:66xx.");
            return null;
        }
        if (requested is not null && fromFile is not null && requested.Epsg != fromFile.Epsg && !(requested.IsGeographic && fromFile.IsGeographic))
        {
            upload.Problem("crs", $"?crs={requested.Code} disagrees with the file, which says it is in {fromFile.Code}. Leave out ?crs to use the file's.");
            return null;
        }
        return requested ?? fromFile;
    }
}
