using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using Xunit.Abstractions;

namespace HabitatRegistry.Tests.Clients;

/// <summary>
/// The service on Kestrel with Tokorozawa's whole sample strategy, the city boundary and GSI's base map switched on, and
/// the web map as headless Chromium draws it with WebGL (tests/clients/map_browser.mjs), measured once.
/// </summary>
public sealed class WebMapBrowserFixture : BrowserReportFixture
{
    private Task<JsonNode>? measured;

    /// <summary>Where the script leaves its screenshots for people to look at (not asserted).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "browser-map");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Habitat:Map:GsiBaseMap"] = "true",
    };

    /// <summary>The browser's measurements: <c>maps.en</c> (every fiscal year, keyboard, popup, profiles) and <c>maps.ja</c>.</summary>
    public Task<JsonNode> MapInBrowserAsync() => measured ??= MeasureAsync();

    private async Task<JsonNode> MeasureAsync()
    {
        await StartWithSamplesAsync();
        Directory.CreateDirectory(ScreenshotFolder);
        var (exit, output, errors) = await ClientProcess.RunAsync("node", [Parcels.RepoFile("tests/clients/map_browser.mjs"), BaseUrl, "--screenshots", ScreenshotFolder]);
        Assert.True(exit == 0,
            $"map_browser.mjs exited {exit} (./test.sh installs Chromium and playwright-core; by hand: npm ci in tests/clients):\n{output}\n{errors}");
        return JsonNode.Parse(output)!;
    }
}

/// <summary>The web map in a real browser: what the public and the council see, year by year.</summary>
public class WebMapBrowserTests(WebMapBrowserFixture fixture, ITestOutputHelper log) : IClassFixture<WebMapBrowserFixture>
{
    private static readonly string[] SampleCodes = ["1-1-1", "1-1-2", "2-1-3", "2-2-1", "3-1-2", "3-2-2/3", "4-3-1", "4-3-3"];

