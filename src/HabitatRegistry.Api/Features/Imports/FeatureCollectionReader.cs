using System.Text.Json;
using HabitatRegistry.Analysis.Geometry;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Features.Registers;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Imports;

/// <summary>A feature that passed every check, ready to be stored.</summary>
public sealed record RecordRow(int Index, string RecordId, object?[] Values, string? Attributes, Geometry? Geometry);

/// <summary>An upload read and checked: rows to store, or the reasons it cannot be stored.</summary>
public sealed class CheckedUpload
{
    /// <summary>Problems keyed by where they are (<c>features[3]</c>, <c>crs</c>, <c>file</c>).</summary>
    public Dictionary<string, List<string>> Problems { get; } = [];

    public List<string> Warnings { get; } = [];
    public int FeatureCount { get; set; }
    public string? SourceCrs { get; set; }
    public bool IsValid => Problems.Count == 0;

    /// <summary>How many records (features, or CSV rows) have problems: every key but "file" and "crs".</summary>
    public int RecordsWithProblems => Problems.Keys.Count(k => k is not ("file" or "crs"));

    public void Problem(string key, string message)
    {
        if (!Problems.TryGetValue(key, out var list)) Problems[key] = list = [];
        list.Add(message);
    }
}

/// <summary>
/// Where the features of an upload that was not GeoJSON came from, so every problem points into the planner's
/// own file: each feature's name there ("line 3" of a CSV), problems found while converting a feature's row
/// (by feature index), and rows that could not become features at all (by name).
/// </summary>
public sealed record FeatureOrigins(
    IReadOnlyList<string> Names,
    IReadOnlyDictionary<int, List<string>> RowProblems,
    IReadOnlyList<KeyValuePair<string, string>> UnreadRows);

/// <summary>An upload on its way into a register: its features and how to read them.</summary>
/// <param name="Crs">?crs= (or --crs): the system the coordinates are in when not lon/lat</param>
/// <param name="Repair">fix invalid polygons instead of refusing them</param>
/// <param name="Origins">for a converted upload (CSV): what to call its features in problems; features[i] otherwise</param>
public sealed record FeatureUpload(GeoJsonStream Features, RegisterSchema Register, string? Crs, bool Repair, CityHint City, FeatureOrigins? Origins = null);

/// <summary>
/// Reads a GeoJSON FeatureCollection for a register and checks every feature, a feature at a time, collecting every
/// problem instead of stopping at the first, so a planner can fix the whole file in one go.
/// </summary>
public static class FeatureCollectionReader
{
    /// <summary>
    /// The features that pass every check, ready to be stored, read one at a time; the problems of the others (and of
    /// the collection itself) go into <paramref name="upload"/>, and a caller stores nothing unless it stays valid.
    /// </summary>
    public static IEnumerable<RecordRow> Rows(FeatureUpload source, CheckedUpload upload)
    {
        var (features, register, origins) = (source.Features, source.Register, source.Origins);
        string Name(int index) => origins?.Names[index] ?? $"features[{index}]";
        var type = features.Type is { } t ? ClientText.StringOf(t.RootElement) : null;
        if (type != "FeatureCollection" || !features.HasFeatures)
        {
            upload.Problem("file", type switch
            {
                "Feature" => "The file holds a single Feature, not a FeatureCollection. Wrap it: {\"type\": \"FeatureCollection\", \"features\": [ … ]}.",
                "FeatureCollection" => "The FeatureCollection has no \"features\" list.",
                null => "The file is JSON but not GeoJSON: a FeatureCollection (\"type\": \"FeatureCollection\") with a \"features\" list is expected.",
                _ => $"The file holds a {ClientText.Shown(type)}, not a FeatureCollection of features with properties.",
            });
            yield break;
        }
        upload.FeatureCount = features.FeatureCount + (origins?.UnreadRows.Count ?? 0);
        if (upload.FeatureCount == 0)
        {
            upload.Problem("file", "The FeatureCollection has no features; nothing to import.");
            yield break;
        }

        var crs = ResolveCrs(features.Crs?.RootElement, source.Crs, upload);
        if (!upload.IsValid) yield break;
        upload.SourceCrs = crs?.Code;
        var options = new PolygonReadOptions(crs is { IsGeographic: false } ? crs.ToLonLat() : null, source.Repair,
            PointOrNone: register.Geometry == RegisterGeometry.Optional);

        foreach (var (name, problem) in origins?.UnreadRows ?? []) upload.Problem(name, problem);
        (double X, double Y, int Index)? projected = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = -1;
        foreach (var document in features.Features())
        {
            using var _ = document;
            var feature = document.RootElement;
            index++;
            var key = Name(index);
            var problems = new List<string>();
            var notes = new List<string>();
            // Broken text is refused before anything reads it, names included (even looking a member up reads every name):
            // everything below may take strings as they are.
            if (ClientText.FirstBroken(feature, "") is { } broken)
            {
                upload.Problem(key, $"This {register.RecordNoun}: \"{broken.Path}\" {broken.Problem}.");
                continue;
            }
            if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var ft) || ClientText.StringOf(ft) != "Feature")
            {
                upload.Problem(key, "This is not a GeoJSON Feature (an object with \"type\": \"Feature\", a geometry and properties).");
                continue;
            }
            if (origins?.RowProblems.TryGetValue(index, out var rowProblems) == true) problems.AddRange(rowProblems);
            var properties = register.ReadProperties(feature.TryGetProperty("properties", out var p) ? p : default, problems, notes);
            var geometry = PolygonReader.Read(feature.TryGetProperty("geometry", out var g) ? g : default, options);
            if (geometry.OutOfRange is { } xy) projected ??= (xy.X, xy.Y, index);
            problems.AddRange(geometry.Problems);
            notes.AddRange(geometry.Notes);

