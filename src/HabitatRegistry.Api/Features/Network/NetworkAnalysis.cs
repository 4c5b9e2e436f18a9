using HabitatRegistry.Analysis.Network;
using HabitatRegistry.Data;
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
public sealed record NetworkQuery(string? Profile, double? D0, double? P0, double? Threshold, string? Include, DateOnly? AsOf, double? LandscapeAreaHa);

/// <summary>A computed network: its graph (patches, links) and indices.</summary>
public sealed record NetworkResult(Dispersal Dispersal, double LandscapeAreaHa, PatchGraph Graph, NetworkIndices Indices)
{
    public NetworkMetrics Metrics()
    {
        var patches = Indices.Patches
            .Select(p => (Node: Graph.Nodes[p.Node], Index: p))
            .OrderByDescending(p => p.Index.DPc).ThenBy(p => p.Node.PatchId, StringComparer.Ordinal)
            .Select((p, rank) => new PatchMetrics(rank + 1, p.Node.PatchId, p.Node.Source, p.Node.AreaHa, p.Node.Quality, p.Node.Weight, p.Index.Component,
                p.Index.DPc, p.Index.DPcIntra, p.Index.DPcFlux, p.Index.DPcConnector, p.Index.DIic, p.Index.BcPc))
            .ToList();
        return new NetworkMetrics(Dispersal.Profile, Dispersal.D0, Dispersal.P0, Dispersal.Threshold, LandscapeAreaHa,
            Indices.Nodes, Indices.Links, Indices.Components, Indices.Pc, Indices.PcNum, Indices.EcPc, Indices.Iic, Indices.Harary, Indices.Ccp, Indices.Lcp, patches);
    }
}

/// <summary>Reads a network request, builds the graph in PostGIS and computes the indices.</summary>
public sealed class NetworkAnalysis(HabitatDb db, PatchGraphBuilder graphs, IOptions<HabitatOptions> options)
{
    /// <summary>The dispersal and patch sources a query asks for, or the problem with it.</summary>
    public async Task<(Dispersal? Dispersal, PatchSources? Sources, double LandscapeAreaHa, ProblemHttpResult? Problem)> ReadAsync(NetworkQuery query, CancellationToken cancellationToken)
    {
        Dispersal dispersal;
        if (query.Profile is not null)
        {
            if (query.D0 is not null || query.Threshold is not null || query.P0 is not null)
                return (null, null, 0, Problems.BadParameter("profile", "Give either a profile or d0, p0 and threshold, not both."));
            var profile = await db.NetworkProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.Name == query.Profile, cancellationToken);
            if (profile is null) return (null, null, 0, await NetworkProfilesApi.UnknownProfileAsync(db, query.Profile, cancellationToken));
            dispersal = new(profile.Name, profile.D0, profile.P0, profile.Threshold);
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
            dispersal = new(null, query.D0!.Value, query.P0 ?? 0.5, query.Threshold!.Value);
        }

        var include = (query.Include ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = include.Where(i => i is not ("designations" or "acquisitions")).ToList();
        if (unknown.Count > 0)
            return (null, null, 0, Problems.BadParameter("include", $"include={query.Include}: only designations and acquisitions can be added as patches (habitat-patches always are), not {string.Join(", ", unknown)}."));
        var area = query.LandscapeAreaHa ?? options.Value.City.AreaHa;
        if (!double.IsFinite(area) || area <= 0)
            return (null, null, 0, Problems.BadParameter("landscapeAreaHa", $"landscapeAreaHa={query.LandscapeAreaHa} must be an area in hectares, more than 0."));
        var asOf = query.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        return (dispersal, new PatchSources(include.Contains("designations"), include.Contains("acquisitions"), asOf), area, null);
    }

    /// <summary>The network of the current patches (and candidates, if any); null when no patch has any weight (area × quality).</summary>
    public async Task<NetworkResult?> ComputeAsync(Dispersal dispersal, PatchSources sources, double landscapeAreaHa, IReadOnlyList<Candidate> candidates, bool withGeometry, CancellationToken cancellationToken)
    {
        var graph = await graphs.BuildAsync(sources, dispersal.Threshold, candidates, withGeometry, cancellationToken);
        if (graph.Nodes.Take(graph.Nodes.Count - candidates.Count).All(n => n.Weight <= 0)) return null;
        return new NetworkResult(dispersal, landscapeAreaHa, graph, Indices(graph, dispersal, landscapeAreaHa));
    }

    /// <summary>The indices of a graph of patches.</summary>
    public static NetworkIndices Indices(PatchGraph graph, Dispersal dispersal, double landscapeAreaHa) =>
        ConnectivityIndices.Compute(
            new HabitatGraph(graph.Nodes.Select(n => n.Weight).ToList(), graph.Links.Select(l => new HabitatLink(l.From, l.To, l.DistanceM))),
            new DispersalKernel(dispersal.D0, dispersal.P0), landscapeAreaHa);
}
