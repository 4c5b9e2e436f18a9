namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// A binary min-heap of (key, node) for Dijkstra with lazy deletion: stale entries are skipped by the caller. Equal keys
/// come out in node order (or in the order <c>tieOrder</c> gives the nodes), so ties are settled the same way on every
/// run.
/// </summary>
internal sealed class MinHeap(int[]? tieOrder = null)
{
    private double[] _keys = new double[64];
    private int[] _nodes = new int[64];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Push(double key, int node)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _nodes, Count * 2);
        }
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (Before(_keys[parent], _nodes[parent], key, node)) break;
            _keys[i] = _keys[parent];
            _nodes[i] = _nodes[parent];
            i = parent;
        }
        _keys[i] = key;
        _nodes[i] = node;
    }

    public bool TryPop(out double key, out int node)
    {
        if (Count == 0)
        {
            key = 0;
            node = -1;
            return false;
        }
        key = _keys[0];
        node = _nodes[0];
        var lastKey = _keys[--Count];
        var lastNode = _nodes[Count];
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= Count) break;
            if (child + 1 < Count && Before(_keys[child + 1], _nodes[child + 1], _keys[child], _nodes[child])) child++;
            if (!Before(_keys[child], _nodes[child], lastKey, lastNode)) break;
            _keys[i] = _keys[child];
            _nodes[i] = _nodes[child];
            i = child;
        }
        _keys[i] = lastKey;
        _nodes[i] = lastNode;
        return true;
    }

    private bool Before(double key, int node, double otherKey, int otherNode) =>
        key < otherKey || (key == otherKey && (tieOrder is null ? node <= otherNode : tieOrder[node] <= tieOrder[otherNode]));
}
