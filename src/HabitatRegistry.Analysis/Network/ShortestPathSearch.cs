namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// One search from a source patch s over its component: the shortest distance D_j to every patch j it reaches
/// (Dijkstra over link lengths, or breadth-first over link counts), v(D_j), and the dominator tree of that search:
/// k dominates j when every shortest path from s to j passes through k. The patches k dominates are k's subtree, which
/// is the preorder range [<see cref="Index"/>[k], Index[k] + <see cref="Size"/>[k]). docs/network-algorithm.md
/// explains what the indices take from it.
/// </summary>
/// <remarks>
/// The search is reused for every source (one per worker): each array holds the last source's values, for the
/// <see cref="Count"/> patches in <see cref="Order"/>. Patches the search saw but did not settle (beyond a distance
/// limit) have index −1, so they count as outside every subtree.
/// </remarks>
internal sealed class ShortestPathSearch
{
    private const int Unsettled = int.MaxValue;

    // The searches (Dijkstra, BreadthFirst) copy the arrays they use into locals first, so that the JIT keeps them in
    // registers in the inner loops (the same holds for the connector's searches; 6 % of the 10,000-patch benchmark).

    private readonly double _decay;
    private readonly MinHeap _heap;
    private readonly int[] _seen; // == _stamp: seen by the last search
    private readonly int[] _rank; // position in Order, or Unsettled
    private readonly int[] _stack;
    private int _stamp;

    /// <summary>A search over distances (<paramref name="lengths"/> given, v = exp(−decay·D)) or link counts (null, v = 1/(1 + D)).</summary>
    /// <param name="tieOrder">
    /// The caller's number of each patch, if the patches were renumbered: patches at equal distances settle in that
    /// order, so betweenness follows the same paths whatever the numbering.
    /// </param>
    public ShortestPathSearch(int[] offsets, int[] neighbours, double[]? lengths, double[] attributes, double decay, int[]? tieOrder = null)
    {
        Offsets = offsets;
        Neighbours = neighbours;
        Lengths = lengths;
        Attributes = attributes;
        _decay = decay;
        _heap = new MinHeap(tieOrder);
        var n = attributes.Length;
        _seen = new int[n];
        _rank = new int[n];
        _stack = new int[n];
        Order = new int[n];
        Distance = new double[n];
        Value = new double[n];
        Dominator = new int[n];
        Predecessor = new int[n];
        FirstChild = new int[n];
        NextSibling = new int[n];
        Preorder = new int[n];
        Index = new int[n];
        Size = new int[n];
        Mass = new double[n];
        PathTreeMass = new double[n];
    }

    /// <summary>The graph, as offsets into <see cref="Neighbours"/> per patch.</summary>
    public int[] Offsets { get; }

    public int[] Neighbours { get; }

    /// <summary>The length of each link, by adjacency position; null: the search counts links.</summary>
    public double[]? Lengths { get; }

    /// <summary>a_j.</summary>
    public double[] Attributes { get; }

    /// <summary>How many patches the last search settled.</summary>
    public int Count { get; private set; }

    /// <summary>The settled patches in the order they were settled; Order[0] is the source.</summary>
    public int[] Order { get; }

    /// <summary>D_j: the shortest distance (or link count) from the source.</summary>
    public double[] Distance { get; }

    /// <summary>v(D_j): exp(−decay·D_j) over distances, 1/(1 + D_j) over link counts.</summary>
    public double[] Value { get; }

    /// <summary>The immediate dominator (parent in the dominator tree); the source's is −1.</summary>
    public int[] Dominator { get; }

    /// <summary>The first-settled shortest-path predecessor (searches over distances only): Graphab's one path per pair.</summary>
    public int[] Predecessor { get; }

    /// <summary>The dominator tree's children, as a list: the first child, then each child's next sibling (−1 ends it).</summary>
    public int[] FirstChild { get; }

    public int[] NextSibling { get; }

    /// <summary>The settled patches in preorder of the dominator tree.</summary>
    public int[] Preorder { get; }

    /// <summary>Each patch's position in <see cref="Preorder"/>; −1 for a patch seen but not settled.</summary>
    public int[] Index { get; }

    /// <summary>The number of patches in each patch's dominator subtree, itself included.</summary>
    public int[] Size { get; }

    /// <summary>Σ a_j v(D_j) over each patch's dominator subtree, itself included.</summary>
    public double[] Mass { get; }

    /// <summary>Σ a_j v(D_j) over each patch's subtree in the tree of first-settled predecessors (after <see cref="SumPathTree"/>).</summary>
    public double[] PathTreeMass { get; }

    /// <summary>Σ_{j≠s} a_j v(D_j) of the last search (after <see cref="SumOverReached"/>).</summary>
    public double Flux { get; private set; }

    /// <summary>Σ_{j≠s} 1/D_j of the last search (the Harary sum when counting links).</summary>
    public double InverseDistances { get; private set; }

    /// <summary>Σ a_j over the patches the last search settled, the source included.</summary>
    public double Reached { get; private set; }

