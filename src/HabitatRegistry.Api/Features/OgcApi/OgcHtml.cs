using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Features.Maps;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>A feature as a page shows it: read from the same GeoJSON the JSON representation is, or from a computed feature.</summary>
internal sealed record PageFeature(string Id, Geometry? Geometry, JsonObject Properties)
{
    public static PageFeature FromGeoJson(JsonObject feature) => new(
        (string)feature["id"]!,
        feature["geometry"] is JsonObject geometry ? geometry.Deserialize<Geometry>(Json.GeoJson) : null,
        feature["properties"] as JsonObject ?? []);

    public static PageFeature From(ComputedFeature feature)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in feature.Properties) properties[name] = JsonSerializer.SerializeToNode(value, Json.Web);
        return new(feature.Id, feature.Geometry, properties);
    }
}

/// <summary>
/// The OGC API resources as HTML pages for people (OGC API – Features, conformance class "html"): the same content as
/// the JSON, in Japanese or English, each page with its way onward (collections, features, history) and its JSON
/// alternate. Everything from data is escaped; maps are inline SVG drawn here (<see cref="SvgMap"/>), so a page loads
/// nothing else. Errors stay problem details (JSON) for browsers too.
/// </summary>
internal static class OgcHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly MapStyle FeatureStyle = new();

    private const string Css = """

        header nav.crumbs { color: #555; }
        nav a, .pager a { margin-right: 4px; }
        ul.start li { margin: 6px 0; }
        ul.start small, td small { display: block; }
        .scroll { overflow-x: auto; }
        td.id { white-space: nowrap; font-weight: bold; }
        /* Many columns: each keeps room for a name, and the table scrolls sideways in its box rather than squeezing them. */
        table.features td { min-width: 6em; }
        table.properties th { width: 14em; text-align: left; }
        .pager { margin: 8px 0; }
        svg.map { display: block; max-width: 100%; height: auto; margin: 8px 0; }
        svg.map a:hover path, svg.map a:focus path { stroke: #b00020; stroke-width: 2; }
        code { font-size: 12px; }

        """;

    public static ContentHttpResult Landing(HttpRequest request, PageText t, LandingPage landing)
    {
        var root = request.Root();
        var body = new StringBuilder();
        body.Append(Inv, $"<p>{HtmlPage.Encode(t["service.lead"])}</p>\n<h2>{t["start"]}</h2>\n<ul class=\"start\">\n")
            .Append(Inv, $"<li><a href=\"{Attr($"{root}/map")}\" id=\"map-link\">{t["map"]}</a><small>{t["map.about"]}</small></li>\n")
            .Append(Inv, $"<li><a href=\"{Attr($"{root}/reports/targets?format=html&lang={t.Lang}")}\" id=\"report-link\">{t["report"]}</a><small>{t["report.about"]}</small></li>\n")
            .Append(Inv, $"<li><a href=\"{Attr($"{root}/swagger")}\" id=\"docs-link\">{t["docs"]}</a><small>{t["docs.about"]}</small></li>\n")
            .Append("</ul>\n");
        body.Append(Inv, $"<h2>{t["registers"]}</h2>\n<ul class=\"start registers\">\n");
        foreach (var register in RegisterCatalogue.All)
        {
            var url = $"{root}/collections/{register.Name}";
            body.Append(Inv, $"<li><a href=\"{Attr(Keep(request, url))}\" class=\"register\">{HtmlPage.Encode(Title(register, t))}</a> — ")
                .Append(Inv, $"<a href=\"{Attr(Keep(request, $"{url}/items"))}\">{t["open.items"]}</a><small>{HtmlPage.Encode(register.Description)}</small></li>\n");
        }
        body.Append("</ul>\n");
        body.Append(Inv, $"<p><a href=\"{Attr(Keep(request, $"{root}/collections"))}\">{t["collections.all"]}</a> · ")
            .Append(Inv, $"<a href=\"{Attr(Keep(request, $"{root}/conformance"))}\">{t["conformance"]}</a></p>\n")
            .Append(Inv, $"<p class=\"note\">{HtmlPage.Encode(t["gis.about"])}<br><code>{HtmlPage.Encode(root)}</code></p>\n");
        return Page(request, t, t["service"], [], body, MediaTypes.Json, landing.Links);
    }

    public static ContentHttpResult ConformancePage(HttpRequest request, PageText t, Conformance conformance)
    {
        var body = new StringBuilder();
        body.Append(Inv, $"<p>{t["conformance.lead"]}</p>\n<ul class=\"conformance\">\n");
        foreach (var uri in conformance.ConformsTo) body.Append(Inv, $"<li><code>{HtmlPage.Encode(uri)}</code></li>\n");
        body.Append("</ul>\n");
        return Page(request, t, t["conformance"], [Home(request, t)], body, MediaTypes.Json, conformance.Links);
    }

    public static ContentHttpResult Collections(HttpRequest request, PageText t, CollectionList list)
    {
        var body = new StringBuilder();
        var registers = list.Collections.Where(c => RegisterCatalogue.Find(c.Id) is not null).ToList();
        CollectionTable(body, request, t, t["registers"], registers);
        CollectionTable(body, request, t, t["network"], [.. list.Collections.Except(registers)]);
        return Page(request, t, t["collections"], [Home(request, t)], body, MediaTypes.Json, list.Links);
    }

    private static void CollectionTable(StringBuilder body, HttpRequest request, PageText t, string heading, IReadOnlyList<Collection> collections)
    {
        if (collections.Count == 0) return;
        body.Append(Inv, $"<h2>{heading}</h2>\n<table class=\"collections\">\n<thead><tr><th>{t["title"]}</th><th>{t["description"]}</th><th>{t["features"]}</th></tr></thead>\n<tbody>\n");
        foreach (var c in collections)
        {
            var url = $"{request.Root()}/collections/{Uri.EscapeDataString(c.Id)}";
            body.Append(Inv, $"<tr><td><a href=\"{Attr(Keep(request, url))}\" class=\"collection\">{HtmlPage.Encode(Title(c, t))}</a><small><code>{HtmlPage.Encode(c.Id)}</code></small></td>")
                .Append(Inv, $"<td>{HtmlPage.Encode(c.Description)}</td><td><a href=\"{Attr(Keep(request, $"{url}/items"))}\">{t["open.items"]}</a></td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n");
    }

    public static ContentHttpResult CollectionPage(HttpRequest request, PageText t, Collection collection)
    {
        var url = $"{request.Root()}/collections/{Uri.EscapeDataString(collection.Id)}";
        var body = new StringBuilder();
        body.Append(Inv, $"<p>{HtmlPage.Encode(collection.Description)}</p>\n")
            .Append(Inv, $"<p><a href=\"{Attr(Keep(request, $"{url}/items"))}\" id=\"items-link\"><b>{t["open.items"]}</b></a></p>\n")
            .Append("<table class=\"properties\">\n<tbody>\n")
            .Append(Inv, $"<tr><th>{t["id"]}</th><td><code>{HtmlPage.Encode(collection.Id)}</code></td></tr>\n");
        var bbox = collection.Extent?.Spatial?.Bbox.FirstOrDefault();
        body.Append(Inv, $"<tr><th>{t["extent"]}</th><td>{(bbox is null ? t["extent.none"] : HtmlPage.Encode(string.Join(", ", bbox.Select(v => v.ToString("0.######", Inv)))) + " <small>(CRS84)</small>")}</td></tr>\n");
        if (collection.Extent?.Temporal?.Interval.FirstOrDefault() is { } interval)
            body.Append(Inv, $"<tr><th>{t["period"]}</th><td>{HtmlPage.Encode(interval[0] ?? "..")} – {HtmlPage.Encode(interval[1] ?? "..")}</td></tr>\n");
        body.Append(Inv, $"<tr><th>{t["crs"]}</th><td>{string.Join("<br>", collection.Crs.Select(c => $"<code>{HtmlPage.Encode(c)}</code>"))}</td></tr>\n");
        foreach (var link in collection.Links.Where(l => l.Type == MediaTypes.JsonSchema && l.Rel != "describedBy"))
        {
            var label = link.Rel.EndsWith("queryables", StringComparison.Ordinal) ? t["queryables"] : t["schema"];
            body.Append(Inv, $"<tr><th>{label}</th><td><a href=\"{Attr(link.Href)}\">{HtmlPage.Encode(link.Href)}</a></td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n");
        return Page(request, t, Title(collection, t), [Home(request, t), Crumb(request, $"{request.Root()}/collections", t["collections"])], body,
            MediaTypes.Json, collection.Links);
    }

    /// <summary>A page of features: a map, a table with a link to each feature (and its history), and the paging links.</summary>
    /// <param name="register">null for the network's computed collections</param>
    public static string Items(HttpRequest request, PageText t, string collectionId, string title, RegisterSchema? register,
        IReadOnlyList<PageFeature> features, long matched, IReadOnlyList<OgcLink> links)
    {
        var collectionUrl = $"{request.Root()}/collections/{Uri.EscapeDataString(collectionId)}";
        var body = new StringBuilder();
        if (features.Count == 0) body.Append(Inv, $"<p class=\"none\">{t["none"]}</p>\n");
        else
        {
            body.Append(Inv, $"<p class=\"matched\">{t.Format("matched", matched.ToString("#,0", Inv), features.Count.ToString("#,0", Inv))}</p>\n");
            var shapes = features.Where(f => f.Geometry is not null)
                .Select(f => new MapShape(f.Geometry!, FeatureStyle, Label(f), Keep(request, ItemUrl(collectionUrl, f.Id)))).ToList();
            if (shapes.Count > 0) body.Append(SvgMap.Render(shapes, 720, 360, label: t["map.items"])).Append('\n');
        }
        Pager(body, request, t, links);
        if (features.Count > 0)
        {
            // Columns: every property any feature of the page has, in the order they first appear.
            var columns = features.SelectMany(f => f.Properties.Select(p => p.Key)).Distinct().Where(c => c != register?.IdProperty).ToList();
            body.Append("<div class=\"scroll\">\n<table class=\"features\">\n<thead><tr>")
                .Append(Inv, $"<th>{t["id"]}</th>{string.Concat(columns.Select(c => $"<th>{HtmlPage.Encode(c)}</th>"))}");
            if (register is not null) body.Append(Inv, $"<th>{t["history"]}</th>");
            body.Append("</tr></thead>\n<tbody>\n");
            foreach (var feature in features)
            {
                body.Append(Inv, $"<tr><td class=\"id\"><a href=\"{Attr(Keep(request, ItemUrl(collectionUrl, feature.Id)))}\">{HtmlPage.Encode(feature.Id)}</a></td>");
                foreach (var column in columns) body.Append(Inv, $"<td>{Value(register, column, feature.Properties[column], t)}</td>");
                if (register is not null) body.Append(Inv, $"<td><a href=\"{Attr(HistoryUrl(request, register, feature.Id))}\" class=\"history\">{t["history"]}</a></td>");
                body.Append("</tr>\n");
            }
            body.Append("</tbody>\n</table>\n</div>\n");
            Pager(body, request, t, links);
        }
        return Render(request, t, $"{title} — {t["features"]}",
            [Home(request, t), Crumb(request, $"{request.Root()}/collections", t["collections"]), Crumb(request, collectionUrl, title)], body, MediaTypes.GeoJson, links);
    }

    /// <summary>One feature: its map, its properties, its version and ETag, and its history.</summary>
    /// <param name="register">null for the network's computed collections</param>
    public static ContentHttpResult Item(HttpRequest request, PageText t, string collectionId, string collectionTitle, RegisterSchema? register,
        PageFeature feature, int? version, string? etag, IReadOnlyList<OgcLink> links)
    {
        var collectionUrl = $"{request.Root()}/collections/{Uri.EscapeDataString(collectionId)}";
        var body = new StringBuilder();
        body.Append(feature.Geometry is null
            ? $"<p class=\"none\">{t["map.nogeometry"]}</p>\n"
            : SvgMap.Render([new MapShape(feature.Geometry, FeatureStyle, Label(feature))], 480, 320, label: t["map.item"]) + "\n");
        body.Append("<table class=\"properties\">\n<thead><tr>")
            .Append(Inv, $"<th>{t["property"]}</th><th>{t["value"]}</th></tr></thead>\n<tbody>\n");
        foreach (var (name, value) in feature.Properties)
            body.Append(Inv, $"<tr><th>{HtmlPage.Encode(name)}</th><td>{Value(register, name, value, t)}</td></tr>\n");
        if (version is { } v) body.Append(Inv, $"<tr><th>{t["version"]}</th><td class=\"version\">{v}</td></tr>\n");
        if (etag is not null) body.Append(Inv, $"<tr><th>{t["etag"]}</th><td><code class=\"etag\">{HtmlPage.Encode(etag)}</code></td></tr>\n");
        body.Append("</tbody>\n</table>\n");
        body.Append(register is null
            ? $"<p>{t["computed"]}</p>\n"
            : $"<p><a href=\"{Attr(HistoryUrl(request, register, feature.Id))}\" class=\"history\">{t["history"]}</a> — {t["history.about"]} (GeoJSON)</p>\n");
        return Page(request, t, $"{collectionTitle}: {feature.Id}",
            [Home(request, t), Crumb(request, $"{request.Root()}/collections", t["collections"]), Crumb(request, collectionUrl, collectionTitle),
                Crumb(request, $"{collectionUrl}/items", t["features"])], body, MediaTypes.GeoJson, links);
    }

    /// <summary>A collection's title in the page's language: the register's own Japanese or English title.</summary>
    public static string Title(Collection collection, PageText t) => RegisterCatalogue.Find(collection.Id) is { } register ? Title(register, t) : collection.Title;

    public static string Title(RegisterSchema register, PageText t) => t.IsJapanese ? register.TitleJa : register.TitleEn;

    private static string ItemUrl(string collectionUrl, string id) => $"{collectionUrl}/items/{Uri.EscapeDataString(id)}";

    private static string HistoryUrl(HttpRequest request, RegisterSchema register, string id) =>
        $"{request.Root()}/registers/{register.Name}/{Uri.EscapeDataString(id)}/versions";

    // A tooltip: the id, and the name where the feature has one.
    private static string Label(PageFeature feature) =>
        feature.Properties["name"] is JsonValue name && name.TryGetValue<string>(out var text) && text.Length > 0 ? $"{feature.Id} {text}" : feature.Id;

    private static void Pager(StringBuilder body, HttpRequest request, PageText t, IReadOnlyList<OgcLink> links)
    {
        var prev = links.FirstOrDefault(l => l.Rel == "prev");
        var next = links.FirstOrDefault(l => l.Rel == "next");
        if (prev is null && next is null) return;
        body.Append("<nav class=\"pager\">");
        if (prev is not null) body.Append(Inv, $"<a href=\"{Attr(Keep(request, prev.Href))}\" rel=\"prev\">{t["prev"]}</a> ");
        if (next is not null) body.Append(Inv, $"<a href=\"{Attr(Keep(request, next.Href))}\" rel=\"next\">{t["next"]}</a>");
        body.Append("</nav>\n");
    }

    /// <summary>A property's value as table cell content, escaped; a code with its Japanese name on Japanese pages.</summary>
    private static string Value(RegisterSchema? register, string name, JsonNode? value, PageText t)
    {
        if (value is null) return "–";
        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
        {
            if (t.IsJapanese && register is not null && RegisterCatalogue.JapaneseNames(register, name) is { } names && names.TryGetValue(text, out var japanese))
                return $"{HtmlPage.Encode(japanese)}<small>{HtmlPage.Encode(text)}</small>";
            return HtmlPage.Encode(text);
        }
        return HtmlPage.Encode(value.ToJsonString(Json.Web));
    }

    private static (string Href, string Label) Home(HttpRequest request, PageText t) => Crumb(request, $"{request.Root()}/", t["home"]);

    private static (string Href, string Label) Crumb(HttpRequest request, string url, string label) => (Keep(request, url), label);

    /// <summary>
    /// A link to another page that keeps this request's f=html and lang, so a reader who chose them stays on pages in
    /// that language (a browser without them is led by its own Accept and Accept-Language headers).
    /// </summary>
    private static string Keep(HttpRequest request, string url)
    {
        var keep = new List<string>();
        foreach (var name in new[] { "f", "lang" })
        {
            if (request.Query[name] is [{ } value] && !HasParameter(url, name)) keep.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        return keep.Count == 0 ? url : $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{string.Join('&', keep)}";
    }

    private static bool HasParameter(string url, string name) =>
        url.IndexOf('?', StringComparison.Ordinal) is >= 0 and var q && url[(q + 1)..].Split('&').Any(p => p == name || p.StartsWith(name + "=", StringComparison.Ordinal));

    private static string Attr(string url) => HtmlPage.Encode(url);

    private static ContentHttpResult Page(HttpRequest request, PageText t, string title, IReadOnlyList<(string Href, string Label)> crumbs, StringBuilder body,
        string jsonType, IReadOnlyList<OgcLink> links) =>
        TypedResults.Text(Render(request, t, title, crumbs, body, jsonType, links), "text/html; charset=utf-8");

    private static string Render(HttpRequest request, PageText t, string title, IReadOnlyList<(string Href, string Label)> crumbs, StringBuilder body,
        string jsonType, IReadOnlyList<OgcLink> links)
    {
        var json = OgcFormat.JsonAlternate(request, jsonType);
        var (otherLang, otherName) = t.Other;
        var switchUrl = request.WithQuery(new Dictionary<string, string?> { ["lang"] = otherLang });
        var html = new StringBuilder();
        html.Append(Inv, $"<!doctype html>\n<html lang=\"{t.Lang}\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // No icon: without this line a browser asks for /favicon.ico, which the service does not have.
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append(Inv, $"<title>{HtmlPage.Encode(title)}</title>\n")
            .Append(Inv, $"<link rel=\"alternate\" type=\"{json.Type}\" href=\"{Attr(json.Href)}\">\n")
            .Append(Inv, $"<link rel=\"alternate\" hreflang=\"{otherLang}\" href=\"{Attr(switchUrl)}\">\n");
        foreach (var link in links.Where(l => l.Rel is "next" or "prev" or "service-desc" or "service-doc"))
            html.Append(Inv, $"<link rel=\"{link.Rel}\" type=\"{HtmlPage.Encode(link.Type)}\" href=\"{Attr(link.Rel is "next" or "prev" ? Keep(request, link.Href) : link.Href)}\">\n");
        html.Append(Inv, $"<style>{HtmlPage.Css}{Css}</style>\n</head>\n<body>\n<header>\n");
        if (crumbs.Count > 0)
            html.Append("<nav class=\"crumbs\">").AppendJoin(" › ", crumbs.Select(c => $"<a href=\"{Attr(c.Href)}\">{HtmlPage.Encode(c.Label)}</a>")).Append("</nav>\n");
        html.Append(Inv, $"<h1>{HtmlPage.Encode(title)}</h1>\n")
            .Append(Inv, $"<nav class=\"formats\"><a href=\"{Attr(switchUrl)}\" hreflang=\"{otherLang}\" lang=\"{otherLang}\" class=\"language\">{otherName}</a> | ")
            .Append(Inv, $"<a href=\"{Attr(json.Href)}\" type=\"{json.Type}\" rel=\"alternate\" class=\"json\">{t["json"]}</a></nav>\n</header>\n<main>\n")
            .Append(body)
            .Append(Inv, $"</main>\n<footer>\n<p>{HtmlPage.Encode(t["footer"])}</p>\n</footer>\n</body>\n</html>\n");
        return html.ToString();
    }
}
