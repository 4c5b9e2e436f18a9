using System.Globalization;
using System.Text.Json.Nodes;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace HabitatRegistry.Features.Tiles;

/// <summary>
/// OGC API – Tiles over the registers and the network: Mapbox Vector Tiles cut by PostGIS on the WebMercatorQuad grid,
/// one layer per tile named after its collection, for web maps (MapLibre reads a tileset's TileJSON fields directly).
/// </summary>
public static class TilesApi
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";
    public const string TilesetsRel = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector";
    private const string TilingSchemeRel = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";

    /// <summary>Zoom levels a map asks for; deeper, MapLibre enlarges zoom 18's tiles (a tile unit there is under 3 cm).</summary>
    public const int DataMaxZoom = 18;

    /// <summary>What an empty tile is answered with, as the tileset's metadata says.</summary>
    public const string EmptyTiles = "Tiles where no feature lies are answered 204 No Content (an empty tile).";

    /// <summary>The OGC API – Tiles conformance classes that hold here.</summary>
    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/datetime",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    ];

    public static void MapTiles(this IEndpointRouteBuilder app)
    {
        var tiles = app.MapGroup("").WithTags("OGC API – Tiles");
        tiles.MapGet("/tileMatrixSets", GetTileMatrixSets).WithName("GetTileMatrixSets").WithSummary("The tile grids tiles are cut on (WebMercatorQuad)");
        tiles.MapGet("/tileMatrixSets/{tileMatrixSetId}", GetTileMatrixSet).WithName("GetTileMatrixSet")
            .WithSummary("A tile grid's definition (OGC Two Dimensional Tile Matrix Set 2.0)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tiles.MapGet("/collections/{collectionId}/tiles", GetTilesets).WithName("GetCollectionTilesets")
            .WithSummary("A collection's vector tilesets")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tiles.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}", GetTileset).WithName("GetCollectionTileset")
            .WithSummary("A vector tileset: its tile URL template, zoom levels and layer fields (OGC tileset metadata and TileJSON 3.0; MapLibre: a vector source's url)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        tiles.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", GetTile).WithName("GetCollectionTile")
            .WithSummary("A Mapbox Vector Tile of a collection (zoom/row/column, rows from the north): one layer named after the collection")
            .WithDescription($"The features reaching into the tile, cut and simplified on its {VectorTileQueries.Extent}-unit grid with a {VectorTileQueries.Buffer}-unit buffer. "
                + "datetime as on the items: a date (in force on it) or an interval. " + EmptyTiles
                + " Each tile has an ETag; If-None-Match answers 304 while the tile is unchanged, and any change to the registry is seen on the next request.")
            .Produces(StatusCodes.Status200OK, contentType: MediaType)
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static Ok<JsonObject> GetTileMatrixSets(HttpRequest request) => TypedResults.Ok(new JsonObject
    {
        ["tileMatrixSets"] = new JsonArray(new JsonObject
        {
            ["id"] = WebMercatorQuad.Id,
            ["title"] = WebMercatorQuad.Definition.Title,
            ["uri"] = WebMercatorQuad.Uri,
            ["links"] = Links(new OgcLink($"{request.Root()}/tileMatrixSets/{WebMercatorQuad.Id}", "self", MediaTypes.Json, "The tile matrix set's definition")),
        }),
    });

    /// <param name="tileMatrixSetId">WebMercatorQuad</param>
    /// <param name="request">the request</param>
    internal static Results<Ok<TileMatrixSet>, ProblemHttpResult> GetTileMatrixSet(string tileMatrixSetId, HttpRequest request) =>
        tileMatrixSetId == WebMercatorQuad.Id
            ? TypedResults.Ok(WebMercatorQuad.Definition with { Links = [new($"{request.Root()}/tileMatrixSets/{WebMercatorQuad.Id}", "self", MediaTypes.Json)] })
            : UnknownTileMatrixSet(tileMatrixSetId);

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, network-patches-{profile} or network-links-{profile}</param>
    /// <param name="request">the request</param>
    /// <param name="db">network profiles</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetTilesets(string collectionId, HttpRequest request, HabitatDb db, CancellationToken cancellationToken)
    {
        var (layer, problem) = await TileLayer.FindAsync(collectionId, db, cancellationToken);
        if (layer is null) return problem!;
        var url = $"{request.Root()}/collections/{collectionId}/tiles";
        return TypedResults.Ok(new JsonObject
        {
            ["links"] = Links(new OgcLink(url, "self", MediaTypes.Json), new OgcLink($"{request.Root()}/collections/{collectionId}", "http://www.opengis.net/def/rel/ogc/1.0/geodata", MediaTypes.Json, layer.Title)),
            ["tilesets"] = new JsonArray(new JsonObject
            {
                ["title"] = $"{layer.Title}, vector tiles",
                ["dataType"] = "vector",
                ["crs"] = WebMercatorQuad.Crs,
                ["tileMatrixSetURI"] = WebMercatorQuad.Uri,
                ["links"] = Links(
                    new OgcLink($"{url}/{WebMercatorQuad.Id}", "self", MediaTypes.Json, "The tileset (TileJSON fields for MapLibre included)"),
                    new OgcLink($"{request.Root()}/tileMatrixSets/{WebMercatorQuad.Id}", TilingSchemeRel, MediaTypes.Json, "The tile grid")),
            }),
        });
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, network-patches-{profile} or network-links-{profile}</param>
    /// <param name="tileMatrixSetId">WebMercatorQuad</param>
    /// <param name="request">the request</param>
    /// <param name="db">network profiles</param>
    /// <param name="extents">the registers' extents (the tileset's bounds)</param>
    /// <param name="datetime">as on the tiles: the tile URL templates carry it</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetTileset(string collectionId, string tileMatrixSetId, HttpRequest request,
        HabitatDb db, RegisterExtents extents, string? datetime = null, CancellationToken cancellationToken = default)
    {
        var (layer, problem) = await TileLayer.FindAsync(collectionId, db, cancellationToken);
        if (layer is null) return problem!;
        if (tileMatrixSetId != WebMercatorQuad.Id) return UnknownTileMatrixSet(tileMatrixSetId);
        if (datetime is not null && layer.Filter().Datetime(datetime) is { } dateProblem) return Problems.BadParameter("datetime", dateProblem);

        var url = $"{request.Root()}/collections/{collectionId}/tiles/{WebMercatorQuad.Id}";
        var query = datetime is null ? "" : $"?datetime={Uri.EscapeDataString(datetime)}";
        var fields = new JsonObject();
        var schema = new JsonObject();
        foreach (var (name, type) in layer.Fields)
        {
            fields[name] = type;
            schema[name] = new JsonObject { ["type"] = type.ToLowerInvariant() };
        }
        var bbox = layer.Register is { } register && await extents.GetAsync(register, cancellationToken) is { Spatial: { } spatial } ? spatial.Bbox[0] : [-180, -85.0511, 180, 85.0511];
        var itemLink = new JsonObject
        {
            ["href"] = $"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}{query}",
            ["rel"] = "item",
            ["type"] = MediaType,
            ["templated"] = true,
            ["title"] = "A tile (zoom/row/column)",
        };
        var tileset = new JsonObject
        {
            ["title"] = $"{layer.Title}, vector tiles",
            ["description"] = $"{layer.Description} {EmptyTiles}",
            ["dataType"] = "vector",
            ["crs"] = WebMercatorQuad.Crs,
            ["tileMatrixSetURI"] = WebMercatorQuad.Uri,
            ["links"] = Links(
                new OgcLink(request.WithQuery(new Dictionary<string, string?>()), "self", MediaTypes.Json),
                new OgcLink($"{request.Root()}/tileMatrixSets/{WebMercatorQuad.Id}", TilingSchemeRel, MediaTypes.Json, "The tile grid"),
                new OgcLink($"{request.Root()}/collections/{collectionId}", "http://www.opengis.net/def/rel/ogc/1.0/geodata", MediaTypes.Json, layer.Title)),
            ["layers"] = new JsonArray(new JsonObject
            {
                ["id"] = collectionId,
                ["dataType"] = "vector",
                ["propertiesSchema"] = new JsonObject { ["type"] = "object", ["properties"] = schema },
            }),
            ["emptyTiles"] = "204 No Content",
            // TileJSON 3.0: MapLibre takes this document as a vector source's url.
            ["tilejson"] = "3.0.0",
            ["tiles"] = new JsonArray($"{url}/{{z}}/{{y}}/{{x}}{query}"),
            ["scheme"] = "xyz",
            ["minzoom"] = 0,
            ["maxzoom"] = DataMaxZoom,
            ["bounds"] = new JsonArray([.. bbox.Select(v => JsonValue.Create(Math.Round(v, 6)))]),
            ["vector_layers"] = new JsonArray(new JsonObject
            {
                ["id"] = collectionId,
                ["description"] = layer.Description,
                ["minzoom"] = 0,
                ["maxzoom"] = DataMaxZoom,
                ["fields"] = fields,
            }),
        };
        ((JsonArray)tileset["links"]!).Add(itemLink);
        return TypedResults.Ok(tileset);
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, network-patches-{profile} or network-links-{profile}</param>
    /// <param name="tileMatrixSetId">WebMercatorQuad</param>
    /// <param name="tileMatrix">the zoom level, 0–24</param>
    /// <param name="tileRow">the row, counted from the north, 0 to 2^zoom − 1</param>
    /// <param name="tileCol">the column, counted from the west (180°), 0 to 2^zoom − 1</param>
    /// <param name="http">the request and response</param>
    /// <param name="db">network profiles</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="cache">tiles already cut</param>
    /// <param name="network">computes the network collections</param>
    /// <param name="options">whether reading is public (the caching headers)</param>
    /// <param name="datetime">a date (in force on it) or an interval a/b, ../b, a/.. (in force at some time in it), as on the items</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ProblemHttpResult>> GetTile(
        string collectionId, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol, HttpContext http,
        HabitatDb db, NpgsqlDataSource dataSource, TileCache cache, NetworkAnalysis network, IOptions<HabitatOptions> options,
        string? datetime = null, CancellationToken cancellationToken = default)
    {
        if (NetworkCollections.Parse(collectionId) is null && RegisterCatalogue.Find(collectionId) is null) return Problems.UnknownRegister(collectionId);
        if (tileMatrixSetId != WebMercatorQuad.Id) return UnknownTileMatrixSet(tileMatrixSetId);
        foreach (var (name, text) in new[] { ("tileMatrix", tileMatrix), ("tileRow", tileRow), ("tileCol", tileCol) })
        {
            if (!IsWholeNumber(text)) return Problems.BadParameter(name, $"{name} \"{Analysis.Text.ClientText.Shown(text)}\" is not a whole number: a tile is zoom/row/column, e.g. …/{WebMercatorQuad.Id}/12/1613/3637.");
        }
        if (!int.TryParse(tileMatrix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var zoom)
            || !int.TryParse(tileRow, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var row)
            || !int.TryParse(tileCol, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var column)
            || !WebMercatorQuad.Contains(zoom, row, column))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "No such tile.",
                $"{WebMercatorQuad.Id} has no tile {tileMatrix}/{tileRow}/{tileCol}: zoom levels run from 0 to {WebMercatorQuad.MaxZoom}, and at zoom z rows and columns from 0 to 2^z − 1.");
        }

        var filter = TileLayer.FilterOf(RegisterCatalogue.Find(collectionId));
        if (datetime is not null && filter.Datetime(datetime) is { } dateProblem) return Problems.BadParameter("datetime", dateProblem);

        // The generation first, then the tile: a tile cut from data older than the generation read cannot be kept under it.
        // A tile kept under this generation was cut for a layer that existed then (a profile's change raises the generation
        // too), so only a tile still to be cut needs the layer looked up.
        var generation = await cache.GenerationAsync(cancellationToken);
        var tile = cache.Kept(generation, collectionId, zoom, row, column, datetime);
        if (tile is null)
        {
            var (layer, problem) = await TileLayer.FindAsync(collectionId, db, cancellationToken);
            if (layer is null) return problem!;
            (tile, problem) = await CutAsync(layer, filter, collectionId, zoom, row, column, datetime, generation, dataSource, cache, network, cancellationToken);
            if (tile is null) return problem!;
        }
        return Serve(http, tile, options.Value.PublicRead);
    }

    /// <summary>Cuts a tile and keeps it for <paramref name="generation"/>; or why the network's features could not be computed.</summary>
    private static async Task<(VectorTile? Tile, ProblemHttpResult? Problem)> CutAsync(TileLayer layer, FeatureFilter filter, string collectionId,
        int zoom, int row, int column, string? datetime, long generation, NpgsqlDataSource dataSource, TileCache cache, NetworkAnalysis network,
        CancellationToken cancellationToken)
    {
        ProblemHttpResult? networkProblem = null;
        var tile = await cache.TileAsync(generation, collectionId, zoom, row, column, datetime, async Task<byte[]?> (token) =>
        {
            if (layer.Register is { } register)
            {
                await using var command = VectorTileQueries.RegisterTile(dataSource, register, filter, zoom, row, column);
                return await command.ExecuteScalarAsync(token) as byte[] ?? [];
            }
            var (features, computeProblem) = await cache.NetworkFeaturesAsync(generation, collectionId, layer.NetworkKind!, layer.Profile!, network, token);
            if (features is null)
            {
                networkProblem = computeProblem;
                return null;
            }
            var area = WebMercatorQuad.LonLatBounds(zoom, row, column, VectorTileQueries.Margin);
            var inTile = features.Where(f => f.Geometry.EnvelopeInternal.Intersects(area)).ToList();
            if (inTile.Count == 0) return [];
            await using var computed = VectorTileQueries.ComputedTile(dataSource, collectionId, inTile, zoom, row, column);
            return await computed.ExecuteScalarAsync(token) as byte[] ?? [];
        }, cancellationToken);
        return (tile, tile is null ? networkProblem : null);
    }

    /// <summary>A tile as the client takes it: gzip when accepted, 304 when it holds this one, 204 when empty.</summary>
    private static Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ProblemHttpResult> Serve(HttpContext http, VectorTile tile, bool publicRead)
    {
        var response = http.Response;
        var gzip = tile.Bytes.Length > 0 && AcceptsGzip(http.Request);
        var etag = gzip ? tile.GzipETag : tile.ETag;
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.ETag = etag;
        // Kept by browsers and proxies, but asked after every time (If-None-Match): a map never shows a tile older than the registry.
        response.Headers.CacheControl = publicRead ? "public, max-age=0, must-revalidate" : "private, no-cache";
        if (IfNoneMatch(http.Request, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (tile.Bytes.Length == 0) return TypedResults.NoContent();
        if (!gzip) return TypedResults.Bytes(tile.Bytes, MediaType);
        response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(tile.Gzip, MediaType);
    }

    /// <summary>Whether Accept-Encoding allows gzip (by name or *, with a quality above 0).</summary>
    private static bool AcceptsGzip(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var encodings)
        && encodings.Any(e => (e.Quality ?? 1) > 0 && (e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || e.Value == "*"));

    // Digits, perhaps after a minus: a whole number, if perhaps one beyond every tile (a 404, not a 400).
    private static bool IsWholeNumber(string text) => (text.StartsWith('-') ? text[1..] : text) is { Length: > 0 } digits && digits.All(char.IsAsciiDigit);

    /// <summary>Whether the client's copy (If-None-Match, weak or strong, or *) is this tile.</summary>
    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        foreach (var header in request.Headers.IfNoneMatch)
        {
            foreach (var given in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (given == "*" || (given.StartsWith("W/", StringComparison.Ordinal) ? given[2..] : given) == etag) return true;
            }
        }
        return false;
    }

    private static ProblemHttpResult UnknownTileMatrixSet(string id) =>
        Problems.Of(StatusCodes.Status404NotFound, "No such tile matrix set.", $"Tiles are cut on {WebMercatorQuad.Id} only, not \"{Analysis.Text.ClientText.Shown(id)}\".");

    private static JsonArray Links(params OgcLink[] links) =>
        new([.. links.Select(l => System.Text.Json.JsonSerializer.SerializeToNode(l, Json.Web))]);
}

