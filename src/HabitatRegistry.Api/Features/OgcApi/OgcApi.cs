using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HabitatRegistry.Features.OgcApi;

public sealed record LandingPage(string Title, string Description, IReadOnlyList<OgcLink> Links);

public sealed record Conformance(IReadOnlyList<string> ConformsTo, IReadOnlyList<OgcLink> Links);

public sealed record CollectionList(IReadOnlyList<OgcLink> Links, IReadOnlyList<Collection> Collections);

public sealed record Collection(string Id, string Title, string Description, string ItemType, Extent? Extent, IReadOnlyList<string> Crs, string StorageCrs, IReadOnlyList<OgcLink> Links);

public sealed record Extent(SpatialExtent? Spatial, TemporalExtent? Temporal);

public sealed record SpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

public sealed record TemporalExtent(IReadOnlyList<string?[]> Interval, string Trs);

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over the registers, so QGIS and GDAL open them
/// natively. Each register is a collection; its items are the current versions of its records.
/// </summary>
public static class OgcApi
{
    private static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        OgcFormat.Conformance,
        OgcFormat.CommonConformance,
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        .. Filtering.Cql2Conformance.Classes,
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
        "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
        "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features",
        .. Tiles.TilesApi.ConformanceClasses,
    ];

    public static void MapOgcApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("").WithTags("OGC API – Features");
        ogc.MapGet("/", GetLandingPage).WithName("GetLandingPage").WithSummary("Landing page")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html).ProducesProblem(StatusCodes.Status400BadRequest);
        ogc.MapGet("/conformance", GetConformance).WithName("GetConformance").WithSummary("Conformance classes this API implements")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html).ProducesProblem(StatusCodes.Status400BadRequest);
        ogc.MapGet("/collections", GetCollections).WithName("GetCollections").WithSummary("The collections: one per register, and the network's patches and links for each species group")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html).ProducesProblem(StatusCodes.Status400BadRequest);
        ogc.MapGet("/collections/{collectionId}", GetCollection).WithName("DescribeCollection").WithSummary("One collection")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/schema", GetSchema)
            .WithName("GetCollectionSchema")
            .WithSummary("JSON Schema of a collection's feature properties (GDAL reads field types from it)")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.JsonSchema)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/queryables", GetQueryables)
            .WithName("GetQueryables")
            .WithSummary("The properties a filter may name, with their types (JSON Schema)")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.JsonSchema)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/items", OgcItems.GetItems)
            .WithName("GetFeatures")
            .WithSummary("Features of a collection: the current version of each record")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", OgcItems.GetItem)
            .WithName("GetFeature")
            .WithSummary("One feature, by its record id")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapFeatureEdits();
        // OPTIONS answers Allow by the caller's role (QGIS decides from it whether to offer editing); not an operation of its own in the API document.
        ogc.MapAllowedMethods("/collections/{collectionId}/items", IsRegister).ExcludeFromDescription();
        ogc.MapAllowedMethods("/collections/{collectionId}/items/{featureId}", IsRegister).ExcludeFromDescription();
    }

    /// <summary>Registers can be changed; the network's collections are computed from them.</summary>
    private static bool IsRegister(HttpContext http) => RegisterCatalogue.Find(http.GetRouteValue("collectionId") as string) is not null;

    /// <param name="request">the request</param>
    /// <param name="f">json, or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    internal static Results<Ok<LandingPage>, ContentHttpResult, ProblemHttpResult> GetLandingPage(HttpRequest request, string? f = null, string? lang = null)
    {
        var (html, problem) = OgcFormat.Negotiate(request, f, lang);
        if (problem is not null) return problem;
        var root = request.Root();
        var landing = new LandingPage(
            "HabitatRegistry",
            "Conservation designations and public acquisitions of land, with their full history, for the city's biodiversity strategy.",
            [
                new($"{root}/", "self", MediaTypes.Json, "This document"),
                OgcFormat.HtmlAlternate(request),
                new($"{root}/openapi/v1.json", "service-desc", MediaTypes.OpenApi, "The API definition (OpenAPI 3.0)"),
                new($"{root}/swagger", "service-doc", MediaTypes.Html, "The API documentation"),
                new($"{root}/conformance", "conformance", MediaTypes.Json, "Conformance classes"),
                new($"{root}/collections", "data", MediaTypes.Json, "The registers as collections"),
                new($"{root}/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", MediaTypes.Json, "The tile grids of the vector tiles"),
            ]);
        return html is null ? TypedResults.Ok(landing) : OgcHtml.Landing(request, new PageText(html), landing);
    }

    /// <param name="request">the request</param>
    /// <param name="f">json, or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    internal static Results<Ok<Conformance>, ContentHttpResult, ProblemHttpResult> GetConformance(HttpRequest request, string? f = null, string? lang = null)
    {
        var (html, problem) = OgcFormat.Negotiate(request, f, lang);
        if (problem is not null) return problem;
        var conformance = new Conformance(ConformanceClasses,
            [new($"{request.Root()}/conformance", "self", MediaTypes.Json, "This document"), OgcFormat.HtmlAlternate(request)]);
        return html is null ? TypedResults.Ok(conformance) : OgcHtml.ConformancePage(request, new PageText(html), conformance);
    }

    /// <param name="request">the request</param>
    /// <param name="extents">register extents</param>
    /// <param name="cancellationToken">request aborted</param>
    /// <param name="db">network profiles</param>
    /// <param name="f">json, or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    internal static async Task<Results<Ok<CollectionList>, ContentHttpResult, ProblemHttpResult>> GetCollections(
        HttpRequest request, RegisterExtents extents, HabitatDb db, string? f = null, string? lang = null, CancellationToken cancellationToken = default)
    {
        var (html, problem) = OgcFormat.Negotiate(request, f, lang);
        if (problem is not null) return problem;
        var collections = new List<Collection>();
        var generation = await extents.GenerationAsync(cancellationToken); // once for every register
        foreach (var register in RegisterCatalogue.All)
        {
            collections.Add(Describe(request, register, await extents.GetAsync(register, generation, cancellationToken)));
        }
        collections.AddRange(await NetworkCollections.DescribeAllAsync(request, db, cancellationToken));
        var list = new CollectionList([new($"{request.Root()}/collections", "self", MediaTypes.Json), OgcFormat.HtmlAlternate(request)], collections);
        return html is null ? TypedResults.Ok(list) : OgcHtml.Collections(request, new PageText(html), list);
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, or a network collection</param>
    /// <param name="request">the request</param>
    /// <param name="extents">register extents</param>
    /// <param name="cancellationToken">request aborted</param>
    /// <param name="db">network profiles</param>
    /// <param name="f">json, or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    internal static async Task<Results<Ok<Collection>, ContentHttpResult, ProblemHttpResult>> GetCollection(
        string collectionId, HttpRequest request, RegisterExtents extents, HabitatDb db, string? f = null, string? lang = null, CancellationToken cancellationToken = default)
    {
        var (html, problem) = OgcFormat.Negotiate(request, f, lang);
        if (problem is not null) return problem;
        Collection collection;
        if (NetworkCollections.Parse(collectionId) is var (kind, profile))
        {
            var (described, unknown) = await NetworkCollections.DescribeAsync(request, db, kind, profile, cancellationToken);
            if (described is null) return unknown!;
            collection = described;
        }
        else
        {
            var register = RegisterCatalogue.Find(collectionId);
            if (register is null) return Problems.UnknownRegister(collectionId);
            collection = Describe(request, register, await extents.GetAsync(register, cancellationToken));
        }
        return html is null ? TypedResults.Ok(collection) : OgcHtml.CollectionPage(request, new PageText(html), collection);
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, or a network collection</param>
    /// <param name="request">the request</param>
    internal static Results<JsonHttpResult<Dictionary<string, object>>, ProblemHttpResult> GetSchema(string collectionId, HttpRequest request)
    {
        if (NetworkCollections.Parse(collectionId) is var (kind, _))
        {
            return TypedResults.Json(new Dictionary<string, object>
            {
                ["$schema"] = "https://json-schema.org/draft/2019-09/schema",
                ["$id"] = $"{request.Root()}/collections/{collectionId}/schema",
                ["type"] = "object",
                ["properties"] = NetworkCollections.Schema(kind),
            }, Json.Web, MediaTypes.JsonSchema);
        }
        var register = RegisterCatalogue.Find(collectionId);
        if (register is null) return Problems.UnknownRegister(collectionId);
        return TypedResults.Json(FeatureSchema(register, $"{request.Root()}/collections/{register.Name}/schema"), Json.Web, MediaTypes.JsonSchema);
    }

    /// <summary>
    /// A register's features as OGC API – Features Part 5 describes them: each property's type (the queryables' own), its
    /// role (the id, the primary geometry, the dates that open and close the in-force period, or the date of an event),
    /// what the service computes (readOnly), what a new feature must have (required), and the order GIS clients show them in.
    /// The planner's own properties come on top (additionalProperties).
    /// </summary>
    private static Dictionary<string, object> FeatureSchema(RegisterSchema register, string id)
    {
        var properties = new System.Text.Json.Nodes.JsonObject();
        var sequence = 0;
        foreach (var property in Filtering.Queryables.For(register).Properties)
        {
            var schema = Filtering.Queryables.Schema(property);
            var role = property.Name == register.IdProperty ? "id"
                : property.Name == "geometry" ? "primary-geometry"
                : property.Name == register.InForceFrom ? (register.IsEvents ? "primary-instant" : "primary-interval-start")
                : property.Name == register.InForceTo ? "primary-interval-end"
                : null;
            if (role is not null) schema["x-ogc-role"] = role;
            if (property.Name is "area_ha" or "version" or "recorded_at") schema["readOnly"] = true;
            if (property.Name == "area_ha") schema["x-ogc-unit"] = "ha";
            schema["x-ogc-propertySeq"] = ++sequence;
            properties[property.Name] = schema;
        }
        return new Dictionary<string, object>
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = id,
            ["title"] = register.Title,
            ["description"] = register.Description,
            ["type"] = "object",
            ["required"] = register.Fields.Where(f => f.Required).Select(f => f.Name).Prepend(register.IdProperty).ToArray(),
            ["properties"] = properties,
            ["additionalProperties"] = true,
        };
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, or a network collection (which has none)</param>
    /// <param name="request">the request</param>
    internal static Results<JsonHttpResult<System.Text.Json.Nodes.JsonObject>, ProblemHttpResult> GetQueryables(string collectionId, HttpRequest request)
    {
        var id = $"{request.Root()}/collections/{collectionId}/queryables";
        // A computed collection has no queryables (a filter on it is refused), said as an empty list: QGIS asks every
        // collection for them, and would not open one that answered 404.
        if (NetworkCollections.Parse(collectionId) is not null) return TypedResults.Json(new Filtering.Queryables(collectionId, collectionId, []).ToJsonSchema(id), Json.Web, MediaTypes.JsonSchema);
        var register = RegisterCatalogue.Find(collectionId);
        if (register is null) return Problems.UnknownRegister(collectionId);
        return TypedResults.Json(Filtering.Queryables.For(register).ToJsonSchema(id), Json.Web, MediaTypes.JsonSchema);
    }

    private static Collection Describe(HttpRequest request, RegisterSchema register, Extent? extent)
    {
        var url = $"{request.Root()}/collections/{register.Name}";
        return new Collection(register.Name, register.Title, register.Description, "feature", extent, CrsReferences.OfferedUris, CrsReferences.Crs84,
        [
            new(url, "self", MediaTypes.Json, register.Title),
            new($"{url}?f=html", "alternate", MediaTypes.Html, $"{register.Title} as an HTML page"),
            new($"{url}/items", "items", MediaTypes.GeoJson, $"{register.Title} as GeoJSON"),
            new($"{url}/schema", "http://www.opengis.net/def/rel/ogc/1.0/schema", MediaTypes.JsonSchema, "The features' schema (OGC API – Features Part 5)"),
            new($"{url}/schema", "describedBy", MediaTypes.JsonSchema, "The properties of the features and their types"),
            new($"{url}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", MediaTypes.JsonSchema, "The properties a filter may name"),
            new($"{url}/tiles", Tiles.TilesApi.TilesetsRel, MediaTypes.Json, $"{register.Title} as vector tiles"),
        ]);
    }
}
