using System.Net;
using System.Net.Http.Headers;
using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Maps;

/// <summary>The web map's page and files over HTTP, as a city runs it by default: no GSI base map, and a boundary only once one is loaded.</summary>
public class WebMapTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private async Task<HttpResponseMessage> PageAsync(string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        return await Client.SendAsync(request);
    }

    [Theory]
    [InlineData(null, null, "ja")]
    [InlineData(null, "en-GB,en;q=0.9", "en")]
    [InlineData(null, "fr-FR,en;q=0.5,ja;q=0.4", "en")]
    [InlineData(null, "en;q=0.3,ja", "ja")]
    [InlineData("en", "ja", "en")]
    [InlineData("JA", "en", "ja")]
    public async Task ThePageIsInTheLanguageAskedForOrTheBrowsersOrJapanese(string? lang, string? acceptLanguage, string expected)
    {
        using var response = await PageAsync(lang is null ? "/map" : $"/map?lang={lang}", acceptLanguage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.Contains($"<html lang=\"{expected}\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALanguageThatIsNotOfferedIsAProblemThatSaysWhichAre()
    {
        using var response = await PageAsync("/map?lang=fr");

        await Parcels.AssertProblemAsync(response, HttpStatusCode.BadRequest, "Japanese (ja) or English (en)");
    }

    [Fact]
    public async Task ByDefaultThePageHasNoBaseMapNoBoundaryAndTheStrictPolicy()
    {
        using var response = await PageAsync("/map");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-gsi-base-map=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("data-boundary=\"\"", html, StringComparison.Ordinal);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("gsi.go.jp", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // the policy would refuse an inline script
        await Parcels.AssertProblemAsync(await Client.GetAsync("/map/boundary"), HttpStatusCode.NotFound, "city-boundary");
    }

    [Fact]
    public async Task TheBoundaryTheReportDrawsIsTheOneTheMapOutlines()
    {
        using (var output = new StringWriter())
            Assert.Equal(0, await HabitatRegistry.Cli.CommandLine.RunAsync(Registry.App.Services,
                ["city-boundary", Parcels.RepoFile("gis-samples/tokorozawa-boundary.geojson"), "--credit", "出典：国土数値情報"], output));

        using var page = await PageAsync("/map");
        Assert.Contains("data-boundary=\"http://localhost/map/boundary\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var response = await Client.GetAsync("/map/boundary");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        var feature = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("出典：国土数値情報", (string?)feature["properties"]!["credit"]);
        // The file's outline, as stored: its first vertex comes back to 1e-7 degrees.
        var file = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Parcels.RepoFile("gis-samples/tokorozawa-boundary.geojson")))!;
        var expected = FirstPosition(file["features"]![0]!["geometry"]!);
        var served = FirstPosition(feature["geometry"]!);
        Assert.Equal(expected.Lon, served.Lon, 7);
        Assert.Equal(expected.Lat, served.Lat, 7);
    }

    private static (double Lon, double Lat) FirstPosition(System.Text.Json.Nodes.JsonNode geometry)
    {
        var position = geometry["coordinates"]!;
        while (position[0] is System.Text.Json.Nodes.JsonArray) position = position[0]!;
        return ((double)position[0]!, (double)position[1]!);
    }

    [Theory]
    [InlineData("map.js", "text/javascript")]
    [InlineData("strings.js", "text/javascript")]
    [InlineData("map.css", "text/css")]
    [InlineData("maplibre-gl.mjs", "text/javascript")]
    [InlineData("maplibre-gl-worker.mjs", "text/javascript")]
    [InlineData("maplibre-gl.css", "text/css")]
    public async Task TheMapsFilesAreServedWithAnETagAndAnUnchangedOneCostsA304(string file, string mediaType)
    {
        using var first = await Client.GetAsync($"/map/assets/{file}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType!.MediaType);
        Assert.True((await first.Content.ReadAsByteArrayAsync()).Length > 100);
        Assert.True(first.Headers.CacheControl!.NoCache);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/map/assets/{file}");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("nothing.js")]
    [InlineData("..%2Fappsettings.json")]
    [InlineData("maplibre-gl.mjs.map")]
    public async Task OnlyTheMapsOwnFilesAreServed(string file)
    {
        using var response = await Client.GetAsync($"/map/assets/{file}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
