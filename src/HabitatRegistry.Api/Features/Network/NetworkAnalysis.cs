using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Network;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Features.Network;

/// <summary>What a network request asks for, as given in its query.</summary>
/// <param name="Profile">a species-group profile's name; or d0, p0 and threshold directly</param>
/// <param name="Include">registers to add as patches besides habitat-patches: designations, acquisitions</param>
/// <param name="AsOf">the date designations and acquisitions must be in force on (default today)</param>
/// <param name="LandscapeAreaHa">A_L in ha (default: the city's area)</param>
/// <param name="ConnectorRadius">m: search detours only this far beyond a removed patch (faster on large networks; each
/// patch's dPC then carries its error bound); default: exact</param>
/// <param name="MinProbability">pairs whose p* is below this count as not connected (searches stay where p still matters;
/// each dPC carries its error bound); default 0: exact</param>
public sealed record NetworkQuery(string? Profile, double? D0, double? P0, double? Threshold, string? Include, DateOnly? AsOf, double? LandscapeAreaHa,
    double? ConnectorRadius = null, double? MinProbability = null);

/// <summary>A computed network: its graph (patches, links) and indices.</summary>
public sealed record NetworkResult(Dispersal Dispersal, double LandscapeAreaHa, PatchGraph Graph, NetworkIndices Indices)
{
    public NetworkMetrics Metrics()
    {
        var patches = Indices.Patches
            .Select(p => (Node: Graph.Nodes[p.Node], Index: p))
            .OrderByDescending(p => p.Index.DPc).ThenBy(p => p.Node.PatchId, StringComparer.Ordinal)
            .Select((p, rank) => new PatchMetrics(rank + 1, p.Node.PatchId, p.Node.Source, p.Node.AreaHa, p.Node.Quality, p.Node.Weight, p.Index.Component,
                p.Index.DPc, p.Index.DPcIntra, p.Index.DPcFlux, p.Index.DPcConnector, p.Index.DIic, p.Index.BcPc, p.Index.DPcError))
            .ToList();
        return new NetworkMetrics(Dispersal.Profile, Dispersal.D0, Dispersal.P0, Dispersal.Threshold, LandscapeAreaHa, Dispersal.ConnectorRadius,
            Dispersal.MinProbability, Indices.PcNumError,
            Indices.Nodes, Indices.Links, Indices.Components, Indices.Pc, Indices.PcNum, Indices.EcPc, Indices.Iic, Indices.Harary, Indices.Ccp, Indices.Lcp, patches);
    }
}

