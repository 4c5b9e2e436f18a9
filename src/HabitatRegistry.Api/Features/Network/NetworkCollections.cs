using System.Text.Json;
using HabitatRegistry.Data;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace HabitatRegistry.Features.Network;

/// <summary>A feature computed in memory (network outputs), with its properties in order.</summary>
public sealed record ComputedFeature(string Id, Geometry Geometry, IReadOnlyList<KeyValuePair<string, object?>> Properties);

/// <summary>
/// The network of each species-group profile as OGC API collections, so QGIS can colour patches by dPC and
/// draw the links: network-patches-{profile}, network-links-{profile}, network-components-{profile}. They
/// are computed from the current habitat patches on each request (A_L: the city's area).
/// </summary>
public static class NetworkCollections
{
    private static readonly string[] Kinds = ["patches", "links", "components"];

    /// <summary>The network is computed in lon/lat from the registers; other systems are the registers' own collections'.</summary>
    public static string OnlyCrs84(string parameter, string given) =>
        $"{parameter}={given}: the network's collections are served in CRS84 ({OgcApi.CrsReferences.Crs84}) only; the registers' collections offer the other coordinate systems.";

    /// <summary>The kind and profile of a network collection id, or null for other collections.</summary>
    public static (string Kind, string Profile)? Parse(string collectionId)
    {
        foreach (var kind in Kinds)
        {
            var prefix = $"network-{kind}-";
            if (collectionId.StartsWith(prefix, StringComparison.Ordinal) && collectionId.Length > prefix.Length) return (kind, collectionId[prefix.Length..]);
        }
        return null;
    }

    public static async Task<List<Collection>> DescribeAllAsync(HttpRequest request, HabitatDb db, CancellationToken cancellationToken)
    {
        var profiles = await db.NetworkProfiles.AsNoTracking().OrderBy(p => p.D0).ToListAsync(cancellationToken);
        return [.. profiles.SelectMany(p => Kinds.Select(kind => Describe(request, kind, p)))];
    }

    /// <summary>A network collection, or the problem with its profile (404 for an unknown one).</summary>
    public static async Task<(Collection? Collection, ProblemHttpResult? Problem)> DescribeAsync(HttpRequest request, HabitatDb db, string kind, string profileName, CancellationToken cancellationToken)
    {
        var (profile, problem) = await NetworkProfilesApi.FindAsync(db, profileName, cancellationToken);
        return profile is null ? (null, problem) : (Describe(request, kind, profile), null);
    }

    private static Collection Describe(HttpRequest request, string kind, NetworkProfile profile)
    {
        var id = $"network-{kind}-{profile.Name}";
        var url = $"{request.Root()}/collections/{id}";
        var (title, description) = kind switch
        {
            "patches" => ($"Network patches, {profile.TitleEn} ({profile.TitleJa})", "Habitat patches with their importance to the network (dPC and its intra/flux/connector parts, dIIC, BC); colour by dpc."),
            "links" => ($"Network links, {profile.TitleEn} ({profile.TitleJa})", "The shortest segment between two patches that are linked (edge-to-edge distance ≤ threshold), with distance and probability."),
            _ => ($"Network components, {profile.TitleEn} ({profile.TitleJa})", "Groups of patches connected by links, as MultiPolygons."),
        };
        description += $" d0 = {profile.D0} m, p0 = {profile.P0}, threshold = {profile.Threshold} m.";
        return new Collection(id, title, description, "feature", null, [OgcApi.CrsReferences.Crs84], OgcApi.CrsReferences.Crs84,
        [
            new(url, "self", MediaTypes.Json, title),
            new($"{url}?f=html", "alternate", MediaTypes.Html, $"{title} as an HTML page"),
            new($"{url}/items", "items", MediaTypes.GeoJson, $"{title} as GeoJSON"),
            new($"{url}/schema", "describedBy", MediaTypes.JsonSchema, "The properties of the features and their types"),
            .. kind is "patches" or "links" ? [new OgcLink($"{url}/tiles", Tiles.TilesApi.TilesetsRel, MediaTypes.Json, $"{title} as vector tiles")] : Array.Empty<OgcLink>(),
        ]);
    }

    public static Dictionary<string, object> Schema(string kind)
    {
        object Number(string description) => new { type = "number", description };
        object Integer(string description) => new { type = "integer", description };
        object Text(string description) => new { type = "string", description };
        return kind switch
        {
            "patches" => new()
            {
                ["patch_id"] = Text("the patch's id in its register"), ["source"] = Text("habitat-patches"), ["rank"] = Integer("1 = highest dPC"),
                ["area_ha"] = Number("area on the GRS80 ellipsoid, ha"), ["quality"] = Number("0–1"), ["weight"] = Number("area × quality"),
                ["component"] = Integer("the component it belongs to"), ["dpc"] = Number("% of PCnum lost without it"),
                ["dpc_intra"] = Number("%"), ["dpc_flux"] = Number("%"), ["dpc_connector"] = Number("% (stepping stone)"),
                ["diic"] = Number("% of IICnum lost without it"), ["bc_pc"] = Number("betweenness centrality (Graphab BC)"),
            },
            "links" => new()
            {
                ["from_patch"] = Text("patch id"), ["to_patch"] = Text("patch id"), ["distance_m"] = Number("edge-to-edge, GRS80"),
                ["probability"] = Number("exp(−k·d)"),
            },
            _ => new()
            {
                ["component"] = Integer("component number"), ["patches"] = Integer("patches in it"), ["area_ha"] = Number("their area, ha"),
                ["weight"] = Number("their area × quality"),
            },
        };
    }

