namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// dPC's connector over distances, exact up to the distance limit: the new distances below a removed patch k come
/// from a <see cref="ConfinedSearch"/>, and each pair {s, j} is counted twice from the end farther from k, so only the
/// patches with D_j ≤ 2·D_k need them (docs/network-algorithm.md, "Each pair from its far end").
/// </summary>
/// <remarks>
/// Telling which end is farther needs D_sj = D_js and D_sk + D_kj = D_sj exactly: the lengths must add up without
/// rounding (<see cref="ConnectivityIndices.ExactSumLengths"/>).
/// </remarks>
internal sealed class ExactDistanceLoss : ConnectorLoss
{
    private readonly ConfinedSearch _confined;
    private readonly double _decay;
    private readonly double _limit; // distances beyond it count as unreachable (∞: exact)
    private readonly double _floor; // the most v can be beyond the limit: e^{−decay·limit}
    private readonly double _margin; // how far past 2·D_k the first search reaches

    /// <param name="limit">
    /// Distances beyond it count as unreachable (their v is below e^{−decay·limit}): searches stop there, and the loss
    /// of a patch with no way round within it is bounded (∞: exact).
    /// </param>
    public ExactDistanceLoss(ShortestPathSearch tree, double decay, double limit) : base(tree)
    {
        _confined = new ConfinedSearch(tree);
        _decay = decay;
        _limit = limit;
        _floor = double.IsPositiveInfinity(limit) ? 0 : Math.Exp(-decay * limit);
        // Searching half the longest link past 2·D_k first proves detours up to the longest link exact for the patches
        // farthest from k (longer ones for patches nearer k); most detours are shorter, the rest are searched again.
        var lengths = tree.Lengths!;
        _margin = lengths.Length == 0 ? 0 : lengths.Max() / 2;
    }

    /// <summary>
    /// Σ over the patches j that k dominates of a_j (v(D_j) − v(D′_j)), each pair counted from its end farther from k,
    /// and a bound on its error: each j with no way round k within the limit is off by at most a_j × the floor.
    /// </summary>
    public override (double Loss, double Bound) Without(int removed)
    {
        if (FarEndLoss(removed, 2 * Tree.Distance[removed] + _margin, out var loss, out var bound)) return (loss, bound);
        FarEndLoss(removed, double.PositiveInfinity, out loss, out bound);
        return (loss, bound);
    }

    /// <summary>
    /// The loss of the pairs counted from this end, from the new distances of the patches k dominates up to
    /// <paramref name="cap"/> from the source; false if a distance it found might be too long because of the cap
    /// (a patch on a detour to j that lies beyond the cap makes that detour longer than 2·cap − D_j).
    /// </summary>
    private bool FarEndLoss(int removed, double cap, out double loss, out double bound)
    {
        var distance = Tree.Distance;
        var value = Tree.Value;
        var attributes = Tree.Attributes;
        var without = _confined.DistanceWithout;
        var region = _confined.Region;
        var twiceDk = 2 * distance[removed];
        var count = _confined.Run(removed, cap, _limit);
        loss = 0;
        bound = 0;
        for (var i = 0; i < count; i++)
        {
            var j = region[i];
            var dj = distance[j];
            if (dj > twiceDk) continue; // counted from j's end
            // Certain if found within 2·cap − D_j, or if anything longer is beyond the limit anyway.
            var certain = 2 * cap - dj;
            if (without[j] > certain && certain < _limit) return false;
            var ends = dj < twiceDk ? 2 : 1; // exactly halfway, each end counts the pair once
            if (double.IsPositiveInfinity(without[j])) bound += ends * attributes[j] * _floor; // no way round within the limit
            loss += ends * attributes[j] * LostOverDistance(_decay, dj, without[j], value[j]);
        }
        return true;
    }
}
