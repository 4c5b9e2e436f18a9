using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Fuzz;

/// <summary>
/// Makes the fuzz suite's requests: valid inputs (the Tokorozawa samples in gis-samples/ and the bodies in Fuzz/Seeds/)
/// mutated structurally, textually and geometrically, and sent as GeoJSON, CSV, zipped shapefiles, JSON bodies,
/// multipart forms and query strings to every endpoint. Case n of seed s comes from its own System.Random, so any case
/// can be made again on its own. The long budget adds what is too slow for ./test.sh (a million vertices, 20 MB texts).
/// </summary>
public sealed partial class RequestFuzzer
{
    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly bool longBudget;
    private readonly Dictionary<string, JsonObject> collections;
    private readonly Dictionary<string, JsonObject> bodies;
    private readonly JsonArray targets;
    private readonly byte[] activitiesCsv;
    private readonly byte[] shapefileZip;

    public RequestFuzzer(bool longBudget)
    {
        this.longBudget = longBudget;
        static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(RepoFile(path)))!.AsObject();
        collections = new()
        {
            ["designations"] = Read("gis-samples/tokorozawa-designations.geojson"),
            ["designations-corrections"] = Read("gis-samples/tokorozawa-designations-corrections.geojson"),
            ["acquisitions"] = Read("gis-samples/tokorozawa-acquisitions.geojson"),
            ["habitat-patches"] = Read("gis-samples/tokorozawa-habitat-patches.geojson"),
            ["activities"] = Read($"{SeedFolder}/activities.geojson"),
        };
        bodies = new[] { "activity", "network-profile", "pdca-entry", "scenario-request" }.ToDictionary(n => n, n => Read($"{SeedFolder}/{n}.json"));
        targets = JsonNode.Parse(File.ReadAllText(RepoFile("gis-samples/tokorozawa-targets.json")))!.AsArray();
        activitiesCsv = File.ReadAllBytes(RepoFile("gis-samples/tokorozawa-activities.csv"));
        shapefileZip = File.ReadAllBytes(RepoFile("gis-samples/tokorozawa-designations-zone9-shapefile.zip"));
    }

    public const string SeedFolder = "tests/HabitatRegistry.Tests/Fuzz/Seeds";

    /// <summary>Case <paramref name="caseNumber"/> of <paramref name="seed"/>: always the same request for the same two numbers and budget.</summary>
    public FuzzRequest Generate(int seed, int caseNumber)
    {
        var m = new Mutation(new Random(unchecked((seed * 1_000_003) + caseNumber)), longBudget);
        var request = m.Random.Next(100) switch
        {
            < 24 => GeoJsonUpload(m),
            < 34 => CsvUpload(m),
            < 43 => ShapefileUpload(m),
            < 63 => JsonBody(m),
            < 73 => FeatureEdit(m),
            _ => QueryString(m),
        };
        if (m.Chance(0.06)) request = OddHeaders(m, request);
        return request with { Description = $"seed {seed} case {caseNumber}: {string.Join("; ", m.Notes)}" };
    }

    // ---------------------------------------------------------------- GeoJSON

    private FuzzRequest GeoJsonUpload(Mutation m)
    {
        var source = m.Pick(["designations", "designations", "designations-corrections", "acquisitions", "habitat-patches", "activities"]);
        var register = source.StartsWith("designations", StringComparison.Ordinal) ? "designations" : source;
        var collection = SomeFeatures(m, collections[source]);
        m.Note($"GeoJSON of {source} ({collection["features"]!.AsArray().Count} features) to {register}");
        for (var i = m.Random.Next(1, 4); i > 0; i--) MutateGeoJson(m, collection);
        var body = ByteLevel(m, m.Serialize(collection));
        return Upload(m, $"/imports/{register}{ImportQuery(m)}", body, "application/geo+json", m.Pick(["parcels.geojson", "parcels.json", "活動.geojson"]));
    }

    /// <summary>A copy of the collection with a few of its features (all of them now and then), so most cases import quickly.</summary>
    private static JsonObject SomeFeatures(Mutation m, JsonObject collection)
    {
        var copy = collection.DeepClone().AsObject();
        var features = copy["features"]!.AsArray();
        var keep = m.Chance(0.1) ? features.Count : m.Random.Next(1, Math.Min(4, features.Count + 1));
        while (features.Count > keep) features.RemoveAt(m.Random.Next(features.Count));
        return copy;
    }

    private void MutateGeoJson(Mutation m, JsonObject collection)
    {
        var features = collection["features"] as JsonArray;
        var feature = features is { Count: > 0 } ? features[m.Random.Next(features.Count)] as JsonObject : null;
        var index = feature is null ? -1 : features!.IndexOf(feature);
        switch (m.Random.Next(10))
        {
            case 0 or 1 when (feature?["properties"]) is JsonObject properties && properties.Count > 0:
                var name = m.Pick(properties.Select(p => p.Key).ToList());
                properties[name] = OddValue(m, out var label);
                m.Note($"features[{index}].properties.{name} ← {label}");
                break;
            case 2 when (feature?["properties"]) is JsonObject properties:
                OddMemberName(m, properties, $"features[{index}].properties");
                break;
            case 3:
                OddTypeMember(m, collection, feature, index);
                break;
            case 4 or 5 when feature is not null:
                MutateGeometry(m, feature, $"features[{index}].geometry");
                break;
            case 6:
                OddCrs(m, collection);
                break;
            case 7 when features is not null:
                OddFeatureList(m, features);
                break;
            default:
                MutateJson(m, collection);
                break;
        }
    }

    private static void OddTypeMember(Mutation m, JsonObject collection, JsonObject? feature, int index)
    {
        var (owner, where) = m.Random.Next(3) switch
        {
            0 => (collection, "type"),
            1 when feature is not null => (feature, $"features[{index}].type"),
            _ when feature?["geometry"] is JsonObject geometry => (geometry, $"features[{index}].geometry.type"),
            _ => (collection, "type"),
        };
        JsonNode? value = m.Random.Next(12) switch
        {
            0 => 1,
            1 => null,
            2 => new JsonArray("Feature"),
            3 => new JsonObject { ["type"] = "Feature" },
            4 => true,
            5 => "feature",
            6 => "FeatureCollection ",
            7 => "",
            8 => "Topology",
            9 => m.Splice("\\ud800"u8.ToArray(), insideString: true),
            10 => owner == collection ? "Feature" : "FeatureCollection",
            _ => 4326.5,
        };
        owner["type"] = value;
        m.Note($"{where} ← {Show(value)}");
    }

    private static void OddCrs(Mutation m, JsonObject collection)
    {
        JsonNode? name = m.Random.Next(14) switch
        {
            0 => 4326,
            1 => 6677,
            2 => null,
            3 => new JsonArray("EPSG:6677"),
            4 => "EPSG:99999",
            5 => "EPSG:6677",
            6 => "urn:ogc:def:crs:EPSG::6677",
            7 => "EPSG:",
            8 => "EPSG:-1",
            9 => "EPSG:2147483648",
            10 => "urn:ogc:def:crs:OGC:1.3:CRS84",
            11 => "EPSG:6677\u0000",
            12 => new JsonObject(),
            _ => "",
        };
        JsonNode? crs = m.Random.Next(8) switch
        {
            0 => "EPSG:6677",
            1 => 4326,
            2 => null,
            3 => new JsonObject { ["type"] = "name" },
            4 => new JsonObject { ["type"] = "link", ["properties"] = new JsonObject { ["href"] = "http://example.com/crs", ["type"] = "proj4" } },
            5 => new JsonObject { ["type"] = "name", ["properties"] = "EPSG:6677" },
            _ => new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = name } },
        };
        collection["crs"] = crs;
        m.Note($"crs ← {Show(crs)}");
    }

    private void OddFeatureList(Mutation m, JsonArray features)
    {
        switch (m.Random.Next(6))
        {
            case 0 when features.Count > 0:
                // Many copies of one feature: the same id many times, or many rows to check.
                var feature = features[0];
                var copies = m.Pick(longBudget ? [50, 500, 5000] : new[] { 20, 200 });
                copies = Math.Min(copies, m.MaxBodyBytes / ((feature?.ToJsonString().Length ?? 4) + 1));
                for (var i = 0; i < copies; i++) features.Add(feature?.DeepClone());
                m.Note($"features[0] copied {copies} times");
                break;
            case 1:
                features.Clear();
                m.Note("features ← []");
                break;
            case 2:
                features.Add(m.Pick<Func<JsonNode?>>([() => null, () => 1, () => "Feature", () => new JsonArray(), () => new JsonObject()])());
                m.Note($"features[{features.Count - 1}] ← not a feature");
                break;
            case 3 when features.FirstOrDefault() is JsonObject first:
                first.Remove(m.Pick(["properties", "geometry", "type"]), out _);
                m.Note("features[0] lost a member");
                break;
            case 4 when features.FirstOrDefault() is JsonObject first:
                first["properties"] = m.Pick<Func<JsonNode?>>([() => null, () => new JsonArray(1, 2), () => "parcel", () => new JsonObject()])();
                m.Note($"features[0].properties ← {Show(first["properties"])}");
                break;
            default:
                features.Parent!["features"] = m.Pick<Func<JsonNode?>>([() => null, () => new JsonObject(), () => "[]", () => 0])();
                m.Note("features ← not a list");
                break;
        }
    }

    // ---------------------------------------------------------------- geometry

    private void MutateGeometry(Mutation m, JsonObject feature, string where)
    {
        var geometry = feature["geometry"] as JsonObject;
        var ring = geometry is null ? null : FirstRing(geometry);
        switch (m.Random.Next(12))
        {
            case 0:
                // PostGIS cannot measure a ring with antipodal edges on the geography (issue 12).
                feature["geometry"] = Polygon(m.Pick(new[]
                {
                    new[] { (-180.0, -90.0), (180, -90), (180, 90), (-180, 90), (-180, -90) },
                    new[] { (-180.0, -90.0), (0, -90), (0, 90), (-180, 90), (-180, -90) },
                    new[] { (-179.9, 35.0), (179.9, 35), (179.9, 36), (-179.9, 36), (-179.9, 35) },
                    new[] { (179.0, 35.0), (-179, 35), (-179, 36), (179, 36), (179, 35) },
                    new[] { (0.0, 89.0), (90, 89), (180, 89), (-90, 89), (0, 89) },
                    new[] { (139.4, 35.7), (139.5, 35.7), (-40.5, -35.7), (139.4, 35.7) },
                }));
                m.Note($"{where} ← a ring around the world or across the antimeridian");
                break;
            case 1 when ring is { Count: > 1 }:
                ring.RemoveAt(ring.Count - 1);
                m.Note($"{where}: ring not closed");
                break;
            case 2 when ring is not null:
                var keep = m.Random.Next(0, 4);
                while (ring.Count > keep) ring.RemoveAt(ring.Count - 1);
                m.Note($"{where}: ring of {keep} positions");
                break;
            case 3 when ring is { Count: > 0 }:
                var position = ring[m.Random.Next(ring.Count)]!.AsArray();
                var (token, label) = m.Pick(new[] { ("NaN", "NaN"), ("Infinity", "Infinity"), ("1e309", "1e309"), ("-1e309", "-1e309"), ("\"NaN\"", "\"NaN\""), ("null", "null"), ("1e-400", "1e-400"), ("9e99", "9e99"), ("-0", "-0") });
                position[m.Random.Next(position.Count)] = m.Splice(Encoding.ASCII.GetBytes(token), insideString: false);
                m.Note($"{where}: a coordinate ← {label}");
                break;
            case 4 when geometry is not null:
                // Plane-rectangular metres, as a planner's CAD export would give them.
                var (dx, dy) = m.Pick(new[] { (-139.4 + -30000, -35.8 + -20000), (1e6, 1e6), (0.0, 90.0), (0.0, 0.0) });
                foreach (var p in Positions(geometry)) { p[0] = (double)p[0]! + dx; p[1] = (double)p[1]! + dy; }
                m.Note($"{where} shifted by ({dx:0.#}, {dy:0.#})");
                break;
            case 5 when ring is { Count: > 2 }:
                var vertices = m.Pick(longBudget ? [10_000, 100_000, 1_000_000] : new[] { 1_000, 20_000 });
                Densify(ring, vertices);
                m.Note($"{where}: ring of {vertices:N0} vertices");
                break;
            case 6 when ring is { Count: > 3 }:
                // A bow tie, a spike or every vertex twice.
                switch (m.Random.Next(3))
                {
                    case 0: (ring[0], ring[2]) = (ring[2]!.DeepClone(), ring[0]!.DeepClone()); ring[^1] = ring[0]!.DeepClone(); break;
                    case 1: ring.Insert(1, new JsonArray(0.0, 0.0)); break;
                    default: foreach (var p in ring.ToList()) ring.Insert(ring.IndexOf(p), p!.DeepClone()); break;
                }
                m.Note($"{where}: ring made invalid");
                break;
            case 7 when ring is { Count: > 0 }:
                var odd = m.Pick<Func<JsonNode?, JsonNode?>>([
                    p => new JsonArray(p![0]!.DeepClone(), p[1]!.DeepClone(), 12.5),
                    p => new JsonArray(p![0]!.DeepClone()),
                    _ => new JsonArray(),
                    p => new JsonArray(p![0]!.DeepClone(), "35.8"),
                    p => new JsonArray(p![0]!.DeepClone(), null),
                    p => new JsonObject { ["x"] = p![0]!.DeepClone(), ["y"] = p[1]!.DeepClone() }]);
                var at = m.Random.Next(ring.Count);
                ring[at] = odd(ring[at]);
                m.Note($"{where}: position {at} ← {Show(ring[at])}");
                break;
            case 8:
                JsonNode? swapped = m.Random.Next(9) switch
                {
                    0 => null,
                    1 => new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(139.45, 35.8) },
                    2 => new JsonObject { ["type"] = "LineString", ["coordinates"] = new JsonArray(new JsonArray(139.45, 35.8), new JsonArray(139.46, 35.81)) },
                    3 => new JsonObject { ["type"] = "GeometryCollection", ["geometries"] = new JsonArray(geometry?.DeepClone()) },
                    4 => new JsonObject { ["type"] = "MultiPolygon", ["coordinates"] = new JsonArray(new JsonArray()) },
                    5 => new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(new JsonArray(139.45, 35.8)))) },
                    6 => new JsonObject { ["type"] = "Polygon" },
                    7 => new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonObject() },
                    _ => m.Pick<JsonNode>(["POLYGON((0 0,1 0,1 1,0 0))", 0, new JsonArray()]),
                };
                feature["geometry"] = swapped;
                m.Note($"{where} ← {Show(swapped)}");
                break;
            case 9 when (geometry?["type"])?.GetValueKind() == JsonValueKind.String && (string)geometry["type"]! == "Polygon" && ring is not null:
                // A hole outside its shell, or the shell again as its hole.
                var hole = m.Chance(0.5) ? ring.DeepClone().AsArray() : Ring([(0.0, 0.0), (1, 0), (1, 1), (0, 1), (0, 0)]);
                geometry["coordinates"]!.AsArray().Add(hole);
                m.Note($"{where}: odd hole");
                break;
            case 10 when ring is { Count: > 0 }:
                // All in one point, or a polygon a few nanometres across.
                var first = ring[0]!.AsArray();
                var scale = m.Pick([0.0, 1e-12, 1e-7]);
                for (var i = 0; i < ring.Count; i++) ring[i] = new JsonArray((double)first[0]! + (scale * (i % 2)), (double)first[1]! + (scale * (i / 2 % 2)));
                ring[^1] = ring[0]!.DeepClone();
                m.Note($"{where}: collapsed to {scale} degrees");
                break;
            default:
                if (geometry is not null) MutateJson(m, geometry, where);
                break;
        }
    }

    private static JsonArray? FirstRing(JsonObject geometry)
    {
        var coordinates = geometry["coordinates"] as JsonArray;
        var type = geometry["type"]?.GetValueKind() == JsonValueKind.String ? (string?)geometry["type"] : null;
        var ring = type switch
        {
            "Polygon" => coordinates?.FirstOrDefault(),
            "MultiPolygon" => (coordinates?.FirstOrDefault() as JsonArray)?.FirstOrDefault(),
            _ => null,
        };
        return ring is JsonArray r && r.All(p => p is JsonArray { Count: >= 2 } a && a.All(c => c?.GetValueKind() == JsonValueKind.Number)) ? r : null;
    }

    private static IEnumerable<JsonArray> Positions(JsonNode? node) => node switch
    {
        JsonArray { Count: >= 2 } a when a[0]?.GetValueKind() == JsonValueKind.Number && a[1]?.GetValueKind() == JsonValueKind.Number => [a],
        JsonArray a => a.SelectMany(Positions),
        JsonObject o => Positions(o["coordinates"]),
        _ => [],
    };

    /// <summary>The same ring with this many vertices: points added along its first edge.</summary>
    private static void Densify(JsonArray ring, int vertices)
    {
        var (x0, y0, x1, y1) = ((double)ring[0]![0]!, (double)ring[0]![1]!, (double)ring[1]![0]!, (double)ring[1]![1]!);
        var added = new List<JsonNode>(vertices);
        for (var i = 1; i < vertices - ring.Count + 1; i++)
        {
            var t = (double)i / (vertices - ring.Count + 1);
            added.Add(new JsonArray(x0 + ((x1 - x0) * t), y0 + ((y1 - y0) * t)));
        }
        foreach (var p in Enumerable.Reverse(added)) ring.Insert(1, p);
    }

    private static JsonArray Ring(IEnumerable<(double X, double Y)> points) => new([.. points.Select(p => (JsonNode)new JsonArray(p.X, p.Y))]);

    private static JsonObject Polygon(IEnumerable<(double X, double Y)> points) =>
        new() { ["type"] = "Polygon", ["coordinates"] = new JsonArray(Ring(points)) };

    // ---------------------------------------------------------------- CSV

    private FuzzRequest CsvUpload(Mutation m)
    {
        var rows = ParseCsv(Encoding.UTF8.GetString(activitiesCsv).TrimStart('\uFEFF'));
        var keep = m.Chance(0.1) ? rows.Count - 1 : m.Random.Next(0, 4);
        rows = [rows[0], .. rows.Skip(1).OrderBy(_ => m.Random.Next()).Take(keep)];
        m.Note($"CSV of {keep} activities");
        for (var i = m.Random.Next(1, 4); i > 0; i--) MutateCsv(m, rows);

        var separator = m.Chance(0.06) ? m.Pick([";", "\t", "，"]) : ",";
        var lineBreak = m.Chance(0.2) ? m.Pick(["\r\n", "\r", "\n\n", "\u2028"]) : "\n";
        if (separator != "," || lineBreak != "\n") m.Note($"separator {Show(separator)}, line break {Show(lineBreak)}");
        var text = string.Join(lineBreak, rows.Select(r => string.Join(separator, r))) + (m.Chance(0.8) ? lineBreak : "");
        var bytes = EncodeCsv(m, text);

        var (target, fileName) = m.Random.Next(10) switch
        {
            < 6 => ($"/imports/activities{ImportQuery(m)}", "activities.csv"),
            < 9 => ($"/activities{ByQuery(m)}", "活動.CSV"),
            _ => ("/imports/designations", "parcels.csv"),
        };
        return Upload(m, target, bytes, m.Chance(0.9) ? "text/csv" : m.Pick(["text/csv; charset=shift_jis", "text/csv; charset=utf-16", "text/csv; charset=\"", "TEXT/CSV", "text/csv;header=present"]), fileName);
    }

    private static void MutateCsv(Mutation m, List<List<string>> rows)
    {
        var row = rows[m.Random.Next(rows.Count)];
        if (row.Count == 0) row.Add("");
        if (rows[0].Count == 0) rows[0].Add("");
        var r = rows.IndexOf(row) + 1;
        var column = m.Random.Next(row.Count);
        switch (m.Random.Next(9))
        {
            case 0 or 1 or 2:
                var value = OddText(m, out var label);
                row[column] = value.IndexOfAny([',', '"', '\n', '\r']) >= 0 && m.Chance(0.7) ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
                m.Note($"line {r}, column {column + 1} ← {label}");
                break;
            case 3:
                row[column] = m.Pick(["\"unclosed", "a\"b", "\"a\"b\"", "\"\"", "\"a\"\"", "\"line\nbreak\"", "\"", "'quoted'"]);
                m.Note($"line {r}, column {column + 1} ← {Show(row[column])}");
                break;
            case 4:
                if (m.Chance(0.5)) row.RemoveRange(column, m.Random.Next(1, row.Count - column + 1));
                else row.AddRange(Enumerable.Repeat("extra", m.Random.Next(1, 5)));
                m.Note($"line {r} ragged: {row.Count} cells");
                break;
            case 5:
                var header = rows[0];
                var h = m.Random.Next(header.Count);
                header[h] = m.Pick(["", " held_on", "HELD_ON", header[(h + 1) % header.Count], "\uFEFFactivity_id", "held on", "lon", "lat", "longitude", "経度", "a\u0000b"]);
                m.Note($"header column {h + 1} ← {Show(header[h])}");
                break;
            case 6:
                var copies = m.Pick(m.LongBudget ? [100, 5_000, 50_000] : new[] { 50, 500 });
                copies = Math.Min(copies, m.MaxBodyBytes / (row.Sum(c => c.Length + 1) * 3));
                for (var i = 0; i < copies; i++) rows.Add([.. row]);
                m.Note($"line {r} copied {copies} times");
                break;
            case 7:
                rows.Insert(m.Random.Next(1, rows.Count + 1), m.Pick<List<string>>([[""], [",,,,,"], ["#comment"], [" "], ["\u0000"]]));
                m.Note("an odd line inserted");
                break;
            default:
                // lon and lat: one missing, out of range, with a decimal comma, not numbers.
                var lon = rows[0].IndexOf("lon");
                if (lon < 0 || row.Count <= lon + 1 || row == rows[0]) break;
                (row[lon], row[lon + 1]) = m.Pick(new[] { ("139.5", ""), ("", "35.8"), ("200", "95"), ("\"139,47\"", "\"35,80\""), ("1e309", "NaN"), ("-0", "-0"), ("139.5°", "35.8°"), ("35.8", "139.5"), ("-30000", "-20000") });
                m.Note($"line {r} lon, lat ← {row[lon]}, {row[lon + 1]}");
                break;
        }
    }

    private static byte[] EncodeCsv(Mutation m, string text)
    {
        switch (m.Random.Next(12))
        {
            case 0:
                m.Note("Shift_JIS");
                return ShiftJis.GetBytes(text);
            case 1:
                m.Note("UTF-16 with a BOM");
                return [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
            case 2:
                m.Note("two BOMs");
                return [.. "\uFEFF\uFEFF"u8.ToArray(), .. Encoding.UTF8.GetBytes(text)];
            case 3:
                var bytes = Encoding.UTF8.GetBytes(text);
                var at = m.Random.Next(bytes.Length + 1);
                var (raw, label) = m.Pick(InvalidBytes);
                m.Note($"{label} at byte {at}");
                return [.. bytes[..at], .. raw, .. bytes[at..]];
            case 4:
                var sjis = ShiftJis.GetBytes(text);
                m.Note("Shift_JIS cut in the middle of a character");
                return [.. sjis, 0x82];
            case 5:
                m.Note("Shift_JIS with a UTF-8 BOM");
                return [.. "\uFEFF"u8.ToArray(), .. ShiftJis.GetBytes(text)];
            default:
                return m.Chance(0.5) ? [.. "\uFEFF"u8.ToArray(), .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);
        }
    }

    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding("shift_jis")!;

    /// <summary>RFC 4180, enough for the sample: quoted values may hold commas, quotes and line breaks.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        foreach (var line in CsvLine().Matches(text).Where(l => l.Length > 0))
        {
            rows.Add([.. CsvCell().Matches(line.Value.TrimEnd('\r', '\n')).Select(c => c.Groups[1].Value)]);
        }
        return rows;
    }

    [GeneratedRegex("(?:\"(?:[^\"]|\"\")*\"|[^\"\\n])*\\n?")]
    private static partial Regex CsvLine();

    [GeneratedRegex("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)")]
    private static partial Regex CsvCell();

    // ---------------------------------------------------------------- zipped shapefile

    private FuzzRequest ShapefileUpload(Mutation m)
    {
        var entries = ReadZip(shapefileZip);
        m.Note("zipped shapefile");
        for (var i = m.Random.Next(1, 3); i > 0; i--) MutateShapefile(m, entries);
        var zip = WriteZip(entries);
        switch (m.Random.Next(8))
        {
            case 0:
                zip = PatchDeclaredSize(m, zip);
                break;
            case 1:
                var cut = m.Random.Next(zip.Length);
                zip = zip[..cut];
                m.Note($"zip cut at byte {cut} of {shapefileZip.Length}");
                break;
            case 2:
                for (var i = 0; i < 8; i++) zip[m.Random.Next(zip.Length)] ^= (byte)m.Random.Next(1, 256);
                m.Note("eight bytes of the zip flipped");
                break;
        }
        var register = m.Chance(0.85) ? "designations" : m.Pick(["acquisitions", "activities", "habitat-patches"]);
        var fileName = m.Chance(0.9) ? "designations.zip" : m.Pick(["DESIGNATIONS.ZIP", "a.zip.geojson", ".zip", "緑地.zip", "x.shp"]);
        return Multipart(m, $"/imports/{register}{ImportQuery(m)}", zip, fileName, m.Pick(["application/zip", "application/x-zip-compressed", "application/octet-stream"]));
    }

    private static void MutateShapefile(Mutation m, List<(string Name, byte[] Bytes)> entries)
    {
        if (entries.Count == 0) return;
        var at = m.Random.Next(entries.Count);
        var (name, bytes) = entries[at];
        var extension = Path.GetExtension(name).ToLowerInvariant();
        switch (m.Random.Next(10))
        {
            case 0:
                entries.RemoveAt(at);
                m.Note($"{extension} left out");
                break;
            case 1:
                var cut = m.Random.Next(bytes.Length);
                entries[at] = (name, bytes[..cut]);
                m.Note($"{extension} cut to {cut} bytes");
                break;
            case 2:
                var flipped = (byte[])bytes.Clone();
                for (var i = 0; i < 4 && flipped.Length > 0; i++) flipped[m.Random.Next(flipped.Length)] = (byte)m.Random.Next(256);
                entries[at] = (name, flipped);
                m.Note($"{extension}: four bytes changed");
                break;
            case 3:
                var prj = entries.FindIndex(e => e.Name.EndsWith(".prj", StringComparison.OrdinalIgnoreCase));
                var text = m.Pick(["", "garbage", "GEOGCS[\"WGS 84\"]", "PROJCS[\"x\",GEOGCS[\"y\"],PROJECTION[\"Mercator\"]]", "EPSG:6677", "a\u0000b", new string('[', 10_000)]);
                if (prj >= 0) entries[prj] = (entries[prj].Name, Encoding.UTF8.GetBytes(text));
                m.Note($".prj ← {Show(text)}");
                break;
            case 4:
                var cpg = entries.FindIndex(e => e.Name.EndsWith(".cpg", StringComparison.OrdinalIgnoreCase));
                var encoding = m.Pick(["", "UTF-8", "932", "SJIS", "CP932", "65001", "EBCDIC", "garbage", "utf-16", "\u0000", "UTF-7", "x-mac-japanese"]);
                if (cpg >= 0) entries[cpg] = (entries[cpg].Name, Encoding.ASCII.GetBytes(encoding));
                m.Note($".cpg ← {Show(encoding)}");
                break;
            case 5:
                var dbf = entries.FindIndex(e => e.Name.EndsWith(".dbf", StringComparison.OrdinalIgnoreCase));
                if (dbf < 0) break;
                var table = (byte[])entries[dbf].Bytes.Clone();
                if (table.Length < 64) break;
                var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(8));
                switch (m.Random.Next(4))
                {
                    case 0: BinaryPrimitives.WriteInt32LittleEndian(table.AsSpan(4), m.Pick([0, -1, int.MaxValue, 1_000_000])); m.Note(".dbf record count changed"); break;
                    case 1: BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(8), m.Pick<ushort>([0, 1, 65535, 33])); m.Note(".dbf header length changed"); break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(10), m.Pick<ushort>([0, 1, 65535])); m.Note(".dbf record length changed"); break;
                    default:
                        var (raw, label) = m.Pick(InvalidBytes);
                        var position = headerLength + 1 + m.Random.Next(Math.Max(1, table.Length - headerLength - raw.Length - 1));
                        raw.CopyTo(table, Math.Min(position, table.Length - raw.Length));
                        m.Note($".dbf text ← {label}");
                        break;
                }
                entries[dbf] = (entries[dbf].Name, table);
                break;
            case 6:
                var shp = entries.FindIndex(e => e.Name.EndsWith(".shp", StringComparison.OrdinalIgnoreCase));
                if (shp < 0) break;
                var shapes = (byte[])entries[shp].Bytes.Clone();
                if (shapes.Length < 116) break;
                var value = m.Pick([double.NaN, double.PositiveInfinity, 1e300, -1e300, 0.0]);
                for (var i = 0; i < 3; i++) BinaryPrimitives.WriteDoubleLittleEndian(shapes.AsSpan(100 + (8 * m.Random.Next((shapes.Length - 108) / 8))), value);
                if (m.Chance(0.3)) BinaryPrimitives.WriteInt32LittleEndian(shapes.AsSpan(32), m.Pick([0, 1, 3, 8, 31, 99, -1]));
                entries[shp] = (entries[shp].Name, shapes);
                m.Note($".shp: some doubles ← {value}, maybe the shape type too");
                break;
            case 7:
                entries.Add((m.Pick(["second.shp", "../../escape.shp", "sub/dir/x.shp", "tokorozawa-designations-zone9.SHP"]), bytes));
                m.Note($"an extra entry ({entries[^1].Name})");
                break;
            case 8:
                var stem = m.Pick(["../evil", "/abs/path", "緑地", "a\u0000b", "con", new string('x', 300)]);
                entries[at] = (stem + Path.GetExtension(name), bytes);
                m.Note($"{extension} renamed to {Show(entries[at].Name)}");
                break;
            default:
                entries[at] = (name, []);
                m.Note($"{extension} empty");
                break;
        }
    }

    private static List<(string Name, byte[] Bytes)> ReadZip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        })];
    }

    private static byte[] WriteZip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = archive.CreateEntry(name);
                entry.LastWriteTime = new DateTimeOffset(2026, 11, 23, 9, 5, 0, TimeSpan.Zero); // the same bytes on every run
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>One entry's uncompressed size in the central directory set to something it is not (a "zip bomb" header, or ZIP64's marker).</summary>
    private static byte[] PatchDeclaredSize(Mutation m, byte[] zip)
    {
        var headers = Enumerable.Range(0, zip.Length - 46).Where(i => BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == 0x02014b50).ToList();
        if (headers.Count == 0) return zip;
        var size = m.Pick([0u, 1u, 0x3FFF_FFFFu, 0x7FFF_FFFFu, 0xFFFF_FFFFu]);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(m.Pick(headers) + 24), size);
        m.Note($"an entry declares {size:N0} bytes unzipped");
        return zip;
    }

    // ---------------------------------------------------------------- JSON bodies

    private FuzzRequest JsonBody(Mutation m)
    {
        var (method, target, body) = m.Random.Next(11) switch
        {
            0 or 1 => ("POST", $"/activities{ByQuery(m)}", bodies["activity"].DeepClone().AsObject()),
            2 => ("POST", $"/activities{ByQuery(m)}", Without(bodies["activity"], "activityId")),
            3 => ("POST", "/network/profiles", bodies["network-profile"].DeepClone().AsObject()),
            4 => ("PUT", $"/network/profiles/{PathValue(m, ["bats", "amphibians"])}", bodies["network-profile"].DeepClone().AsObject()),
            5 => ("POST", $"/pdca/{PathValue(m, ["2025", "2024"])}", bodies["pdca-entry"].DeepClone().AsObject()),
            6 => ("PUT", $"/pdca/{PathValue(m, ["2024"])}/{PathValue(m, ["1", "2"])}", bodies["pdca-entry"].DeepClone().AsObject()),
            7 => ("POST", $"/targets{ByQuery(m)}", TargetBody(m, "9-9-9")),
            8 => ("PUT", $"/targets/{PathValue(m, ["1-1-1", "9-9-8", "3-2-2/3"])}{ByQuery(m)}", TargetBody(m, null)),
            _ => ("POST", "/network/scenarios", bodies["scenario-request"].DeepClone().AsObject()),
        };
        m.Note($"{method} {target}");
        if (body["candidates"] is JsonObject candidates && m.Chance(0.3))
        {
            MutateGeoJson(m, candidates);
        }
        for (var i = m.Random.Next(1, 4); i > 0; i--) MutateJson(m, body);
        var bytes = ByteLevel(m, m.Serialize(body));
        var contentType = m.Chance(0.9) ? "application/json" : m.Pick(["application/geo+json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=shift_jis", "application/merge-patch+json", "text/csv"]);
        return new(method, target, [new("Content-Type", contentType)], bytes, "");
    }

    /// <summary>OGC API – Features Part 4: a sample feature, mutated, created, replaced, patched or deleted, now and then in another system.</summary>
    private FuzzRequest FeatureEdit(Mutation m)
    {
        var source = m.Pick(["designations", "acquisitions", "habitat-patches", "activities"]);
        var collection = SomeFeatures(m, collections[source]);
        MutateGeoJson(m, collection);
        // The mutation may have taken the features away, or made the first one something else.
        var feature = collection["features"] is JsonArray { Count: > 0 } features && features[0] is JsonObject first ? first.DeepClone().AsObject() : [];
        var id = PathValue(m, ["D-2010-002", "A-2010-001", "HP-001", "ACT-2021-001", "D-NEW-1"]);
        var items = $"/collections/{PathValue(m, [source, source, "network-patches-amphibians"])}/items";
        var (method, target, body, contentType) = m.Random.Next(4) switch
        {
            0 => ("POST", items, feature, "application/geo+json"),
            1 => ("PUT", $"{items}/{id}", feature, "application/geo+json"),
            2 => ("PATCH", $"{items}/{id}", m.Chance(0.5) ? new JsonObject { ["properties"] = feature["properties"]?.DeepClone() } : new JsonObject { ["geometry"] = feature["geometry"]?.DeepClone() },
                "application/merge-patch+json"),
            _ => ("DELETE", $"{items}/{id}{(m.Chance(0.5) ? "?reason=" + Uri.EscapeDataString(m.Pick(["entered twice", "", new string('x', 1001), "\u0000"])) : "")}", null, null),
        };
        m.Note($"{method} {target}");
        var headers = new List<KeyValuePair<string, string>>();
        if (m.Chance(0.2)) headers.Add(new("Content-Crs", m.Pick(["<http://www.opengis.net/def/crs/EPSG/0/6677>", "http://www.opengis.net/def/crs/EPSG/0/4326", "[EPSG:3857]", "EPSG:2451", "", "<>"])));
        if (m.Chance(0.2)) headers.Add(new("If-Match", m.Pick(["\"v1\"", "\"v2.6677\"", "*", "W/\"v1\"", "v1", "\"v99999999999\"", ","])));
        if (body is null) return new(method, target, headers, [], "");
        if (m.Chance(0.3)) MutateJson(m, body.AsObject());
        headers.Add(new("Content-Type", m.Chance(0.9) ? contentType! : m.Pick(["application/json", "text/plain", "application/merge-patch+json", "application/geo+json"])));
        return new(method, target, headers, ByteLevel(m, m.Serialize(body)), "");
    }

    private JsonObject TargetBody(Mutation m, string? code)
    {
        var target = targets[m.Random.Next(targets.Count)]!.DeepClone().AsObject();
        if (code is not null && m.Chance(0.7)) target["code"] = code;
        else if (code is null && m.Chance(0.5)) target.Remove("code");
        return target;
    }

    private static JsonObject Without(JsonObject body, string member)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove(member);
        return copy;
    }

    // ---------------------------------------------------------------- query strings

    /// <summary>Every route the generator sends requests to (a test compares it with the service's own list).</summary>
    public static IReadOnlyList<string> Routes =>
    [
        .. Endpoints.Select(e => $"{e.Method} {e.Path}"),
        // Uploads and JSON bodies (GeoJsonUpload, CsvUpload, ShapefileUpload, JsonBody):
        "POST /imports/{register}", "POST /activities", "POST /network/profiles", "PUT /network/profiles/{name}", "POST /pdca/{year}",
        "PUT /pdca/{year}/{entry}", "POST /targets", "PUT /targets/{code}", "POST /network/scenarios",
        // FeatureEdit:
        "POST /collections/{collection}/items", "PUT /collections/{collection}/items/{record}", "PATCH /collections/{collection}/items/{record}",
        "DELETE /collections/{collection}/items/{record}",
    ];

    private sealed record Endpoint(string Method, string Path, string[] Parameters);

    /// <summary>Every endpoint, with each query parameter and the kind of value it takes.</summary>
    private static readonly Endpoint[] Endpoints =
    [
        new("GET", "/collections/{collection}/items", ["limit:int", "offset:int", "cursor:cursor", "bbox:bbox", "bbox-crs:crs", "crs:crs", "datetime:interval", "asRecordedAt:moment", "filter:cql2", "filter-lang:filterLang", "filter-crs:crs", "f:format"]),
        new("GET", "/collections/{collection}/items/{record}", ["asRecordedAt:moment", "crs:crs", "f:format"]),
        new("GET", "/collections/{collection}", ["f:format"]),
        new("GET", "/collections/{collection}/schema", []),
        new("GET", "/collections/{collection}/queryables", []),
        new("GET", "/collections", ["f:format"]),
        new("GET", "/", ["f:format"]),
        new("GET", "/conformance", []),
        new("GET", "/activities", ["kind:kind", "fiscalYear:year", "from:date", "to:date", "limit:int", "offset:int"]),
        new("GET", "/reports/area", ["register:register", "from:year", "to:year", "asOf:date", "method:method", "format:format", "asRecordedAt:moment"]),
        new("GET", "/reports/targets", ["fiscalYear:year", "lang:lang", "format:format"]),
        new("GET", "/reports/targets/published", ["fiscalYear:year", "lang:lang", "format:format"]),
        new("POST", "/reports/targets/published", ["fiscalYear:year", "by:text"]),
        new("GET", "/network/metrics", ["profile:profile", "d0:number", "p0:probability", "threshold:number", "include:include", "asOf:date", "landscapeAreaHa:number", "connectorRadius:number", "minProbability:probability"]),
        new("GET", "/network/profiles", []),
        new("GET", "/network/profiles/{profile}", []),
        new("GET", "/registers/{register}/{record}/versions", []),
        new("DELETE", "/registers/{register}/{record}", ["reason:text", "by:text"]),
        new("GET", "/targets", []),
        new("GET", "/targets/{code}", []),
        new("DELETE", "/targets/{code}", ["by:text"]),
        new("GET", "/pdca/{year}", []),
        new("DELETE", "/pdca/{year}/{entry}", ["by:text"]),
        new("GET", "/audit", ["who:text", "what:text", "from:moment", "to:moment", "limit:int", "offset:int", "format:format"]),
        new("GET", "/openapi/v1.json", []),
        new("GET", "/health/live", []),
        new("GET", "/health/ready", []),
        new("HEAD", "/health/live", []),
        new("HEAD", "/health/ready", []),
        new("OPTIONS", "/collections/{collection}/items", []),
        new("OPTIONS", "/collections/{collection}/items/{record}", []),
        new("GET", "/tileMatrixSets", []),
        new("GET", "/tileMatrixSets/{tms}", []),
        new("GET", "/collections/{collection}/tiles", ["datetime:interval"]),
        new("GET", "/collections/{collection}/tiles/{tms}", ["datetime:interval"]),
        new("GET", "/collections/{collection}/tiles/{tms}/{zoom}/{row}/{column}", ["datetime:interval"]),
        new("GET", "/map", ["lang:lang"]),
        new("GET", "/map/assets/{file}", []),
        new("GET", "/map/boundary", []),
    ];

    private static readonly Dictionary<string, string[]> ValidValues = new()
    {
        ["int"] = ["1", "10", "100", "1000", "0"],
        ["year"] = ["2020", "2024", "2025", "2026"],
        ["date"] = ["2025-03-31", "2024-04-01", "2026-12-01"],
        ["moment"] = ["2026-03-31", "2026-04-01T09:00:00+09:00", "2026-12-31T00:00:00Z"],
        ["interval"] = ["2020-01-01/2025-12-31", "../2025-03-31", "2024-01-01/..", "2025-03-31"],
        ["bbox"] = ["139.3,35.7,139.6,35.9", "139.44,35.77,139.46,35.8"],
        ["format"] = ["json", "csv", "html"],
        ["lang"] = ["ja", "en"],
        ["register"] = ["designations", "acquisitions"],
        ["method"] = ["ellipsoidal", "planar"],
        ["kind"] = ["lecture", "lecture,workshop", "forest_site"],
        ["include"] = ["designations", "acquisitions", "designations,acquisitions"],
        ["profile"] = ["amphibians", "small-mammals", "woodland-birds"],
        ["number"] = ["250", "1000", "2000", "7211", "500"],
        ["probability"] = ["0.5", "0.05", "1e-9"],
        ["text"] = ["みどり自然課", "entered twice", "fuzz"],
        ["crs"] = ["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/EPSG/0/6677", "http://www.opengis.net/def/crs/EPSG/0/4326", "[EPSG:3857]"],
        ["cursor"] = ["MTAKRC0yMDEwLTAwNQ", "MApE"],
        ["cql2"] = ["scheme = 'citizen_green_space'", "designated_on >= DATE('2012-01-01')", "S_INTERSECTS(geometry,BBOX(139.4,35.7,139.5,35.9))",
            "((version + 1) > 1)", "(CASEI(name) LIKE CASEI('%緑%'))", "T_INTERSECTS(INTERVAL(designated_on, lifted_on), INTERVAL('2015-01-01','2016-01-01'))",
            """{"op": "=", "args": [{"property": "kind"}, "lecture"]}"""],
        ["filterLang"] = ["cql2-text", "cql2-json"],
    };

    private static readonly Dictionary<string, string[]> OddValues = new()
    {
        ["bbox"] = ["1,2,3", "a,b,c,d", "180,90,-180,-90", "-180,-90,180,90", "139.3,35.7,139.6,35.9,1", "139.3,35.7,0,139.6,35.9,1", "NaN,NaN,NaN,NaN", "1e309,0,0,0", ",,,", "139.3;35.7;139.6;35.9", "0,0,0,0", "-1e308,-1e308,1e308,1e308"],
        ["interval"] = ["../..", "/", "2025-01-01/2024-01-01", "2025-02-30/..", "a/b", "2025-01-01/2025-01-01/2025-01-01", "0000-01-01/9999-12-31", "0001-01-01/..", "../9999-12-31", "2025-01-01T00:00:00Z/2025-01-01T00:00:00+14:00"],
        ["format"] = ["", "JSON", "xml", "geojson", "csv ", "HTML", "json,csv", "0"],
        ["lang"] = ["", "EN", "ja-JP", "fr", "en;q=1", "\u65e5"],
        ["register"] = ["habitat-patches", "activities", "", "DESIGNATIONS", "designations,acquisitions"],
        ["method"] = ["", "Planar", "1", "0", "geodesic", "planar "],
        ["kind"] = ["", ",", "lecture,,workshop", "LECTURE", "unknown", "lecture, workshop", new string(',', 10_000)],
        ["include"] = ["", ",", "habitat-patches", "activities", "designations,designations", "DESIGNATIONS", "designations,unknown"],
        ["profile"] = ["", "unknown", "AMPHIBIANS", "amphibians ", "../targets"],
        ["crs"] = ["", "EPSG:0", "EPSG:99999999999", "http://www.opengis.net/def/crs/EPSG/0/", "<>", "[EPSG:6677", "urn:ogc:def:crs:EPSG::6677", "CRS84 "],
        ["cursor"] = ["", "=", "AAAA", "LTEKeA", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5CkQ", "MQoA"],
        ["cql2"] = ["", "(", "'", "scheme ==", new string('(', 5000), "NOT NOT NOT", "1e999999 > version", "(10 ^ 400) ^ 400 > 1", "S_INTERSECTS(geometry,POLYGON((0 0,1 1)))",
            "T_AFTER(designated_on, INTERVAL('..','..'))", "\"\"", "version = 1 AND", "area_ha / 0 > 1", "name LIKE '\\'", "S_WITHIN(geometry,POINT(1e308 1e308))",
            "{\"op\": \"=\"}", "[]", "DATE('2024-02-30') = designated_on", "TIMESTAMP('9999-12-31T23:59:60Z') > recorded_at", "\u0000"],
        ["filterLang"] = ["", "CQL2-TEXT", "ecql", "cql2-json "],
    };

    private FuzzRequest QueryString(Mutation m)
    {
        var endpoint = m.Pick(Endpoints);
        var path = PathParameter().Replace(endpoint.Path, p => p.Groups[1].Value switch
        {
            "collection" => PathValue(m, ["designations", "acquisitions", "activities", "habitat-patches", "network-patches-small-mammals", "network-links-amphibians", "network-components-woodland-birds", "network-patches-bats"]),
            "record" => PathValue(m, ["D-2010-001", "A-2010-001", "HP-001", "ACT-2021-001"]),
            "register" => PathValue(m, ["designations", "acquisitions", "activities", "habitat-patches"]),
            "profile" => PathValue(m, ["amphibians", "small-mammals"]),
            "code" => PathValue(m, ["1-1-1", "2-2-1", "3-2-2/3"]),
            "year" => PathValue(m, ["2024", "2025"]),
            "tms" => PathValue(m, ["WebMercatorQuad", "WorldCRS84Quad"]),
            // Tokorozawa's tiles at zoom 12 and 14, and the corners of the grid.
            "zoom" => PathValue(m, ["12", "14", "0", "24", "25"]),
            "row" => PathValue(m, ["1611", "6446", "0", "16777215"]),
            "column" => PathValue(m, ["3634", "14537", "0", "16777216"]),
            "file" => PathValue(m, ["map.js", "strings.js", "maplibre-gl.mjs", "map.css", "appsettings.json", "..%2Fappsettings.json"]),
            _ => PathValue(m, ["1", "2"]),
        });
        var parameters = new List<string>();
        foreach (var parameter in endpoint.Parameters.Where(_ => m.Chance(0.5)))
        {
            var (name, kind) = (parameter.Split(':')[0], parameter.Split(':')[1]);
            var repeats = m.Chance(0.1) ? m.Random.Next(2, 4) : 1;
            for (var i = 0; i < repeats; i++) parameters.Add($"{OddName(m, name)}={QueryValue(m, kind)}");
        }
        if (m.Chance(0.05)) parameters.Add(m.Pick(["=5", "limit", "&", "a[]=1", "%=1", "f=json&&&"]));
        var method = m.Chance(0.04) ? m.Pick(["PATCH", "PUT", "POST", "DELETE", "OPTIONS", "TRACE"]) : endpoint.Method;
        var target = parameters.Count == 0 ? path : $"{path}?{string.Join('&', parameters)}";
        m.Note($"{method} {Show(target, 200)}");
        return new(method, target, [], [], "");
    }

    private static string OddName(Mutation m, string name) =>
        m.Chance(0.04) ? m.Pick([name.ToUpperInvariant(), $"{name} ", $"{name}[]", Uri.EscapeDataString($"{name}\u0000"), $"%20{name}"]) : name;

    /// <summary>A value for a query parameter of this kind: a good one, an odd one for the kind, or any odd text, sometimes oddly encoded.</summary>
    private static string QueryValue(Mutation m, string kind)
    {
        var value = m.Random.Next(10) switch
        {
            < 4 => m.Pick(ValidValues[kind]),
            < 7 when OddValues.TryGetValue(kind, out var odd) => m.Pick(odd),
            < 7 when kind is "int" or "year" or "number" or "probability" => m.Pick(OddNumbers),
            < 7 when kind is "date" or "moment" => m.Pick(OddDates),
            < 9 => m.Pick<Func<string>>([() => m.Pick(OddNumbers), () => m.Pick(OddDates), () => OddText(m, out _)])(),
            _ => m.Pick(ValidValues[kind]) + m.Pick(["", " ", "\u3000", "%", "\t", ",", "/"]),
        };
        var encoded = m.Random.Next(20) switch
        {
            0 when !value.Any(char.IsControl) => value, // unencoded: '&', '#', ' ', '+' as they are
            1 => Uri.EscapeDataString(Uri.EscapeDataString(value)),
            2 => Uri.EscapeDataString(value) + m.Pick(["%", "%G1", "%C0%80", "%FF", "%ED%A0%80", "%u0041", "%00"]),
            _ => Uri.EscapeDataString(value),
        };
        return LongestUrlPart(encoded);
    }

    /// <summary>Servers refuse request lines much over 8 KB themselves (Kestrel: 414), so longer ones never reach the service.</summary>
    private static string LongestUrlPart(string text) => text.Length <= 6000 ? text : text[..6000];

    /// <summary>
    /// A path segment: mostly one that exists, sometimes odd (escaped, as a client would send it). Never a NUL: the server
    /// refuses a path holding one (%00) before the service sees it, and the in-process client throws instead.
    /// </summary>
    private static string PathValue(Mutation m, string[] valid)
    {
        if (!m.Chance(0.2)) return m.Pick(valid);
        var odd = m.Random.Next(4) switch
        {
            0 => m.Pick(OddNumbers),
            1 => m.Pick(OddDates),
            2 => m.Pick(["..", ".", "%2F", "a/b", "%C0%80", "~", "network-patches-", "9223372036854775808", "-1", "2147483648", new string('x', 5000)]),
            _ => OddText(m, out _),
        };
        odd = odd.Replace("\0", "", StringComparison.Ordinal);
        return LongestUrlPart(odd is "%2F" or "%C0%80" ? odd : Uri.EscapeDataString(odd));
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();

    private static string ImportQuery(Mutation m)
    {
        var parameters = new List<string>();
        if (m.Chance(0.5)) parameters.Add($"dryRun={(m.Chance(0.85) ? "true" : QueryValue(m, "text"))}");
        if (m.Chance(0.2)) parameters.Add($"repair={(m.Chance(0.7) ? "true" : m.Pick(["yes", "1", "", "TRUE", "true&repair=false"]))}");
        if (m.Chance(0.15)) parameters.Add($"crs={Uri.EscapeDataString(m.Pick(["EPSG:6677", "EPSG:4326", "EPSG:0", "EPSG:99999", "urn:ogc:def:crs:EPSG::6677", "EPSG:6677 ", "", "ＥＰＳＧ:6677", "+proj=longlat", "EPSG:2147483648", "EPSG:3857", "CRS84", "EPSG:6670"]))}");
        if (m.Chance(0.2)) parameters.Add($"by={QueryValue(m, "text")}");
        return parameters.Count == 0 ? "" : "?" + string.Join('&', parameters);
    }

    private static string ByQuery(Mutation m) => m.Chance(0.2) ? $"?by={QueryValue(m, "text")}" : "";

    // ---------------------------------------------------------------- transports and headers

    /// <summary>A file sent as the body (mostly) or as the "file" field of a multipart form.</summary>
    private static FuzzRequest Upload(Mutation m, string target, byte[] file, string contentType, string fileName)
    {
        if (m.Chance(0.25)) return Multipart(m, target, file, fileName, contentType);
        if (m.Chance(0.08))
        {
            contentType = m.Pick(["application/json", "application/geo+json", "text/csv", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
                "application/geo+json; charset=shift_jis", "multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=x", "application/zip", ";;;", "*/*"]);
            m.Note($"Content-Type {contentType}");
        }
        return new("POST", target, [new("Content-Type", contentType)], file, "");
    }

    private static FuzzRequest Multipart(Mutation m, string target, byte[] file, string fileName, string partType)
    {
        var boundary = $"fuzz{m.Random.Next():x8}";
        var headerBoundary = boundary;
        var field = "file";
        var disposition = $"form-data; name=\"{field}\"; filename=\"{fileName}\"";
        byte[]? rawFileName = null;
        var lineBreak = "\r\n";
        var extraParts = "";
        var cut = -1;
        var closing = true;
        switch (m.Chance(0.5) ? -1 : m.Random.Next(14))
        {
            case 0: headerBoundary = "wrong" + boundary; m.Note("the header names another boundary"); break;
            case 1: headerBoundary = null; m.Note("no boundary in the Content-Type"); break;
            case 2: cut = -2; m.Note("body cut off"); break;
            case 3: closing = false; m.Note("no closing boundary"); break;
            case 4: lineBreak = "\n"; m.Note("LF line breaks"); break;
            case 5: boundary = headerBoundary = new string('b', m.Pick([70, 71, 200])); m.Note($"boundary of {boundary.Length} characters"); break;
            case 6:
                field = m.Pick(["files", "FILE", "", "file[]", "fi\u0000le"]);
                disposition = m.Chance(0.8) ? $"form-data; name=\"{field}\"; filename=\"{fileName}\"" : $"form-data; filename=\"{fileName}\"";
                m.Note($"field name {Show(field)}");
                break;
            case 7:
                var (name, raw) = m.Pick(new (string, byte[])[]
                {
                    ("a NUL", "a\0b.geojson"u8.ToArray()), ("../../etc/passwd", "../../etc/passwd"u8.ToArray()), ("empty", []),
                    ("5,000 characters", Encoding.ASCII.GetBytes(new string('n', 5000) + ".zip")), ("Shift_JIS bytes", [0x97, 0xCE, 0x92, 0x6E, 0x2E, 0x7A, 0x69, 0x70]),
                    ("invalid UTF-8", [0xFF, 0xFE, 0x2E, 0x63, 0x73, 0x76]), ("a quote", "a\".zip"u8.ToArray()), ("C:\\temp\\x.zip", "C:\\temp\\x.zip"u8.ToArray()),
                    ("only .zip", ".zip"u8.ToArray()), ("x.csv.zip", "x.csv.zip"u8.ToArray()), ("x.geojson for other bytes", "x.geojson"u8.ToArray()),
                });
                rawFileName = raw;
                m.Note($"file name {name}");
                break;
            case 8:
                partType = m.Pick(["", "text/csv", "application/zip", "text/csv; charset=shift_jis", "image/png", "multipart/form-data; boundary=inner"]);
                m.Note($"part Content-Type {Show(partType)}");
                break;
            case 9:
                extraParts = $"--{boundary}{lineBreak}Content-Disposition: form-data; name=\"file\"; filename=\"second.geojson\"{lineBreak}Content-Type: application/geo+json{lineBreak}{lineBreak}{{}}{lineBreak}";
                m.Note("two files");
                break;
            case 10:
                extraParts = $"--{boundary}{lineBreak}Content-Disposition: form-data; name=\"note\"{lineBreak}{lineBreak}{new string('n', m.Pick([10, 100_000]))}{lineBreak}";
                m.Note("a text field first");
                break;
            case 11:
                extraParts = $"--{boundary}{lineBreak}X-Padding: {new string('p', 20_000)}{lineBreak}Content-Disposition: form-data; name=\"x\"{lineBreak}{lineBreak}x{lineBreak}";
                m.Note("a 20 KB part header");
                break;
            case 12:
                file = [];
                m.Note("empty file");
                break;
            case 13:
                disposition = $"form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString("緑地" + Path.GetExtension(fileName))}";
                m.Note("file name in RFC 5987 form");
                break;
        }
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write(extraParts);
        Write($"--{boundary}{lineBreak}");
        if (rawFileName is not null)
        {
            Write("Content-Disposition: form-data; name=\"file\"; filename=\"");
            body.Write(rawFileName);
            Write($"\"{lineBreak}");
        }
        else
        {
            Write($"Content-Disposition: {disposition}{lineBreak}");
        }
        if (partType.Length > 0) Write($"Content-Type: {partType}{lineBreak}");
        Write(lineBreak);
        body.Write(file);
        Write(lineBreak);
        if (closing) Write($"--{boundary}--{lineBreak}");
        var bytes = body.ToArray();
        if (cut == -2) bytes = bytes[..m.Random.Next(bytes.Length)];
        var contentType = headerBoundary is null ? "multipart/form-data" : $"multipart/form-data; boundary={headerBoundary}";
        m.Note($"as multipart \"{fileName}\"");
        return new("POST", target, [new("Content-Type", contentType)], bytes, "");
    }

    private static FuzzRequest OddHeaders(Mutation m, FuzzRequest request)
    {
        var (name, value) = m.Pick(new[]
        {
            ("Accept", "text/html"), ("Accept", "text/csv"), ("Accept", "application/xml"), ("Accept", "*/*;q=0, text/html;q=0.1"), ("Accept", "garbage//"),
            ("Accept-Language", "en"), ("Accept-Language", "*"),
            ("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "gopher"),
            ("Authorization", "Bearer hr_notakey"), ("Authorization", "Basic !!!"), ("Authorization", "Basic " + Convert.ToBase64String("only-user"u8.ToArray())),
            ("Authorization", "Negotiate abc"), ("Authorization", "Bearer"), ("Authorization", "Bearer " + new string('k', 10_000)),
            ("If-None-Match", "*"), ("Range", "bytes=0-10"), ("Content-Encoding", "gzip"),
        });
        m.Note($"{name}: {Show(value, 40)}");
        if (name.StartsWith("Content-", StringComparison.Ordinal) && request.Body.Length == 0) return request;
        return request with { Headers = [.. request.Headers, new(name, value)] };
    }

    // ---------------------------------------------------------------- JSON mutations

    /// <summary>A place in a JSON tree: an object's member or an array's element.</summary>
    private sealed record Spot(JsonNode Parent, string? Key, int Index, string Path)
    {
        public JsonNode? Value => Key is null ? Parent.AsArray()[Index] : Parent.AsObject()[Key];

        public void Set(JsonNode? value)
        {
            if (Key is null) Parent.AsArray()[Index] = value;
            else Parent.AsObject()[Key] = value;
        }
    }

    private static List<Spot> Spots(JsonNode node, string path)
    {
        var spots = new List<Spot>();
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                spots.Add(new(o, key, -1, path.Length == 0 ? key : $"{path}.{key}"));
                if (value is not null) spots.AddRange(Spots(value, path.Length == 0 ? key : $"{path}.{key}"));
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                spots.Add(new(a, null, i, $"{path}[{i}]"));
                if (a[i] is { } value) spots.AddRange(Spots(value, $"{path}[{i}]"));
            }
        }
        return spots;
    }

    /// <summary>One structural or textual change anywhere in the tree (positions of long rings count once).</summary>
    private static void MutateJson(Mutation m, JsonNode root, string where = "")
    {
        var spots = Spots(root, where).Where(s => !CoordinateDetail().IsMatch(s.Path)).ToList();
        if (spots.Count == 0) return;
        var spot = m.Pick(spots);
        switch (m.Random.Next(8))
        {
            case 0 or 1 or 2:
                spot.Set(OddValue(m, out var label));
                m.Note($"{spot.Path} ← {label}");
                break;
            case 3:
                if (spot.Key is null) spot.Parent.AsArray().RemoveAt(spot.Index);
                else spot.Parent.AsObject().Remove(spot.Key);
                m.Note($"{spot.Path} left out");
                break;
            case 4 when spot.Key is not null:
                // The same member twice: JSON allows it to be written, readers differ on which one counts.
                spot.Parent.AsObject()[spot.Key + m.Splice([], insideString: true)] = OddValue(m, out var second);
                m.Note($"{spot.Path} given twice, the second {second}");
                break;
            case 5 when spot.Value is JsonObject target:
                OddMemberName(m, target, spot.Path);
                break;
            case 6:
                var retyped = Retype(spot.Value);
                spot.Set(retyped);
                m.Note($"{spot.Path} retyped to {Show(retyped)}");
                break;
            default:
                var depth = m.Pick(m.LongBudget ? [63, 65, 1_000, 100_000] : new[] { 63, 65, 1_000, 10_000 });
                spot.Set(m.Splice(Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth)), insideString: false));
                m.Note($"{spot.Path} ← arrays nested {depth} deep");
                break;
        }
    }

    [GeneratedRegex(@"coordinates(\[\d+\]){2,}")]
    private static partial Regex CoordinateDetail();

    private static void OddMemberName(Mutation m, JsonObject target, string where)
    {
        var (name, label) = m.Random.Next(8) switch
        {
            0 => ("a" + m.Splice("\\u0000"u8.ToArray(), insideString: true) + "b", "a NUL"),
            1 => ("a" + m.Splice([0xFF, 0xFE], insideString: true), "invalid UTF-8"),
            2 => (m.Splice("\\ud800"u8.ToArray(), insideString: true), "a lone surrogate"),
            3 => (new string('k', m.Pick([1_000, 100_000])), "a long name"),
            4 => ("", "an empty name"),
            5 => (m.Pick(["PARCEL_ID", "Parcel_Id", " parcel_id", "parcel_id\u200b", "designated", "HELD_ON", "heldOn", "held_on"]), "a lookalike name"),
            6 => ("__proto__", "__proto__"),
            _ => (m.Splice([0xED, 0xA0, 0x80], insideString: true), "a UTF-8 encoded surrogate"),
        };
        target[name] = OddValue(m, out var value);
        m.Note($"{where} gains a member named {label} ← {value}");
    }

    private static JsonNode? Retype(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => double.TryParse((string)value!, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : new JsonArray(value.DeepClone()),
        JsonValueKind.Number => value!.ToJsonString(),
        JsonValueKind.Object => new JsonArray([.. value!.AsObject().Select(p => p.Value?.DeepClone())]),
        JsonValueKind.Array => new JsonObject(value!.AsArray().Select((e, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), e?.DeepClone()))),
        JsonValueKind.True or JsonValueKind.False => "true",
        _ => new JsonObject(),
    };

    // ---------------------------------------------------------------- odd values

    private static readonly string[] OddNumbers =
        ["0", "-0", "-1", "0.5", "0,5", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity", "2147483647", "2147483648", "-2147483649",
         "9223372036854775808", "1e18", "0x10", "+5", "00012", " 7", "1_000", "１２", "", "null", "true", "1.7976931348623157e308", "4.9e-324", "1e-9"];

    private static readonly string[] OddDates =
        ["0000-01-01", "0001-01-01", "9999-12-31", "2024-02-30", "2025-13-01", "2025-00-10", "2025/6/1", "2025-6-1", "6/1/2025", "45809", "R7.6.1",
         "令和7年6月1日", "2025-06-01T00:00:00Z", "2025-06-01T25:61:00+09:00", "-2025-06-01", "10000-01-01", "2025-06-01 ", "", "1900-02-29",
         "2024-02-29", "2025-W23-1", "0001-01-01T00:00:00+14:00", "9998-12-31T23:59:59-12:00", "2025-06-01T09:00:00", "9999-12-31T23:59:59.9999999Z", "1899-12-31"];

    private static readonly string[] OddTexts =
        ["a\u0000b", "\u0000", "\u0001\u0002", "\u001b[31mred", "\t\r\n", "\u007f", "\u0085", "\u2028\u2029", "\u200b", "\uFEFF", "\u202eevil", "\uFFFE", "\uFFFF",
         "🦉", "e\u0301", "Ｄ－２０１０", "'; drop table designations; --", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "../../../etc/passwd",
         "%00", "%s%n", "${jndi:ldap://x}", " ", "", "  padded  ", "CON", "null", "\\", "\"", "\u3000"];

    /// <summary>Bytes that are not UTF-8 (or that JSON does not allow raw), to put inside a string.</summary>
    private static readonly (byte[] Bytes, string Label)[] InvalidBytes =
    [
        ([0xFF], "byte FF"), ([0xC0, 0x80], "overlong NUL C0 80"), ([0xED, 0xA0, 0x80], "UTF-8 encoded surrogate"), ([0xF4, 0x90, 0x80, 0x80], "beyond U+10FFFF"),
        ([0x80], "lone continuation byte"), ([0xE3, 0x81], "cut-off character"), ([0x00], "raw NUL byte"), ([0x82, 0xA0], "Shift_JIS あ"),
    ];

    /// <summary>Text that goes into JSON through the serializer (so escaped as JSON requires).</summary>
    private static string OddText(Mutation m, out string label)
    {
        var text = m.Random.Next(6) switch
        {
            0 => Huge(m),
            1 => m.Pick(OddNumbers),
            2 => m.Pick(OddDates),
            _ => m.Pick(OddTexts),
        };
        label = Show(text);
        return text;
    }

    private static string Huge(Mutation m)
    {
        var length = m.Pick(m.LongBudget ? [1_000, 100_000, 1_000_000, 5_000_000, 20_000_000] : new[] { 1_000, 10_000, 100_000, 1_000_000 });
        return new string(m.Pick(['a', '緑', ' ', '\u0000']), length);
    }

    /// <summary>Any odd JSON value: odd text, raw bytes inside a string, a number JSON allows but .NET may not, another type.</summary>
    private static JsonNode? OddValue(Mutation m, out string label)
    {
        switch (m.Random.Next(8))
        {
            case 0 or 1 or 2:
                return OddText(m, out label);
            case 3:
                var (bytes, what) = m.Random.Next(3) == 0
                    ? m.Pick(InvalidBytes)
                    : m.Pick(new (byte[], string)[] { ("\\ud800"u8.ToArray(), "\\ud800"), ("\\udfff"u8.ToArray(), "\\udfff"), ("\\ud800\\u0041"u8.ToArray(), "\\ud800 A"), ("\\udc00\\ud800"u8.ToArray(), "\\udc00\\ud800"), ("\\u0000"u8.ToArray(), "\\u0000") });
                label = $"a string holding {what}";
                return "a" + m.Splice(bytes, insideString: true) + "b";
            case 4:
                var token = m.Pick(["1e309", "-1e309", "-0", "-0.0", "1e-400", "123456789012345678901234567890", "0.1e2147483648", "NaN", "Infinity", "01", "1.", "+1", "9007199254740993"]);
                label = $"the number {token}";
                return m.Splice(Encoding.ASCII.GetBytes(token), insideString: false);
            case 5:
                var date = m.Pick(OddDates);
                label = Show(date);
                return date;
            default:
                var other = m.Pick<Func<JsonNode?>>([() => true, () => null, () => new JsonArray(), () => new JsonObject(), () => new JsonArray(1, "a", null), () => 0, () => -1, () => 2147483648L, () => 1.5])();
                label = Show(other);
                return other;
        }
    }

    /// <summary>Changes to the serialized bytes: cut short, a BOM, trailing text, an invalid byte.</summary>
    private static byte[] ByteLevel(Mutation m, byte[] body)
    {
        switch (m.Random.Next(16))
        {
            case 0:
                var cut = m.Random.Next(body.Length);
                m.Note($"cut at byte {cut:N0} of {body.Length:N0}");
                return body[..cut];
            case 1:
                m.Note("a BOM first");
                return [.. "\uFEFF"u8.ToArray(), .. body];
            case 2:
                m.Note("text after the JSON");
                return [.. body, .. m.Pick(["\n{}"u8.ToArray(), " garbage"u8.ToArray(), "\0"u8.ToArray(), ","u8.ToArray()])];
            case 3:
                // Into some string: after a quote that opens a value or a name.
                var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToList();
                if (quotes.Count == 0) return body;
                var at = m.Pick(quotes) + 1;
                var (raw, label) = m.Pick(InvalidBytes);
                m.Note($"{label} into a string at byte {at:N0}");
                return [.. body[..at], .. raw, .. body[at..]];
            case 4:
                m.Note("UTF-16");
                return Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(body));
            default:
                return body;
        }
    }

    /// <summary>A short printable form of a value for a case's description.</summary>
    private static string Show(object? value, int limit = 60)
    {
        // Long texts are cut before they are written as JSON: a 20 MB one would be too large to write.
        if (value is string { Length: > 200 } longText) return $"{Show(longText[..(limit / 2)], limit)}…{Show(longText[^(limit / 4)..], limit)} ({longText.Length:N0} characters)";
        var text = value switch
        {
            null => "null",
            JsonNode node => node.ToJsonString(JsonText),
            string s => JsonSerializer.Serialize(s, JsonText),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        text = SpliceMarker().Replace(text, "‹raw›");
        return text.Length <= limit ? text : $"{text[..(limit / 2)]}…{text[^(limit / 4)..]} ({text.Length:N0} characters)";
    }

    [GeneratedRegex("@@fuzz\\d+@@")]
    private static partial Regex SpliceMarker();

    [GeneratedRegex("(?<open>\"?)@@fuzz(?<n>\\d+)@@(?<close>\"?)")]
    private static partial Regex SpliceWithQuotes();

    /// <summary>
    /// The random choices of one case and what they were. Bytes that no JSON writer would write (a lone surrogate's escape,
    /// invalid UTF-8, a number beyond double) are put in the tree as markers and spliced into the serialized bytes.
    /// </summary>
    private sealed class Mutation(Random random, bool longBudget)
    {
        private readonly List<(byte[] Raw, bool InsideString)> splices = [];

        public Random Random { get; } = random;
        public bool LongBudget { get; } = longBudget;
        public List<string> Notes { get; } = [];

        /// <summary>Copies of a feature or row stop at about this size, so a huge value copied many times stays within memory.</summary>
        public int MaxBodyBytes => LongBudget ? 64 << 20 : 8 << 20;

        public bool Chance(double probability) => Random.NextDouble() < probability;

        public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

        public void Note(string note) => Notes.Add(note);

        /// <summary>A marker that becomes these raw bytes: inside the string it is part of, or (not inside) instead of the whole string value.</summary>
        public string Splice(byte[] raw, bool insideString)
        {
            splices.Add((raw, insideString));
            return $"@@fuzz{splices.Count - 1}@@";
        }

        public byte[] Serialize(JsonNode? node)
        {
            var text = node?.ToJsonString(JsonText) ?? "null";
            using var bytes = new MemoryStream();
            var at = 0;
            foreach (Match marker in SpliceWithQuotes().Matches(text))
            {
                bytes.Write(Encoding.UTF8.GetBytes(text[at..marker.Index]));
                var (raw, inside) = splices[int.Parse(marker.Groups["n"].Value, CultureInfo.InvariantCulture)];
                if (inside) bytes.Write(Encoding.UTF8.GetBytes(marker.Groups["open"].Value));
                bytes.Write(raw);
                if (inside) bytes.Write(Encoding.UTF8.GetBytes(marker.Groups["close"].Value));
                at = marker.Index + marker.Length;
            }
            bytes.Write(Encoding.UTF8.GetBytes(text[at..]));
            return bytes.ToArray();
        }
    }
}
