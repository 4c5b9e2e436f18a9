using System.Globalization;
using HabitatRegistry.Analysis.Network;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>The toy examples A–C of shared/data/connectivity/README.md, each to the precision it is printed with.</summary>
public class ConnectivityIndicesTests
{
    private static readonly DispersalKernel Median1Km = new(1000, 0.5);

    /// <summary>actual equals the printed figure to half a unit of its last printed digit.</summary>
    internal static void AssertPrinted(string printed, double actual)
    {
        var expected = double.Parse(printed, CultureInfo.InvariantCulture);
        var dot = printed.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : printed.Length - dot - 1;
        var tolerance = 0.5 * Math.Pow(10, -decimals) * (1 + 1e-9);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"expected {printed}, got {actual.ToString("R", CultureInfo.InvariantCulture)}");
    }

    private static HabitatGraph Graph(double[] areas, params (int From, int To, double Distance)[] links) =>
        new(areas, links.Select(l => new HabitatLink(l.From - 1, l.To - 1, l.Distance)));

    // A: three 10 ha patches in a row.
    private static readonly double[] AreasA = [10, 10, 10];
    private static readonly (int, int, double)[] DistancesA = [(1, 2, 1000), (2, 3, 1000), (1, 3, 2500)];

    // B: five patches, all pairs.
    private static readonly double[] AreasB = [100, 50, 5, 80, 20];
    private static readonly (int, int, double)[] DistancesB =
    [
        (1, 2, 400), (1, 3, 900), (1, 4, 1800), (1, 5, 3000), (2, 3, 700),
        (2, 4, 1600), (2, 5, 2600), (3, 4, 800), (3, 5, 2200), (4, 5, 1200),
    ];

    private static HabitatGraph Binary(double[] areas, (int, int, double)[] distances, double threshold) =>
        HabitatGraph.WithinThreshold(areas, distances.Select(d => new HabitatLink(d.Item1 - 1, d.Item2 - 1, d.Item3)), threshold);

    [Fact]
    public void ThreePatchesInARowGiveTheReadmesProbabilityIndices()
    {
        var result = ConnectivityIndices.Compute(Graph(AreasA, DistancesA), Median1Km, 100);

        AssertPrinted("550", result.PcNum);
        AssertPrinted("23.45208", result.EcPc);
        AssertPrinted("0.055", result.Pc);
        foreach (var end in new[] { 0, 2 })
        {
            AssertPrinted("45.454545", result.Patches[end].DPc);
            AssertPrinted("18.181818", result.Patches[end].DPcIntra);
            AssertPrinted("27.272727", result.Patches[end].DPcFlux);
            Assert.Equal(0, result.Patches[end].DPcConnector);
        }
        var middle = result.Patches[1];
        AssertPrinted("57.208120", middle.DPc);
        AssertPrinted("18.181818", middle.DPcIntra);
        AssertPrinted("36.363636", middle.DPcFlux);
        AssertPrinted("2.662666", middle.DPcConnector);
    }

    [Fact]
    public void ThreePatchesInARowGiveTheReadmesBinaryIndices()
    {
        var result = ConnectivityIndices.Compute(Binary(AreasA, DistancesA, 1000), Median1Km, 100);

        Assert.Equal(2, result.Links);
        Assert.Equal(1, result.Components);
        AssertPrinted("566.6667", result.IicNum);
        AssertPrinted("0.0566667", result.Iic);
        Assert.Equal(2.5, result.Harary, 12);
        Assert.Equal(1, result.Ccp, 12);
        AssertPrinted("0.09", result.Lcp);
        AssertPrinted("64.7059", result.Patches[1].DIic);
        AssertPrinted("17.6471", result.Patches[1].DIicIntra);
        AssertPrinted("35.2941", result.Patches[1].DIicFlux);
        AssertPrinted("11.7647", result.Patches[1].DIicConnector);
        AssertPrinted("47.0588", result.Patches[0].DIic);
        AssertPrinted("47.0588", result.Patches[2].DIic);
    }

    [Theory]
    [InlineData(1, "61.604205", "26.131231", "35.472974", "0")]
    [InlineData(2, "35.393898", "6.532808", "28.861090", "0")]
    [InlineData(3, "5.051780", "0.065328", "3.535953", "1.450498")]
    [InlineData(4, "41.934679", "16.723988", "25.100001", "0.110690")]
    [InlineData(5, "7.078022", "1.045249", "6.032773", "0")]
    public void FivePatchesGiveTheReadmesDpcSplit(int patch, string dPc, string intra, string flux, string connector)
    {
        var result = ConnectivityIndices.Compute(Graph(AreasB, DistancesB), Median1Km, 2500);

        AssertPrinted("38268.3844", result.PcNum);
        AssertPrinted("195.62307", result.EcPc);
        AssertPrinted("0.0061229415", result.Pc);
        var p = result.Patches[patch - 1];
        AssertPrinted(dPc, p.DPc);
        AssertPrinted(intra, p.DPcIntra);
        AssertPrinted(flux, p.DPcFlux);
        AssertPrinted(connector, p.DPcConnector);
    }

    [Fact]
    public void FivePatchesGiveTheReadmesBinaryIndices()
    {
        var result = ConnectivityIndices.Compute(Binary(AreasB, DistancesB, 1000), Median1Km, 2500);

        Assert.Equal(4, result.Links);
        Assert.Equal(2, result.Components);
        AssertPrinted("33475", result.IicNum);
        AssertPrinted("0.005356", result.Iic);
        Assert.Equal(5, result.Harary, 12);
        AssertPrinted("0.8554402", result.Ccp);
        AssertPrinted("0.0089", result.Lcp);
        var third = result.Patches[2];
        AssertPrinted("27.4085", third.DIic);
        AssertPrinted("0.0747", third.DIicIntra);
        AssertPrinted("3.4354", third.DIicFlux);
        AssertPrinted("23.8984", third.DIicConnector);
    }

    [Fact]
    public void AddingAPatchGainsWhatItsOwnDpcSays()
    {
        (int, int, double)[] sixth = [(4, 6, 500), (5, 6, 500), (3, 6, 1300), (2, 6, 2100), (1, 6, 2300)];
        var before = ConnectivityIndices.Compute(Graph(AreasB, DistancesB), Median1Km, 2500);
        var after = ConnectivityIndices.Compute(Graph([.. AreasB, 10], [.. DistancesB, .. sixth]), Median1Km, 2500);

        AssertPrinted("38268.3844", before.PcNum);
        AssertPrinted("40826.4018", after.PcNum);
        AssertPrinted("195.6231", before.EcPc);
        AssertPrinted("202.0554", after.EcPc);
        AssertPrinted("6.265596", 100 * (after.PcNum - before.PcNum) / after.PcNum);
        AssertPrinted("6.684414", 100 * (after.PcNum - before.PcNum) / before.PcNum);
        // Conefor's gain is the new patch's own dPC in the network that has it.
        AssertPrinted("6.265596", after.Patches[5].DPc);
    }

    [Fact]
    public void LinksUpToTheThresholdAreKeptAndLongerOnesDropped()
    {
        HabitatLink[] distances = [new(0, 1, 999.999), new(1, 2, 1000), new(0, 2, 1000.001)];

        var graph = HabitatGraph.WithinThreshold([1, 1, 1], distances, 1000);

        Assert.Equal([new HabitatLink(0, 1, 999.999), new HabitatLink(1, 2, 1000)], graph.Links);
    }

    [Fact]
    public void IsolatedPatchesEachFormAComponentAndOnlyCountThemselves()
    {
        var result = ConnectivityIndices.Compute(new HabitatGraph([3, 4], []), Median1Km, 10);

        Assert.Equal(2, result.Components);
        Assert.Equal(25, result.PcNum, 12);
        Assert.Equal(0, result.Harary);
        Assert.Equal(100 * 9 / 25.0, result.Patches[0].DPc, 12);
        Assert.Equal([0, 1], result.Patches.Select(p => p.Component));
    }

    [Theory]
    [InlineData(0, 0.5, "d0")]
    [InlineData(-100, 0.5, "d0")]
    [InlineData(double.NaN, 0.5, "d0")]
    [InlineData(1000, 0, "p0")]
    [InlineData(1000, 1, "p0")]
    [InlineData(1000, 1.5, "p0")]
    public void AKernelNeedsAPositiveDistanceAndAProbabilityStrictlyBetweenZeroAndOne(double d0, double p0, string named)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new DispersalKernel(d0, p0));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKernelGivesP0AtD0()
    {
        var kernel = new DispersalKernel(1000, 0.05);

        Assert.Equal(-Math.Log(0.05) / 1000, kernel.Decay, 15);
        Assert.Equal(0.05, kernel.ProbabilityAt(1000), 15);
        Assert.Equal(1, kernel.ProbabilityAt(0));
    }

    [Theory]
    [InlineData(0, 0, 10, "to itself")]
    [InlineData(0, 3, 10, "numbered 0 to 2")]
    [InlineData(0, 1, -1, "0 or more")]
    [InlineData(1, 0, 5, "linked twice")]
    public void AGraphRejectsLinksItCannotUse(int from, int to, double distance, string message)
    {
        HabitatLink[] links = [new(0, 1, 10), new(from, to, distance)];

        var error = Assert.ThrowsAny<ArgumentException>(() => new HabitatGraph([1, 1, 1], links));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALandscapeWithoutHabitatOrAreaIsRefused()
    {
        Assert.ThrowsAny<ArgumentException>(() => ConnectivityIndices.Compute(new HabitatGraph([0, 0], []), Median1Km, 10));
        Assert.ThrowsAny<ArgumentException>(() => ConnectivityIndices.Compute(new HabitatGraph([1], []), Median1Km, 0));
        Assert.ThrowsAny<ArgumentException>(() => new HabitatGraph([-1], []));
    }
}
