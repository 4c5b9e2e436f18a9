using HabitatRegistry.Analysis.Network;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>
/// Candidate ranking and greedy sequence on graphs small enough to check by hand; the expected PCnum of every scenario
/// comes from a brute-force sum here (all-pairs shortest distances, Σ a_i a_j p*_ij), not from ConnectivityIndices.
/// </summary>
public class ScenarioRankingTests
{
    private static readonly DispersalKernel Median1Km = new(1000, 0.5);

    // Two 10 ha patches 800 m apart, not linked; two identical 3 ha stepping stones that would each link them (400 m to
    // either), and a 5 ha patch 100 m from the first. Alone a stepping stone adds most; once one is chosen, the second
    // stone mostly repeats it and the 5 ha patch adds more.
    private static readonly double[] Areas = [10, 10, 3, 3, 5];
    private static readonly HabitatLink[] Links = [new(0, 2, 400), new(1, 2, 400), new(0, 3, 400), new(1, 3, 400), new(0, 4, 100)];
    private const int NetworkCount = 2;
    private static readonly string[] Names = ["stone-b", "stone-a", "meadow"]; // node order differs from name order

    /// <summary>PCnum of the network with the chosen candidates (node numbers), by Floyd–Warshall over all pairs.</summary>
    private static double BruteForcePcNum(IReadOnlyCollection<int> chosen)
    {
        var keep = Enumerable.Range(0, Areas.Length).Where(n => n < NetworkCount || chosen.Contains(n)).ToArray();
        var n = keep.Length;
        var distance = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) distance[i, j] = i == j ? 0 : double.PositiveInfinity;
        foreach (var link in Links)
        {
            var (i, j) = (Array.IndexOf(keep, link.From), Array.IndexOf(keep, link.To));
            if (i >= 0 && j >= 0) distance[i, j] = distance[j, i] = link.Distance;
        }
        for (var k = 0; k < n; k++)
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) distance[i, j] = Math.Min(distance[i, j], distance[i, k] + distance[k, j]);
        double sum = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (double.IsFinite(distance[i, j])) sum += Areas[keep[i]] * Areas[keep[j]] * Median1Km.ProbabilityAt(distance[i, j]);
        return sum;
    }

    /// <summary>The candidates (0…) best first by brute force; equal PCnum (to 1e-9) ranked by name.</summary>
    private static List<int> BruteForceOrder(IReadOnlyCollection<int> chosen) =>
        Enumerable.Range(0, Names.Length).Where(c => !chosen.Contains(NetworkCount + c))
            .Select(c => (Candidate: c, PcNum: BruteForcePcNum([.. chosen, NetworkCount + c])))
            .OrderByDescending(c => Math.Round(c.PcNum, 9)).ThenBy(c => Names[c.Candidate], StringComparer.Ordinal)
            .Select(c => c.Candidate).ToList();

    private static ScenarioRanking Rank(int sequence) =>
        ScenarioRanking.Rank(new HabitatGraph(Areas, Links), NetworkCount, Names, sequence, Median1Km);

    [Fact]
    public void CandidatesAreRankedByThePcNumTheNetworkWouldHaveWithEach()
    {
        var ranking = Rank(0);

        var before = BruteForcePcNum([]);
        Assert.Equal(200, before, 9); // two unlinked 10 ha patches: 10² + 10²
        Assert.Equal(before, ranking.PcNumBefore, 9);
        Assert.Equal(0, ranking.PcNumBeforeError);
        Assert.Equal(BruteForceOrder([]), ranking.Candidates.Select(c => c.Candidate));
        Assert.Equal([1, 2, 3], ranking.Candidates.Select(c => c.Rank));
        Assert.Equal("stone-a", Names[ranking.Candidates[0].Candidate]);
        Assert.Equal("meadow", Names[ranking.Candidates[^1].Candidate]);
        foreach (var c in ranking.Candidates)
        {
            var after = BruteForcePcNum([NetworkCount + c.Candidate]);
            Assert.Equal(after, c.PcNumAfter, 9);
            Assert.Equal((after - before) / after * 100, c.PcGainPct, 9);
            Assert.Equal((after - before) / before * 100, c.PcGainRelativePct, 9);
            Assert.Equal(Math.Sqrt(after) - Math.Sqrt(before), c.EcGain, 9);
            Assert.Equal(Links.Count(l => l.To == NetworkCount + c.Candidate), c.Links);
        }
    }

    [Fact]
    public void CandidatesThatWouldAddTheSameAreRankedByName()
    {
        var ranking = Rank(0);

        Assert.Equal(ranking.Candidates[0].PcNumAfter, ranking.Candidates[1].PcNumAfter);
        Assert.Equal(["stone-a", "stone-b"], ranking.Candidates.Take(2).Select(c => Names[c.Candidate]));
    }

    [Fact]
    public void EachStepOfTheSequenceChoosesTheBestGivenTheChoicesBefore()
    {
        var ranking = Rank(3);

        var chosen = new List<int>();
        var current = BruteForcePcNum([]);
        Assert.Equal(3, ranking.Sequence.Count);
        foreach (var step in ranking.Sequence)
        {
            var best = BruteForceOrder(chosen)[0];
            Assert.Equal(best, step.Candidate);
            chosen.Add(NetworkCount + best);
            var after = BruteForcePcNum(chosen);
            Assert.Equal(chosen.Count, step.Step);
            Assert.Equal(after, step.PcNum, 9);
            Assert.Equal(Math.Sqrt(after), step.EcPc, 9);
            Assert.Equal((after - current) / after * 100, step.PcGainPct, 9);
            Assert.Equal((after - current) / current * 100, step.PcGainRelativePct, 9);
            current = after;
        }
        // The graph is built so that greedy differs from the one-by-one ranking: the second stone repeats the first.
        Assert.Equal(["stone-a", "meadow", "stone-b"], ranking.Sequence.Select(s => Names[s.Candidate]));
        Assert.Equal("stone-b", Names[ranking.Candidates[1].Candidate]);
    }

    [Fact]
    public void TheSequenceStopsWhenEveryCandidateIsChosen()
    {
        Assert.Empty(Rank(0).Sequence);
        Assert.Equal(Names.Length, Rank(10).Sequence.Count);
    }

    [Fact]
    public void NamesThatDoNotMatchTheCandidatesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ScenarioRanking.Rank(new HabitatGraph(Areas, Links), NetworkCount, ["only-one"], 1, Median1Km));
    }
}
