using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>The FeatureCollection and where each feature came from, or a sentence saying why the file cannot be read.</summary>
    public static (JsonDocument? Document, FeatureOrigins? Origins, string? Problem) Read(ReadOnlySpan<byte> bytes, RegisterSchema register)
    {
        if (register.Geometry == RegisterGeometry.Parcels)
        {
            return (null, null, $"A CSV file can give each row a point (lon, lat) but not a boundary, and {register.Name} are recorded as polygons. "
                + "Upload them as GeoJSON, or as a zipped shapefile (-F file=@parcels.zip).");
        }
        var text = UploadEncoding.Guess(bytes).GetString(bytes).TrimStart('\uFEFF');
        var (records, unclosedAt) = Records(text);
        if (unclosedAt is { } start)
        {
            return (null, null, $"The quoted value that starts on line {start} is never closed, so the rest of the file would be read into it. "
                + "Add the closing double quote (a double quote inside a value is written twice: \"\").");
        }
        if (records.Count == 0 || records[0].All(string.IsNullOrWhiteSpace))
        {
            return (null, null, "The CSV file has no header row: its first line must name the columns (activity_id, held_on, kind, title …).");
        }

        var header = records[0].Select(n => n.Trim()).ToArray();
        var repeated = header.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            return (null, null, $"The header row names the column \"{repeated.Key}\" more than once; each column needs its own name.");
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
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Json.Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            for (var r = 1; r < records.Count; r++)
            {
                var cells = records[r];
                var line = r + 1;
                // Blank rows (and rows of empty cells, which Excel leaves behind) are not records.
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                if (cells.Length != header.Length)
                {
                    unread.Add(new(Line(line), $"Line {line} has {cells.Length} cells but the header (line 1) has {header.Length} columns. "
                        + "A value with a comma in it must be in double quotes, and every row needs a cell for every column (empty is fine)."));
                    continue;
                }
                var problems = new List<string>();
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
                    if (header[c].Length == 0) problems.Add($"column {c + 1} holds \"{value}\" but has no name in the header row");
                    else writer.WriteString(header[c], value);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
                if (problems.Count > 0) rowProblems[names.Count] = problems;
                names.Add(Line(line));
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        if (names.Count + unread.Count == 0)
        {
            return (null, null, "The CSV file has a header row but no rows below it; nothing to import.");
        }
        return (JsonDocument.Parse(buffer.ToArray()), new FeatureOrigins(names, rowProblems, unread), null);
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
    /// The records of an RFC 4180 text. Lenient where Excel and hand-edited files are: a lone CR ends a line too,
    /// and a quote that does not open a value is kept as it is. The only error is a quote that never closes.
    /// </summary>
    private static (List<string[]> Records, int? UnclosedAt) Records(string text)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var atCellStart = true;
        var pending = false; // something has been read since the last record ended
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') cell.Append(text[++i]);
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
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    cells.Add(cell.ToString());
                    records.Add([.. cells]);
                    cells.Clear();
                    cell.Clear();
                    atCellStart = true;
                    pending = false;
                    break;
                default:
                    cell.Append(c);
                    atCellStart = false;
                    pending = true;
                    break;
            }
        }
        if (quoted)
        {
            // The record the open quote is in is the next one to be added.
            return (records, records.Count + 1);
        }
        if (pending)
        {
            cells.Add(cell.ToString());
            records.Add([.. cells]);
        }
        return (records, null);
    }
}
