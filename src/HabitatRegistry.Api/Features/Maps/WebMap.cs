using System.Security.Cryptography;
using System.Text;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Data;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Features.Maps;

/// <summary>
/// The web map for the public and the council (/map): the registers' vector tiles as they stood at the end of a chosen
/// fiscal year, the habitat network of a species group, the eight targets of that year and a table of the parcels in
/// force. The page is a shell; web/map.js draws it with MapLibre GL JS, served from the service itself (no CDN: a
/// city's network may have no internet).
/// </summary>
public static class WebMap
{
    private const string GsiOrigin = "https://cyberjapandata.gsi.go.jp";

    public static void MapWebMap(this IEndpointRouteBuilder app)
    {
        var assets = MapAssets.Load();
        var group = app.MapGroup("/map").WithTags("Web map");
        group.MapGet("", GetPage)
            .WithName("GetWebMap")
            .WithSummary("The web map (HTML): protected land by fiscal year, the habitat network, the targets' progress")
            .WithDescription("lang=ja or en; without it, the browser's Accept-Language (Japanese unless it prefers English).")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/assets/{file}", (string file, HttpContext http) => GetAsset(assets, file, http))
            .WithName("GetWebMapAsset")
            .WithSummary("The web map's scripts and styles (its own and MapLibre GL JS), with ETags")
            .Produces(StatusCodes.Status200OK, contentType: "text/javascript")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/boundary", GetBoundary)
            .WithName("GetCityBoundary")
            .WithSummary("The city boundary the map outlines (a GeoJSON Feature with the credit its source asks for), as loaded by the city-boundary command")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <param name="http">for the Accept-Language header and the CSP</param>
    /// <param name="options">base map and boundary</param>
    /// <param name="lang">ja or en</param>
    /// <param name="dataSource">whether a boundary is stored</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetPage(
        HttpContext http, IOptions<HabitatOptions> options, NpgsqlDataSource dataSource, string? lang = null, CancellationToken cancellationToken = default)
    {
        if (lang is not null && lang.ToLowerInvariant() is not ("ja" or "en"))
            return Problems.BadParameter("lang", $"lang={lang} is not offered; the map is written in Japanese (ja) or English (en).");
        var language = lang?.ToLowerInvariant() ?? HtmlPage.LanguageOf(http.Request);
        var map = options.Value.Map;
        http.Response.Headers.Vary = "Accept-Language";
        if (map.GsiBaseMap) http.Response.Headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicyAlsoFetchingFrom(GsiOrigin);
        await using var command = dataSource.CreateCommand("select exists (select from city_boundary)");
        var hasBoundary = await command.ExecuteScalarAsync(cancellationToken) is true;
        return TypedResults.Content(Page(http.Request.Root(), language, map, hasBoundary), MediaTypes.Html, Encoding.UTF8);
    }

