namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// The distances D′_j from the source to the patches a removed patch k dominates, in the graph without k: one Dijkstra
/// search confined to k's subtree (docs/network-algorithm.md, "The new distances without k"). Distances outside the
/// subtree do not change without k, so each patch y inside starts from its best entry from outside,
/// seed(y) = min over neighbours x outside the subtree of D_x + d_xy, and the search only moves inside.
/// </summary>
internal sealed class ConfinedSearch(ShortestPathSearch tree)
{
    private readonly MinHeap _heap = new();

    /// <summary>The patches of the last search (k's subtree within its cap), in breadth-first order of the dominator tree.</summary>
    public int[] Region { get; } = new int[tree.Attributes.Length];

    /// <summary>D′_j for the patches in <see cref="Region"/>: ∞ where no way round k is within the limit.</summary>
    public double[] DistanceWithout { get; } = new double[tree.Attributes.Length];

    /// <summary>
    /// D′_j, up to <paramref name="limit"/> (beyond it: ∞), for the patches <paramref name="removed"/> dominates up to
    /// <paramref name="cap"/> from the source; the search stays among those. Returns how many patches
    /// <see cref="Region"/> holds. A patch the main search left unsettled has index −1, so it counts as outside, and
    /// its tentative distance is already beyond the main search's limit.
    /// </summary>
    public int Run(int removed, double cap, double limit)
    {
        var offsets = tree.Offsets;
        var neighbours = tree.Neighbours;
        var index = tree.Index;
        var distance = tree.Distance;
        var lengths = tree.Lengths!;
        var without = DistanceWithout;
        var region = Region;
        var root = index[removed];
        var end = root + tree.Size[removed];
        var count = tree.SubtreeWithin(removed, cap, region);
        _heap.Clear();
        for (var i = 0; i < count; i++)
        {
            var y = region[i];
            var best = double.PositiveInfinity;
            for (var e = offsets[y]; e < offsets[y + 1]; e++)
            {
                var t = index[neighbours[e]];
                if (t >= root && t < end) continue;
                var through = distance[neighbours[e]] + lengths[e];
                if (through < best) best = through;
            }
            without[y] = best <= limit ? best : double.PositiveInfinity;
            if (best <= limit) _heap.Push(best, y);
        }
        while (_heap.TryPop(out var d, out var y))
        {
            if (d > without[y]) continue;
            for (var e = offsets[y]; e < offsets[y + 1]; e++)
            {
                var z = neighbours[e];
                var t = index[z];
                if (t <= root || t >= end || distance[z] > cap) continue;
                var through = d + lengths[e];
                if (through < without[z] && through <= limit)
                {
                    without[z] = through;
                    _heap.Push(through, z);
                }
            }
        }
        return count;
    }
}
