namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// Everything one source patch s contributes to the indices, from one shortest-path search over its component: its
/// reach Σ_j a_j v(D_sj), and for every other patch k what the pairs (s, j) lose when k is removed (connector) or
/// route through k (betweenness). v is exp(−k·D) over distances (PC) or 1/(1 + nl) over link counts (IIC).
/// </summary>
/// <remarks>
/// <para>Removing k only changes D_sj for the patches j that k dominates: every shortest path from s to j passes
/// through k. The dominators form a tree (built while the search settles each patch, by intersecting the dominator
/// paths of its shortest-path predecessors), and the patches k dominates are its subtree, a contiguous range of the
/// tree's preorder. For every other patch the distance without k stays the same, so the new distances inside the
/// subtree follow from one Dijkstra search confined to it, started from the best entries from outside:
/// seed(y) = min over neighbours x outside the subtree of D_sx + d_xy. The cost per source is the search itself plus
/// Σ over patches y of (number of dominators of y) × degree(y); in a graph without ties that is the depth of y in the
/// shortest-path tree.</para>
/// <para>Two things cut that down. Each pair {s, j} is seen from both ends and loses the same without k, so it is
/// counted (twice) from the end farther from k only, and the search below k need only reach about 2·D_sk. Over link
/// counts, most patches have a detour of exactly one more link, which a single pass per source finds for all their
/// dominators at once (<see cref="MarkOneLinkDetours"/>); only the others are searched.</para>
/// <para>With ties (equal link counts, touching patches at distance 0) predecessors settled later are left out,
/// which can only make subtrees larger than needed, never wrong: the confined search still finds the true distances.</para>
/// </remarks>
internal sealed class RemovalSearch
{
    private const int Unsettled = int.MaxValue;

    // The main and confined searches (Dijkstra, BreadthFirst, MarkOneLinkDetours, HopSearch, DistancesWithout) copy the
    // arrays they use into locals first, so that the JIT keeps them in registers in the inner loops (6 % of the
    // 10,000-patch benchmark).

    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly double[]? _lengths; // null: count links (every link has length 1)
    private readonly double[] _attributes;
    private readonly double _decay;
    private readonly double _radius;
    private readonly double _limit;
    private readonly double _floor;
    private readonly double _margin; // how far past 2·D_k the distances without k are searched first (see LossWithout)

    private readonly int[] _seen;
    private readonly int[] _rank;
    private readonly int[] _order;
    private readonly int[] _idom;
    private readonly int[] _parent;
    private readonly int[] _firstChild;
    private readonly int[] _nextSibling;
    private readonly int[] _preorder;
    private readonly int[] _index;
    private readonly int[] _stack;
    private readonly int[] _queue;
    private readonly int[] _entries;
    private int[] _levelCount = new int[64];
    private readonly int[] _size;
    private readonly double[] _distance;
    private readonly double[] _without;
    private readonly double[] _value;
    private readonly double[] _below;
    private readonly double[] _treeBelow;
    private readonly int[] _region;
    // Link-count searches only (empty otherwise): each patch's depth in the dominator tree, bit d set where removing its
    // dominator at depth d leaves a detour of exactly one more link, and the preorder ranges of its neighbours on its
    // own level and the next (so "has such a neighbour outside a subtree" is two comparisons).
    private readonly int[] _depth;
    private readonly long[] _levelAndIndex; // (level << 32) | preorder index: the loops over neighbours read both at once (2–4 %)
    private readonly ulong[] _oneLinkDetour;
    private readonly int[] _sameLow;
    private readonly int[] _sameHigh;
    private readonly int[] _nextLow;
    private readonly int[] _nextHigh;
    private readonly int[] _regionMark;
    private readonly int[] _finalMark;
    private readonly int[] _prefixMark;
    private readonly MinHeap _heap;
    private int _stamp;
    private int _count;
    private int _regionStamp;

