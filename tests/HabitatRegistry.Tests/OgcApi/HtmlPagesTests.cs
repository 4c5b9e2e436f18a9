using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>
/// The OGC API resources as HTML pages for people (conformance class "html"), chosen by f or by a browser's Accept
/// header, in Japanese or English; and JSON, unchanged, for every program that does not ask for a page.
/// </summary>
public partial class HtmlPagesTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    // What Chromium and Firefox send for a page.
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    public static readonly TheoryData<string> Resources = new()
    {
        "/", "/conformance", "/collections", "/collections/designations", "/collections/designations/items", "/collections/designations/items/D-1",
    };

    private async Task ImportAsync(int count = 3)
    {
        var features = Enumerable.Range(1, count)
            .Select(i => (JsonNode)Designation($"D-{i}", Box(139.40 + i * 0.002, 35.78, 139.401 + i * 0.002, 35.781), "2015-05-01"))
            .ToArray();
        await Client.ImportOkAsync("designations", Collection(features));
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string? accept = null, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return await Client.SendAsync(request);
    }

    private async Task<string> PageAsync(string url, string? accept = BrowserAccept, string? acceptLanguage = null)
    {
        var response = await GetAsync(url, accept, acceptLanguage);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static string Href(string html, string pattern) => WebUtility.HtmlDecode(Regex.Match(html, pattern).Groups[1].Value);

    private static string Path(string absolute) => new Uri(absolute).PathAndQuery;

    private static string Map(string html) => SvgMapElement().Match(html).Value;

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task ABrowsersAcceptHeaderGetsAnHtmlPageUnderTheContentSecurityPolicy(string url)
    {
        await ImportAsync();

        var response = await GetAsync(url, BrowserAccept);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/geo+json, application/json")] // GDAL's OAPIF driver
    [InlineData("application/json, text/html;q=0.5")]
    [InlineData("text/html;q=0.9, application/geo+json")]
    [InlineData("text/html, application/json")] // a tie: programs win
    public async Task ProgramsThatDoNotPreferHtmlGetTheSameJsonAsWithoutAnAcceptHeader(string? accept)
    {
        await ImportAsync();
        foreach (var url in Resources)
        {
            var plain = await GetAsync(url);
            var response = await GetAsync(url, accept);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(plain.Content.Headers.ContentType?.ToString(), response.Content.Headers.ContentType?.ToString());
            Assert.Contains("json", response.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
            Assert.Equal(["Accept"], response.Headers.Vary);
            // Byte for byte, but for the moment an items page was written.
            Assert.Equal(WithoutTimeStamp(await plain.Content.ReadAsStringAsync()), WithoutTimeStamp(await response.Content.ReadAsStringAsync()));
        }
    }

    private static string WithoutTimeStamp(string json) => TimeStamp().Replace(json, "");

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task FChoosesTheFormatWhateverTheAcceptHeaderSays(string url)
    {
        await ImportAsync();
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';

        var json = await GetAsync($"{url}{separator}f=json", BrowserAccept);
        var html = await GetAsync($"{url}{separator}f=html", "application/json");

        Assert.Contains("json", json.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
        JsonNode.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/?f=xml")]
    [InlineData("/conformance?f=geojson")]
    [InlineData("/collections?f=HTM")]
    [InlineData("/collections/designations?f=")]
    [InlineData("/collections/designations/items?f=csv")]
    [InlineData("/collections/designations/items/D-1?f=pdf")]
    public async Task AnUnknownFormatIsABadRequestThatNamesTheFormatsOffered(string url)
    {
        await ImportAsync();

        var response = await GetAsync(url, BrowserAccept);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "use f=json");
        Assert.Contains("f=html", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownLanguageIsABadRequestNamingJapaneseAndEnglish()
    {
        var response = await GetAsync("/collections?lang=fr", BrowserAccept);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "lang=ja");
        Assert.Contains("lang=en", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/collections/nowhere")]
    [InlineData("/collections/nowhere/items")]
    [InlineData("/collections/designations/items/NO-SUCH")]
    [InlineData("/collections/network-patches-no-such-group")]
    public async Task WhatDoesNotExistIsAProblemDetailForABrowserToo(string url)
    {
        var response = await GetAsync(url, BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ConformanceDeclaresTheHtmlClasses()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();

        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html", await PageAsync("/conformance"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task EachJsonLinksItsHtmlPageAndEachPageLinksItsJson(string url)
    {
        await ImportAsync();

        var json = await Client.GetJsonAsync(url);
        var alternate = json["links"]!.AsArray().Single(l => (string)l!["rel"]! == "alternate" && (string)l["type"]! == "text/html")!;
        var html = await PageAsync(Path((string)alternate["href"]!), accept: null);
        var back = Href(html, @"<link rel=""alternate"" type=""application/(?:geo\+)?json"" href=""([^""]+)""");
        var again = await GetAsync(Path(back), BrowserAccept);

        Assert.Contains("f=json", back, StringComparison.Ordinal);
        Assert.Contains("json", again.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
        Assert.Equal(json.AsObject().Select(p => p.Key), JsonNode.Parse(await again.Content.ReadAsStringAsync())!.AsObject().Select(p => p.Key));
        Assert.Matches(@"<a href=""[^""]+f=json[^""]*"" type=""application/(geo\+)?json"" rel=""alternate""", html);
    }

    [Fact]
    public async Task TheLandingPageLeadsToTheMapTheAnnualReportTheApiDocumentationAndEachRegister()
    {
        var html = await PageAsync("/", acceptLanguage: "en");

        Assert.Equal("/map", Path(Href(html, @"<a href=""([^""]+)"" id=""map-link""")));
        Assert.StartsWith("/reports/targets?", Path(Href(html, @"<a href=""([^""]+)"" id=""report-link""")), StringComparison.Ordinal);
        Assert.Equal("/swagger", Path(Href(html, @"<a href=""([^""]+)"" id=""docs-link""")));
        var registers = RegisterLink().Matches(html).Select(m => Path(WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
        Assert.Equal(["/collections/designations", "/collections/acquisitions", "/collections/activities", "/collections/habitat-patches"], registers);
        Assert.Contains(">Designations</a>", html, StringComparison.Ordinal);
        Assert.Contains(">緑地保全の指定</a>", await PageAsync("/", acceptLanguage: "ja"), StringComparison.Ordinal);
        // And the report it links is the HTML report, in the page's language.
        var report = await GetAsync(Path(Href(html, @"<a href=""([^""]+)"" id=""report-link""")), BrowserAccept);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheCollectionPageLinksItsFeaturesSchemaAndQueryables()
    {
        await ImportAsync();

        var html = await PageAsync("/collections/designations", acceptLanguage: "en");

        Assert.Equal("/collections/designations/items", Path(Href(html, @"<a href=""([^""]+)"" id=""items-link""")));
        Assert.Contains("/collections/designations/schema", html, StringComparison.Ordinal);
        Assert.Contains("/collections/designations/queryables", html, StringComparison.Ordinal);
        Assert.Contains("139.402, 35.78, 139.407, 35.781", html, StringComparison.Ordinal); // the register's extent
        Assert.Contains("<h1>Designations</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheItemsPageTablesEachFeatureWithItsPageAndHistoryAndPagesOnWithTheCursor()
    {
        await ImportAsync(5);

        var first = await PageAsync("/collections/designations/items?limit=2&f=html&lang=en", accept: null);
        var rows = ItemRow().Matches(first).Select(m => Path(WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
        var history = HistoryLink().Matches(first).Select(m => Path(m.Groups[1].Value)).ToList();
        var next = Href(first, @"<a href=""([^""]+)"" rel=""next""");

        // Each link keeps the reader's f and lang, so the next page is a page in the same language.
        Assert.Equal(["/collections/designations/items/D-1?f=html&lang=en", "/collections/designations/items/D-2?f=html&lang=en"], rows);
        Assert.Equal(["/registers/designations/D-1/versions", "/registers/designations/D-2/versions"], history);
        Assert.Contains("Showing 2 of 5", first, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", first, StringComparison.Ordinal);
        Assert.Contains("cursor=", next, StringComparison.Ordinal);
        Assert.Contains("f=html", next, StringComparison.Ordinal);
        Assert.Contains("lang=en", next, StringComparison.Ordinal);

        var second = await PageAsync(Path(next), accept: null);
        Assert.Equal(["D-3", "D-4"], ItemRow().Matches(second).Select(m => m.Groups[2].Value));
        var byOffset = await PageAsync("/collections/designations/items?limit=2&offset=2", acceptLanguage: "en");
        Assert.Equal("/collections/designations/items?offset=0&limit=2", Path(Href(byOffset, @"<a href=""([^""]+)"" rel=""prev""")));
        // The history link leads to every version of the record.
        var versions = await Client.GetJsonAsync(history[0]);
        Assert.Equal("D-1", (string)versions["features"]![0]!["id"]!);
    }

    [Fact]
    public async Task TheItemsMapDrawsOneShapePerFeatureLinkedToItsPage()
    {
        await ImportAsync(4);

        var html = await PageAsync("/collections/designations/items?limit=3");
        var map = Map(html);

        Assert.Equal(3, Regex.Count(map, "<path "));
        Assert.Equal(3, Regex.Count(map, "<a href=\"[^\"]+/collections/designations/items/D-\\d\""));
        Assert.Equal(3, ItemRow().Count(html));
        // Drawn inside the drawing: every coordinate between 0 and the width or height.
        var points = Regex.Matches(map, @" d=""([^""]+)""").SelectMany(m => Maps.SvgMapTests.Subpaths(m.Groups[1].Value)).SelectMany(p => p);
        Assert.All(points, p => { Assert.InRange(p.X, 0, 720); Assert.InRange(p.Y, 0, 360); });
    }

    [Fact]
    public async Task AnActivityWithoutAPlaceIsInTheTableButNotOnTheMap()
    {
        await Client.ImportOkAsync("activities", Collection(
            Feature("POINT(139.45 35.80)", new { activity_id = "A-1", held_on = "2025-05-01", kind = "lecture", title = "観察会" }),
            new JsonObject { ["type"] = "Feature", ["geometry"] = null, ["properties"] = new JsonObject { ["activity_id"] = "A-2", ["held_on"] = "2025-06-01", ["kind"] = "survey", ["title"] = "調査" } }));

        var html = await PageAsync("/collections/activities/items", acceptLanguage: "ja");

        Assert.Equal(2, ItemRow().Count(html));
        Assert.Equal(1, Regex.Count(Map(html), "<path "));
        Assert.Contains("自然や生きものを学ぶ講座（出前講座等）<small>lecture</small>", html, StringComparison.Ordinal); // the kind's Japanese name
        Assert.Contains(">位置の記録がありません。<", await PageAsync("/collections/activities/items/A-2", acceptLanguage: "ja"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheItemPageShowsThePropertiesVersionETagHistoryAndAMap()
    {
        await ImportAsync();
        await Client.ImportOkAsync("designations", Collection(Designation("D-2", Box(139.404, 35.78, 139.406, 35.782), "2016-04-01")));

        var html = await PageAsync("/collections/designations/items/D-2", acceptLanguage: "en");
        var json = await GetAsync("/collections/designations/items/D-2");

        Assert.Contains("<td class=\"version\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<code class=\"etag\">{WebUtility.HtmlEncode(json.Headers.ETag!.ToString())}</code>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>designated_on</th><td>2016-04-01</td></tr>", html, StringComparison.Ordinal);
        Assert.Equal("/registers/designations/D-2/versions", Path(Href(html, @"<a href=""([^""]+)"" class=""history""")));
        Assert.Equal(1, Regex.Count(Map(html), "<path "));
        Assert.Equal("/collections/designations/items", Path(Regex.Matches(html, @"<nav class=""crumbs"">.*?</nav>").Single().Value.Split("href=\"")[^1].Split('"')[0]));
    }

    [Fact]
    public async Task NamesAndPropertiesFromDataAreEscapedEverywhere()
    {
        const string hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
        await Client.ImportOkAsync("designations", Collection(Feature(Box(139.40, 35.78, 139.41, 35.79), new Dictionary<string, object>
        {
            ["parcel_id"] = "D-<i>1", ["scheme"] = "other", ["designated_on"] = "2015-05-01", ["name"] = hostile, ["<svg onload=alert(2)>"] = hostile,
        })));

        foreach (var url in new[] { "/collections/designations/items", $"/collections/designations/items/{Uri.EscapeDataString("D-<i>1")}" })
        {
            var html = await PageAsync(url);

            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<i>1", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img", html, StringComparison.Ordinal);
            Assert.Contains("&lt;svg onload=alert(2)&gt;", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, null, "ja")] // the city's own language
    [InlineData(null, "ja,en;q=0.8", "ja")]
    [InlineData(null, "ja-JP", "ja")]
    [InlineData(null, "en-GB,en;q=0.9,ja;q=0.5", "en")]
    [InlineData(null, "de", "en")]
    [InlineData("en", "ja", "en")]
    [InlineData("ja", "en-US", "ja")]
    public async Task TheLanguageIsLangElseTheBrowsersPreference(string? lang, string? acceptLanguage, string expected)
    {
        await ImportAsync();

        var html = await PageAsync($"/collections/designations{(lang is null ? "" : $"?lang={lang}")}", acceptLanguage: acceptLanguage);

        Assert.Contains($"<html lang=\"{expected}\">", html, StringComparison.Ordinal);
        Assert.Contains(expected == "ja" ? "<h1>緑地保全の指定</h1>" : "<h1>Designations</h1>", html, StringComparison.Ordinal);
        var other = expected == "ja" ? "en" : "ja";
        var switchLink = Href(html, $@"<a href=""([^""]+)"" hreflang=""{other}""");
        Assert.Equal($"/collections/designations?lang={other}", Path(switchLink));
        Assert.Contains($"<html lang=\"{other}\">", await PageAsync(Path(switchLink), acceptLanguage: acceptLanguage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNetworksComputedCollectionsHavePagesWithMapsButNoHistory()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(
            Feature(Box(139.40, 35.78, 139.401, 35.781), new { patch_id = "P-1", habitat = "woodland" }),
            Feature(Box(139.402, 35.78, 139.403, 35.781), new { patch_id = "P-2", habitat = "woodland" })));

        var items = await PageAsync("/collections/network-patches-amphibians/items", acceptLanguage: "en");
        var item = await PageAsync("/collections/network-patches-amphibians/items/P-1", acceptLanguage: "en");
        var collection = await PageAsync("/collections/network-patches-amphibians", acceptLanguage: "en");

        Assert.Equal(2, Regex.Count(Map(items), "<path "));
        Assert.Equal(2, ItemRow().Count(items));
        Assert.DoesNotContain("class=\"history\"", items, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(Map(item), "<path "));
        Assert.Contains("Computed from the registers", item, StringComparison.Ordinal);
        Assert.Contains("id=\"items-link\"", collection, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<svg [^>]*class=""map"".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgMapElement();

    [GeneratedRegex(@"""timeStamp"":""[^""]*"",?")]
    private static partial Regex TimeStamp();

    [GeneratedRegex(@"<li><a href=""([^""]+)"" class=""register"">")]
    private static partial Regex RegisterLink();

    [GeneratedRegex(@"<td class=""id""><a href=""([^""]+)"">([^<]*)</a>")]
    private static partial Regex ItemRow();

    [GeneratedRegex(@"<a href=""([^""]+)"" class=""history"">")]
    private static partial Regex HistoryLink();
}
