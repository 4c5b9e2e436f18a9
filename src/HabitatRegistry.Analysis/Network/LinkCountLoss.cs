namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// dIIC's connector over link counts (v = 1/(1 + nl)). Most patches have a detour of exactly one more link around a
/// dominator; one pass per source finds those for all dominators at once (<see cref="Prepare"/>), and only the
/// others are searched, without a heap since counts are whole numbers. Each pair is counted from its end farther from
/// the removed patch, as over distances (docs/network-algorithm.md, "Link counts").
/// </summary>
internal sealed class LinkCountLoss : ConnectorLoss
{
    // For each patch of the last search: its depth in the dominator tree; bit d set where removing its dominator at
    // depth d leaves a detour of exactly one more link; and the preorder ranges of its neighbours on its own level and
    // on the next (so "has such a neighbour outside a subtree" is two comparisons).
    private readonly int[] _depth;
    private readonly ulong[] _oneLinkDetour;
    private readonly int[] _sameLow;
    private readonly int[] _sameHigh;
    private readonly int[] _nextLow;
    private readonly int[] _nextHigh;
    private readonly long[] _levelAndIndex; // (level << 32) | preorder index: the loops over neighbours read both at once (2–4 %)

    // The search below a removed patch k: k's subtree down to the cap, the new counts, and the entries sorted by count.
    private readonly int[] _region;
    private readonly double[] _countWithout;
    private readonly int[] _entries;
    private readonly int[] _queue;
    private int[] _levelCount = new int[64];

    public LinkCountLoss(ShortestPathSearch tree) : base(tree)
    {
        var n = tree.Attributes.Length;
        _depth = new int[n];
        _oneLinkDetour = new ulong[n];
        _sameLow = new int[n];
        _sameHigh = new int[n];
        _nextLow = new int[n];
        _nextHigh = new int[n];
        _levelAndIndex = new long[n];
        _region = new int[n];
        _countWithout = new double[n];
        _entries = new int[n];
        _queue = new int[n];
    }

    /// <summary>
    /// For every patch j, the dominators whose removal leaves j a detour of exactly one more link (as bits by depth, up
    /// to depth 63; deeper ones are left to the search). Such a detour is a shortest path with one step along a level,
    /// so it exists without k exactly when j has a neighbour on its own level outside k's subtree, or a predecessor
    /// with such a detour around k (every predecessor lies inside k's subtree).
    /// </summary>
    public override void Prepare()
    {
        var offsets = Tree.Offsets;
        var neighbours = Tree.Neighbours;
        var index = Tree.Index;
        var distance = Tree.Distance;
        var dominator = Tree.Dominator;
        var size = Tree.Size;
        var order = Tree.Order;
        var preorder = Tree.Preorder;
        var count = Tree.Count;
        var oneLinkDetour = _oneLinkDetour;
        var levelAndIndex = _levelAndIndex;
        var source = order[0];
        for (var i = 0; i < count; i++) levelAndIndex[preorder[i]] = ((long)distance[preorder[i]] << 32) | (uint)i;
        _depth[source] = 0;
        oneLinkDetour[source] = 0;
        for (var i = 1; i < count; i++)
        {
            var j = order[i];
            var level = (long)distance[j];
            var depth = _depth[dominator[j]] + 1;
            _depth[j] = depth;
            ulong fromPredecessors = 0;
            int sameLow = int.MaxValue, sameHigh = -1, nextLow = int.MaxValue, nextHigh = -1;
            for (var e = offsets[j]; e < offsets[j + 1]; e++)
            {
                var u = neighbours[e];
                var packed = levelAndIndex[u];
                var t = (int)packed;
                var levelU = packed >> 32;
                if (levelU < level)
                {
                    fromPredecessors |= oneLinkDetour[u];
                }
                else if (levelU == level)
                {
                    sameLow = Math.Min(sameLow, t);
                    sameHigh = Math.Max(sameHigh, t);
                }
                else
                {
                    nextLow = Math.Min(nextLow, t);
                    nextHigh = Math.Max(nextHigh, t);
                }
            }
            _sameLow[j] = sameLow;
            _sameHigh[j] = sameHigh;
            _nextLow[j] = nextLow;
            _nextHigh[j] = nextHigh;
            // Neighbours on j's level outside a dominator's subtree: the dominators from idom(j) up to the first whose
            // subtree holds them all (subtrees only grow upwards).
            ulong own = 0;
            if (sameHigh >= 0)
            {
                for (var c = dominator[j]; c != source; c = dominator[c])
                {
                    if (index[c] <= sameLow && sameHigh < index[c] + size[c]) break;
                    if (_depth[c] < 64) own |= 1UL << _depth[c];
                }
            }
            // A predecessor's bits name the same dominators as j's up to j's depth (j's dominators are its dominators).
            var mask = depth >= 64 ? ulong.MaxValue : (1UL << depth) - 1;
            oneLinkDetour[j] = ((fromPredecessors & mask) | own) & ~1UL;
        }
    }