/// <summary>What a collection's tiles hold: a register's records, or a network collection computed from them.</summary>
internal sealed record TileLayer(string Title, string Description, IReadOnlyList<(string Name, string Type)> Fields, RegisterSchema? Register,
    string? NetworkKind, string? Profile)
{
    /// <summary>The filter a tile's datetime is read with (the network's patches have no dates, as their register).</summary>
    public FeatureFilter Filter() => FilterOf(Register);

    /// <summary>The filter for a register's tiles, or for the network's (no register: the patches').</summary>
    public static FeatureFilter FilterOf(RegisterSchema? register) => new(register ?? RegisterCatalogue.HabitatPatches);

    public static async Task<(TileLayer? Layer, ProblemHttpResult? Problem)> FindAsync(string collectionId, HabitatDb db, CancellationToken cancellationToken)
    {
        if (RegisterCatalogue.Find(collectionId) is { } register)
        {
            // The URL's letter case finds the register; the tiles are its own.
            if (register.Name != collectionId) return (null, Problems.UnknownRegister(collectionId));
            return (new(register.Title, register.Description, [.. VectorTileQueries.Properties(register).Select(p => (p.Name, p.Type))], register, null, null), null);
        }
        if (NetworkCollections.Parse(collectionId) is not var (kind, profileName)) return (null, Problems.UnknownRegister(collectionId));
        if (kind is not ("patches" or "links"))
        {
            return (null, Problems.Of(StatusCodes.Status404NotFound, "No tiles for this collection.",
                $"{collectionId} has no vector tiles: the network's patches and links have (network-patches-{profileName}, network-links-{profileName}); the components are served as items."));
        }
        var (profile, problem) = await NetworkProfilesApi.FindAsync(db, profileName, cancellationToken);
        if (profile is null) return (null, problem);
        var schema = System.Text.Json.JsonSerializer.SerializeToNode(NetworkCollections.Schema(kind))!.AsObject();
        var fields = schema.Select(p => (p.Key, (string)p.Value!["type"]! is "string" ? "String" : "Number")).Prepend(("id", "String")).ToList();
        var title = kind == "patches" ? $"Network patches, {profile.TitleEn}" : $"Network links, {profile.TitleEn}";
        var description = kind == "patches"
            ? $"Habitat patches with their importance to the network for {profile.TitleEn} (dpc, rank 1 = highest, and its parts)."
            : $"The shortest segment between two linked patches for {profile.TitleEn}, with distance_m and probability.";
        return (new(title, description, fields, null, kind, profile.Name), null);
    }
}
