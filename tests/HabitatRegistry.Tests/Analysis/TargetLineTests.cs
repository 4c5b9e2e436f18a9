using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Targets;

namespace HabitatRegistry.Tests.Analysis;

public class TargetLineTests
{
    // Tokorozawa 1-1-1: 70 ha in FY2020, +5 ha a year, 120 ha by FY2030.
    private static readonly TargetLine Designated = new(2020, 70, 5, 2030, 120);

    [Theory]
    [InlineData(2020, 70)]
    [InlineData(2025, 95)]
    [InlineData(2030, 120)]
    [InlineData(2033, 120)] // capped at the target
    public void ThePlanLineRisesByTheAnnualRateAndStopsAtTheTarget(int fiscalYear, double planned) =>
        Assert.Equal(planned, Designated.PlannedAt(fiscalYear), 9);

    [Fact]
    public void AFallingPlanLineStopsAtTheTargetToo()
    {
        var line = new TargetLine(2020, 50, -4, 2030, 30);
        Assert.Equal(42, line.PlannedAt(2022), 9);
        Assert.Equal(30, line.PlannedAt(2028), 9);
        Assert.Equal(TargetStatus.Ahead, line.StatusOf(35, 42));
        Assert.True(line.IsMetBy(29));
        Assert.False(line.IsMetBy(31));
    }

    [Theory]
    [InlineData(105.0, TargetStatus.OnTrack)]
    [InlineData(105.1, TargetStatus.Ahead)]
    [InlineData(95.0, TargetStatus.OnTrack)]
    [InlineData(94.9, TargetStatus.Behind)]
    [InlineData(100.0, TargetStatus.OnTrack)]
    public void WithinFivePercentOfThePlanLineIsOnTrack(double actual, TargetStatus status) =>
        Assert.Equal(status, Designated.StatusOf(actual, 100));

    [Fact]
    public void AgainstAPlanLineAtZeroAnyProgressIsAhead()
    {
        var line = new TargetLine(2020, 0, 1, 2030, 10);
        Assert.Equal(TargetStatus.OnTrack, line.StatusOf(0, 0));
        Assert.Equal(TargetStatus.Ahead, line.StatusOf(1, 0));
    }

    [Fact]
    public void TheForecastCarriesOnTheAverageChangeOfTheLastThreeYears()
    {
        var actual = new Dictionary<int, double> { [2020] = 70, [2021] = 72, [2022] = 73, [2023] = 76, [2024] = 79 };
        // FY2021 → FY2024: (79 − 72) / 3 ha a year, six more years to FY2030.
        Assert.Equal(79 + (79 - 72) / 3.0 * 6, Designated.ForecastAtTargetYear(2024, y => actual[y]), 9);
        // One year after the baseline, only that year's change is known.
        Assert.Equal(72 + 2 * 9, Designated.ForecastAtTargetYear(2021, y => actual[y]), 9);
    }

    [Fact]
    public void InTheBaselineYearTheForecastFollowsThePlannedRateAndAfterTheTargetYearItIsTheActual()
    {
        Assert.Equal(73 + 5 * 10, Designated.ForecastAtTargetYear(2020, _ => 73), 9);
        Assert.Equal(118, Designated.ForecastAtTargetYear(2031, _ => 118), 9);
        Assert.False(Designated.IsMetBy(118));
        Assert.True(Designated.IsMetBy(120));
    }

    [Theory]
    [InlineData(2025, "令和7年度")]
    [InlineData(2019, "令和元年度")]
    [InlineData(2018, "平成30年度")]
    [InlineData(1989, "平成元年度")]
    [InlineData(1988, "昭和63年度")]
    [InlineData(1927, "昭和2年度")]
    public void FiscalYearsAreNamedInTheJapaneseEraCalendar(int fiscalYear, string label) =>
        Assert.Equal(label, JapaneseEra.FiscalYearLabel(fiscalYear));
}
