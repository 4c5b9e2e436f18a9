using System.Globalization;

namespace HabitatRegistry.Analysis.Network;

/// <summary>A patch as network files give it: its id and attribute.</summary>
public readonly record struct NodeRecord(long Id, double Attribute);

/// <summary>A distance between two patches (by id) as network files give it, in metres.</summary>
public readonly record struct DistanceRecord(long From, long To, double Distance);

/// <summary>
/// Conefor-style network files, so results can be compared with Conefor and Graphab runs: a node file of lines
/// "id attribute" and a distance file of lines "id1 id2 distance" (whitespace- or tab-separated, no header). Graphab's
/// CSV exports are read too: a header line with the columns Id and Capacity (patches) or ID1, ID2 and Dist (links).
/// </summary>
public static class NetworkFiles
{
    private static readonly char[] Blanks = [' ', '\t'];

    /// <exception cref="InvalidDataException">A line cannot be read; the message names the file and line.</exception>
    public static IReadOnlyList<NodeRecord> ReadNodes(string path) =>
        Read(path, ["id", "capacity"], (f, at) => new NodeRecord(Id(f[0], at), Number(f[1], "attribute", at)));

    /// <exception cref="InvalidDataException">A line cannot be read; the message names the file and line.</exception>
    public static IReadOnlyList<DistanceRecord> ReadDistances(string path) =>
        Read(path, ["id1", "id2", "dist"], (f, at) => new DistanceRecord(Id(f[0], at), Id(f[1], at), Number(f[2], "distance", at)));

    /// <summary>Writes "id attribute" lines (tab-separated, invariant culture, round-trip precision).</summary>
    public static void WriteNodes(string path, IEnumerable<NodeRecord> nodes)
    {
        using var writer = new StreamWriter(path);
        foreach (var (id, attribute) in nodes) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}\t{attribute:R}"));
    }

    /// <summary>Writes "id1 id2 distance" lines (tab-separated, invariant culture, round-trip precision).</summary>
    public static void WriteDistances(string path, IEnumerable<DistanceRecord> distances)
    {
        using var writer = new StreamWriter(path);
        foreach (var (from, to, distance) in distances) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{from}\t{to}\t{distance:R}"));
    }

    /// <summary>
    /// The graph of the pairs at most <paramref name="threshold"/> metres apart (Graphab's rule, d ≤ threshold), with
    /// node i standing for <c>nodes[i]</c>. A pair listed twice (e.g. both ways) must have the same distance.
    /// </summary>
    /// <exception cref="InvalidDataException">Duplicate node ids, distances to unknown ids, a patch's distance to itself, or one pair with two distances.</exception>
    /// <exception cref="ArgumentException">The threshold is not a distance, or a distance or attribute is invalid.</exception>
    public static HabitatGraph BuildGraph(IReadOnlyList<NodeRecord> nodes, IEnumerable<DistanceRecord> distances, double threshold)
    {
        var index = new Dictionary<long, int>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!index.TryAdd(nodes[i].Id, i)) throw new InvalidDataException(Text($"The node file lists patch {nodes[i].Id} twice."));
        }
        var pairs = new Dictionary<(int, int), double>();
        var links = new List<HabitatLink>();
        foreach (var (from, to, distance) in distances)
        {
            if (!index.TryGetValue(from, out var i) || !index.TryGetValue(to, out var j))
            {
                throw new InvalidDataException(Text($"The distance file names patch {(index.ContainsKey(from) ? to : from)}, which the node file does not list."));
            }
            if (i == j) throw new InvalidDataException(Text($"The distance file gives patch {from} a distance to itself."));
            var key = (Math.Min(i, j), Math.Max(i, j));
            if (pairs.TryGetValue(key, out var earlier))
            {
                if (earlier != distance) throw new InvalidDataException(Text($"The distance file gives patches {from} and {to} two distances: {earlier} and {distance} m."));
                continue;
            }
            pairs[key] = distance;
            links.Add(new HabitatLink(i, j, distance));
        }
        return HabitatGraph.WithinThreshold(nodes.Select(n => n.Attribute).ToArray(), links, threshold);
    }

    private static List<T> Read<T>(string path, string[] columns, Func<string[], string, T> parse)
    {
        var records = new List<T>();
        int[]? positions = null; // columns of a CSV with a header; null for Conefor's plain lines
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var at = Text($"{path}, line {lineNumber}");
            // A header is a first line that does not start with a patch id ("1e-3" in a value is no header).
            if (records.Count == 0 && positions is null && !long.TryParse(Fields(line, csv: line.Contains(',', StringComparison.Ordinal))[0], CultureInfo.InvariantCulture, out _))
            {
                var header = Fields(line, csv: true).Select(h => h.ToLowerInvariant()).ToList();
                positions = columns.Select(c => header.IndexOf(c)).ToArray();
                if (positions.Any(p => p < 0))
                {
                    throw new InvalidDataException(Text($"{at}: a header needs the columns {string.Join(", ", columns)} (Graphab's names); it has {string.Join(", ", header)}."));
                }
                continue;
            }
            var fields = Fields(line, csv: positions is not null);
            if (positions is not null)
            {
                if (fields.Length <= positions.Max()) throw new InvalidDataException(Text($"{at}: expected {positions.Max() + 1} comma-separated values, found {fields.Length}."));
                fields = positions.Select(p => fields[p]).ToArray();
            }
            else if (fields.Length != columns.Length)
            {
                var shape = columns.Length == 2 ? "\"id attribute\"" : "\"id1 id2 distance\"";
                throw new InvalidDataException(Text($"{at}: expected {shape} ({columns.Length} values), found {fields.Length} value(s)."));
            }
            records.Add(parse(fields, at));
        }
        return records;
    }

    private static string[] Fields(string line, bool csv) => csv
        ? line.Split(',').Select(f => f.Trim().Trim('"')).ToArray()
        : line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long Id(string text, string at) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidDataException(Text($"{at}: the patch id \"{text}\" is not a whole number."));

    private static double Number(string text, string what, string at)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InvalidDataException(Text($"{at}: the {what} \"{text}\" is not a number."));
        }
        if (value < 0) throw new InvalidDataException(Text($"{at}: the {what} {text} is negative."));
        return value;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
