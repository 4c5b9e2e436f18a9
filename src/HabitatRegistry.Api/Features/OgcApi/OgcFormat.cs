using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// Which representation of an OGC API resource a request gets: JSON for programs, an HTML page for people (OGC API –
/// Features "html"). <c>f=json|html</c> decides; without it, HTML only when the Accept header prefers text/html to every
/// JSON type it names, as a browser's does. Anything else (no Accept, */*, what QGIS, GDAL and curl send) stays JSON,
/// exactly as before: those clients never see a page. An HTML page is in Japanese or English: <c>lang=ja|en</c>, else
/// the Accept-Language header (Japanese when it prefers Japanese, English when it prefers another language, Japanese
/// when there is none: the city's own language).
/// </summary>
internal static class OgcFormat
{
    public const string Conformance = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html";
    public const string CommonConformance = "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html";

    private static readonly string[] JsonTypes = [MediaTypes.Json, MediaTypes.GeoJson, MediaTypes.JsonSchema];

    /// <summary>The page's language ("ja" or "en") when the request gets HTML, null for JSON; or what is wrong with f or lang.</summary>
    public static (string? HtmlLang, ProblemHttpResult? Problem) Negotiate(HttpRequest request, string? f, string? lang)
    {
        // The answer depends on Accept (and for a page on Accept-Language): a cache must not hand one client's answer to another.
        var headers = request.HttpContext.Response.Headers;
        bool html;
        switch (f?.ToLowerInvariant())
        {
            case "json": html = false; break;
            case "html": html = true; break;
            case null: html = PrefersHtml(request); break;
            default:
                return (null, Problems.BadParameter("f", $"f={f} is not a format this service offers; use f=json (for programs: JSON, GeoJSON for features) or f=html (a page for people)."));
        }
        headers.Vary = html ? "Accept, Accept-Language" : "Accept";
        if (!html) return (null, null);
        return lang?.ToLowerInvariant() switch
        {
            null => (HtmlPage.LanguageOf(request), null),
            "ja" => ("ja", null),
            "en" => ("en", null),
            _ => (null, Problems.BadParameter("lang", $"lang={lang} is not offered; the pages are written in Japanese (lang=ja) or English (lang=en).")),
        };
    }

    /// <summary>Whether the Accept header ranks text/html (or XHTML) above every JSON type it names; wildcards favour neither.</summary>
    private static bool PrefersHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        double html = 0, json = 0;
        foreach (var type in accepted)
        {
            var quality = type.Quality ?? 1;
            var name = type.MediaType.Value ?? "";
            if (name.Equals(MediaTypes.Html, StringComparison.OrdinalIgnoreCase) || name.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
                html = Math.Max(html, quality);
            else if (JsonTypes.Contains(name, StringComparer.OrdinalIgnoreCase) || name.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                json = Math.Max(json, quality);
        }
        return html > 0 && html > json;
    }

    /// <summary>This request's URL as HTML (keeping every other parameter), for a JSON representation's alternate link.</summary>
    public static OgcLink HtmlAlternate(HttpRequest request, string title = "This document as an HTML page") =>
        new(request.WithQuery(new Dictionary<string, string?> { ["f"] = "html" }), "alternate", MediaTypes.Html, title);

    /// <summary>This request's URL as JSON, for an HTML page's alternate link.</summary>
    public static OgcLink JsonAlternate(HttpRequest request, string type = MediaTypes.Json, string title = "This document as JSON") =>
        new(request.WithQuery(new Dictionary<string, string?> { ["f"] = "json", ["lang"] = null }), "alternate", type, title);
}
