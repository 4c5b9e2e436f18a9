using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HabitatRegistry.Features.Network;

public static class NetworkApi
{
    public static void MapNetwork(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/network").WithTags("Network");
        group.MapGet("/metrics", GetMetrics)
            .IsHeavy()
            .WithName("GetNetworkMetrics")
            .WithSummary("Connectivity of the habitat network for a species group: PC, EC, IIC … and every patch's dPC, most important first")
            .WithDescription("""
                Nodes are the current habitat patches (include=designations,acquisitions adds the parcels in force on asOf,
                quality 1), weighted by area (ha, GRS80) × quality. Two patches are linked when their edge-to-edge distance d
                is at most the threshold (d ≤ threshold, Graphab's rule); p = exp(−k·d) with k = −ln(p0)/d0, and p* is the
                best product over paths. PC = Σ_i Σ_j a_i a_j p*_ij / A_L², A_L the city's area unless landscapeAreaHa is
                given. A patch's dPC is the share of PCnum lost without it: intra (its own habitat), flux (its exchanges with
                the patches it reaches) and connector (its part as a stepping stone between others). d-values in percent.
                """)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <param name="analysis">graph and indices</param>
    /// <param name="profile">a species-group profile, e.g. amphibians (GET /network/profiles)</param>
    /// <param name="d0">instead of a profile: median dispersal distance, m</param>
    /// <param name="p0">instead of a profile: link probability at d0 (default 0.5)</param>
    /// <param name="threshold">instead of a profile: largest edge-to-edge gap crossed, m</param>
    /// <param name="include">designations and/or acquisitions (comma-separated) to add as patches</param>
    /// <param name="asOf">the date those must be in force on, YYYY-MM-DD (default today)</param>
    /// <param name="landscapeAreaHa">A_L in ha (default: the city's area)</param>
    /// <param name="connectorRadius">m, more than 0: search a removed patch's detours only this far (faster on large networks; each dPC then says by how much its connector part may be off); default exact</param>
    /// <param name="minProbability">pairs whose best path probability p* is below this count as not connected, so each search stays within the distance where p still matters (faster on large landscapes; each dPC then says by how much it may be off); default 0, exact</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<NetworkMetrics>, ProblemHttpResult>> GetMetrics(
        NetworkAnalysis analysis, string? profile = null, QueryNumber? d0 = null, QueryNumber? p0 = null, QueryNumber? threshold = null,
        string? include = null, DateOnly? asOf = null, QueryNumber? landscapeAreaHa = null, QueryNumber? connectorRadius = null, QueryNumber? minProbability = null,
        CancellationToken cancellationToken = default)
    {
        var (dispersal, sources, area, problem) = await analysis.ReadAsync(
            new(profile, d0?.Value, p0?.Value, threshold?.Value, include, asOf, landscapeAreaHa?.Value, connectorRadius?.Value, minProbability?.Value), cancellationToken);
        if (problem is not null) return problem;
        var result = await analysis.ComputeAsync(dispersal!, sources!, area, withGeometry: false, cancellationToken);
        return result is null ? NoPatches() : TypedResults.Ok(result.Metrics());
    }

    /// <summary>422 for a network without patches.</summary>
    public static ProblemHttpResult NoPatches() =>
        Problems.Of(StatusCodes.Status422UnprocessableEntity, "There are no habitat patches.",
            "The network has no patches to connect (or all have quality 0): import habitat patches (POST /imports/habitat-patches), or add designations or acquisitions with include=designations,acquisitions.");

}