    /// <summary>
    /// Settles the patches from <paramref name="source"/>, up to <paramref name="limit"/> when searching over distances
    /// (link counts have no limit), and finds each one's immediate dominator on the way.
    /// </summary>
    public void Search(int source, double limit)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }
        if (Lengths is null) BreadthFirst(source);
        else Dijkstra(source, limit);
    }

    /// <summary>Whether the last search settled <paramref name="node"/>.</summary>
    public bool IsSettled(int node) => _seen[node] == _stamp && _rank[node] != Unsettled;

    private void Discover(int node, double distance)
    {
        _seen[node] = _stamp;
        _rank[node] = Unsettled;
        Distance[node] = distance;
        Index[node] = -1; // outside every subtree until settled (a search with a limit leaves some unsettled)
    }

    // A patch's immediate dominator is the nearest common dominator of its shortest-path predecessors settled before it.
    private void Dijkstra(int source, double limit)
    {
        var offsets = Offsets;
        var neighbours = Neighbours;
        var distance = Distance;
        var rank = _rank;
        var seen = _seen;
        var order = Order;
        var lengths = Lengths!;
        _heap.Clear();
        var count = 0;
        Discover(source, 0);
        _heap.Push(0, source);
        while (_heap.TryPop(out var d, out var v))
        {
            if (d > limit) break;
            if (rank[v] != Unsettled || d > distance[v]) continue;
            rank[v] = count;
            order[count++] = v;
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
            Dominator[v] = idom;
            Predecessor[v] = parent;
            Value[v] = Math.Exp(-_decay * d);
        }
        Count = count;
    }

    private void BreadthFirst(int source)
    {
        var offsets = Offsets;
        var neighbours = Neighbours;
        var distance = Distance;
        var rank = _rank;
        var seen = _seen;
        var order = Order;
        var count = 0;
        Discover(source, 0);
        rank[source] = count;
        order[count++] = source;
        for (var head = 0; head < count; head++)
        {
            var v = order[head];
            var d = distance[v];
            var idom = -1;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = neighbours[e];
                if (seen[u] != _stamp)
                {
                    Discover(u, d + 1);
                    rank[u] = count;
                    order[count++] = u;
                }
                else if (idom != source && distance[u] == d - 1)
                {
                    idom = idom < 0 ? u : Intersect(idom, u);
                }
            }
            Dominator[v] = idom;
            Value[v] = 1 / (1 + d);
        }
        Count = count;
    }

    // The nearest common dominator of a and b: dominators settle earlier, so walk up from the later one.
    private int Intersect(int a, int b)
    {
        while (a != b)
        {
            while (_rank[a] > _rank[b]) a = Dominator[a];
            while (_rank[b] > _rank[a]) b = Dominator[b];
        }
        return a;
    }

    /// <summary>The children lists, preorder and index, subtree sizes and masses of the last search's dominator tree.</summary>
    public void BuildDominatorTree()
    {
        var order = Order;
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            var v = order[i];
            FirstChild[v] = -1;
            Size[v] = 1;
            Mass[v] = Attributes[v] * Value[v];
        }
        for (var i = count - 1; i > 0; i--)
        {
            var v = order[i];
            var parent = Dominator[v];
            NextSibling[v] = FirstChild[parent];
            FirstChild[parent] = v;
        }
        var stack = _stack;
        var top = 0;
        var next = 0;
        stack[top++] = order[0];
        while (top > 0)
        {
            var v = stack[--top];
            Index[v] = next;
            Preorder[next++] = v;
            for (var c = FirstChild[v]; c >= 0; c = NextSibling[c]) stack[top++] = c;
        }
        for (var i = count - 1; i > 0; i--)
        {
            var v = Preorder[i];
            var parent = Dominator[v];
            Size[parent] += Size[v];
            Mass[parent] += Mass[v];
        }
    }

    /// <summary>
    /// <see cref="PathTreeMass"/>: Graphab's betweenness follows one shortest path per pair, through each patch's
    /// first-settled predecessor.
    /// </summary>
    public void SumPathTree()
    {
        var order = Order;
        for (var i = 0; i < Count; i++) PathTreeMass[order[i]] = Attributes[order[i]] * Value[order[i]];
        for (var i = Count - 1; i > 0; i--) PathTreeMass[Predecessor[order[i]]] += PathTreeMass[order[i]];
    }

    /// <summary><see cref="Flux"/>, <see cref="InverseDistances"/> and <see cref="Reached"/> of the last search.</summary>
    public void SumOverReached()
    {
        var a = Attributes;
        var order = Order;
        double flux = 0, inverse = 0, reached = a[order[0]];
        for (var i = 1; i < Count; i++)
        {
            var j = order[i];
            flux += a[j] * Value[j];
            inverse += 1 / Distance[j];
            reached += a[j];
        }
        Flux = flux;
        InverseDistances = inverse;
        Reached = reached;
    }

    /// <summary>
    /// The patches <paramref name="root"/> dominates (its subtree, itself left out) up to <paramref name="cap"/> from the
    /// source, into <paramref name="into"/> in breadth-first order of the dominator tree; their count. Distances only
    /// grow down the dominator tree, so the walk stops at the cap, and these are exactly the subtree's patches within it.
    /// </summary>
    public int SubtreeWithin(int root, double cap, int[] into)
    {
        var distance = Distance;
        var firstChild = FirstChild;
        var nextSibling = NextSibling;
        var count = 0;
        for (var c = firstChild[root]; c >= 0; c = nextSibling[c]) if (distance[c] <= cap) into[count++] = c;
        for (var i = 0; i < count; i++)
        {
            for (var c = firstChild[into[i]]; c >= 0; c = nextSibling[c]) if (distance[c] <= cap) into[count++] = c;
        }
        return count;
    }
}