    /// <summary>A search over distances (<paramref name="lengths"/> given, v = exp(−decay·D)) or link counts (v = 1/(1 + nl)).</summary>
    /// <param name="radius">How far beyond a removed patch new distances are searched (∞: everywhere, exact).</param>
    /// <param name="limit">
    /// Distances beyond it count as unreachable (their v is below e^{−decay·limit}, the floor): searches stop there, and
    /// the errors this may cause are bounded (∞: exact). Only for searches over distances.
    /// </param>
    /// <param name="tieOrder">
    /// The caller's number of each patch, if the patches were renumbered: patches at equal distances settle in that
    /// order, so betweenness follows the same paths whatever the numbering.
    /// </param>
    public RemovalSearch(int[] offsets, int[] neighbours, double[]? lengths, double[] attributes, double decay, double radius = double.PositiveInfinity,
        double limit = double.PositiveInfinity, int[]? tieOrder = null)
    {
        _heap = new MinHeap(tieOrder);
        _radius = radius;
        _limit = limit;
        _floor = double.IsPositiveInfinity(limit) ? 0 : Math.Exp(-decay * limit);
        // Searching half the longest link past 2·D_k first proves detours up to the longest link exact for the patches
        // farthest from k (longer ones for patches nearer k); most detours are shorter, the rest are searched again.
        _margin = lengths is null || lengths.Length == 0 ? 0 : lengths.Max() / 2;
        _offsets = offsets;
        _neighbours = neighbours;
        _lengths = lengths;
        _attributes = attributes;
        _decay = decay;
        var n = attributes.Length;
        _seen = new int[n];
        _rank = new int[n];
        _order = new int[n];
        _idom = new int[n];
        _parent = new int[n];
        _firstChild = new int[n];
        _nextSibling = new int[n];
        _preorder = new int[n];
        _index = new int[n];
        _stack = new int[n];
        _queue = new int[n];
        _entries = new int[n];
        _size = new int[n];
        _distance = new double[n];
        _without = new double[n];
        _value = new double[n];
        _below = new double[n];
        _treeBelow = new double[n];
        _region = new int[n];
        var hops = lengths is null ? n : 0;
        _depth = new int[hops];
        _levelAndIndex = new long[hops];
        _oneLinkDetour = new ulong[hops];
        _sameLow = new int[hops];
        _sameHigh = new int[hops];
        _nextLow = new int[hops];
        _nextHigh = new int[hops];
        _regionMark = new int[n];
        _finalMark = new int[n];
        _prefixMark = new int[n];
    }

    /// <summary>Σ_{j≠s} a_j v(D_sj) of the last source.</summary>
    public double Flux { get; private set; }

    /// <summary>Σ_{j≠s} 1/D_sj of the last source (the Harary sum when counting links).</summary>
    public double InverseDistances { get; private set; }

    /// <summary>Σ a_j over the patches the last search reached within the limit, the source included.</summary>
    public double Reached { get; private set; }

    /// <summary>
    /// Searches from <paramref name="source"/>; adds a_s·(what the pairs (s, j) lose without k) to connector[k] and,
    /// if <paramref name="betweenness"/> is given, a_s·Σ a_j v(D_sj) over the j ≠ k whose shortest path from s passes
    /// through k to betweenness[k] (one path per pair: where paths tie, each patch's first-settled predecessor).
    /// </summary>
    /// <param name="error">Receives a_s × the bound on the error of connector[k] (0 unless the radius or the limit is finite).</param>
    public void Run(int source, double[] connector, double[]? betweenness, double[]? error = null)
    {
        NewStamp();
        if (_lengths is null) BreadthFirst(source);
        else Dijkstra(source, _limit);
        BuildDominatorTree(source);
        if (_lengths is null) MarkOneLinkDetours(source);
        if (betweenness is not null) SumShortestPathTree();

        SumOverReached(source);
        var a = _attributes;
        var weight = a[source];
        for (var i = 1; i < _count; i++)
        {
            var k = _order[i];
            if (betweenness is not null) betweenness[k] += weight * (_treeBelow[k] - a[k] * _value[k]);
            if (_size[k] == 1) continue; // k dominates nobody: nothing changes without it
            if (_lengths is null)
            {
                connector[k] += weight * HopLossWithout(k);
            }
            else if (double.IsPositiveInfinity(_radius))
            {
                var (loss, bound) = LossWithout(k);
                connector[k] += weight * loss;
                if (bound > 0) error![k] += weight * bound;
            }
            else
            {
                var (loss, bound) = LossWithinRadius(k);
                connector[k] += weight * loss;
                error![k] += weight * bound;
            }
        }
    }

