using System.Globalization;
using System.Text;
using System.Text.Json;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;

namespace HabitatRegistry.Features.Imports;

/// <summary>
/// Turns a CSV — a header row, then one row per record (RFC 4180: values in double quotes may hold commas,
/// line breaks and doubled quotes; CRLF or LF) — into the same GeoJSON FeatureCollection the other uploads
/// become, so it goes through exactly the same checks. Each column becomes a property (an empty cell, none);
/// lon/lat (or longitude/latitude) columns become a Point. Text is UTF-8, with or without a BOM, or Shift_JIS
/// as Japanese Excel saves it. Rows are named by the row number Excel shows ("line 3"; the header is line 1),
/// which is where a planner will look for them.
/// </summary>
internal static class CsvUpload
{
    private static readonly string[] LonNames = ["lon", "longitude"];
    private static readonly string[] LatNames = ["lat", "latitude"];

    /// <summary>The name problems give a row: its row number in Excel, the header being line 1.</summary>
    public static string Line(int number) => $"line {number}";

    /// <summary>
    /// The FeatureCollection (written to a temporary file as the rows are read, so a large CSV is never held whole) and
    /// where each feature came from, or a sentence saying why the file cannot be read.
    /// </summary>
    public static (GeoJsonStream? Features, FeatureOrigins? Origins, string? Problem) Read(Stream csv, RegisterSchema register)
    {
        if (register.Geometry == RegisterGeometry.Land)
        {
            return (null, null, $"A CSV file can give each row a point (lon, lat) but not a boundary, and {register.Name} are recorded as polygons. "
                + $"Upload them as GeoJSON, or as a zipped shapefile (-F file=@{register.Name}.zip).");
        }
        var encoding = UploadEncoding.Guess(csv);
        using var text = new StreamReader(csv, encoding, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        if (text.Peek() == '\uFEFF') text.Read();
        var records = new CsvRecords(text);
        using var rows = records.Read().GetEnumerator();
        if (!rows.MoveNext() || rows.Current.All(string.IsNullOrWhiteSpace))
        {
            return (null, null, records.UnclosedAt is { } at ? Unclosed(at)
                : "The CSV file has no header row: its first line must name the columns (activity_id, held_on, kind, title …).");
        }
        var header = rows.Current.Select(n => n.Trim()).ToArray();
        var repeated = header.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            return (null, null, $"The header row names the column \"{ClientText.Shown(repeated.Key)}\" more than once; each column needs its own name.");
        }
        var lon = Array.FindIndex(header, n => LonNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        var lat = Array.FindIndex(header, n => LatNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        if ((lon < 0) != (lat < 0))
        {
            return (null, null, lon < 0
                ? $"The header has a \"{header[lat]}\" column but no \"lon\" column: a place needs both longitude and latitude."
                : $"The header has a \"{header[lon]}\" column but no \"lat\" column: a place needs both longitude and latitude.");
        }

        var names = new List<string>();
        var rowProblems = new Dictionary<int, List<string>>();
        var unread = new List<KeyValuePair<string, string>>();
        var collection = TemporaryFile.Create();
        try
        {
            using (var writer = new Utf8JsonWriter(collection, Json.Writer))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "FeatureCollection");
                writer.WriteStartArray("features");
                var line = 1;
                while (rows.MoveNext())
                {
                    var cells = rows.Current;
                    line++;
                    // Blank rows (and rows of empty cells, which Excel leaves behind) are not records.
                    if (cells.All(string.IsNullOrWhiteSpace)) continue;
                    if (cells.Length != header.Length)
                    {
                        unread.Add(new(Line(line), $"Line {line} has {cells.Length} cells but the header (line 1) has {header.Length} columns. "
                            + "A value with a comma in it must be in double quotes, and every row needs a cell for every column (empty is fine)."));
                        continue;
                    }
                    var problems = new List<string>();
                    WriteFeature(writer, header, cells, lon, lat, problems);
                    if (problems.Count > 0) rowProblems[names.Count] = problems;
                    names.Add(Line(line));
                    if (writer.BytesPending > 1 << 16) writer.Flush();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            if (records.UnclosedAt is { } start) return Refused(Unclosed(start));
            if (names.Count + unread.Count == 0) return Refused("The CSV file has a header row but no rows below it; nothing to import.");
            return (new GeoJsonStream(collection), new FeatureOrigins(names, rowProblems, unread), null);
        }
        catch
        {
            collection.Dispose();
            throw;
        }

        (GeoJsonStream?, FeatureOrigins?, string?) Refused(string problem)
        {
            collection.Dispose();
            return (null, null, problem);
        }
    }

    private static string Unclosed(int line) =>
        $"The quoted value that starts on line {line} is never closed, so the rest of the file would be read into it. "
        + "Add the closing double quote (a double quote inside a value is written twice: \"\").";

    private static void WriteFeature(Utf8JsonWriter writer, string[] header, string[] cells, int lon, int lat, List<string> problems)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WritePropertyName("geometry");
        if (lon >= 0 && Point(header, cells, lon, lat, problems) is { } point)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Point");
            writer.WriteStartArray("coordinates");
            writer.WriteNumberValue(point.Lon);
            writer.WriteNumberValue(point.Lat);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else writer.WriteNullValue();
        writer.WriteStartObject("properties");
        for (var c = 0; c < header.Length; c++)
        {
            var value = cells[c].Trim();
            if (c == lon || c == lat || value.Length == 0) continue;
            if (header[c].Length == 0) problems.Add($"column {c + 1} holds \"{ClientText.Shown(value)}\" but has no name in the header row");
            else writer.WriteString(header[c], value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The row's point: none when both cells are empty; a problem when only one is, or one is not a number.</summary>
    private static (double Lon, double Lat)? Point(string[] header, string[] cells, int lon, int lat, List<string> problems)
    {
        var (x, y) = (cells[lon].Trim(), cells[lat].Trim());
        if (x.Length == 0 && y.Length == 0) return null;
        if (x.Length == 0 || y.Length == 0)
        {
            var (empty, given, value) = x.Length == 0 ? (header[lon], header[lat], y) : (header[lat], header[lon], x);
            problems.Add($"\"{empty}\" is empty but \"{given}\" is {value}; give both for a point, or leave both empty");
            return null;
        }
        var lonOk = TryNumber(x, out var lonValue);
        var latOk = TryNumber(y, out var latValue);
        if (!lonOk) problems.Add($"\"{header[lon]}\" is \"{x}\", which is not a number (degrees with a decimal point, e.g. 139.469)");
        if (!latOk) problems.Add($"\"{header[lat]}\" is \"{y}\", which is not a number (degrees with a decimal point, e.g. 35.799)");
        return lonOk && latOk ? (lonValue, latValue) : null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>
    /// The records of an RFC 4180 text, read as they come. Lenient where Excel and hand-edited files are: a lone CR ends a
    /// line too, and a quote that does not open a value is kept as it is. The only error is a quote that never closes:
    /// <see cref="UnclosedAt"/> then says on which record it opened, and no record after it is read.
    /// </summary>
    private sealed class CsvRecords(TextReader text)
    {
        public int? UnclosedAt { get; private set; }

        public IEnumerable<string[]> Read()
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            var atCellStart = true;
            var pending = false; // something has been read since the last record ended
            var record = 1;
            int c;
            while ((c = text.Read()) >= 0)
            {
                if (quoted)
                {
                    if (c != '"') cell.Append((char)c);
                    else if (text.Peek() == '"') cell.Append((char)text.Read());
                    else quoted = false;
                    continue;
                }
                switch (c)
                {
                    case '"' when atCellStart:
                        quoted = true;
                        atCellStart = false;
                        pending = true;
                        break;
                    case ',':
                        cells.Add(cell.ToString());
                        cell.Clear();
                        atCellStart = true;
                        pending = true;
                        break;
                    case '\r' or '\n':
                        if (c == '\r' && text.Peek() == '\n') text.Read();
                        cells.Add(cell.ToString());
                        yield return [.. cells];
                        record++;
                        cells.Clear();
                        cell.Clear();
                        atCellStart = true;
                        pending = false;
                        break;
                    default:
                        cell.Append((char)c);
                        atCellStart = false;
                        pending = true;
                        break;
                }
            }
            if (quoted)
            {
                UnclosedAt = record;
                yield break;
            }
            if (pending)
            {
                cells.Add(cell.ToString());
                yield return [.. cells];
            }
        }
    }
}