            var label = properties.RecordId is { Length: > 0 } id ? $"{char.ToUpperInvariant(register.RecordNoun[0])}{register.RecordNoun[1..]} {ClientText.Shown(id)}" : $"This {register.RecordNoun}";
            if (properties.RecordId is { Length: > 0 } recordId)
            {
                if (seen.TryGetValue(recordId, out var first))
                {
                    problems.Add($"\"{register.IdProperty}\" \"{ClientText.Shown(recordId)}\" is already used by {Name(first)}; each {register.RecordNoun} may appear once in a file");
                }
                else seen[recordId] = index;
            }
            foreach (var problem in problems) upload.Problem(key, $"{label}: {problem}.");
            foreach (var note in notes) upload.Warnings.Add($"{key} ({label}): {note}.");
            if (problems.Count == 0) yield return new RecordRow(index, properties.RecordId!, properties.Values, properties.Attributes, geometry.Geometry);
        }

        if (projected is { } at)
        {
            upload.Problem("crs", FormattableString.Invariant(
                $"The coordinates are not longitude/latitude ({Name(at.Index)} has {at.X:0.###}, {at.Y:0.###}): the file looks projected, probably in ")
                + CoordinateSystems.DescribeLikelyCrs(at.X, at.Y, source.City) + ".");
        }
    }

    /// <summary>The system the coordinates are in: ?crs=…, else the file's own (legacy) "crs" member, else lon/lat.</summary>
    private static KnownCrs? ResolveCrs(JsonElement? crsMember, string? crsParameter, CheckedUpload upload)
    {
        string? declared = null;
        if (crsMember is { ValueKind: JsonValueKind.Object } member
            && member.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object && props.TryGetProperty("name", out var name))
        {
            declared = ClientText.StringOf(name);
            if (declared is null || ClientText.Problem(declared, ClientText.NameLength) is not null)
            {
                upload.Problem("crs", "The file's \"crs\" does not name its system as text such as \"urn:ogc:def:crs:EPSG::6677\". "
                    + "Fix the file's crs member, or remove it and pass ?crs=EPSG:6677.");
                return null;
            }
        }
        var requested = CoordinateSystems.Find(crsParameter);
        if (crsParameter is not null && requested is null)
        {
            upload.Problem("crs", $"?crs={ClientText.Shown(crsParameter)} is not a coordinate system the registry can convert from. "
                + "Use EPSG:4326 or EPSG:6668 (longitude/latitude), EPSG:6669–6687 (JGD2011 Japan Plane Rectangular CS I–XIX), "
                + "EPSG:2443–2461 (JGD2000 zones) or EPSG:6688–6692 / 32651–32656 (UTM).");
            return null;
        }
        var fromFile = CoordinateSystems.Find(declared);
        if (declared is not null && fromFile is null && requested is null)
        {
            upload.Problem("crs", $"The file says its coordinates are in {ClientText.Shown(declared)}, which the registry cannot convert from. "
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
