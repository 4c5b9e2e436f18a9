using System.Globalization;
using HabitatRegistry.Analysis.Accounting;

namespace HabitatRegistry.Http;

/// <summary>Moments in query parameters: a date means a day in Japan; a date-time must say its offset (RFC 3339).</summary>
internal static class Moments
{
    /// <summary>
    /// A date (the start of that day in Japan; with <paramref name="endOfDay"/>, the start of the next) or an RFC 3339
    /// date-time, in UTC as PostgreSQL takes it; null when it is neither, or outside the plausible fiscal years.
    /// </summary>
    public static DateTimeOffset? Parse(string? text, bool endOfDay)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (!FiscalYear.IsPlausible(date)) return null;
            if (endOfDay) date = date.AddDays(1);
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), FiscalYear.JapanOffset).ToUniversalTime();
        }
        // RFC 3339 allows t and z; an unencoded "+09:00" in a query string arrives as " 09:00".
        text = text.ToUpperInvariant();
        if (text.Contains('T', StringComparison.Ordinal)) text = text.Replace(" ", "+", StringComparison.Ordinal);
        return text.Contains('T', StringComparison.Ordinal) && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment) && FiscalYear.IsPlausible(DateOnly.FromDateTime(moment.UtcDateTime))
            ? moment.ToUniversalTime() : null;
    }

    /// <summary>The registry as recorded at a moment: at the end of a date's day, or at a date-time.</summary>
    public static DateTimeOffset? RecordedAt(string text) => Parse(text, endOfDay: true) is { } moment
        ? text.Contains('T', StringComparison.OrdinalIgnoreCase) ? moment : moment.AddTicks(-10) // the last microsecond of the day
        : null;

    public const string RecordedAtHelp = "a date (YYYY-MM-DD: the registry as it stood at the end of that day in Japan) or a date-time with its offset (e.g. 2026-04-01T09:00:00+09:00)";
}
