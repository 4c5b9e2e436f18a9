namespace HabitatRegistry.Http;

/// <summary>Cells of the CSV files the service writes (RFC 4180), safe to open in a spreadsheet.</summary>
internal static class Csv
{
    /// <summary>
    /// A text cell: a leading apostrophe when it begins as a spreadsheet formula would (=, +, -, @, a tab or a carriage
    /// return), so Excel shows it instead of running it; in double quotes when it holds a comma, a quote or a line break.
    /// Numbers the service formats itself are written as they are.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
