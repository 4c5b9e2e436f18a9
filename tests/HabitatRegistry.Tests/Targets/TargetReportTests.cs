using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Targets;

public class TargetReportTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static readonly string[] SampleCodes = ["1-1-1", "1-1-2", "2-1-3", "2-2-1", "3-1-2", "3-2-2/3", "4-3-1", "4-3-3"];

    /// <summary>gis-samples/expected-areas.csv: the independent (pyproj) union areas of the sample parcels.</summary>
    private static Dictionary<int, Dictionary<string, double>> ExpectedAreas()
    {
        var lines = File.ReadAllLines(RepoFile("gis-samples/expected-areas.csv"));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => int.Parse(c[0], CultureInfo.InvariantCulture),
                c => header.Zip(c).Where(p => p.First.EndsWith("_ha", StringComparison.Ordinal)).ToDictionary(p => p.First, p => double.Parse(p.Second, CultureInfo.InvariantCulture)));
    }

    private async Task LoadSamplesAsync()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        await Client.ImportOkAsync("acquisitions", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        foreach (var target in JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-targets.json")))!.AsArray())
        {
            var response = await Client.PutAsJsonAsync($"/targets/{target!["code"]}", target);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private async Task PutTargetAsync(object target)
    {
        var response = await Client.PutAsJsonAsync($"/targets/{JsonSerializerNode(target)["code"]}", target);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonNode JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;

    private static JsonObject Activity(string id, string heldOn, string kind) => new()
    {
        ["type"] = "Feature", ["geometry"] = null,
        ["properties"] = new JsonObject { ["activity_id"] = id, ["held_on"] = heldOn, ["kind"] = kind, ["title"] = $"{kind} {id}" },
    };

    private static object CountTarget(string code, string kind, bool cumulative, double baseline, double rate, double target) => new
    {
        code, titleJa = $"目標 {code}", titleEn = $"Target {code}", kind = "count", register = "activities", activityKinds = new[] { kind },
        cumulative, unit = "count", baselineFiscalYear = 2020, baselineValue = baseline, annualRate = rate, targetFiscalYear = 2030, targetValue = target,
    };

    private async Task<JsonNode> ReportAsync(int fiscalYear, string extra = "") => await Client.GetJsonAsync($"/reports/targets?fiscalYear={fiscalYear}{extra}");

    private static JsonNode TargetIn(JsonNode report, string code) => report["targets"]!.AsArray().Single(t => (string)t!["code"]! == code)!;

    private static void AssertHa(double expected, JsonNode? actual) =>
        Assert.True(Math.Abs(expected - (double)actual!) <= 2e-4, $"expected {expected} ha, got {actual}");

    [Fact]
    public async Task AreaTargetsEqualTheFiscalYearAreasOfTheRegistersAndPublicOwnershipLeavesOutTrustLand()
    {
        await LoadSamplesAsync();
        var expected = ExpectedAreas();
        var report = await ReportAsync(2025);

        Assert.Equal(SampleCodes, report["targets"]!.AsArray().Select(t => (string)t!["code"]!));
        var designated = TargetIn(report, "1-1-1");
        AssertHa(expected[2025]["designations_ha"], designated["actual"]);
        AssertHa(expected[2025]["designations_ha"] - expected[2024]["designations_ha"], designated["addedThisYear"]);
        foreach (var year in designated["history"]!.AsArray())
            AssertHa(expected[(int)year!["fiscalYear"]!]["designations_ha"], year["actual"]);

        var publicLand = TargetIn(report, "1-1-2");
        AssertHa(expected[2025]["acquisitions_public_ha"], publicLand["actual"]);
        Assert.True(expected[2025]["acquisitions_ha"] - (double)publicLand["actual"]! > 2, "trust land (A-2012-001, A-2018-001) must not count as public");

        // The same figures as the area report, which the foundation issue checked.
        var areaReport = await Client.GetJsonAsync("/reports/area?register=designations&from=2025&to=2025");
        Assert.Equal((double)areaReport["years"]![0]!["areaHa"]!, (double)designated["actual"]!);
    }

    [Fact]
    public async Task PlanLineStatusAndForecastFollowTheStrategysArithmetic()
    {
        await LoadSamplesAsync();
        var expected = ExpectedAreas();
        var t = TargetIn(await ReportAsync(2025), "1-1-1");

        var actual = expected[2025]["designations_ha"];
        Assert.Equal(95, (double)t["planned"]!);          // 70 + 5 × (2025 − 2020)
        Assert.Equal(120, (double)t["target"]!);
        Assert.Equal(Math.Round(actual / 120 * 100, 1), (double)t["achievementRate"]!);
        Assert.Equal(Math.Round(actual / 95 * 100, 1), (double)t["progressVsPlan"]!);
        Assert.Equal(actual >= 95 * 0.95 ? "on-track" : "behind", (string)t["status"]!);
        // The last three years' pace, FY2022 → FY2025, carried on for five more years.
        var pace = (actual - expected[2022]["designations_ha"]) / 3;
        AssertHa(actual + pace * 5, t["forecastAtTargetYear"]);
        Assert.Equal(actual + pace * 5 >= 120, (bool)t["willMeetTarget"]!);
        Assert.Equal([70.0, 75, 80, 85, 90, 95], t["history"]!.AsArray().Select(h => (double)h!["planned"]!));

        var publicLand = TargetIn(await ReportAsync(2025), "1-1-2");
        Assert.Equal(42, (double)publicLand["planned"]!);
        Assert.Equal("behind", (string)publicLand["status"]!); // 37.16 ha against a plan of 42 ha: more than 5 % short
    }

    [Fact]
    public async Task CumulativeCountTargetsAddActivitiesSinceTheBaselineYearToTheBaselineValue()
    {
        await PutTargetAsync(CountTarget("2-2-1", "lecture", cumulative: true, baseline: 3, rate: 1, target: 13));
        await PutTargetAsync(CountTarget("9-9-9", "workshop", cumulative: false, baseline: 2, rate: 0, target: 2));
        await Client.ImportOkAsync("activities", Collection(
            Activity("L-2020", "2021-03-31", "lecture"),   // FY2020: already in the baseline value
            Activity("L-2021a", "2021-04-01", "lecture"),
            Activity("L-2021b", "2021-11-20", "lecture"),
            Activity("L-2023", "2023-07-07", "lecture"),
            Activity("L-2025", "2026-03-31", "lecture"),
            Activity("L-2026", "2026-04-01", "lecture"),   // FY2026: after the report's year
            Activity("W-2025a", "2025-05-01", "workshop"),
            Activity("W-2025b", "2025-06-01", "workshop"),
            Activity("W-2024", "2025-03-01", "workshop")));
        // A corrected activity counts once, in its corrected year.
        await Client.ImportOkAsync("activities", Collection(Activity("L-2023", "2024-07-07", "lecture")));

        var report = await ReportAsync(2025);
        var lectures = TargetIn(report, "2-2-1");
        Assert.Equal(3 + 4, (double)lectures["actual"]!);
        Assert.Equal(1, (double)lectures["addedThisYear"]!);
        Assert.Equal([3.0, 5, 5, 5, 6, 7], lectures["history"]!.AsArray().Select(h => (double)h!["actual"]!));
        Assert.Equal(8, (double)lectures["planned"]!);
        Assert.Equal("behind", (string)lectures["status"]!); // 7 against 8: 12.5 % short
        Assert.Equal(7 + (7 - 5) / 3.0 * 5, (double)lectures["forecastAtTargetYear"]!, 2);

        var workshops = TargetIn(report, "9-9-9");
        Assert.Equal(2, (double)workshops["actual"]!);       // only FY2025's
        Assert.Equal(2, (double)workshops["addedThisYear"]!);
        Assert.Equal("on-track", (string)workshops["status"]!);
        Assert.Equal(1, (double)TargetIn(await ReportAsync(2024), "9-9-9")["actual"]!);
    }

    [Fact]
    public async Task TheSampleCountTargetsAddUpTheReferenceCountsOfTheSampleActivities()
    {
        await LoadSamplesAsync();
        var csv = new StringContent(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-activities.csv")), System.Text.Encoding.UTF8, "text/csv");
        Assert.True((await Client.PostAsync("/imports/activities", csv)).IsSuccessStatusCode);
        // gis-samples/expected-activity-counts.csv: activities per fiscal year and kind, counted when the samples were made.
        var expected = File.ReadAllLines(RepoFile("gis-samples/expected-activity-counts.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => (int.Parse(c[0], CultureInfo.InvariantCulture), c[1]), c => int.Parse(c[2], CultureInfo.InvariantCulture));
        var targets = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-targets.json")))!.AsArray()
            .Where(t => (string)t!["register"]! == "activities").ToList();
        Assert.Equal(6, targets.Count);

        var report = await ReportAsync(2025);
        foreach (var target in targets)
        {
            var kind = (string)target!["activityKinds"]![0]!;
            var result = TargetIn(report, (string)target["code"]!);
            // Cumulative since the FY2020 baseline (value 0): FY2021 … FY2025.
            Assert.Equal(Enumerable.Range(2021, 5).Sum(y => expected[(y, kind)]), (double)result["actual"]!);
            Assert.Equal(expected[(2025, kind)], (double)result["addedThisYear"]!);
            var planned = (double)target["annualRate"]! * 5;
            Assert.Equal(planned, (double)result["planned"]!);
            var actual = (double)result["actual"]!;
            Assert.Equal(actual > planned * 1.05 ? "ahead" : actual < planned * 0.95 ? "behind" : "on-track", (string)result["status"]!);
        }
    }

    [Fact]
    public async Task ACountTargetCanCountRegistrySitesOfASchemeInForce()
    {
        await PutTargetAsync(new
        {
            code = "5-1-1", titleJa = "自然共生サイトの数", titleEn = "Nature symbiosis sites", kind = "count", register = "designations",
            schemes = new[] { "nature_symbiosis_site" }, unit = "count",
            baselineFiscalYear = 2022, baselineValue = 0, annualRate = 1, targetFiscalYear = 2030, targetValue = 8,
        });
        await Client.ImportOkAsync("designations", Collection(
            Designation("N-1", Box(139.40, 35.78, 139.401, 35.781), "2023-05-01", scheme: "nature_symbiosis_site"),
            Designation("N-2", Box(139.41, 35.78, 139.411, 35.781), "2024-05-01", liftedOn: "2025-10-01", scheme: "nature_symbiosis_site"),
            Designation("N-3", Box(139.42, 35.78, 139.421, 35.781), "2025-05-01", scheme: "nature_symbiosis_site"),
            Designation("S-1", Box(139.43, 35.78, 139.431, 35.781), "2023-05-01", scheme: "citizen_green_space")));

        var sites = TargetIn(await ReportAsync(2025), "5-1-1");
        Assert.Equal(2, (double)sites["actual"]!);     // N-1 and N-3; N-2 was lifted during the year
        Assert.Equal(0, (double)sites["addedThisYear"]!);
        Assert.Equal([0.0, 1, 2, 2], sites["history"]!.AsArray().Select(h => (double)h!["actual"]!));
    }

    [Fact]
    public async Task PublishingFreezesTheReportAndTheLiveReportRestatesAfterACorrection()
    {
        await LoadSamplesAsync();
        var expected = ExpectedAreas();
        var check = await Client.PostAsJsonAsync("/pdca/2025", new { stage = "check", targetCode = "1-1-1", text = "計画をやや下回るが概ね順調", who = "みどり自然課" });
        Assert.Equal(HttpStatusCode.Created, check.StatusCode);

        var publish = await Client.PostAsync("/reports/targets/published?fiscalYear=2025&by=%E3%81%BF%E3%81%A9%E3%82%8A%E8%87%AA%E7%84%B6%E8%AA%B2", null);
        Assert.Equal(HttpStatusCode.Created, publish.StatusCode);
        Assert.Equal("/reports/targets/published?fiscalYear=2025", publish.Headers.Location?.OriginalString);

        // The correction: D-2016-002's boundary is redrawn and D-2020-001 is lifted on 2026-01-30.
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations-corrections.geojson")));
        var newEvaluation = await Client.PostAsJsonAsync("/pdca/2025", new { stage = "check", targetCode = "1-1-1", text = "公表後の追記", who = "x" });
        Assert.Equal(HttpStatusCode.Created, newEvaluation.StatusCode);

        var live = await ReportAsync(2025);
        AssertHa(expected[2025]["designations_after_corrections_ha"], TargetIn(live, "1-1-1")["actual"]);
        Assert.True((bool)live["publication"]!["restated"]!);
        var restatement = live["publication"]!["restatements"]!.AsArray().Single()!;
        Assert.Equal("1-1-1", (string)restatement["code"]!);
        AssertHa(expected[2025]["designations_ha"], restatement["publishedActual"]);
        AssertHa(expected[2025]["designations_after_corrections_ha"] - expected[2025]["designations_ha"], restatement["difference"]);

        var published = await Client.GetJsonAsync("/reports/targets/published?fiscalYear=2025");
        AssertHa(expected[2025]["designations_ha"], TargetIn(published, "1-1-1")["actual"]);
        Assert.Equal("計画をやや下回るが概ね順調", (string)TargetIn(published, "1-1-1")["evaluation"]!);
        Assert.Single(published["pdca"]!["check"]!.AsArray());
        Assert.Equal("test-admin", (string)published["publication"]!["publishedBy"]!); // the key, not what the caller wrote
        Assert.Equal("みどり自然課", (string)published["publication"]!["note"]!);

        var html = await Client.GetStringAsync("/reports/targets?fiscalYear=2025&format=html");
        Assert.Contains("公表後に登録内容が修正され", html, StringComparison.Ordinal);

        await AssertProblemAsync(await Client.PostAsync("/reports/targets/published?fiscalYear=2025", null), HttpStatusCode.Conflict, "already published");
        var unfinished = DateTime.UtcNow.AddHours(9).Month >= 4 ? DateTime.UtcNow.AddHours(9).Year : DateTime.UtcNow.AddHours(9).Year - 1;
        await AssertProblemAsync(await Client.PostAsync($"/reports/targets/published?fiscalYear={unfinished}", null), HttpStatusCode.Conflict, "has not ended yet");
        await AssertProblemAsync(await Client.GetAsync("/reports/targets/published?fiscalYear=2024"), HttpStatusCode.NotFound, "has not been published");
    }

    [Fact]
    public async Task TheReportIsCurrentRightAfterAnImport()
    {
        await LoadSamplesAsync();
        var before = (double)TargetIn(await ReportAsync(2025), "1-1-1")["actual"]!;
        await Client.ImportOkAsync("designations", Collection(Designation("D-new", Box(139.35, 35.75, 139.352, 35.752), "2025-06-01")));
        var after = (double)TargetIn(await ReportAsync(2025), "1-1-1")["actual"]!;
        AssertHa(before + Ellipsoid.QuadrangleArea(139.35, 35.75, 139.352, 35.752) / 10_000, after);
    }

    [Theory]
    [InlineData("ja", "令和7年度", "数値目標の達成状況")]
    [InlineData("en", "FY2025", "Progress of the numeric targets")]
    public async Task TheHtmlReportShowsEveryTargetWithAChart(string lang, string yearLabel, string heading)
    {
        await LoadSamplesAsync();
        var response = await Client.GetAsync($"/reports/targets?fiscalYear=2025&format=html&lang={lang}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Contains(yearLabel, html, StringComparison.Ordinal);
        Assert.Contains(heading, html, StringComparison.Ordinal);
        foreach (var code in SampleCodes)
        {
            Assert.Contains($"<td class=\"code\">{code}</td>", html, StringComparison.Ordinal);
            Assert.Contains($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-target=\"{code}\"", html, StringComparison.Ordinal);
        }
        // A chart per target, and the map of the land.
        Assert.Equal(SampleCodes.Length, html.Split("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"").Length - 1);
        Assert.Equal(SampleCodes.Length + 1, html.Split("<svg ").Length - 1);
    }

    [Fact]
    public async Task ABrowserGetsTheHtmlPageAndCsvOpensInExcel()
    {
        await LoadSamplesAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reports/targets?fiscalYear=2025");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var response = await Client.SendAsync(request);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        var csv = await Client.GetByteArrayAsync("/reports/targets?fiscalYear=2025&format=csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("fiscal_year,code,title,unit,actual", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + SampleCodes.Length, lines.Length);
        Assert.StartsWith("2025,3-2-2/3,団体等の活動への支援件数", lines[6], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fiscalYear=12", "fiscalYear")]
    [InlineData("fiscalYear=2025&lang=fr", "lang")]
    [InlineData("fiscalYear=2025&format=xml", "format")]
    public async Task BadReportParametersAreRefusedInWords(string query, string parameter)
    {
        var response = await Client.GetAsync($"/reports/targets?{query}");
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, $"\"{parameter}\"");
    }
}
