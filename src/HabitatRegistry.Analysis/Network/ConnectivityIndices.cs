using System.Globalization;

namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// Computes the connectivity indices of a habitat graph (<see cref="NetworkIndices"/>): PC with its per-patch dPC
/// split, IIC with dIIC, Harary, NC, CCP, LCP and Graphab's BC and F.
/// </summary>
/// <remarks>
/// <para>Every patch's removal is evaluated exactly (up to floating-point rounding, with link lengths put on a fine
/// power-of-two grid: <see cref="ExactSumLengths"/>), without recomputing the network n times:
/// one shortest-path search per source patch within its component gives PCnum, intra and flux in closed form, and
/// the connector through the dominator tree of that search (see <see cref="RemovalSearch"/>): only the pairs whose
/// every shortest path runs through the removed patch change, and their new distances come from a search confined
/// to the patches it dominates. IIC does the same over link counts (breadth-first). Patches are renumbered in
/// breadth-first order first, so that linked patches sit close together in memory.</para>
/// <para>Cost: per component of c patches and l links, c searches of O(l log c) plus the confined searches, whose
/// total is Σ over patches of (depth in the shortest-path tree) × degree per source; memory O(n + links) per
/// worker, no n × n matrix. Sources are spread over the processors.</para>
/// </remarks>
public static class ConnectivityIndices
{
    /// <param name="graph">Patches and links (already limited to the linked pairs).</param>
    /// <param name="kernel">The dispersal kernel for p_ij.</param>
    /// <param name="landscapeArea">A_L, in the unit of the attributes (ha if the attributes are hectares).</param>
    /// <param name="options">Search radius for the connector and parallelism; by default exact, on every processor.</param>
    /// <param name="cancellationToken">Checked between source patches.</param>
    /// <exception cref="ArgumentException">No patches, no positive attribute, or A_L not positive.</exception>
    public static NetworkIndices Compute(HabitatGraph graph, DispersalKernel kernel, double landscapeArea, ConnectivityOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(graph, kernel, options);
        if (!double.IsFinite(landscapeArea) || landscapeArea <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The landscape area A_L must be a positive area in the unit of the patch attributes; got {landscapeArea}."), nameof(landscapeArea));
        }
        var n = graph.NodeCount;
        (graph, var order) = graph.InBreadthFirstOrder(); // from here on, patch i is order[i] of the caller's graph
        // Numbered as in the caller's graph: the renumbering takes components in the order of their first patch too.
        var (component, componentCount, componentSize, componentAttribute) = Components(graph);
        var a = graph.Attributes.ToArray();
        var limit = Limit(kernel, options);
        var workers = Math.Max(1, Math.Min(options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, n));
        var flux = new double[n];
        var hopFlux = new double[n];
        var harary = new double[n];
        var connector = new double[workers][];
        var hopConnector = new double[workers][];
        var betweenness = new double[workers][];
        var error = new double[workers][];
        var unreached = new double[n]; // Σ a_j p*_sj over the j beyond the limit is at most MinProbability × this
        var farPairs = new double[workers][]; // per component: Σ_s a_s × that, what any patch's connector may miss
        var (offsets, neighbours, lengths) = WithoutRedundantLinks(graph, ExactSumLengths(graph), a, workers, cancellationToken);
        // Worker t takes sources t, t + workers, …: a fixed split, so the sums come out the same on every run.
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, t =>
        {
            connector[t] = new double[n];
            hopConnector[t] = new double[n];
            betweenness[t] = new double[n];
            error[t] = new double[n];
            farPairs[t] = new double[componentCount];
            var distances = RemovalSearch.OverDistances(offsets, neighbours, lengths, a, kernel.Decay, options.ConnectorSearchRadius, limit, order);
            var hops = RemovalSearch.OverLinkCounts(graph.Offsets, graph.Neighbours, a);
            for (var s = t; s < n; s += workers)
            {
                if (componentSize[component[s]] == 1) continue;
                cancellationToken.ThrowIfCancellationRequested();
                distances.Run(s, connector[t], betweenness[t], error[t]);
                flux[s] = distances.Flux;
                unreached[s] = Math.Max(0, componentAttribute[component[s]] - distances.Reached);
                farPairs[t][component[s]] += a[s] * unreached[s];
                hops.Run(s, hopConnector[t], null);
                hopFlux[s] = hops.Flux;
                harary[s] = hops.InverseDistances;
            }
        });

