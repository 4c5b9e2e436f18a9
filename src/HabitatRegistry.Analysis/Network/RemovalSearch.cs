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
/// <para>With ties (equal link counts, touching patches at distance 0) predecessors settled later are left out,
/// which can only make subtrees larger than needed, never wrong: the confined search still finds the true distances.</para>
/// </remarks>
internal sealed class RemovalSearch
{
    private const int Unsettled = int.MaxValue;

    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly double[]? _lengths; // null: count links (every link has length 1)
    private readonly double[] _attributes;
    private readonly double _decay;

    private readonly int[] _seen;
    private readonly int[] _rank;
    private readonly int[] _order;
    private readonly int[] _idom;
    private readonly int[] _parent;
    private readonly int[] _firstChild;
    private readonly int[] _nextSibling;
    private readonly int[] _preorder;
    private readonly int[] _index;
    private readonly int[] _size;
    private readonly double[] _distance;
    private readonly double[] _without;
    private readonly double[] _value;
    private readonly double[] _below;
    private readonly double[] _treeBelow;
    private readonly MinHeap _heap = new();
    private int _stamp;
    private int _count;

    /// <summary>A search over distances (<paramref name="lengths"/> given, v = exp(−decay·D)) or link counts (v = 1/(1 + nl)).</summary>
    public RemovalSearch(int[] offsets, int[] neighbours, double[]? lengths, double[] attributes, double decay)
    {
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
        _size = new int[n];
        _distance = new double[n];
        _without = new double[n];
        _value = new double[n];
        _below = new double[n];
        _treeBelow = new double[n];
    }

    /// <summary>Σ_{j≠s} a_j v(D_sj) of the last source.</summary>
    public double Flux { get; private set; }

    /// <summary>Σ_{j≠s} 1/D_sj of the last source (the Harary sum when counting links).</summary>
    public double InverseDistances { get; private set; }

    /// <summary>
    /// Searches from <paramref name="source"/>; adds a_s·(what the pairs (s, j) lose without k) to connector[k] and,
    /// if <paramref name="betweenness"/> is given, a_s·Σ a_j v(D_sj) over the j ≠ k whose shortest path from s passes
    /// through k to betweenness[k] (one path per pair: where paths tie, each patch's first-settled predecessor).
    /// </summary>
    public void Run(int source, double[] connector, double[]? betweenness)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }
        if (_lengths is null) BreadthFirst(source);
        else Dijkstra(source);
        BuildDominatorTree(source);
        if (betweenness is not null) SumShortestPathTree();

        var a = _attributes;
        double flux = 0, inverse = 0;
        for (var i = 1; i < _count; i++)
        {
            var j = _order[i];
            flux += a[j] * _value[j];
            inverse += 1 / _distance[j];
        }
        Flux = flux;
        InverseDistances = inverse;

        var weight = a[source];
        for (var i = 1; i < _count; i++)
        {
            var k = _order[i];
            if (betweenness is not null) betweenness[k] += weight * (_treeBelow[k] - a[k] * _value[k]);
            if (_size[k] > 1) connector[k] += weight * LossWithout(k); // k dominates nobody: nothing changes without it
        }
    }

    private void Discover(int node, double distance)
    {
        _seen[node] = _stamp;
        _rank[node] = Unsettled;
        _distance[node] = distance;
    }

    private void Dijkstra(int source)
    {
        var lengths = _lengths!;
        _heap.Clear();
        _count = 0;
        Discover(source, 0);
        _heap.Push(0, source);
        while (_heap.TryPop(out var d, out var v))
        {
            if (_rank[v] != Unsettled || d > _distance[v]) continue;
            _rank[v] = _count;
            _order[_count++] = v;
            int idom = -1, parent = -1;
            for (var e = _offsets[v]; e < _offsets[v + 1]; e++)
            {
                var u = _neighbours[e];
                var through = d + lengths[e];
                if (_seen[u] != _stamp)
                {
                    Discover(u, through);
                    _heap.Push(through, u);
                }
                else if (_rank[u] != Unsettled)
                {
                    // Settled before v: a shortest-path predecessor if the distances add up exactly.
                    if (_distance[u] + lengths[e] != d) continue;
                    if (parent < 0 || _rank[u] < _rank[parent]) parent = u;
                    if (idom != source) idom = idom < 0 ? u : Intersect(idom, u);
                }
                else if (through < _distance[u])
                {
                    _distance[u] = through;
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
        _count = 0;
        Discover(source, 0);
        _rank[source] = _count;
        _order[_count++] = source;
        for (var head = 0; head < _count; head++)
        {
            var v = _order[head];
            var d = _distance[v];
            var idom = -1;
            for (var e = _offsets[v]; e < _offsets[v + 1]; e++)
            {
                var u = _neighbours[e];
                if (_seen[u] != _stamp)
                {
                    Discover(u, d + 1);
                    _rank[u] = _count;
                    _order[_count++] = u;
                }
                else if (idom != source && _distance[u] == d - 1)
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
        // Preorder with an explicit stack; _index is free until the preorder is complete.
        var stack = _index;
        var top = 0;
        var next = 0;
        stack[top++] = source;
        while (top > 0)
        {
            var v = stack[--top];
            _preorder[next++] = v;
            for (var c = _firstChild[v]; c >= 0; c = _nextSibling[c]) stack[top++] = c;
        }
        for (var i = 0; i < _count; i++) _index[_preorder[i]] = i;
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

    /// <summary>Σ over the patches y that k dominates of a_y (v(D_sy) − v(D_sy without k)).</summary>
    private double LossWithout(int k)
    {
        var root = _index[k];
        var first = root + 1;
        var end = root + _size[k];
        var lengths = _lengths;
        _heap.Clear();
        for (var i = first; i < end; i++)
        {
            var y = _preorder[i];
            var best = double.PositiveInfinity;
            for (var e = _offsets[y]; e < _offsets[y + 1]; e++)
            {
                var t = _index[_neighbours[e]];
                if (t >= root && t < end) continue;
                var through = _distance[_neighbours[e]] + (lengths is null ? 1 : lengths[e]);
                if (through < best) best = through;
            }
            _without[y] = best;
            if (best < double.PositiveInfinity) _heap.Push(best, y);
        }
        while (_heap.TryPop(out var d, out var y))
        {
            if (d > _without[y]) continue;
            for (var e = _offsets[y]; e < _offsets[y + 1]; e++)
            {
                var z = _neighbours[e];
                var t = _index[z];
                if (t < first || t >= end) continue;
                var through = d + (lengths is null ? 1 : lengths[e]);
                if (through < _without[z])
                {
                    _without[z] = through;
                    _heap.Push(through, z);
                }
            }
        }
        double loss = 0;
        for (var i = first; i < end; i++)
        {
            var y = _preorder[i];
            loss += _attributes[y] * Lost(_distance[y], _without[y], _value[y]);
        }
        return loss;
    }

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
