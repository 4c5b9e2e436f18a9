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

    /// <summary>Where the script leaves its screenshots and PDFs for people to look at (not asserted).</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "browser-report");

    protected override async Task LoadSamplesAsync(HttpClient client)
    {
        await base.LoadSamplesAsync(client);
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

    // Measured: 2 pages, the table of all eight targets on the first, the charts and the (empty) PDCA record of the
    // samples on the second. The bound leaves a page for a year's PDCA entries and evaluations; more would mean the
    // layout came apart (the table split over pages, as the English one was, or the charts one to a row).
    private const int MostA4Pages = 3;

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
    [InlineData("ja")]
    [InlineData("en")]
    public async Task ThePageLoadsNothingButItselfAndRaisesNoErrors(string lang)
    {
        var report = await ReportAsync(lang);

        Assert.True(report["otherRequests"]!.AsArray().Count == 0, $"the page loaded {report["otherRequests"]!.ToJsonString()}");
        Assert.True(report["problems"]!.AsArray().Count == 0, $"the browser reported {report["problems"]!.ToJsonString()}");
    }
}
