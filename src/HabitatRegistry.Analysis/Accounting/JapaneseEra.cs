namespace HabitatRegistry.Analysis.Accounting;

/// <summary>
/// Fiscal years in the Japanese era calendar, as city documents write them (令和7年度). A small table
/// rather than ICU's JapaneseCalendar: ICU data differs between platforms, and fiscal years follow
/// government usage, not the accession date (FY2019 is 令和元年度 although Reiwa began on 1 May 2019).
/// </summary>
public static class JapaneseEra
{
    // (era, the fiscal year that is its first named year, the Gregorian year of its year 1)
    private static readonly (string Name, int FirstFiscalYear, int YearOne)[] Eras =
    [
        ("令和", 2019, 2019),
        ("平成", 1989, 1989),
        ("昭和", 1927, 1926), // FY1926 began under Taishō; Shōwa began on 25 December 1926
    ];

    /// <summary>"令和7年度" for FY2025, "令和元年度" for FY2019; "1920年度" before the Shōwa era.</summary>
    public static string FiscalYearLabel(int fiscalYear)
    {
        foreach (var (name, first, yearOne) in Eras)
        {
            if (fiscalYear < first) continue;
            var year = fiscalYear - yearOne + 1;
            return $"{name}{(year == 1 ? "元" : year.ToString(System.Globalization.CultureInfo.InvariantCulture))}年度";
        }
        return $"{fiscalYear}年度";
    }
}