        var (pcNum, pcNumMissed) = SumPcNum(a, flux, unreached, options.MinProbability);
        double iicNum = 0, h = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            iicNum += a[i] * (a[i] + hopFlux[i]);
            h += harary[i];
            total += a[i];
        }
        double ccp = 0, lcp = 0;
        foreach (var c in componentAttribute)
        {
            ccp += c / total * (c / total);
            lcp += c / landscapeArea * (c / landscapeArea);
        }

        var patches = new PatchIndices[n];
        for (var k = 0; k < n; k++)
        {
            // The connector's own bound, the pairs beyond the limit (through k or not: a loose but safe bound), k's flux
            // beyond it, and the part of PCnum missed, which scales every d-value.
            double con = 0, hopCon = 0, bc = 0, bound = 0;
            for (var t = 0; t < workers; t++)
            {
                bound += error[t][k] + farPairs[t][component[k]] * options.MinProbability;
                con += connector[t][k];
                hopCon += hopConnector[t][k];
                bc += betweenness[t][k];
            }
            var intra = 100 * a[k] * a[k] / pcNum;
            var fluxPart = 100 * 2 * a[k] * flux[k] / pcNum;
            var conPart = 100 * con / pcNum;
            var hopIntra = 100 * a[k] * a[k] / iicNum;
            var hopFluxPart = 100 * 2 * a[k] * hopFlux[k] / iicNum;
            var hopConPart = 100 * hopCon / iicNum;
            bound += 2 * a[k] * unreached[k] * options.MinProbability;
            var dPc = intra + fluxPart + conPart;
            patches[order[k]] = new PatchIndices(order[k], a[k], component[k],
                dPc, intra, fluxPart, conPart,
                hopIntra + hopFluxPart + hopConPart, hopIntra, hopFluxPart, hopConPart,
                bc / 2, flux[k], 100 * bound / pcNum + dPc * pcNumMissed / pcNum);
        }
        var area2 = landscapeArea * landscapeArea;
        return new NetworkIndices(n, graph.LinkCount, componentCount, pcNum, pcNum / area2, Math.Sqrt(pcNum),
            iicNum, iicNum / area2, h / 2, ccp, lcp, patches, pcNumMissed);
    }

    /// <summary>
    /// PCnum alone, Σ_i Σ_j a_i a_j p*_ij: one distance search per patch and nothing else, for comparing many scenarios
    /// (about as costly as the searches of <see cref="Compute"/> without any d-value). Honours
    /// <see cref="ConnectivityOptions.MinProbability"/> and the parallelism; the radius has nothing to limit here.
    /// </summary>
    /// <returns>PCnum and how much it may lack because of the limit (never too large; 0 when exact), as
    /// <see cref="NetworkIndices.PcNumError"/>.</returns>
    /// <exception cref="ArgumentException">No patches or no positive attribute.</exception>
    public static (double PcNum, double Error) PcNum(HabitatGraph graph, DispersalKernel kernel, ConnectivityOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(graph, kernel, options);
        var n = graph.NodeCount;
        var a = graph.Attributes.ToArray();
        var limit = Limit(kernel, options);
        var workers = Math.Max(1, Math.Min(options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, n));
        var (component, _, _, componentAttribute) = Components(graph);
        var reach = new double[n];
        var unreached = new double[n];
        var lengths = ExactSumLengths(graph);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, t =>
        {
            var search = new ShortestPathSearch(graph.Offsets, graph.Neighbours, lengths, a, kernel.Decay);
            for (var s = t; s < n; s += workers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                search.Search(s, limit);
                search.SumOverReached();
                reach[s] = search.Flux;
                unreached[s] = Math.Max(0, componentAttribute[component[s]] - search.Reached);
            }
        });
        return SumPcNum(a, reach, unreached, options.MinProbability);
    }

    // PCnum = Σ a_s (a_s + flux_s), and what it may lack: from each source, the attribute beyond the limit × MinProbability.
    private static (double PcNum, double Missed) SumPcNum(double[] a, double[] flux, double[] unreached, double minProbability)
    {
        double pcNum = 0, missed = 0;
        for (var i = 0; i < a.Length; i++)
        {
            pcNum += a[i] * (a[i] + flux[i]);
            missed += a[i] * unreached[i] * minProbability;
        }
        return (pcNum, missed);
    }

    // Where p still matters: beyond this distance p* < MinProbability, and pairs count as unreachable (their loss bounded).
    private static double Limit(DispersalKernel kernel, ConnectivityOptions options) =>
        options.MinProbability > 0 ? -Math.Log(options.MinProbability) / kernel.Decay : double.PositiveInfinity;

    private static ConnectivityOptions Check(HabitatGraph graph, DispersalKernel kernel, ConnectivityOptions? options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(kernel);
        options ??= new ConnectivityOptions();
        if (!(options.ConnectorSearchRadius > 0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The connector search radius must be a positive distance in metres (or infinite for exact values); got {options.ConnectorSearchRadius}."), nameof(options));
        }
        if (!(options.MinProbability >= 0 && options.MinProbability < 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The smallest probability that counts must be at least 0 (0: exact) and below 1; got {options.MinProbability}."), nameof(options));
        }
        if (graph.NodeCount == 0 || !graph.Attributes.Any(x => x > 0))
        {
            throw new ArgumentException("The network needs at least one patch with a positive attribute (area × quality).", nameof(graph));
        }
        return options;
    }

    /// <summary>
    /// The adjacency without the links that no shortest path needs, even with one patch removed
    /// (<see cref="RedundantLinkSearch"/>): in dense landscapes most links are longer than a path through
    /// other patches, and the distance searches then touch a fraction of them.
    /// </summary>
    private static (int[] Offsets, int[] Neighbours, double[] Lengths) WithoutRedundantLinks(HabitatGraph graph, double[] lengths, double[] a, int workers, CancellationToken cancellationToken)
    {
        var n = graph.NodeCount;
        var redundant = new bool[graph.Neighbours.Length];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, t =>
        {
            var search = new RedundantLinkSearch(graph.Offsets, graph.Neighbours, lengths, a);
            for (var u = t; u < n; u += workers) search.Mark(u, redundant);
        });
        var offsets = new int[n + 1];
        for (var u = 0; u < n; u++)
        {
            for (var e = graph.Offsets[u]; e < graph.Offsets[u + 1]; e++)
            {
                var v = graph.Neighbours[e];
                if (v < u || redundant[e]) continue;
                offsets[u + 1]++;
                offsets[v + 1]++;
            }
        }
        for (var u = 0; u < n; u++) offsets[u + 1] += offsets[u];
        var next = offsets[..n];
        var neighbours = new int[offsets[n]];
        var kept = new double[offsets[n]];
        for (var u = 0; u < n; u++)
        {
            for (var e = graph.Offsets[u]; e < graph.Offsets[u + 1]; e++)
            {
                var v = graph.Neighbours[e];
                if (v < u || redundant[e]) continue;
                neighbours[next[u]] = v;
                kept[next[u]++] = lengths[e];
                neighbours[next[v]] = u;
                kept[next[v]++] = lengths[e];
            }
        }
        return (offsets, neighbours, kept);
    }

    /// <summary>
    /// The link lengths rounded to a multiple of a power of two small enough that every path adds up without rounding
    /// (a path is at most (n − 1) × the longest link, and 2^52 quanta are more than that even after rounding up): every
    /// search then finds the same distance for a pair from either end, and the same sum along a path, which
    /// <see cref="ExactDistanceLoss"/> needs to count each pair once from the end farther from a removed patch. Each link
    /// moves by less than 2^-52 of (n − 1) × the longest link (about 1e-8 m for 10,000 patches 2 km apart). Lengths
    /// too extreme for that (beyond 1e300 m) are left as they are.
    /// </summary>
    internal static double[] ExactSumLengths(HabitatGraph graph)
    {
        var longest = graph.Distances.Length == 0 ? 0 : graph.Distances.Max();
        var longestPath = longest * Math.Max(1, graph.NodeCount - 1);
        if (!(longest > 0) || !double.IsFinite(longestPath)) return graph.Distances;
        var quantum = Math.ScaleB(1, Math.ILogB(longestPath) + 1 - 52);
        if (!double.IsNormal(quantum)) return graph.Distances;
        return Array.ConvertAll(graph.Distances, d => Math.Round(d / quantum) * quantum);
    }

    /// <summary>Component of each node (numbered in order of their first node), their count, sizes and attributes.</summary>
    private static (int[] Component, int Count, int[] Size, double[] Attribute) Components(HabitatGraph graph)
    {
        var n = graph.NodeCount;
        var component = new int[n];
        Array.Fill(component, -1);
        var sizes = new List<int>();
        var queue = new int[n];
        for (var start = 0; start < n; start++)
        {
            if (component[start] >= 0) continue;
            var id = sizes.Count;
            int head = 0, tail = 0;
            queue[tail++] = start;
            component[start] = id;
            while (head < tail)
            {
                var v = queue[head++];
                for (var e = graph.Offsets[v]; e < graph.Offsets[v + 1]; e++)
                {
                    var u = graph.Neighbours[e];
                    if (component[u] < 0)
                    {
                        component[u] = id;
                        queue[tail++] = u;
                    }
                }
            }
            sizes.Add(tail);
        }
        var attribute = new double[sizes.Count];
        for (var i = 0; i < n; i++) attribute[component[i]] += graph.Attributes[i];
        return (component, sizes.Count, sizes.ToArray(), attribute);
    }
}