    private async Task<JsonNode> MapAsync(string lang = "en")
    {
        var map = (await fixture.MapInBrowserAsync())["maps"]![lang]!;
        if (map["screenshots"] is { } screenshots) log.WriteLine($"screenshots: {screenshots.ToJsonString()}");
        return map;
    }

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!);

    private async Task<HttpClient> ServiceAsync()
    {
        await fixture.StartWithSamplesAsync();
        return new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
    }

    // The ids the registers' items endpoint gives for the land in force on a date: what the map must draw.
    private static async Task<List<string>> IdsInForceAsync(HttpClient client, string register, string date)
    {
        var page = await client.GetFromJsonAsync<JsonNode>($"/collections/{register}/items?datetime={date}&limit=1000");
        Assert.Null(page!["links"]!.AsArray().FirstOrDefault(l => (string)l!["rel"]! == "next"));
        return page["features"]!.AsArray().Select(f => (string)f!["id"]!).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task TheMapLoadsItsVectorTilesFromTheServiceAndNothingFromElsewhere()
    {
        var map = await MapAsync();

        Assert.Equal(200, (int)map["status"]!);
        var tiles = map["tiles"]!;
        Assert.True((int)tiles["ok"]! > 10, tiles.ToJsonString());
        Assert.All(Strings(tiles["contentTypes"]), t => Assert.StartsWith("application/vnd.mapbox-vector-tile", t, StringComparison.Ordinal));
        Assert.Empty(tiles["other"]!.AsArray());
        foreach (var collection in new[] { "designations", "acquisitions", "network-patches-small-mammals", "network-links-small-mammals" })
            Assert.True(tiles["byCollection"]![collection] is not null, $"no tile of {collection} was asked for: {tiles["byCollection"]!.ToJsonString()}");
        Assert.Empty(map["otherOrigins"]!.AsArray());
    }

    [Fact]
    public async Task TheSliderOffersTheRegistersYearsAndEachYearDrawsExactlyTheLandInForceAtItsEnd()
    {
        var map = await MapAsync();
        using var client = await ServiceAsync();

        var slider = map["slider"]!;
        Assert.Equal("range", (string)slider["type"]!);
        Assert.Equal(2010, (int)slider["min"]!); // the first designation, 2010-06-15
        Assert.Equal(2025, (int)slider["max"]!); // the last fiscal year that has ended
        Assert.Equal("Fiscal year shown (land at its end)", (string)slider["label"]!);
        var years = map["years"]!.AsArray();
        Assert.Equal(Enumerable.Range(2010, 16), years.Select(y => (int)y!["fy"]!));
        foreach (var year in years)
        {
            var fy = (int)year!["fy"]!;
            var end = $"{fy + 1}-03-31";
            Assert.Equal($"FY{fy} (to {end})", (string)year["ariaValueText"]!);
            var designations = await IdsInForceAsync(client, "designations", end);
            var acquisitions = await IdsInForceAsync(client, "acquisitions", end);
            Assert.Equal(designations, Strings(year["designations"]));
            Assert.Equal(acquisitions, Strings(year["acquisitions"]));
            Assert.Equal(designations, Strings(year["table"]!["designations"]));
            Assert.Equal(acquisitions, Strings(year["table"]!["acquisitions"]));
        }
        // The samples grow from 2 designations to 26 (one of the 27 is lifted); trust land appears in FY2012.
        Assert.True(Strings(years[0]!["designations"]).Count() < Strings(years[^1]!["designations"]).Count());
        Assert.Empty(years.Single(y => (int)y!["fy"]! == 2011)!["trust"]!.AsArray());
        Assert.Equal(["A-2012-001", "A-2018-001"], Strings(years[^1]!["trust"]));
    }

    [Fact]
    public async Task TheTargetsPanelShowsTheEightTargetsFromTheirBaselineYearOn()
    {
        var map = await MapAsync();
        var years = map["years"]!.AsArray();

        var last = years.Single(y => (int)y!["fy"]! == 2025)!["targets"]!;
        Assert.Equal(8, (int)last["rows"]!);
        Assert.Equal(SampleCodes, Strings(last["codes"]));
        Assert.Contains("FY2025", (string)last["note"]!, StringComparison.Ordinal);
        var beforeBaseline = years.Single(y => (int)y!["fy"]! == 2015)!["targets"]!;
        Assert.Equal(0, (int)beforeBaseline["rows"]!);
        Assert.Contains("before the targets' baseline year", (string)beforeBaseline["note"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeyboardReachesTheSliderAndArrowRightMovesOneYearAndTheMapFollows()
    {
        var map = await MapAsync();
        using var client = await ServiceAsync();

        Assert.Equal("fiscal-year", (string)map["focusAfterTwoTabs"]!);
        var keyboard = map["keyboard"]!;
        var year = (int)keyboard["from"]! + 1;
        Assert.Equal(year, (int)keyboard["value"]!);
        Assert.Equal($"FY{year} (to {year + 1}-03-31)", (string)keyboard["ariaValueText"]!);
        Assert.Equal(await IdsInForceAsync(client, "designations", $"{year + 1}-03-31"), Strings(keyboard["drawn"]!["designations"]));
    }

    [Fact]
    public async Task ClickingAParcelOpensAPopupWithItsPropertiesAndLinksToItsHistoryAndItem()
    {
        var map = await MapAsync();

        var popup = map["popup"]!;
        Assert.True(popup["pixel"] is not null, "no pixel of the map showed a designation on top");
        var id = (string)popup["pixel"]!["id"]!;
        Assert.Equal(id, (string)popup["properties"]!["ID"]!);
        Assert.StartsWith("Designation: ", (string)popup["heading"]!, StringComparison.Ordinal);
        var links = popup["links"]!.AsArray();
        var history = links.Single(l => ((string)l!["href"]!).EndsWith($"/registers/designations/{id}/versions", StringComparison.Ordinal))!;
        Assert.Equal(200, (int)history["status"]!);
        Assert.Equal([id], Strings(history["ids"]));
        Assert.True((int)history["versions"]! >= 1);
        var item = links.Single(l => ((string)l!["href"]!).EndsWith($"/collections/designations/items/{id}", StringComparison.Ordinal))!;
        Assert.Equal(200, (int)item["status"]!);
    }

    [Fact]
    public async Task EachSpeciesGroupDrawsItsOwnLinksBetweenTheSamePatches()
    {
        var map = await MapAsync();

        var network = map["network"]!.AsArray().ToDictionary(n => (string)n!["profile"]!, n => n!);
        Assert.Equal(["amphibians", "small-mammals", "woodland-birds"], network.Keys.Order(StringComparer.Ordinal));
        Assert.All(network.Values, n => Assert.Equal(34, (int)n["patches"]!));
        // Longer dispersal, more links: amphibians (500 m) < small mammals (2 km) < woodland birds (6 km).
        Assert.True((int)network["amphibians"]["links"]! < (int)network["small-mammals"]["links"]!);
        Assert.True((int)network["small-mammals"]["links"]! < (int)network["woodland-birds"]["links"]!);
    }

    [Fact]
    public async Task GsisBaseMapShowsWithItsCreditWhenConfigured()
    {
        var map = await MapAsync();

        Assert.True((bool)map["gsiBaseMap"]!);
        Assert.True((int)map["gsiTiles"]! > 0);
        Assert.Contains("https://cyberjapandata.gsi.go.jp", (string)map["contentSecurityPolicy"]!, StringComparison.Ordinal);
        Assert.Contains("出典：国土地理院", (string)map["attribution"]!["text"]!, StringComparison.Ordinal);
        Assert.True((bool)map["attribution"]!["visible"]!);
    }

    [Theory]
    [InlineData("en", "Protected land and habitat network", "FY2025 (to 2026-03-31)")]
    [InlineData("ja", "緑地保全・生態系ネットワーク地図", "2025年度（2026-03-31まで）")]
    public async Task TheBrowsersLanguageChoosesThePagesLanguage(string lang, string heading, string valueText)
    {
        var map = await MapAsync(lang);

        Assert.StartsWith(lang, (string)map["acceptLanguage"]!, StringComparison.Ordinal);
        Assert.Equal(lang, (string)map["documentLang"]!);
        Assert.Equal(heading, (string)map["h1"]!);
        Assert.Equal(valueText, (string)map["slider"]!["ariaValueText"]!);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public async Task ThePageRaisesNoErrors(string lang)
    {
        var map = await MapAsync(lang);

        Assert.True(map["problems"]!.AsArray().Count == 0, $"the browser reported {map["problems"]!.ToJsonString()}");
    }
}
