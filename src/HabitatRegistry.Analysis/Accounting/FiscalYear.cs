namespace HabitatRegistry.Analysis.Accounting;

/// <summary>
/// A Japanese fiscal year: FY N runs from 1 April N to 31 March N+1.
/// </summary>
public readonly record struct FiscalYear(int Year)
{
    /// <summary>First day of the fiscal year (1 April).</summary>
    public DateOnly Start => new(Year, 4, 1);

    /// <summary>Last day of the fiscal year (31 March of the next calendar year): the date a record must be in force on to count in this year.</summary>
    public DateOnly End => new(Year + 1, 3, 31);

    /// <summary>The fiscal year a date falls in.</summary>
    public static FiscalYear Containing(DateOnly date) => new(date.Month >= 4 ? date.Year : date.Year - 1);

    /// <summary>The first and last fiscal years the registry takes: one range for every year and date a client sends.</summary>
    public const int Earliest = 1900, Latest = 2200;

    /// <summary>The range in words, for messages.</summary>
    public const string PlausibleRange = "fiscal years 1900–2200 (1 April 1900 – 31 March 2201)";

    /// <summary>Whether a number reads as a fiscal year (1900–2200), not a typing slip or a Japanese era year.</summary>
    public static bool IsPlausible(int year) => year is >= Earliest and <= Latest;

    /// <summary>Whether a date falls in a plausible fiscal year (1 April 1900 – 31 March 2201), not a typing slip such as 0001-01-01.</summary>
    public static bool IsPlausible(DateOnly date) => IsPlausible(Containing(date).Year);

    /// <summary>Japan Standard Time's offset from UTC (no daylight saving).</summary>
    public static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    /// <summary>Today's date in Japan, wherever the server runs.</summary>
    public static DateOnly TodayInJapan() => DateOnly.FromDateTime(DateTime.UtcNow + JapanOffset);

    public override string ToString() => $"FY{Year}";
}
