using HabitatRegistry.Analysis.Network;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>The fast per-patch d-values against their definition: remove the patch and recompute everything.</summary>
public class ConnectivityRemovalTests
{
    private static readonly DispersalKernel Kernel = new(300, 0.5);

    /// <summary>
    /// A random landscape: three clusters (so several components) of 300 m discs, edge-to-edge distances; with ties they
    /// are rounded to 50 m (touching discs give 0 anyway), without ties centre distances are used, which never tie.
    /// </summary>
    private static HabitatGraph RandomGraph(int seed, int n, bool ties)
    {
        var random = new Random(seed);
        var areas = Enumerable.Range(0, n).Select(_ => Math.Round(0.1 + 20 * random.NextDouble() * random.NextDouble(), 3)).ToArray();
        var points = Enumerable.Range(0, n).Select(i => (X: (i % 3) * 3000 + 900 * random.NextDouble(), Y: 900 * random.NextDouble())).ToArray();
        var links = new List<HabitatLink>();
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = Math.Sqrt(Math.Pow(points[i].X - points[j].X, 2) + Math.Pow(points[i].Y - points[j].Y, 2));
                if (ties) d = Math.Round(Math.Max(0, d - 300) / 50) * 50;
                links.Add(new HabitatLink(i, j, d));
            }
        }
        return HabitatGraph.WithinThreshold(areas, links, 400);
    }

    /// <summary>All-pairs shortest distances (or link counts) by Floyd–Warshall, without the patch <paramref name="removed"/>.</summary>
    private static double[,] AllPairs(HabitatGraph graph, bool hops, int removed = -1)
    {
        var n = graph.NodeCount;
        var d = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) d[i, j] = i == j ? 0 : double.PositiveInfinity;
        foreach (var (from, to, distance) in graph.Links)
        {
            if (from == removed || to == removed) continue;
            d[from, to] = d[to, from] = hops ? 1 : distance;
        }
        for (var m = 0; m < n; m++)
        {
            if (m == removed) continue;
            for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) if (d[i, m] + d[m, j] < d[i, j]) d[i, j] = d[i, m] + d[m, j];
        }
        return d;
    }

    private static double Sum(HabitatGraph graph, double[,] d, Func<double, double> value, int removed = -1)
    {
        double sum = 0;
        for (var i = 0; i < graph.NodeCount; i++)
        {
            for (var j = 0; j < graph.NodeCount; j++)
            {
                if (i != removed && j != removed && d[i, j] < double.PositiveInfinity) sum += graph.Attributes[i] * graph.Attributes[j] * value(d[i, j]);
            }
        }
        return sum;
    }

    public static TheoryData<int, int, bool> Landscapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var seed in new[] { 1, 2, 3, 4, 5, 6 })
        {
            data.Add(seed, 12 + 5 * seed, false);
            data.Add(seed, 12 + 5 * seed, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Landscapes))]
    public void EveryPatchsDpcAndDiicEqualRemovingItAndRecomputing(int seed, int n, bool ties)
    {
        var graph = RandomGraph(seed, n, ties);

        var result = AssertEqualToRemovingEachPatch(graph);

        Assert.True(result.Components > 1, "the landscape should have several components");
        Assert.Contains(result.Patches, p => p.DPcConnector > 1e-3); // stepping stones exist
    }

    /// <summary>
    /// A strip of patches two wide and 70 long, each linked to the next in its row and across, and diagonally along the
    /// first half: the patches along the first row are reached by one shortest path only, so removals there are
    /// dominators up to 69 deep (past the 63 that the one-link shortcut tracks), with detours of one link along the first
    /// half and two along the second; equal lengths make ties halfway.
    /// </summary>
    [Fact]
    public void ALongStripWithDeepDominatorsAndTiesEqualsRemovingAndRecomputing()
    {
        const int length = 70;
        var links = new List<HabitatLink>();
        for (var i = 0; i < length; i++)
        {
            links.Add(new HabitatLink(i, length + i, 100));
            if (i + 1 < length)
            {
                links.Add(new HabitatLink(i, i + 1, 100));
                links.Add(new HabitatLink(length + i, length + i + 1, 100));
                if (i < length / 2) links.Add(new HabitatLink(length + i, i + 1, 150));
            }
        }
        var graph = new HabitatGraph(Enumerable.Range(0, 2 * length).Select(i => 1.0 + i % 7).ToArray(), links);

        AssertEqualToRemovingEachPatch(graph);
    }

    /// <summary>
    /// A ring of 40 patches with uneven gaps and two chords: without a patch, the far side of the ring is reached the long
    /// way round, a detour far longer than the searches look at first, so they have to widen.
    /// </summary>
    [Fact]
    public void ARingWithLongDetoursEqualsRemovingAndRecomputing()
    {
        const int n = 40;
        var random = new Random(7);
        var links = Enumerable.Range(0, n).Select(i => new HabitatLink(i, (i + 1) % n, 80 + 40 * random.NextDouble())).ToList();
        links.Add(new HabitatLink(0, 20, 900));
        links.Add(new HabitatLink(10, 30, 1200));
        var graph = new HabitatGraph(Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble()).ToArray(), links);

        AssertEqualToRemovingEachPatch(graph);
    }

    /// <summary>A smallest probability that no pair comes near changes nothing: the limited searches find the exact values.</summary>
    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    public void ALimitBeyondEveryDistanceGivesTheExactValues(int seed)
    {
        var graph = RandomGraph(seed, 40, seed % 2 == 0);

        var exact = ConnectivityIndices.Compute(graph, Kernel, 1e6);
        var limited = ConnectivityIndices.Compute(graph, Kernel, 1e6, new ConnectivityOptions(MinProbability: 1e-300));

        Assert.Equal(exact.PcNum, limited.PcNum, exact.PcNum * 1e-14);
        for (var k = 0; k < graph.NodeCount; k++)
        {
            Assert.Equal(exact.Patches[k].DPc, limited.Patches[k].DPc, 1e-12);
            Assert.Equal(exact.Patches[k].DPcConnector, limited.Patches[k].DPcConnector, 1e-12);
            Assert.True(limited.Patches[k].DPcError < 1e-12, $"patch {k}: error bound {limited.Patches[k].DPcError}");
        }
    }

    private static NetworkIndices AssertEqualToRemovingEachPatch(HabitatGraph graph)
    {
        double Probability(double d) => Kernel.ProbabilityAt(d);
        static double Inverse(double nl) => 1 / (1 + nl);
        var pcNum = Sum(graph, AllPairs(graph, false), Probability);
        var iicNum = Sum(graph, AllPairs(graph, true), Inverse);

        var result = ConnectivityIndices.Compute(graph, Kernel, 1e6);

        Assert.Equal(pcNum, result.PcNum, pcNum * 1e-12);
        Assert.Equal(iicNum, result.IicNum, iicNum * 1e-12);
        for (var k = 0; k < graph.NodeCount; k++)
        {
            var patch = result.Patches[k];
            var dPc = 100 * (pcNum - Sum(graph, AllPairs(graph, false, k), Probability, k)) / pcNum;
            var dIic = 100 * (iicNum - Sum(graph, AllPairs(graph, true, k), Inverse, k)) / iicNum;
            Assert.Equal(dPc, patch.DPc, 1e-9);
            Assert.Equal(dPc - patch.DPcIntra - patch.DPcFlux, patch.DPcConnector, 1e-9);
            Assert.Equal(dIic, patch.DIic, 1e-9);
            Assert.True(patch.DPcConnector >= 0 && patch.DIicConnector >= 0, $"patch {k}: connector below 0");
        }
        return result;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void BetweennessSumsThePairsWhoseShortestPathCrossesThePatch(int seed)
    {
        var graph = RandomGraph(seed, 30, ties: false);
        var d = AllPairs(graph, false);

        var result = ConnectivityIndices.Compute(graph, Kernel, 1e6);

        for (var k = 0; k < graph.NodeCount; k++)
        {
            double expected = 0;
            for (var i = 0; i < graph.NodeCount; i++)
            {
                for (var j = i + 1; j < graph.NodeCount; j++)
                {
                    if (i == k || j == k || double.IsPositiveInfinity(d[i, j]) || Math.Abs(d[i, k] + d[k, j] - d[i, j]) > 1e-9) continue;
                    expected += graph.Attributes[i] * graph.Attributes[j] * Kernel.ProbabilityAt(d[i, j]);
                }
            }
            Assert.Equal(expected, result.Patches[k].BcPc, 1e-9 * Math.Max(1, expected));
        }
    }

    [Theory]
    [InlineData(21, 50.0)]
    [InlineData(22, 100.0)]
    [InlineData(23, 1000.0)]
    public void ALimitedSearchRadiusStaysWithinTheErrorBoundItReports(int seed, double radius)
    {
        var graph = RandomGraph(seed, 45, ties: seed % 2 == 0);

        var exact = ConnectivityIndices.Compute(graph, Kernel, 1e6);
        var limited = ConnectivityIndices.Compute(graph, Kernel, 1e6, new ConnectivityOptions(radius));

        if (radius <= 100) Assert.Contains(limited.Patches, p => p.DPcError > 0); // the radius did cut searches short
        for (var k = 0; k < graph.NodeCount; k++)
        {
            var (e, l) = (exact.Patches[k], limited.Patches[k]);
            Assert.Equal(0, e.DPcError);
            Assert.True(Math.Abs(l.DPcConnector - e.DPcConnector) <= l.DPcError * (1 + 1e-9) + 1e-12,
                $"patch {k}: {l.DPcConnector} ± {l.DPcError} misses the exact {e.DPcConnector}");
            Assert.Equal(e.DPcFlux, l.DPcFlux, 1e-12);
            Assert.Equal(e.DIic, l.DIic, 1e-12);
        }
    }

    [Theory]
    [InlineData(31, 0.3)]
    [InlineData(32, 0.1)]
    [InlineData(33, 0.01)]
    [InlineData(34, 1e-9)]
    public void PairsBelowTheSmallestProbabilityStayWithinTheErrorBoundsReported(int seed, double minProbability)
    {
        var graph = RandomGraph(seed, 45, ties: seed % 2 == 0);

        var exact = ConnectivityIndices.Compute(graph, Kernel, 1e6);
        var limited = ConnectivityIndices.Compute(graph, Kernel, 1e6, new ConnectivityOptions(MinProbability: minProbability));

        Assert.Equal(0, exact.PcNumError);
        Assert.InRange(exact.PcNum - limited.PcNum, 0, limited.PcNumError * (1 + 1e-9) + exact.PcNum * 1e-14);
        if (minProbability >= 0.1) Assert.True(limited.PcNumError > 0 && limited.Patches.Any(p => p.DPcError > 0), "the limit should cut some pairs");
        if (minProbability <= 1e-9) Assert.Equal(exact.PcNum, limited.PcNum, exact.PcNum * 1e-12); // beyond every distance here
        for (var k = 0; k < graph.NodeCount; k++)
        {
            var (e, l) = (exact.Patches[k], limited.Patches[k]);
            Assert.True(Math.Abs(l.DPc - e.DPc) <= l.DPcError * (1 + 1e-9) + 1e-12,
                $"patch {k}: {l.DPc} ± {l.DPcError} misses the exact {e.DPc}");
            Assert.Equal(e.DIic, l.DIic, 1e-12); // link counts are never cut
        }
    }

    [Theory]
    [InlineData(41, 0.0)]
    [InlineData(42, 0.0)]
    [InlineData(43, 0.1)]
    [InlineData(44, 0.01)]
    public void PcNumAloneIsThePcNumOfTheWholeComputation(int seed, double minProbability)
    {
        var graph = RandomGraph(seed, 40, ties: seed % 2 == 0);
        var options = new ConnectivityOptions(MinProbability: minProbability);

        var full = ConnectivityIndices.Compute(graph, Kernel, 1e6, options);
        var alone = ConnectivityIndices.PcNum(graph, Kernel, options);

        Assert.Equal(full.PcNum, alone.PcNum, full.PcNum * 1e-13);
        Assert.Equal(full.PcNumError, alone.Error, full.PcNumError * 1e-13);
        if (minProbability == 0) Assert.Equal(Sum(graph, AllPairs(graph, false), Kernel.ProbabilityAt), alone.PcNum, alone.PcNum * 1e-12);
        else Assert.True(alone.Error > 0, "the limit should cut some pairs");
    }

    [Fact]
    public void TheResultDoesNotDependOnTheRun()
    {
        var graph = RandomGraph(7, 40, ties: true);

        var first = ConnectivityIndices.Compute(graph, Kernel, 1e6);
        var second = ConnectivityIndices.Compute(graph, Kernel, 1e6);

        Assert.Equal(first.Patches, second.Patches);
        Assert.Equal(first.PcNum, second.PcNum);
    }
}
