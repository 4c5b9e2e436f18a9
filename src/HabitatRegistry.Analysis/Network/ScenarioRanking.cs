namespace HabitatRegistry.Analysis.Network;

/// <summary>What one candidate would add if it became habitat on its own (candidates numbered 0… after the network's patches).</summary>
/// <param name="Rank">1 for the best</param>
/// <param name="Candidate">the candidate's number: node <c>networkCount + Candidate</c> of the scenario graph</param>
/// <param name="PcNumAfter">PCnum of the network with this candidate</param>
/// <param name="PcNumAfterError">how much <paramref name="PcNumAfter"/> may lack (<see cref="ConnectivityOptions.MinProbability"/>); 0 when exact</param>
/// <param name="PcGainPct">as Conefor reports an improvement: (after − before) / after × 100</param>
/// <param name="PcGainRelativePct">(after − before) / before × 100</param>
/// <param name="EcGain">EC(PC) after − before, in the unit of the attributes</param>
/// <param name="Links">links from the candidate to the network's patches</param>
public sealed record RankedCandidate(int Rank, int Candidate, double PcNumAfter, double PcNumAfterError, double PcGainPct, double PcGainRelativePct,
    double EcGain, int Links);

/// <summary>One step of the greedy sequence: the best candidate given those chosen in the steps before.</summary>
/// <param name="PcNum">PCnum with this candidate and those chosen before</param>
/// <param name="PcGainPct">against the step before: (PCnum − before) / PCnum × 100</param>
/// <param name="PcGainRelativePct">(PCnum − before) / before × 100</param>
public sealed record GreedyStep(int Step, int Candidate, double PcNum, double PcNumError, double EcPc, double PcGainPct, double PcGainRelativePct);

/// <summary>The candidates ranked one by one, and the greedy sequence.</summary>
public sealed record ScenarioRanking(double PcNumBefore, double PcNumBeforeError, IReadOnlyList<RankedCandidate> Candidates, IReadOnlyList<GreedyStep> Sequence)
{
    /// <summary>
    /// Ranks candidate patches by the PCnum the network would have with each of them added on its own, and chooses
    /// <paramref name="sequence"/> of them greedily: the best, then the best of the rest given it, and so on.
    /// </summary>
    /// <param name="graph">the network's patches (nodes 0…<paramref name="networkCount"/>−1) followed by every candidate, with all their links</param>
    /// <param name="networkCount">how many of the first nodes are the existing network</param>
    /// <param name="candidateNames">one name per candidate: ties in PCnum are ranked by name (ordinal), so every run gives the same order</param>
    /// <param name="sequence">how many candidates to choose one after another (at most as many as there are)</param>
    /// <param name="options">MinProbability as for <see cref="ConnectivityIndices.PcNum"/>; each scenario is computed on one
    /// processor and the scenarios side by side</param>
    /// <exception cref="ArgumentException">The names do not match the candidates, or the sequence is negative.</exception>
    public static ScenarioRanking Rank(HabitatGraph graph, int networkCount, IReadOnlyList<string> candidateNames, int sequence, DispersalKernel kernel,
        ConnectivityOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(candidateNames);
        var candidateCount = graph.NodeCount - networkCount;
        if (networkCount < 0 || candidateCount < 0 || candidateNames.Count != candidateCount)
        {
            throw new ArgumentException($"The graph has {graph.NodeCount} patches, {networkCount} of them the network, so {candidateCount} candidates; {candidateNames.Count} names were given.", nameof(candidateNames));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var single = (options ?? new ConnectivityOptions()) with { MaxDegreeOfParallelism = 1 };
        (double PcNum, double Error) PcNumWith(IReadOnlySet<int> chosen) =>
            ConnectivityIndices.PcNum(Subgraph(graph, networkCount, chosen), kernel, single, cancellationToken);

        // The candidates not chosen yet, each added to those chosen, best first (ties by name: the same order on every run).
        List<(int Node, double After, double AfterError)> Ranked(IReadOnlySet<int> chosen) =>
            Enumerable.Range(networkCount, candidateCount).Where(n => !chosen.Contains(n)).AsParallel().WithCancellation(cancellationToken)
                .Select(n =>
                {
                    var (after, error) = PcNumWith(new HashSet<int>(chosen) { n });
                    return (Node: n, After: after, AfterError: error);
                })
                .ToList()
                .OrderByDescending(g => g.After).ThenBy(g => candidateNames[g.Node - networkCount], StringComparer.Ordinal)
                .ToList();

        var (before, beforeError) = PcNumWith(new HashSet<int>());
        var ranked = Ranked(new HashSet<int>());
        var candidates = ranked.Select((g, rank) => new RankedCandidate(rank + 1, g.Node - networkCount, g.After, g.AfterError,
                (g.After - before) / g.After * 100, (g.After - before) / before * 100, Math.Sqrt(g.After) - Math.Sqrt(before),
                graph.Links.Count(l => (l.From == g.Node && l.To < networkCount) || (l.To == g.Node && l.From < networkCount))))
            .ToList();

        var steps = new List<GreedyStep>();
        var chosen = new HashSet<int>();
        var current = before;
        for (var step = 1; step <= Math.Min(sequence, candidateCount); step++)
        {
            // The first step is the ranking's winner; later ones try every candidate left with those chosen before.
            var (node, after, afterError) = step == 1 ? ranked[0] : Ranked(chosen)[0];
            chosen.Add(node);
            steps.Add(new GreedyStep(step, node - networkCount, after, afterError, Math.Sqrt(after), (after - current) / after * 100, (after - current) / current * 100));
            current = after;
        }
        return new ScenarioRanking(before, beforeError, candidates, steps);
    }

    /// <summary>The network (nodes below <paramref name="networkCount"/>) with the chosen candidate nodes, renumbered; links in their given order.</summary>
    private static HabitatGraph Subgraph(HabitatGraph graph, int networkCount, IReadOnlySet<int> chosen)
    {
        var keep = Enumerable.Range(0, graph.NodeCount).Where(n => n < networkCount || chosen.Contains(n)).ToList();
        var index = new Dictionary<int, int>();
        for (var i = 0; i < keep.Count; i++) index[keep[i]] = i;
        var links = graph.Links.Where(l => index.ContainsKey(l.From) && index.ContainsKey(l.To)).Select(l => l with { From = index[l.From], To = index[l.To] }).ToList();
        return new HabitatGraph([.. keep.Select(n => graph.Attributes[n])], links);
    }
}