    /// <summary>The features of a network collection (every one; the caller pages them).</summary>
    public static async Task<(List<ComputedFeature>? Features, ProblemHttpResult? Problem)> FeaturesAsync(
        string kind, string profileName, NetworkAnalysis analysis, CancellationToken cancellationToken)
    {
        var (dispersal, sources, area, problem) = await analysis.ReadAsync(new(profileName, null, null, null, null, null, null), cancellationToken);
        if (problem is not null) return (null, problem);
        var network = await analysis.ComputeAsync(dispersal!, sources!, area, withGeometry: true, cancellationToken);
        if (network is null) return ([], null);
        var nodes = network.Graph.Nodes;
        var byPatch = nodes.ToDictionary(n => (n.Source, n.PatchId));
        var kernel = new Analysis.Network.DispersalKernel(dispersal!.D0, dispersal.P0);
        List<ComputedFeature> features = kind switch
        {
            "patches" => network.Metrics().Patches.Select(m => new ComputedFeature(m.PatchId, byPatch[(m.Source, m.PatchId)].Geometry!, // in rank order
            [
                new("patch_id", m.PatchId), new("source", m.Source), new("rank", m.Rank), new("area_ha", Math.Round(m.AreaHa, 4)), new("quality", m.Quality),
                new("weight", m.Weight), new("component", m.Component), new("dpc", m.DPc), new("dpc_intra", m.DPcIntra), new("dpc_flux", m.DPcFlux),
                new("dpc_connector", m.DPcConnector), new("diic", m.DIic), new("bc_pc", m.BcPc),
            ])).ToList(),
            "links" => network.Graph.Links.Select(l => new ComputedFeature($"{nodes[l.From].PatchId}~{nodes[l.To].PatchId}", l.Line!,
            [
                new("from_patch", nodes[l.From].PatchId), new("to_patch", nodes[l.To].PatchId), new("distance_m", Math.Round(l.DistanceM, 3)),
                new("probability", kernel.ProbabilityAt(l.DistanceM)),
            ])).ToList(),
            _ => network.Indices.Patches.GroupBy(p => p.Component).OrderBy(g => g.Key).Select(g => new ComputedFeature($"{g.Key}",
                UnaryUnionOp.Union(g.Select(p => nodes[p.Node].Geometry!).ToList()),
            [
                new("component", g.Key), new("patches", g.Count()), new("area_ha", Math.Round(g.Sum(p => nodes[p.Node].AreaHa), 4)),
                new("weight", g.Sum(p => nodes[p.Node].Weight)),
            ])).ToList(),
        };
        return (features, null);
    }
}

/// <summary>A page of computed features as an OGC API – Features items response (or its HTML page, with <paramref name="htmlLang"/>).</summary>
public sealed class ComputedFeaturesResult(string collectionId, string title, IReadOnlyList<ComputedFeature> features, int limit, int offset, string? htmlLang = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var page = features.Skip(offset).Take(limit).ToList();
        if (htmlLang is not null)
        {
            var links = OgcPaging.PageLinks(request, $"{request.Root()}/collections/{collectionId}", title, limit, offset, features.Count);
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(OgcHtml.Items(request, new PageText(htmlLang), collectionId, title, null, [.. page.Select(PageFeature.From)], features.Count, links),
                httpContext.RequestAborted);
            return;
        }
        response.ContentType = MediaTypes.GeoJson;
        response.Headers["Content-Crs"] = OgcApi.CrsReferences.Storage.Header;
        await using var writer = new Utf8JsonWriter(response.BodyWriter, Json.Writer);
        FeatureCollectionWriter.WriteStart(writer, new(NumberMatched: features.Count, NumberReturned: page.Count,
            Links: OgcPaging.PageLinks(request, $"{request.Root()}/collections/{collectionId}", title, limit, offset, features.Count)));
        foreach (var feature in page) Write(writer, feature);
        FeatureCollectionWriter.WriteEnd(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    public static void Write(Utf8JsonWriter writer, ComputedFeature feature, IReadOnlyList<OgcLink>? links = null) =>
        FeatureCollectionWriter.WriteFeature(writer, feature.Id, feature.Geometry, properties =>
        {
            foreach (var (name, value) in feature.Properties)
            {
                properties.WritePropertyName(name);
                JsonSerializer.Serialize(properties, value, Json.Web);
            }
        }, links);
}
