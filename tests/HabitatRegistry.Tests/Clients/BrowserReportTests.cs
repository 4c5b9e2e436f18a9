using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using Xunit.Abstractions;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Clients;

/// <summary>
/// The service on Kestrel with Tokorozawa's whole sample strategy (registers, activities, the eight targets), and the
/// annual report as headless Chromium renders and prints it (tests/clients/report_browser.mjs), measured once.
/// </summary>
public class BrowserReportFixture : KestrelFixture
{
    private Task<JsonNode>? measured;

    /// <summary>gis-samples/README.md's credit for the MLIT boundary.</summary>
    public const string BoundaryCredit = "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成 / Source: National Land Numerical Information (Administrative Areas), MLIT Japan; processed";

    /// <summary>Where the script leaves its screenshots and PDFs for people to look at (not asserted).</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "browser-report");

    protected override async Task LoadSamplesAsync(HttpClient client)
    {
        await base.LoadSamplesAsync(client);
        using (var output = new StringWriter())
        {
            var exit = await HabitatRegistry.Cli.CommandLine.RunAsync(App.Services, ["city-boundary", RepoFile("gis-samples/tokorozawa-boundary.geojson"), "--credit", BoundaryCredit], output);
            Assert.True(exit == 0, output.ToString());
        }
        var activities = await client.PostCsvAsync("/imports/activities", await File.ReadAllBytesAsync(RepoFile("gis-samples/tokorozawa-activities.csv")));
        Assert.True(activities.IsSuccessStatusCode, await activities.Content.ReadAsStringAsync());
        foreach (var target in JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-targets.json")))!.AsArray())
        {
            var response = await client.PutAsJsonAsync($"/targets/{target!["code"]}", target);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The browser's measurements of the FY2025 report: <c>reports.ja</c> and <c>reports.en</c>.</summary>
    public Task<JsonNode> ReportInBrowserAsync() => measured ??= MeasureAsync();

    private Task<JsonNode>? walked;

    /// <summary>The browser's walk from the landing page to one feature (tests/clients/pages_browser.mjs): <c>pages</c>, <c>problems</c>.</summary>
    public Task<JsonNode> PagesInBrowserAsync() => walked ??= WalkAsync();

    private async Task<JsonNode> WalkAsync()
    {
        await StartWithSamplesAsync();
        Directory.CreateDirectory(OutputFolder);
        var (exit, output, errors) = await ClientProcess.RunAsync("node",
            [RepoFile("tests/clients/pages_browser.mjs"), BaseUrl, "--screenshot", Path.Combine(OutputFolder, "pages.png")]);
        Assert.True(exit == 0, $"pages_browser.mjs exited {exit} (by hand: npm ci in tests/clients):\n{output}\n{errors}");
        return JsonNode.Parse(output)!;
    }

    private async Task<JsonNode> MeasureAsync()
    {
        await StartWithSamplesAsync();
        Directory.CreateDirectory(OutputFolder);
        string[] arguments = [RepoFile("tests/clients/report_browser.mjs"), BaseUrl, "2025",
            "--screenshot", Path.Combine(OutputFolder, "report.png"), "--pdf", Path.Combine(OutputFolder, "report.pdf")];
        var (exit, output, errors) = await ClientProcess.RunAsync("node", arguments);
        Assert.True(exit == 0,
            $"report_browser.mjs exited {exit} (./test.sh installs Chromium, the CJK fonts and playwright-core; by hand: npm ci in tests/clients):\n{output}\n{errors}");
        return JsonNode.Parse(output)!;
    }
}

/// <summary>The printable annual report in a real browser: what a city would post and print, in Japanese and English.</summary>
public class BrowserReportTests(BrowserReportFixture fixture, ITestOutputHelper log) : IClassFixture<BrowserReportFixture>
{
    private static readonly string[] SampleCodes = ["1-1-1", "1-1-2", "2-1-3", "2-2-1", "3-1-2", "3-2-2/3", "4-3-1", "4-3-3"];

    // Measured: 3 pages, the table of all eight targets on the first, the charts on the second, the map and the (empty)
    // PDCA record of the samples on the third. The bound leaves a page for a year's PDCA entries and evaluations; more
    // would mean the layout came apart (the table split over pages, as the English one was, or the charts one to a row).
    private const int MostA4Pages = 4;

    private async Task<JsonNode> ReportAsync(string lang)
    {
        var report = (await fixture.ReportInBrowserAsync())["reports"]![lang]!;
        if (report["screenshot"] is { } screenshot) log.WriteLine($"screenshot: {screenshot}, PDF: {report["pdf"]!["path"]}");
        return report;
    }

    private static IEnumerable<JsonNode> Items(JsonNode? array) => array!.AsArray().Select(n => n!);

    [Theory]
    [InlineData("ja", "令和7年度")]
    [InlineData("en", "FY2025")]
    public async Task ABrowserAskingWithItsOwnAcceptHeaderGetsTheHtmlReportInItsLanguage(string lang, string yearLabel)
    {
        var report = await ReportAsync(lang);

        Assert.DoesNotContain("format=", (string)report["url"]!, StringComparison.Ordinal);
        Assert.StartsWith("text/html", (string)report["accept"]!, StringComparison.Ordinal);
        Assert.Equal(200, (int)report["status"]!);
        Assert.StartsWith("text/html", (string)report["contentType"]!, StringComparison.Ordinal);
        Assert.Equal(lang, (string)report["documentLang"]!);
        Assert.Contains(yearLabel, (string)report["title"]!, StringComparison.Ordinal);
        Assert.Contains(yearLabel, (string)report["h1"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task TheTableShowsTheEightSampleTargetsInTheStrategysOrder(string lang)
    {
        var report = await ReportAsync(lang);

        Assert.Equal(SampleCodes.Length, (int)report["rows"]!);
        Assert.Equal(SampleCodes, Items(report["codes"]).Select(c => (string)c!));
    }

    [Theory]
    [InlineData("ja", "screen")]
    [InlineData("en", "screen")]
    [InlineData("ja", "print")]
    [InlineData("en", "print")]
    public async Task EveryTargetHasAVisibleChartWithSixYearsOfActualsAndADashedPlanLine(string lang, string media)
    {
        var charts = Items((await ReportAsync(lang))[media]!["charts"]).ToList();

        Assert.Equal(SampleCodes, charts.Select(c => (string)c["target"]!));
        foreach (var chart in charts)
        {
            var code = (string)chart["target"]!;
            Assert.True((double)chart["box"]!["width"]! > 100 && (double)chart["box"]!["height"]! > 50, $"{code}: chart laid out at {chart["box"]!.ToJsonString()}");
            Assert.True((bool)chart["displayed"]! && (bool)chart["insidePage"]!, $"{code}: chart hidden or outside the page: {chart.ToJsonString()}");
            Assert.True((bool)chart["centreHit"]!, $"{code}: something covers the chart");
            Assert.Equal(6, (int)chart["actualPoints"]!); // FY2020 … FY2025
            Assert.True((bool)chart["actualLine"]!, $"{code}: no actual line");
            Assert.True((bool)chart["planLine"]! && (bool)chart["planLineDashed"]!, $"{code}: no dashed plan line");
            Assert.True((int)chart["planLineLength"]! > 0, $"{code}: the plan line has no length");
        }
    }

    [Theory]
    [InlineData("ja", "screen")]
    [InlineData("en", "screen")]
    [InlineData("ja", "print")]
    [InlineData("en", "print")]
    public async Task NoTextOverflowsItsTableCellOnScreenOrOnAnA4Page(string lang, string media)
    {
        var layout = (await ReportAsync(lang))[media]!;

        Assert.True(layout["overflowingCells"]!.AsArray().Count == 0, $"cells whose text overflows: {layout["overflowingCells"]!.ToJsonString()}");
        Assert.All(Items(layout["tables"]), t => Assert.False((bool)t["overflows"]!, $"table wider than the page: {t.ToJsonString()}"));
        Assert.False((bool)layout["horizontalScroll"]!, $"the page is {layout["pageScrollWidth"]} px wide in a {layout["viewportWidth"]} px window");
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task JapaneseTextIsDrawnInNotoSansCjkJpNotInFallbackBoxes(string lang)
    {
        var fonts = (await ReportAsync(lang))["fonts"]!;

        Assert.True((bool)fonts["notoSansCjkJpInstalled"]!, $"Noto Sans CJK JP is not installed: {fonts.ToJsonString()}");
        // What Chromium actually drew the heading (令和7年度 in both languages) and the first target's titles with.
        foreach (var element in new[] { "h1", "firstJapaneseTitle" })
        {
            var used = Items(fonts[element]).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, f => Assert.Equal("Noto Sans CJK JP", (string)f["family"]!));
        }
    }

    [Theory]
    [InlineData("ja", "English", "en")]
    [InlineData("en", "日本語", "ja")]
    public async Task TheLanguageLinkInTheNavOpensTheSameReportInTheOtherLanguage(string lang, string linkText, string otherLang)
    {
        var link = (await ReportAsync(lang))["languageLink"]!;

        Assert.Equal(linkText, (string)link["text"]!);
        Assert.Equal(otherLang, (string)link["hreflang"]!);
        Assert.Equal(200, (int)link["status"]!);
        Assert.Equal(otherLang, (string)link["landedLang"]!);
        Assert.Contains($"lang={otherLang}", (string)link["landedUrl"]!, StringComparison.Ordinal);
        Assert.Contains("fiscalYear=2025", (string)link["landedUrl"]!, StringComparison.Ordinal);
        Assert.Equal(SampleCodes.Length, (int)link["landedRows"]!);
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task TheReportPrintsOnFewA4PagesWithTheWholeTableOnTheFirst(string lang)
    {
        var report = await ReportAsync(lang);
        var pdf = report["pdf"]!;

        Assert.Equal("%PDF-1.", ((string)pdf["header"]!)[..7]);
        var pages = (int)pdf["pageObjects"]!;
        Assert.Equal(pages, (int)pdf["pageTreeCount"]!);
        Assert.InRange(pages, 1, MostA4Pages);
        var table = Items(report["print"]!["tables"]).Single(t => (string)t["className"]! == "targets");
        Assert.True((int)table["bottom"]! <= (int)report["print"]!["pageHeightPx"]!,
            $"the targets table ends {table["bottom"]} px down the print layout; an A4 page holds {report["print"]!["pageHeightPx"]} px");
    }

    [Theory]
    [InlineData("ja", "screen")]
    [InlineData("en", "screen")]
    [InlineData("ja", "print")]
    [InlineData("en", "print")]
    public async Task TheMapOfTheLandIsVisibleAcrossThePageWithItsLegendAndFitsOnOneA4Page(string lang, string media)
    {
        var report = await ReportAsync(lang);
        var map = report[media]!["map"];

        Assert.NotNull(map);
        Assert.True((bool)map!["displayed"]! && (bool)map["insidePage"]!, $"map hidden or outside the page: {map.ToJsonString()}");
        Assert.True((double)map["box"]!["width"]! >= 0.95 * (double)map["containerWidth"]! && (double)map["box"]!["height"]! > 300, $"map laid out at {map["box"]!.ToJsonString()}");
        var layers = map["layers"]!.AsObject();
        Assert.Equal(1, (int)layers["boundary"]!);
        Assert.True((int)layers["added"]! > 0 && (int)layers["public"]! > 0 && (int)layers["trust"]! > 0, layers.ToJsonString());
        var legend = Items(map["legend"]).Select(t => (string)t!).ToList();
        Assert.Contains(lang == "ja" ? "市境界" : "City boundary", legend);
        Assert.Contains(lang == "ja" ? "令和7年度に追加された区域" : "Added in FY2025", legend);
        Assert.Equal(BrowserReportFixture.BoundaryCredit, (string)map["credit"]!);
        if (media == "print")
        {
            Assert.True((int)map["sectionHeight"]! <= (int)report["print"]!["pageHeightPx"]!,
                $"the map's section is {map["sectionHeight"]} px tall; an A4 page holds {report["print"]!["pageHeightPx"]} px");
        }
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task ThePrintedPdfShowsTheYearsAdditionsOnOnePage(string lang)
    {
        var pdf = (string)(await ReportAsync(lang))["pdf"]!["path"]!;

        // GDAL's PDF driver renders each page; the outline of the land the year added is the only magenta in the report.
        var (exit, output, errors) = await ClientProcess.RunAsync("/usr/bin/python3", [RepoFile("tests/clients/pdf_colours.py"), pdf, "d81b60"]);
        Assert.True(exit == 0, $"pdf_colours.py exited {exit}:\n{output}\n{errors}");
        var pages = JsonNode.Parse(output)!["colours"]!["d81b60"]!.AsArray().Select(n => (int)n!).ToList();
        log.WriteLine($"magenta pixels per page: {string.Join(", ", pages)}");
        Assert.Single(pages, p => p > 20);
        Assert.True(pages.IndexOf(pages.Max()) > 0, "the map is not on the first page, which holds the whole table");
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task ThePageLoadsNothingButItselfAndRaisesNoErrors(string lang)
    {
        var report = await ReportAsync(lang);

        Assert.True(report["otherRequests"]!.AsArray().Count == 0, $"the page loaded {report["otherRequests"]!.ToJsonString()}");
        Assert.True(report["problems"]!.AsArray().Count == 0, $"the browser reported {report["problems"]!.ToJsonString()}");
    }

    [Fact]
    public async Task FromTheLandingPageABrowserClicksThroughToARegistersFeaturesAndOneFeatureWithoutAnError()
    {
        var walk = await fixture.PagesInBrowserAsync();
        var pages = walk["pages"]!;

        foreach (var name in new[] { "landing", "collection", "items", "item" })
        {
            var page = pages[name]!;
            Assert.True((int)page["status"]! == 200, $"{name}: {page.ToJsonString()}");
            Assert.StartsWith("text/html", (string)page["contentType"]!, StringComparison.Ordinal);
            Assert.Equal("ja", (string)page["documentLang"]!); // the browser's locale is ja-JP
            Assert.Contains("f=json", (string)page["jsonAlternate"]!, StringComparison.Ordinal);
            Assert.Equal("English", (string)page["languageLink"]!);
            Assert.False((bool)page["horizontalScroll"]!, $"{name} is wider than the window");
        }
        Assert.EndsWith("/collections/designations", (string)pages["collection"]!["url"]!, StringComparison.Ordinal);
        Assert.Equal("緑地保全の指定", (string)pages["collection"]!["h1"]!);
        // The sample's 27 designations: all on the first page, each a row and a shape on the map.
        Assert.Equal(27, (int)pages["items"]!["rows"]!);
        Assert.Equal(27, (int)pages["items"]!["mapShapes"]!);
        Assert.Matches("/collections/designations/items/D-[0-9-]+$", (string)pages["item"]!["url"]!);
        Assert.Equal(1, (int)pages["item"]!["mapShapes"]!);
        Assert.True((int)pages["item"]!["mapBox"]!["width"]! > 100, "the item's map is not laid out");
        // Console errors include Content-Security-Policy violations.
        Assert.True(walk["problems"]!.AsArray().Count == 0, $"the browser reported {walk["problems"]!.ToJsonString()}");
        Assert.True(walk["otherRequests"]!.AsArray().Count == 0, $"the pages loaded {walk["otherRequests"]!.ToJsonString()}");
    }
}
