using System.Globalization;
using System.Text;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>Reads the values of literals: strings, numbers, dates and timestamps, the same for CQL2 text and JSON.</summary>
internal static class Cql2Literals
{
    private static readonly Dictionary<char, char> Escapes = new()
    {
        ['\''] = '\'', ['\\'] = '\\', ['a'] = '\a', ['b'] = '\b', ['t'] = '\t', ['n'] = '\n', ['v'] = '\v', ['f'] = '\f', ['r'] = '\r',
    };

    /// <summary>
    /// The text of a 'quoted' CQL2 literal (quotes included). '' and \' are a quote, \\ a backslash, and \a \b \t \n \v \f
    /// \r the control characters of /req/cql2-text/escaping. A backslash before anything else is kept, so a LIKE
    /// pattern's escapes (\% \_) reach the pattern as written: 'a\%' and 'a\\%' are both the pattern a\%. QGIS doubles
    /// every backslash it sends, which this reading undoes, so its text compares equal to what the planner typed.
    /// </summary>
    public static string Unquote(string quoted)
    {
        var text = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c == '\'') i++; // the second quote of ''
            else if (c == '\\')
            {
                var next = quoted[++i];
                if (Escapes.TryGetValue(next, out var escaped)) c = escaped;
                else
                {
                    text.Append('\\');
                    c = next;
                }
            }
            text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>A "quoted" property name without its quotes, "" read as one quote.</summary>
    public static string UnquoteName(string quoted) => quoted[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);

    /// <summary>
    /// A number as <see cref="decimal"/>, so PostgreSQL compares it exactly with numeric columns; as <see cref="double"/>
    /// when decimal cannot hold it (beyond ±7.9e28, or so small that decimal would make it zero). Null when it is not
    /// a finite number.
    /// </summary>
    public static object? Number(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) || !double.IsFinite(approximate)) return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && (exact != 0 || approximate == 0)) return exact;
        return approximate;
    }

    /// <summary>A full date YYYY-MM-DD that exists in the calendar.</summary>
    public static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>An RFC 3339 date-time (Z or an offset; up to 7 decimals of a second), as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime? Timestamp(string text)
    {
        var upper = text.ToUpperInvariant(); // RFC 3339 allows t and z
        if (!upper.EndsWith('Z') && !HasOffset(upper)) return null;
        return DateTimeOffset.TryParseExact(upper, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var moment)
            ? moment.UtcDateTime
            : null;
    }

    private static bool HasOffset(string text) => text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':';

    public const string DateHelp = "DATE('YYYY-MM-DD'), e.g. DATE('2021-04-01')";

    public const string TimestampHelp = "TIMESTAMP('YYYY-MM-DDThh:mm:ssZ'), e.g. TIMESTAMP('2024-01-01T00:00:00Z')";
}
