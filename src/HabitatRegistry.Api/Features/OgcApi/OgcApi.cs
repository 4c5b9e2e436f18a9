using System.ComponentModel;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HabitatRegistry.Features.OgcApi;

public sealed record LandingPage(string Title, string Description, IReadOnlyList<OgcLink> Links);

public sealed record Conformance(IReadOnlyList<string> ConformsTo);

public sealed record CollectionList(IReadOnlyList<OgcLink> Links, IReadOnlyList<Collection> Collections);

public sealed record Collection(string Id, string Title, string Description, string ItemType, Extent? Extent, IReadOnlyList<string> Crs, string StorageCrs, IReadOnlyList<OgcLink> Links);

public sealed record Extent(SpatialExtent? Spatial, TemporalExtent? Temporal);

public sealed record SpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

public sealed record TemporalExtent(IReadOnlyList<string?[]> Interval, string Trs);

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over the registers, so QGIS and GDAL open them
/// natively. Each register is a collection; its items are the current versions of its parcels.
/// </summary>
public static class OgcApi
{
    private static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    ];

    public static void MapOgcApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("").WithTags("OGC API – Features");
        ogc.MapGet("/", GetLandingPage).WithName("GetLandingPage").WithSummary("Landing page");
        ogc.MapGet("/conformance", GetConformance).WithName("GetConformance").WithSummary("Conformance classes this API implements");
        ogc.MapGet("/collections", GetCollections).WithName("GetCollections").WithSummary("The collections: one per register");
        ogc.MapGet("/collections/{collectionId}", GetCollection).WithName("DescribeCollection").WithSummary("One collection")
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/schema", GetSchema)
            .WithName("GetCollectionSchema")
            .WithSummary("JSON Schema of a collection's feature properties (GDAL reads field types from it)")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.JsonSchema)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/items", OgcItems.GetItems)
            .WithName("GetFeatures")
            .WithSummary("Features of a collection: the current version of each parcel")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", OgcItems.GetItem)
            .WithName("GetFeature")
            .WithSummary("One feature, by its record id")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
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
    /// <param name="f">format; only json is served</param>
    internal static Ok<LandingPage> GetLandingPage(HttpRequest request, [Description("Format: json")] string? f = null)
    {
        var root = request.Root();
        return TypedResults.Ok(new LandingPage(
            "HabitatRegistry",
            "Conservation designations and public acquisitions of land, with their full history, for the city's biodiversity strategy.",
            [
                new($"{root}/", "self", MediaTypes.Json, "This document"),
                new($"{root}/openapi/v1.json", "service-desc", MediaTypes.OpenApi, "The API definition (OpenAPI 3.0)"),
                new($"{root}/swagger", "service-doc", MediaTypes.Html, "The API documentation"),
                new($"{root}/conformance", "conformance", MediaTypes.Json, "Conformance classes"),
                new($"{root}/collections", "data", MediaTypes.Json, "The registers as collections"),
            ]));
    }

    internal static Ok<Conformance> GetConformance() => TypedResults.Ok(new Conformance(ConformanceClasses));

    /// <param name="request">the request</param>
    /// <param name="extents">register extents</param>
    /// <param name="cancellationToken">request aborted</param>
    /// <param name="db">network profiles</param>
    internal static async Task<Ok<CollectionList>> GetCollections(HttpRequest request, RegisterExtents extents, HabitatDb db, CancellationToken cancellationToken)
    {
        var collections = new List<Collection>();
        foreach (var register in RegisterCatalogue.All)
        {
            collections.Add(Describe(request, register, await extents.GetAsync(register, cancellationToken)));
        }
        collections.AddRange(await NetworkCollections.DescribeAllAsync(request, db, cancellationToken));
        return TypedResults.Ok(new CollectionList([new($"{request.Root()}/collections", "self", MediaTypes.Json)], collections));
    }

    /// <param name="collectionId">designations or acquisitions</param>
    /// <param name="request">the request</param>
    /// <param name="extents">register extents</param>
    /// <param name="cancellationToken">request aborted</param>
    /// <param name="db">network profiles</param>
    internal static async Task<Results<Ok<Collection>, ProblemHttpResult>> GetCollection(
        string collectionId, HttpRequest request, RegisterExtents extents, HabitatDb db, CancellationToken cancellationToken)
    {
        if (NetworkCollections.Parse(collectionId) is var (kind, profile)) return await NetworkCollections.DescribeAsync(request, db, kind, profile, cancellationToken);
        var register = RegisterCatalogue.Find(collectionId);
        if (register is null) return Problems.UnknownRegister(collectionId);
        return TypedResults.Ok(Describe(request, register, await extents.GetAsync(register, cancellationToken)));
    }

    /// <param name="collectionId">designations or acquisitions</param>
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
        var properties = new Dictionary<string, object> { [register.IdProperty] = new { type = "string", description = $"the planner's {register.RecordNoun} reference" } };
        foreach (var field in register.Fields)
        {
            properties[field.Name] = field.Kind switch
            {
                FieldKind.Date => new { type = "string", format = "date", description = field.Description },
                FieldKind.Number => new { type = "number", description = field.Description },
                FieldKind.Code => (object)new { type = "string", @enum = field.Codes, description = field.Description },
                _ => new { type = "string", description = field.Description },
            };
        }
        if (register.Geometry == RegisterGeometry.Parcels) properties["area_ha"] = new { type = "number", description = "area on the GRS80 ellipsoid, ha" };
        properties["version"] = new { type = "integer", description = "version of the parcel, 1 when first recorded" };
        properties["recorded_at"] = new { type = "string", format = "date-time", description = "when this version was recorded" };
        var schema = new Dictionary<string, object>
        {
            ["$schema"] = "https://json-schema.org/draft/2019-09/schema",
            ["$id"] = $"{request.Root()}/collections/{register.Name}/schema",
            ["title"] = register.Title,
            ["type"] = "object",
            ["properties"] = properties,
        };
        return TypedResults.Json(schema, Json.Web, MediaTypes.JsonSchema);
    }

    private static Collection Describe(HttpRequest request, RegisterSchema register, Extent? extent)
    {
        var url = $"{request.Root()}/collections/{register.Name}";
        return new Collection(register.Name, register.Title, register.Description, "feature", extent, CrsReferences.OfferedUris, CrsReferences.Crs84,
        [
            new(url, "self", MediaTypes.Json, register.Title),
            new($"{url}/items", "items", MediaTypes.GeoJson, $"{register.Title} as GeoJSON"),
            new($"{url}/schema", "describedBy", MediaTypes.JsonSchema, "The properties of the features and their types"),
        ]);
    }
}