/// <summary>
/// Reads a network request, builds the graph in PostGIS and computes the indices. Results are kept while the
/// registers stay as they are (the registry's generation is part of the key), because QGIS asks for a collection
/// page by page; any import makes the next request compute afresh.
/// </summary>
public sealed class NetworkAnalysis(HabitatDb db, PatchGraphBuilder graphs, NetworkCache cache, RegistryGeneration registryGeneration, IOptions<HabitatOptions> options)
{
    /// <summary>The dispersal and patch sources a query asks for, or the problem with it.</summary>
    public async Task<(Dispersal? Dispersal, PatchSources? Sources, double LandscapeAreaHa, ProblemHttpResult? Problem)> ReadAsync(NetworkQuery query, CancellationToken cancellationToken)
    {
        Dispersal dispersal;
        if (query.Profile is not null)
        {
            if (query.D0 is not null || query.Threshold is not null || query.P0 is not null)
                return (null, null, 0, Problems.BadParameter("profile", "Give either a profile or d0, p0 and threshold, not both."));
            var (profile, notFound) = await NetworkProfilesApi.FindAsync(db, query.Profile, cancellationToken);
            if (profile is null) return (null, null, 0, notFound);
            dispersal = new(profile.Name, profile.D0, profile.P0, profile.Threshold, null);
        }
        else
        {
            if (query.D0 is null && query.Threshold is null)
                return (null, null, 0, Problems.BadParameter("profile", "Say which species group: profile=amphibians (GET /network/profiles lists them), or d0 (m), p0 and threshold (m) directly."));
            var errors = NetworkProfileDto.CheckDispersal(query.D0, query.P0, query.Threshold);
            if (errors.Count > 0)
            {
                return (null, null, 0, Problems.BadParameter(errors.First().Key, string.Join(" ", errors.Values.SelectMany(v => v))));
            }
            dispersal = new(null, query.D0!.Value, query.P0 ?? 0.5, query.Threshold!.Value, null);
        }
        if (query.ConnectorRadius is { } radius)
        {
            // The search needs room to look: a radius of 0 would find no detour at all.
            if (!double.IsFinite(radius) || radius <= 0)
                return (null, null, 0, Problems.BadParameter("connectorRadius", $"connectorRadius={radius} must be a distance in metres, more than 0, e.g. 1000 (leave it out for exact figures)."));
            dispersal = dispersal with { ConnectorRadius = radius };
        }
        if (query.MinProbability is { } minProbability)
        {
            if (!(minProbability >= 0 && minProbability < 1))
                return (null, null, 0, Problems.BadParameter("minProbability", $"minProbability={minProbability} must be a probability from 0 (exact) up to, but not including, 1; 1e-9 keeps every dPC within a tiny stated error."));
            dispersal = dispersal with { MinProbability = minProbability };
        }

        var include = (query.Include ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = include.Where(i => i is not ("designations" or "acquisitions")).ToList();
        if (unknown.Count > 0)
            return (null, null, 0, Problems.BadParameter("include", $"include={query.Include}: only designations and acquisitions can be added as patches (habitat-patches always are), not {string.Join(", ", unknown)}."));
        var area = query.LandscapeAreaHa ?? options.Value.City.AreaHa;
        if (!double.IsFinite(area) || area <= 0)
            return (null, null, 0, Problems.BadParameter("landscapeAreaHa", $"landscapeAreaHa={query.LandscapeAreaHa} must be an area in hectares, more than 0."));
        if (query.AsOf is { } date && !FiscalYear.IsPlausible(date))
            return (null, null, 0, Problems.BadParameter("asOf", $"asOf={date:yyyy-MM-dd} is outside the {FiscalYear.PlausibleRange}."));
        var asOf = query.AsOf ?? FiscalYear.TodayInJapan();
        return (dispersal, new PatchSources(include.Contains("designations"), include.Contains("acquisitions"), asOf), area, null);
    }

    /// <summary>The network of the current patches with its indices; null when no patch has any weight (area × quality).</summary>
    public async Task<NetworkResult?> ComputeAsync(Dispersal dispersal, PatchSources sources, double landscapeAreaHa, bool withGeometry, CancellationToken cancellationToken)
    {
        var generation = await registryGeneration.CurrentAsync(cancellationToken);
        string Key(bool geometry) => $"{dispersal}|{sources}|{landscapeAreaHa}|{geometry}|{generation}";
        var key = Key(withGeometry);
        // A result with geometry (from a QGIS layer) serves a request without just as well.
        if ((cache.Get(key) ?? (withGeometry ? null : cache.Get(Key(true)))) is { } kept) return kept;

        // One time limit covers the whole computation, the query for the links included (it is cancelled in the
        // database); a network too large to finish is stopped and answered in words (NetworkTooLargeException → 503).
        using var limit = TimeLimit(cancellationToken);
        PatchGraph? graph = null;
        NetworkResult result;
        try
        {
            graph = await GraphAsync(dispersal, sources, [], withGeometry, limit.Token);
            if (graph is null) return null;
            result = new NetworkResult(dispersal, landscapeAreaHa, graph, Indices(graph, dispersal, landscapeAreaHa, limit.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or Npgsql.NpgsqlException && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new NetworkTooLargeException(options.Value.ReportTimeLimitSeconds, graph?.Nodes.Count, graph?.Links.Count);
        }
        cache.Set(key, result);
        return result;
    }

    /// <summary>The request's time limit (Habitat:ReportTimeLimitSeconds), from now.</summary>
    public CancellationTokenSource TimeLimit(CancellationToken request)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(request);
        limit.CancelAfter(TimeSpan.FromSeconds(options.Value.ReportTimeLimitSeconds));
        return limit;
    }

    /// <summary>The graph of the current patches and the candidates (last); null when no patch has any weight.</summary>
    public async Task<PatchGraph?> GraphAsync(Dispersal dispersal, PatchSources sources, IReadOnlyList<Candidate> candidates, bool withGeometry, CancellationToken cancellationToken)
    {
        var graph = await graphs.BuildAsync(sources, dispersal.Threshold, candidates, withGeometry, cancellationToken);
        return graph.Nodes.Take(graph.Nodes.Count - candidates.Count).All(n => n.Weight <= 0) ? null : graph;
    }

    /// <summary>The indices of a graph of patches.</summary>
    public static NetworkIndices Indices(PatchGraph graph, Dispersal dispersal, double landscapeAreaHa, CancellationToken cancellationToken = default) =>
        ConnectivityIndices.Compute(Habitat(graph), new DispersalKernel(dispersal.D0, dispersal.P0), landscapeAreaHa, Options(dispersal), cancellationToken);

    /// <summary>The candidates (the nodes from <paramref name="baseCount"/> on) ranked by the PCnum they would add, and the greedy sequence.</summary>
    public static ScenarioRanking Scenarios(PatchGraph graph, int baseCount, int sequence, Dispersal dispersal, CancellationToken cancellationToken = default) =>
        ScenarioRanking.Rank(Habitat(graph), baseCount, [.. graph.Nodes.Skip(baseCount).Select(n => n.PatchId)], sequence,
            new DispersalKernel(dispersal.D0, dispersal.P0), Options(dispersal), cancellationToken);

    private static HabitatGraph Habitat(PatchGraph graph) =>
        new(graph.Nodes.Select(n => n.Weight).ToList(), graph.Links.Select(l => new HabitatLink(l.From, l.To, l.DistanceM)));

    private static ConnectivityOptions Options(Dispersal dispersal) =>
        new(dispersal.ConnectorRadius ?? double.PositiveInfinity, MinProbability: dispersal.MinProbability);
}

/// <summary>The last few computed networks, by request and state of the registers.</summary>
public sealed class NetworkCache
{
    private const int Capacity = 8;
    private readonly LinkedList<(string Key, NetworkResult Result)> entries = new();

    public NetworkResult? Get(string key)
    {
        lock (entries) return entries.FirstOrDefault(e => e.Key == key).Result;
    }

    public void Set(string key, NetworkResult result)
    {
        lock (entries)
        {
            entries.AddFirst((key, result));
            while (entries.Count > Capacity) entries.RemoveLast();
        }
    }
}

/// <summary>The indices could not be computed within the time limit (answered with a 503 that says what to do).</summary>
public sealed class NetworkTooLargeException(double seconds, int? patches, int? links) : Exception(
    (patches is null ? $"Finding the links between the patches was stopped after {seconds:0} s: the threshold reaches too far for this many patches. "
        : $"Computing every patch's dPC exactly for {patches:N0} patches and {links:N0} links was stopped after {seconds:0} s. ")
    + "Ask again with minProbability=1e-9 (pairs less likely to connect than that count as unconnected, and each dPC gives its "
    + "error bound), connectorRadius=1000 as well for dense landscapes (detours are searched 1 km beyond a removed patch), with a smaller threshold, or run the command line's network-indices on exported node and distance files.");
