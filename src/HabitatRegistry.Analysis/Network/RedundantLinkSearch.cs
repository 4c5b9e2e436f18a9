namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// Finds the links (u, v) that no shortest path needs even with any one other patch removed: for every patch
/// x ∉ {u, v} there is a path from u to v avoiding x and strictly shorter than the link. Dropping all of them at once
/// keeps every distance in the graph and in the graph without any one patch (by induction on length: a strictly
/// shorter path only uses shorter links, which are kept or again replaceable), and they are never on a shortest path,
/// so the shortest-path trees, dominators and betweenness stay the same (docs/network-algorithm.md).
/// </summary>
internal sealed class RedundantLinkSearch
{
    private readonly ShortestPathSearch _tree;
    private readonly ConfinedSearch _confined;
    private readonly double[] _longestLinkBelow; // per dominator x: the longest of u's candidate links whose far end x dominates

    public RedundantLinkSearch(int[] offsets, int[] neighbours, double[] lengths, double[] attributes)
    {
        _tree = new ShortestPathSearch(offsets, neighbours, lengths, attributes, 0);
        _confined = new ConfinedSearch(_tree);
        _longestLinkBelow = new double[attributes.Length];
    }

    /// <summary>Sets redundant[e] for u's links (indexed by adjacency position) to patches v &gt; u found redundant.</summary>
    public void Mark(int u, bool[] redundant)
    {
        var tree = _tree;
        var offsets = tree.Offsets;
        var neighbours = tree.Neighbours;
        var lengths = tree.Lengths!;
        var distance = tree.Distance;
        var dominator = tree.Dominator;
        var order = tree.Order;
        double longest = 0;
        for (var e = offsets[u]; e < offsets[u + 1]; e++) longest = Math.Max(longest, lengths[e]);
        tree.Search(u, longest);
        tree.BuildDominatorTree();
        // The links whose far end has a strictly shorter path; where a patch x dominates that end, the path must also
        // survive without x: one confined search per such x, up to the longest of those links below it.
        for (var i = 0; i < tree.Count; i++) _longestLinkBelow[order[i]] = 0;
        var pending = false;
        for (var e = offsets[u]; e < offsets[u + 1]; e++)
        {
            var v = neighbours[e];
            if (v < u || !tree.IsSettled(v) || distance[v] >= lengths[e]) continue;
            redundant[e] = true;
            for (var x = dominator[v]; x != u; x = dominator[x])
            {
                _longestLinkBelow[x] = Math.Max(_longestLinkBelow[x], lengths[e]);
                pending = true;
            }
        }
        if (!pending) return;
        var index = tree.Index;
        var size = tree.Size;
        var without = _confined.DistanceWithout;
        for (var i = 1; i < tree.Count; i++)
        {
            var x = order[i];
            if (!(_longestLinkBelow[x] > 0)) continue;
            _confined.Run(x, double.PositiveInfinity, _longestLinkBelow[x]);
            var first = index[x] + 1;
            var end = index[x] + size[x];
            for (var e = offsets[u]; e < offsets[u + 1]; e++)
            {
                var v = neighbours[e];
                if (!redundant[e] || !tree.IsSettled(v) || index[v] < first || index[v] >= end) continue;
                if (!(without[v] < lengths[e])) redundant[e] = false;
            }
        }
    }
}