    // The shell only: every word on the page comes from web/strings.js (one table, both languages), so the HTML holds
    // the structure, the language and the settings the script needs.
    private static string Page(string root, string lang, MapOptions map, bool hasBoundary)
    {
        var lastYear = FiscalYear.Containing(FiscalYear.TodayInJapan()).Year - 1;
        var assets = $"{root}/map/assets";
        string A(string text) => HtmlPage.Encode(text);
        return $$"""
            <!doctype html>
            <html lang="{{lang}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HabitatRegistry</title>
            <link rel="stylesheet" href="{{A(assets)}}/maplibre-gl.css">
            <link rel="stylesheet" href="{{A(assets)}}/map.css">
            <script type="module" src="{{A(assets)}}/map.js"></script>
            </head>
            <body data-root="{{A(root)}}" data-last-fiscal-year="{{lastYear}}" data-gsi-base-map="{{(map.GsiBaseMap ? "true" : "false")}}" data-boundary="{{(hasBoundary ? A($"{root}/map/boundary") : "")}}">
            <header>
            <h1 data-text="title"></h1>
            <nav><a id="other-language" href="?lang={{(lang == "ja" ? "en" : "ja")}}" hreflang="{{(lang == "ja" ? "en" : "ja")}}"></a></nav>
            </header>
            <main>
            <aside id="controls">
            <div class="year">
            <label for="fiscal-year" data-text="yearLabel"></label>
            <output id="fiscal-year-text" for="fiscal-year"></output>
            <input type="range" id="fiscal-year" step="1">
            </div>
            <fieldset>
            <legend data-text="layers"></legend>
            <label><input type="checkbox" id="show-designations" checked> <span data-text="designations"></span></label>
            <label><input type="checkbox" id="show-acquisitions" checked> <span data-text="acquisitions"></span></label>
            <label><input type="checkbox" id="show-network" checked> <span data-text="network"></span></label>
            <label for="profile" data-text="profile"></label>
            <select id="profile"></select>
            </fieldset>
            <div id="legend"></div>
            <section id="targets" aria-live="polite">
            <h2 data-text="targetsHeading"></h2>
            <p id="targets-note"></p>
            <table id="targets-table"><thead></thead><tbody></tbody></table>
            </section>
            </aside>
            <div id="map" role="region" data-label="mapLabel"></div>
            </main>
            <section id="parcels" aria-live="polite">
            <h2 data-text="parcelsHeading"></h2>
            <table id="parcels-table"><caption></caption><thead></thead><tbody></tbody></table>
            </section>
            <noscript><p>This map needs JavaScript. 地図の表示には JavaScript が必要です。</p></noscript>
            </body>
            </html>

            """;
    }

    private static IResult GetAsset(MapAssets assets, string file, HttpContext http)
    {
        if (!assets.Files.TryGetValue(file, out var asset))
            return Problems.Of(StatusCodes.Status404NotFound, "No such file.", $"The web map has no file \"{file}\".");
        // Revalidated on every use: a new build changes the content and so the ETag; an unchanged file costs a 304.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(asset.Path, asset.ContentType, lastModified: asset.LastModified, entityTag: asset.ETag);
    }

    /// <param name="dataSource">the stored boundary</param>
    /// <param name="http">for the cache header</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetBoundary(NpgsqlDataSource dataSource, HttpContext http, CancellationToken cancellationToken)
    {
        // The same boundary the annual report's map draws: one copy, in the database, loaded by the city-boundary command.
        await using var command = dataSource.CreateCommand("""
            select json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', json_build_object('credit', credit))::text
            from city_boundary
            """);
        if (await command.ExecuteScalarAsync(cancellationToken) is not string feature)
            return Problems.Of(StatusCodes.Status404NotFound, "No city boundary is stored.", "Load the city's boundary with the command line's city-boundary FILE --credit TEXT (run.sh loads the samples' one) to have the map outline it.");
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(feature, MediaTypes.GeoJson, Encoding.UTF8);
    }
}

/// <summary>The files in the output's map/ folder (the build copies them there from web/ and npm), known at start-up.</summary>
internal sealed class MapAssets
{
    public sealed record Asset(string Path, string ContentType, DateTimeOffset LastModified, EntityTagHeaderValue ETag);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    };

    public IReadOnlyDictionary<string, Asset> Files { get; }

    private MapAssets(IReadOnlyDictionary<string, Asset> files) => Files = files;

    public static MapAssets Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "map");
        if (!File.Exists(Path.Combine(folder, "maplibre-gl.mjs")) || !File.Exists(Path.Combine(folder, "map.js")))
        {
            throw new InvalidOperationException(
                $"The web map's files are missing from {folder}: build the service with dotnet build or publish, which runs npm ci in src/HabitatRegistry.Api/Features/Maps/web and copies MapLibre GL JS there (npm, from Node.js 20 or later, is needed).");
        }
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (!ContentTypes.TryGetValue(Path.GetExtension(path), out var type)) continue;
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)).AsSpan(0, 12));
            files[Path.GetFileName(path)] = new Asset(path, type, File.GetLastWriteTimeUtc(path), new EntityTagHeaderValue($"\"{hash}\""));
        }
        return new MapAssets(files);
    }
}