    /// <summary>
    /// Σ_{j≠s} a_j v(D_sj) from <paramref name="source"/> (its flux), with the distance search alone; also sets
    /// <see cref="Reached"/>.
    /// </summary>
    public double Reach(int source)
    {
        NewStamp();
        Dijkstra(source, _limit);
        SumOverReached(source);
        return Flux;
    }

    // Flux, InverseDistances and Reached of the last search.
    private void SumOverReached(int source)
    {
        var a = _attributes;
        double flux = 0, inverse = 0, reached = a[source];
        for (var i = 1; i < _count; i++)
        {
            var j = _order[i];
            flux += a[j] * _value[j];
            inverse += 1 / _distance[j];
            reached += a[j];
        }
        Flux = flux;
        InverseDistances = inverse;
        Reached = reached;
    }

    private void NewStamp()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }
    }

    /// <summary>
    /// Marks the links (u, v), v &gt; u, that no shortest path needs even with any one other patch removed: for every
    /// patch x ∉ {u, v} there is a path from u to v avoiding x and strictly shorter than the link. Dropping all of them
    /// at once keeps every distance in the graph and in the graph without any one patch (by induction on length:
    /// a strictly shorter path only uses shorter links, which are kept or again replaceable), and they are never on a
    /// shortest path, so the shortest-path trees, dominators and betweenness stay the same.
    /// </summary>
    /// <param name="redundant">Indexed by adjacency position; set for u's links found redundant.</param>
    public void MarkRedundantLinks(int u, bool[] redundant)
    {
        var lengths = _lengths!;
        double longest = 0;
        for (var e = _offsets[u]; e < _offsets[u + 1]; e++) longest = Math.Max(longest, lengths[e]);
        NewStamp();
        Dijkstra(u, longest);
        BuildDominatorTree(u);
        // The links whose far end has a strictly shorter path; where a patch x dominates that end, the path must also
        // survive without x: one confined search per such x, up to the longest of those links below it.
        for (var i = 0; i < _count; i++) _without[_order[i]] = 0; // reused as "longest link to check below x"
        var pending = false;
        for (var e = _offsets[u]; e < _offsets[u + 1]; e++)
        {
            var v = _neighbours[e];
            if (v < u || _seen[v] != _stamp || _rank[v] == Unsettled || _distance[v] >= lengths[e]) continue;
            redundant[e] = true;
            for (var x = _idom[v]; x != u; x = _idom[x])
            {
                _without[x] = Math.Max(_without[x], lengths[e]);
                pending = true;
            }
        }
        if (!pending) return;
        var limits = new List<(int X, double Limit)>();
        for (var i = 1; i < _count; i++) if (_without[_order[i]] > 0) limits.Add((_order[i], _without[_order[i]]));
        foreach (var (x, limit) in limits)
        {
            DistancesWithout(x, SubtreeWithin(x, double.PositiveInfinity), double.PositiveInfinity, limit);
            var first = _index[x] + 1;
            var end = _index[x] + _size[x];
            for (var e = _offsets[u]; e < _offsets[u + 1]; e++)
            {
                var v = _neighbours[e];
                if (!redundant[e] || _rank[v] == Unsettled || _index[v] < first || _index[v] >= end) continue;
                if (!(_without[v] < lengths[e])) redundant[e] = false;
            }
        }
    }

    private void Discover(int node, double distance)
    {
        _seen[node] = _stamp;
        _rank[node] = Unsettled;
        _distance[node] = distance;
        _index[node] = -1; // outside every subtree until settled (a search with a limit leaves some unsettled)
    }

    // Settles the patches up to `limit` from the source.
    private void Dijkstra(int source, double limit)
    {
        var offsets = _offsets;
        var neighbours = _neighbours;
        var distance = _distance;
        var rank = _rank;
        var seen = _seen;
        var lengths = _lengths!;
        _heap.Clear();
        _count = 0;
        Discover(source, 0);
        _heap.Push(0, source);
        while (_heap.TryPop(out var d, out var v))
        {
            if (d > limit) break;
            if (rank[v] != Unsettled || d > distance[v]) continue;
            rank[v] = _count;
            _order[_count++] = v;
            int idom = -1, parent = -1;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = neighbours[e];
                var through = d + lengths[e];
                if (seen[u] != _stamp)
                {
                    Discover(u, through);
                    _heap.Push(through, u);
                }
                else if (rank[u] != Unsettled)
                {
                    // Settled before v: a shortest-path predecessor if the distances add up exactly.
                    if (distance[u] + lengths[e] != d) continue;
                    if (parent < 0 || rank[u] < rank[parent]) parent = u;
                    if (idom != source) idom = idom < 0 ? u : Intersect(idom, u);
                }
                else if (through < distance[u])
                {
                    distance[u] = through;
                    _heap.Push(through, u);
                }
            }
            _idom[v] = idom;
            _parent[v] = parent;
            _value[v] = Math.Exp(-_decay * d);
        }
    }

    private void BreadthFirst(int source)
    {
        var offsets = _offsets;
        var neighbours = _neighbours;
        var distance = _distance;
        var rank = _rank;
        var seen = _seen;
        _count = 0;
        Discover(source, 0);
        rank[source] = _count;
        _order[_count++] = source;
        for (var head = 0; head < _count; head++)
        {
            var v = _order[head];
            var d = distance[v];
            var idom = -1;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = neighbours[e];
                if (seen[u] != _stamp)
                {
                    Discover(u, d + 1);
                    rank[u] = _count;
                    _order[_count++] = u;
                }
                else if (idom != source && distance[u] == d - 1)
                {
                    idom = idom < 0 ? u : Intersect(idom, u);
                }
            }
            _idom[v] = idom;
            _value[v] = 1 / (1 + d);
        }
    }

    // The nearest common dominator of a and b: dominators settle earlier, so walk up from the later one.
    private int Intersect(int a, int b)
    {
        while (a != b)
        {
            while (_rank[a] > _rank[b]) a = _idom[a];
            while (_rank[b] > _rank[a]) b = _idom[b];
        }
        return a;
    }

    private void BuildDominatorTree(int source)
    {
        for (var i = 0; i < _count; i++)
        {
            var v = _order[i];
            _firstChild[v] = -1;
            _size[v] = 1;
            _below[v] = _attributes[v] * _value[v];
        }
        for (var i = _count - 1; i > 0; i--)
        {
            var v = _order[i];
            var parent = _idom[v];
            _nextSibling[v] = _firstChild[parent];
            _firstChild[parent] = v;
        }
        var stack = _stack;
        var top = 0;
        var next = 0;
        stack[top++] = source;
        while (top > 0)
        {
            var v = stack[--top];
            _index[v] = next;
            if (_lengths is null) _levelAndIndex[v] = ((long)_distance[v] << 32) | (uint)next;
            _preorder[next++] = v;
            for (var c = _firstChild[v]; c >= 0; c = _nextSibling[c]) stack[top++] = c;
        }
        for (var i = _count - 1; i > 0; i--)
        {
            var v = _preorder[i];
            var parent = _idom[v];
            _size[parent] += _size[v];
            _below[parent] += _below[v];
        }
    }

    // Graphab's betweenness follows one shortest path per pair: each patch's first-settled predecessor.
    private void SumShortestPathTree()
    {
        for (var i = 0; i < _count; i++) _treeBelow[_order[i]] = _attributes[_order[i]] * _value[_order[i]];
        for (var i = _count - 1; i > 0; i--) _treeBelow[_parent[_order[i]]] += _treeBelow[_order[i]];
    }

    /// <summary>
    /// Σ over the patches y that k dominates of a_y (v(D_sy) − v(D_sy without k)), each pair counted from the end farther
    /// from k (as in <see cref="HopLossWithout"/>), and a bound on its error: exact unless the search has a limit, beyond
    /// which new distances count as unreachable (each such y is off by at most a_y × the floor). Telling which end is
    /// farther needs D_sj = D_js and D_sk + D_kj = D_sj exactly: the lengths must add up without rounding
    /// (<see cref="ConnectivityIndices.ExactSumLengths"/>).
    /// </summary>
    private (double Loss, double Bound) LossWithout(int k)
    {
        if (FarEndLoss(k, 2 * _distance[k] + _margin, out var loss, out var bound)) return (loss, bound);
        FarEndLoss(k, double.PositiveInfinity, out loss, out bound);
        return (loss, bound);
    }

    /// <summary>
    /// The patches k dominates (its subtree, k left out) up to <paramref name="cap"/> from the source, into _region in
    /// breadth-first order; their count. Distances only grow down the dominator tree, so the walk stops at the cap.
    /// </summary>
    private int SubtreeWithin(int k, double cap)
    {
        var region = _region;
        var distance = _distance;
        var count = 0;
        for (var c = _firstChild[k]; c >= 0; c = _nextSibling[c]) if (distance[c] <= cap) region[count++] = c;
        for (var i = 0; i < count; i++)
        {
            for (var c = _firstChild[region[i]]; c >= 0; c = _nextSibling[c]) if (distance[c] <= cap) region[count++] = c;
        }
        return count;
    }

    /// <summary>
    /// New distances without k for the part of its subtree up to <paramref name="cap"/> from the source (a patch on a
    /// detour to j that lies deeper than cap makes that detour longer than 2·cap − D_j), and the loss of the pairs
    /// counted from this end; false if a distance it found might be too long because of the cap.
    /// </summary>
    private bool FarEndLoss(int k, double cap, out double loss, out double bound)
    {
        var distance = _distance;
        var without = _without;
        var region = _region;
        var attributes = _attributes;
        var half = 2 * distance[k];
        var count = SubtreeWithin(k, cap);
        DistancesWithout(k, count, cap, _limit);
        loss = 0;
        bound = 0;
        for (var i = 0; i < count; i++)
        {
            var j = region[i];
            var level = distance[j];
            if (level > half) continue; // counted from j's end
            // Certain if found within 2·cap − D_j, or if anything longer is beyond the limit anyway.
            var certain = 2 * cap - level;
            if (without[j] > certain && certain < _limit) return false;
            var weight = level < half ? 2 : 1;
            if (double.IsPositiveInfinity(without[j])) bound += weight * attributes[j] * _floor; // no way round within the limit
            loss += weight * attributes[j] * Lost(level, without[j], _value[j]);
        }
        return true;
    }

    /// <summary>
    /// New distances avoiding k, up to <paramref name="limit"/> (beyond: ∞), into _without for the first
    /// <paramref name="count"/> patches of _region (part of k's subtree: those up to <paramref name="cap"/> from the
    /// source): one Dijkstra search confined to them, started from the best entries from outside the subtree. A patch
    /// left unsettled by a search with a limit has index −1, so it counts as outside, and its tentative distance is
    /// already past the limit.
    /// </summary>
    private void DistancesWithout(int k, int count, double cap, double limit)
    {
        var offsets = _offsets;
        var neighbours = _neighbours;
        var index = _index;
        var distance = _distance;
        var without = _without;
        var region = _region;
        var lengths = _lengths!;
        var root = index[k];
        var end = root + _size[k];
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
    }

    /// <summary>
    /// <see cref="LossWithout"/> over link counts, each pair counted from the end farther from k. The loss of a pair
    /// {s, j} is the same seen from s and from j, and the pair appears in both searches; counting it twice from the end
    /// farther from k (once from each when k is halfway) gives the same sum, and only needs the new counts of the j with
    /// D_j ≤ 2·D_k, about half of k's subtree. Counts are whole numbers, so "halfway" is exact.
    /// </summary>
    /// <remarks>
    /// A patch x on a shortest path to j without k lies at most (D'_j + D_j)/2 levels deep, so a search confined to the
    /// part of the subtree down to level <c>cap</c> finds D'_j exactly wherever the count it finds is at most
    /// 2·cap − D_j. Where it finds more (a long detour, or no way round at all), the whole subtree is searched again.
    /// </remarks>
    private double HopLossWithout(int k)
    {
        var half = (int)_distance[k] * 2;
        if (HopSearch(k, half + 2, out var loss)) return loss;
        HopSearch(k, int.MaxValue, out loss);
        return loss;
    }

    /// <summary>
    /// For every patch j of a link-count search, the dominators whose removal leaves j a detour of exactly one more link
    /// (as bits by depth, up to depth 63; deeper ones are left to the search). Such a detour is a shortest path with one
    /// step along a level, so it exists without k exactly when j has a neighbour on its own level outside k's subtree or
    /// a predecessor with such a detour around k (every predecessor lies inside k's subtree). The patches k dominates
    /// then need no search when most detours are one link, as they are in landscapes with many paths.
    /// </summary>
    private void MarkOneLinkDetours(int source)
    {
        var offsets = _offsets;
        var neighbours = _neighbours;
        var index = _index;
        var distance = _distance;
        var oneLinkDetour = _oneLinkDetour;
        var levelAndIndex = _levelAndIndex;
        _depth[source] = 0;
        oneLinkDetour[source] = 0;
        for (var i = 1; i < _count; i++)
        {
            var j = _order[i];
            var level = (long)distance[j];
            var depth = _depth[_idom[j]] + 1;
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
                for (var c = _idom[j]; c != source; c = _idom[c])
                {
                    if (index[c] <= sameLow && sameHigh < index[c] + _size[c]) break;
                    if (_depth[c] < 64) own |= 1UL << _depth[c];
                }
            }
            // A predecessor's bits name the same dominators as j's up to j's depth (j's dominators are its dominators).
            var mask = depth >= 64 ? ulong.MaxValue : (1UL << depth) - 1;
            oneLinkDetour[j] = ((fromPredecessors & mask) | own) & ~1UL;
        }
    }

    /// <summary>
    /// New link counts without k for the part of its subtree down to level <paramref name="cap"/>, and the loss of the
    /// pairs counted from this end; false if a count it found might be too long because of the cap.
    /// </summary>
    private bool HopSearch(int k, int cap, out double loss)
    {
        var offsets = _offsets;
        var neighbours = _neighbours;
        var index = _index;
        var distance = _distance;
        var without = _without;
        var oneLinkDetour = _oneLinkDetour;
        var levelAndIndex = _levelAndIndex;
        var region = _region;
        var attributes = _attributes;
        var root = index[k];
        var end = root + _size[k];
        var half = (int)distance[k] * 2;
        var bit = _depth[k] < 64 ? 1UL << _depth[k] : 0;
        var count = SubtreeWithin(k, cap);
        // Patches with a one-link detour are done. The others start from their best entry: from outside the subtree
        // (a neighbour on their own level, else on the next), or through a neighbour with a one-link detour (at best
        // two more links, as a predecessor with one would have given them one).
        var lowest = (int)distance[k] + 2;
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
            if (level > half) continue; // counted from j's end
            if (cap < int.MaxValue && without[j] > 2.0 * cap - level) return false;
            loss += (level < half ? 2 : 1) * attributes[j] * Lost(level, without[j], _value[j]);
        }
        return true;
    }

    /// <summary>
    /// Like <see cref="LossWithout"/>, but new distances are only searched up to D_sk + radius. Patches settled within
    /// that limit, and whose dominators below k all were, count exactly. Below any other patch y the detour Δ can only
    /// shrink (D'_j ≤ D'_y + D_j − D_y), so its subtree loses at most (1 − e^{−k·Δ}) × its mass, Δ being the detour of
    /// y's parent (all its mass when the parent is k): half of that is taken, and the other half is the error bound.
    /// </summary>
    private (double Loss, double Bound) LossWithinRadius(int k)
    {
        if (++_regionStamp == int.MaxValue)
        {
            Array.Clear(_regionMark);
            Array.Clear(_finalMark);
            Array.Clear(_prefixMark);
            _regionStamp = 1;
        }
        var limit = Math.Min(_distance[k] + _radius, _limit);
        var root = _index[k];
        var end = root + _size[k];
        var lengths = _lengths!;
        var count = SubtreeWithin(k, limit);
        for (var i = 0; i < count; i++) _regionMark[_region[i]] = _regionStamp;
        _heap.Clear();
        for (var i = 0; i < count; i++)
        {
            var y = _region[i];
            var best = double.PositiveInfinity;
            for (var e = _offsets[y]; e < _offsets[y + 1]; e++)
            {
                var t = _index[_neighbours[e]];
                if (t >= root && t < end) continue;
                var through = _distance[_neighbours[e]] + lengths[e];
                if (through < best) best = through;
            }
            _without[y] = best;
            if (best <= limit) _heap.Push(best, y);
        }
        while (_heap.TryPop(out var d, out var y))
        {
            if (d > _without[y] || _finalMark[y] == _regionStamp) continue;
            _finalMark[y] = _regionStamp;
            for (var e = _offsets[y]; e < _offsets[y + 1]; e++)
            {
                var z = _neighbours[e];
                if (_regionMark[z] != _regionStamp || _finalMark[z] == _regionStamp) continue;
                var through = d + lengths[e];
                if (through < _without[z] && through <= limit)
                {
                    _without[z] = through;
                    _heap.Push(through, z);
                }
            }
        }
        // Top down through the settled prefix of k's subtree (the region list is in breadth-first order).
        double loss = 0, bound = 0;
        for (var i = 0; i < count; i++)
        {
            var y = _region[i];
            var parent = _idom[y];
            if (parent != k && _prefixMark[parent] != _regionStamp) continue; // inside a block already bounded
            if (_finalMark[y] == _regionStamp)
            {
                _prefixMark[y] = _regionStamp;
                loss += _attributes[y] * Lost(_distance[y], _without[y], _value[y]);
                for (var c = _firstChild[y]; c >= 0; c = _nextSibling[c])
                {
                    if (_distance[c] <= limit) continue; // in the region: handled in its turn
                    var block = Block(_without[y] - _distance[y], _below[c]);
                    loss += block;
                    bound += block;
                }
            }
            else
            {
                var block = Block(parent == k ? double.PositiveInfinity : _without[parent] - _distance[parent], _below[y]);
                loss += block;
                bound += block;
            }
        }
        // Children of k beyond the limit altogether.
        for (var c = _firstChild[k]; c >= 0; c = _nextSibling[c])
        {
            if (_distance[c] > limit)
            {
                loss += _below[c] / 2;
                bound += _below[c] / 2;
            }
        }
        return (loss, bound);
    }

    // Half the most a subtree of the given mass can lose when its root's detour is at most `detour`.
    private double Block(double detour, double mass) =>
        double.IsPositiveInfinity(detour) ? mass / 2
        : -mass * ExpMinusOne(-_decay * detour) / 2;

    // v(before) − v(after) without cancellation when the detour is small.
    private double Lost(double before, double after, double valueBefore)
    {
        if (double.IsPositiveInfinity(after)) return valueBefore;
        if (_lengths is null) return (after - before) / ((1 + before) * (1 + after));
        return -valueBefore * ExpMinusOne(-_decay * (after - before));
    }

    // exp(x) − 1, accurate for small x (Kahan's method: the rounding errors of u − 1 and ln u cancel).
    private static double ExpMinusOne(double x)
    {
        var u = Math.Exp(x);
        if (u == 1) return x;
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }
}
