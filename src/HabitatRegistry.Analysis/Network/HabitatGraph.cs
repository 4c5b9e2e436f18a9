using System.Globalization;

namespace HabitatRegistry.Analysis.Network;

/// <summary>A link between two patches (node indices) with their edge-to-edge distance in metres.</summary>
public readonly record struct HabitatLink(int From, int To, double Distance);

/// <summary>
/// Habitat patches (nodes 0…n−1, each with an attribute a_i: area × quality, in any unit the caller chooses) and the
/// links between them. The links are taken as given: whoever builds the graph decides which pairs are linked
/// (<see cref="WithinThreshold"/> applies Graphab's rule d ≤ threshold).
/// </summary>
public sealed class HabitatGraph
{
    /// <exception cref="ArgumentException">An attribute is negative or not a number, or a link is invalid (named by its position).</exception>
    public HabitatGraph(IReadOnlyList<double> attributes, IEnumerable<HabitatLink> links)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(links);
        var n = attributes.Count;
        var a = new double[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = attributes[i];
            if (!double.IsFinite(a[i]) || a[i] < 0)
            {
                throw new ArgumentException(Text($"Patch {i} has attribute {a[i]}: the attribute (area × quality) must be a number, 0 or more."), nameof(attributes));
            }
        }
        var list = links as IList<HabitatLink> ?? links.ToList();
        var seen = new Dictionary<(int, int), int>(list.Count);
        for (var l = 0; l < list.Count; l++)
        {
            var (from, to, distance) = list[l];
            if (from < 0 || from >= n || to < 0 || to >= n)
            {
                throw new ArgumentException(Text($"Link {l} joins patch {from} to patch {to}, but the patches are numbered 0 to {n - 1}."), nameof(links));
            }
            if (from == to)
            {
                throw new ArgumentException(Text($"Link {l} joins patch {from} to itself: a patch is not linked to itself."), nameof(links));
            }
            if (!double.IsFinite(distance) || distance < 0)
            {
                throw new ArgumentException(Text($"Link {l} (patches {from}–{to}) has distance {distance}: distances are edge-to-edge metres, 0 or more."), nameof(links));
            }
            if (!seen.TryAdd((Math.Min(from, to), Math.Max(from, to)), l))
            {
                throw new ArgumentException(Text($"Patches {from} and {to} are linked twice (links {seen[(Math.Min(from, to), Math.Max(from, to))]} and {l}): give each pair once."), nameof(links));
            }
        }
        Attributes = a;
        Links = list.ToArray();
        (Offsets, Neighbours, Distances) = Adjacency(n, Links);
    }

    private HabitatGraph(double[] attributes, HabitatLink[] links)
    {
        Attributes = attributes;
        Links = links;
        (Offsets, Neighbours, Distances) = Adjacency(attributes.Length, links);
    }

    /// <summary>The graph of the pairs whose distance is at most <paramref name="threshold"/> metres (Graphab's rule: d ≤ threshold).</summary>
    public static HabitatGraph WithinThreshold(IReadOnlyList<double> attributes, IEnumerable<HabitatLink> distances, double threshold)
    {
        if (double.IsNaN(threshold) || threshold < 0)
        {
            throw new ArgumentException(Text($"The link threshold must be a distance in metres, 0 or more; got {threshold}."), nameof(threshold));
        }
        return new HabitatGraph(attributes, distances.Where(d => d.Distance <= threshold));
    }

    /// <summary>Number of patches.</summary>
    public int NodeCount => Attributes.Count;

    /// <summary>Number of links.</summary>
    public int LinkCount => Links.Count;

    /// <summary>a_i per patch.</summary>
    public IReadOnlyList<double> Attributes { get; }

    /// <summary>The links as given.</summary>
    public IReadOnlyList<HabitatLink> Links { get; }

    // Compressed adjacency, both directions: the neighbours of i are Neighbours[Offsets[i]..Offsets[i+1]).
    internal int[] Offsets { get; }

    internal int[] Neighbours { get; }

    internal double[] Distances { get; }

    /// <summary>
    /// The same graph with the patches renumbered in breadth-first order, component by component, and that order
    /// (new number → old number). Linked patches then get nearby numbers, so searches over the graph read memory
    /// mostly in order instead of all over it.
    /// </summary>
    internal (HabitatGraph Graph, int[] Order) InBreadthFirstOrder()
    {
        var n = NodeCount;
        var order = new int[n];
        var number = new int[n];
        Array.Fill(number, -1);
        var count = 0;
        for (var start = 0; start < n; start++)
        {
            if (number[start] >= 0) continue;
            number[start] = count;
            order[count++] = start;
            for (var head = count - 1; head < count; head++)
            {
                var v = order[head];
                for (var e = Offsets[v]; e < Offsets[v + 1]; e++)
                {
                    var u = Neighbours[e];
                    if (number[u] >= 0) continue;
                    number[u] = count;
                    order[count++] = u;
                }
            }
        }
        var attributes = new double[n];
        for (var i = 0; i < n; i++) attributes[i] = Attributes[order[i]];
        var links = Links.Select(l => new HabitatLink(number[l.From], number[l.To], l.Distance)).ToArray();
        return (new HabitatGraph(attributes, links), order);
    }

    private static (int[], int[], double[]) Adjacency(int n, IReadOnlyList<HabitatLink> links)
    {
        var offsets = new int[n + 1];
        foreach (var link in links)
        {
            offsets[link.From + 1]++;
            offsets[link.To + 1]++;
        }
        for (var i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        var next = offsets[..n];
        var neighbours = new int[offsets[n]];
        var distances = new double[offsets[n]];
        foreach (var (from, to, distance) in links)
        {
            neighbours[next[from]] = to;
            distances[next[from]++] = distance;
            neighbours[next[to]] = from;
            distances[next[to]++] = distance;
        }
        return (offsets, neighbours, distances);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
