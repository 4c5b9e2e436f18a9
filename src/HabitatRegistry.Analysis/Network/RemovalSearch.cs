namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// Everything one source patch s contributes to the indices, from one <see cref="ShortestPathSearch"/> over its
/// component: its flux Σ_j a_j v(D_sj), and for every other patch k what the pairs (s, j) lose when k is removed
/// (dPC_k's or dIIC_k's connector, through a <see cref="ConnectorLoss"/>) and the pairs whose path runs through k
/// (betweenness). v is exp(−decay·D) over distances (PC) or 1/(1 + nl) over link counts (IIC).
/// How and why: docs/network-algorithm.md.
/// </summary>
internal sealed class RemovalSearch
{
    private readonly ShortestPathSearch _tree;
    private readonly ConnectorLoss _loss;
    private readonly double _limit;

    private RemovalSearch(ShortestPathSearch tree, ConnectorLoss loss, double limit)
    {
        _tree = tree;
        _loss = loss;
        _limit = limit;
    }

    /// <summary>A search over link lengths for PC, dPC and betweenness (v = exp(−decay·D)).</summary>
    /// <param name="radius">How far beyond a removed patch new distances are searched (∞: everywhere, exact).</param>
    /// <param name="limit">
    /// Distances beyond it count as unreachable (their v is below e^{−decay·limit}): searches stop there, and the errors
    /// this may cause are bounded (∞: exact).
    /// </param>
    /// <param name="tieOrder">The caller's number of each patch, if the patches were renumbered (<see cref="ShortestPathSearch"/>).</param>
    public static RemovalSearch OverDistances(int[] offsets, int[] neighbours, double[] lengths, double[] attributes, double decay,
        double radius, double limit, int[]? tieOrder)
    {
        var tree = new ShortestPathSearch(offsets, neighbours, lengths, attributes, decay, tieOrder);
        ConnectorLoss loss = double.IsPositiveInfinity(radius)
            ? new ExactDistanceLoss(tree, decay, limit)
            : new RadiusDistanceLoss(tree, decay, radius, limit);
        return new RemovalSearch(tree, loss, limit);
    }

    /// <summary>A search over link counts for IIC, dIIC and Harary (v = 1/(1 + nl)).</summary>
    public static RemovalSearch OverLinkCounts(int[] offsets, int[] neighbours, double[] attributes)
    {
        var tree = new ShortestPathSearch(offsets, neighbours, null, attributes, 0);
        return new RemovalSearch(tree, new LinkCountLoss(tree), double.PositiveInfinity);
    }

    /// <summary>Σ_{j≠s} a_j v(D_sj) of the last source.</summary>
    public double Flux => _tree.Flux;

    /// <summary>Σ_{j≠s} 1/D_sj of the last source (the Harary sum when counting links).</summary>
    public double InverseDistances => _tree.InverseDistances;

    /// <summary>Σ a_j over the patches the last search reached within the limit, the source included.</summary>
    public double Reached => _tree.Reached;

    /// <summary>
    /// Searches from <paramref name="source"/>; adds a_s·(what the pairs (s, j) lose without k) to connector[k] and,
    /// if <paramref name="betweenness"/> is given, a_s·Σ a_j v(D_sj) over the j ≠ k whose shortest path from s passes
    /// through k to betweenness[k] (one path per pair: where paths tie, each patch's first-settled predecessor).
    /// </summary>
    /// <param name="error">Receives a_s × the bound on the error of connector[k] (needed when the search has a limit or a radius).</param>
    public void Run(int source, double[] connector, double[]? betweenness, double[]? error = null)
    {
        var tree = _tree;
        tree.Search(source, _limit);
        tree.BuildDominatorTree();
        _loss.Prepare();
        if (betweenness is not null) tree.SumPathTree();
        tree.SumOverReached();

        var a = tree.Attributes;
        var order = tree.Order;
        var size = tree.Size;
        var value = tree.Value;
        var pathTreeMass = tree.PathTreeMass;
        var weight = a[source];
        for (var i = 1; i < tree.Count; i++)
        {
            var removed = order[i];
            if (betweenness is not null) betweenness[removed] += weight * (pathTreeMass[removed] - a[removed] * value[removed]);
            if (size[removed] == 1) continue; // it dominates nobody: nothing changes without it
            var (loss, bound) = _loss.Without(removed);
            connector[removed] += weight * loss;
            if (bound > 0) error![removed] += weight * bound;
        }
    }
}
