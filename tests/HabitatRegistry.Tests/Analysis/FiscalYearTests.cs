using HabitatRegistry.Analysis.Accounting;

namespace HabitatRegistry.Tests.Analysis;

public class FiscalYearTests
{
    [Theory]
    [InlineData("2016-03-31", 2015)]
    [InlineData("2016-04-01", 2016)]
    [InlineData("2017-01-15", 2016)]
    [InlineData("2025-12-31", 2025)]
    public void ADateBelongsToTheFiscalYearThatStartedOnTheFirstOfAprilBeforeIt(string date, int fiscalYear) =>
        Assert.Equal(fiscalYear, FiscalYear.Containing(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).Year);

    [Fact]
    public void AFiscalYearRunsFromTheFirstOfAprilToTheThirtyFirstOfMarchNext()
    {
        var fy = new FiscalYear(2025);
        Assert.Equal(new DateOnly(2025, 4, 1), fy.Start);
        Assert.Equal(new DateOnly(2026, 3, 31), fy.End);
        Assert.Equal("FY2025", fy.ToString());
    }

    [Fact]
    public void ARecordLiftedOnADateIsNoLongerInForceOnThatDate()
    {
        var period = new InForcePeriod(new DateOnly(2011, 11, 10), new DateOnly(2019, 3, 31));
        Assert.True(period.IsInForceOn(new DateOnly(2019, 3, 30)));
        Assert.False(period.IsInForceOn(new DateOnly(2019, 3, 31)));
        Assert.False(period.IsInForceOn(new DateOnly(2011, 11, 9)));
        Assert.True(period.IsInForceOn(new DateOnly(2011, 11, 10)));
    }
}