    /// <summary>
    /// Each pair counted from its end farther from k, so only the new counts of the j with D_j ≤ 2·D_k are needed, about
    /// half of k's subtree; counts are whole numbers, so "halfway" is exact. A patch x on a shortest path to j without k
    /// lies at most (D′_j + D_j)/2 levels deep, so a search confined to the subtree down to level cap finds D′_j exactly
    /// wherever the count it finds is at most 2·cap − D_j. Where it finds more (a long detour, or no way round at all),
    /// the whole subtree is searched again.
    /// </summary>
    public override (double Loss, double Bound) Without(int removed)
    {
        var twiceDk = (int)Tree.Distance[removed] * 2;
        if (FarEndLoss(removed, twiceDk + 2, out var loss)) return (loss, 0);
        FarEndLoss(removed, int.MaxValue, out loss);
        return (loss, 0);
    }

    /// <summary>
    /// New link counts without k for the part of its subtree down to level <paramref name="cap"/>, and the loss of the
    /// pairs counted from this end; false if a count it found might be too long because of the cap.
    /// </summary>
    private bool FarEndLoss(int removed, int cap, out double loss)
    {
        var offsets = Tree.Offsets;
        var neighbours = Tree.Neighbours;
        var distance = Tree.Distance;
        var value = Tree.Value;
        var attributes = Tree.Attributes;
        var without = _countWithout;
        var oneLinkDetour = _oneLinkDetour;
        var levelAndIndex = _levelAndIndex;
        var region = _region;
        var root = Tree.Index[removed];
        var end = root + Tree.Size[removed];
        var twiceDk = (int)distance[removed] * 2;
        var bit = _depth[removed] < 64 ? 1UL << _depth[removed] : 0;
        var count = Tree.SubtreeWithin(removed, cap, region);
        // Patches with a one-link detour are done. The others start from their best entry: from outside the subtree
        // (a neighbour on their own level, else on the next), or through a neighbour with a one-link detour (at best
        // two more links, as a predecessor with one would have given them one).
        var lowest = (int)distance[removed] + 2;
        var levels = 0;
        var entries = 0;
        for (var i = 0; i < count; i++)
        {
            var y = region[i];
            var level = distance[y];
            if ((oneLinkDetour[y] & bit) != 0)
            {
                without[y] = level + 1;
                continue;
            }
            var best = _sameHigh[y] >= 0 && (_sameLow[y] < root || _sameHigh[y] >= end) ? level + 1
                : _nextHigh[y] >= 0 && (_nextLow[y] < root || _nextHigh[y] >= end) ? level + 2
                : double.PositiveInfinity;
            if (bit != 0 && best > level + 2)
            {
                for (var e = offsets[y]; e < offsets[y + 1]; e++)
                {
                    var x = neighbours[e];
                    var packed = levelAndIndex[x];
                    var t = (int)packed;
                    if (t <= root || t >= end || (oneLinkDetour[x] & bit) == 0) continue;
                    best = Math.Min(best, (packed >> 32) + 2);
                    if (best <= level + 2) break;
                }
            }
            without[y] = best;
            if (best < double.PositiveInfinity)
            {
                var slot = (int)best - lowest + 1;
                if (slot >= _levelCount.Length) Array.Resize(ref _levelCount, Math.Max(slot + 1, 2 * _levelCount.Length));
                for (; levels <= slot; levels++) _levelCount[levels] = 0;
                _levelCount[slot]++;
                entries++;
            }
        }
        // Counting sort of the entries by count, then settle in order of count: with unit lengths everything a settled
        // patch improves goes to the back of a first-in first-out queue, merged with the sorted entries. Patches with a
        // one-link detour are never improved (through ≥ their count), so only the others move.
        for (var l = 1; l < levels; l++) _levelCount[l] += _levelCount[l - 1];
        for (var i = 0; i < count; i++)
        {
            var y = region[i];
            if ((oneLinkDetour[y] & bit) == 0 && without[y] < double.PositiveInfinity) _entries[_levelCount[(int)without[y] - lowest]++] = y;
        }
        int next = 0, head = 0, tail = 0;
        while (next < entries || head < tail)
        {
            int y;
            if (head < tail && (next == entries || without[_queue[head]] <= without[_entries[next]])) y = _queue[head++];
            else y = _entries[next++];
            var through = without[y] + 1;
            for (var e = offsets[y]; e < offsets[y + 1]; e++)
            {
                var z = neighbours[e];
                var packed = levelAndIndex[z];
                var t = (int)packed;
                if (t <= root || t >= end || (packed >> 32) > cap || through >= without[z]) continue;
                without[z] = through;
                _queue[tail++] = z;
            }
        }
        loss = 0;
        for (var i = 0; i < count; i++)
        {
            var j = region[i];
            var level = distance[j];
            if (level > twiceDk) continue; // counted from j's end
            if (cap < int.MaxValue && without[j] > 2.0 * cap - level) return false;
            loss += (level < twiceDk ? 2 : 1) * attributes[j] * Lost(level, without[j], value[j]);
        }
        return true;
    }

    // v(before) − v(after) for v = 1/(1 + nl).
    private static double Lost(double before, double after, double valueBefore) =>
        double.IsPositiveInfinity(after) ? valueBefore : (after - before) / ((1 + before) * (1 + after));
}
