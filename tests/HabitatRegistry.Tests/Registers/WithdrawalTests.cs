using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Registers;

/// <summary>A record entered by mistake is withdrawn: it leaves every current view, and its history stays.</summary>
public class WithdrawalTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static string Quad(double west) => Box(west, 35.78, west + 0.002, 35.782);
    private static double QuadHa(double west) => Ellipsoid.QuadrangleArea(west, 35.78, west + 0.002, 35.782) / 10_000;

    private Task<HttpResponseMessage> WithdrawAsync(string register, string id, string query = "?reason=entered%20twice") =>
        Client.DeleteAsync($"/registers/{register}/{Uri.EscapeDataString(id)}{query}");

    private async Task<double> AreaHaAsync(string query = "") =>
        (double)(await Client.GetJsonAsync($"/reports/area?register=designations&asOf=2026-03-31{query}"))["areaHa"]!;

    [Fact]
    public async Task AWithdrawnRecordLeavesTheCollectionsAndTheReportsButItsHistoryStays()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-KEEP", Quad(139.40), "2020-05-01"), Designation("D-MISTAKE", Quad(139.41), "2020-05-01")));
        await Client.ImportOkAsync("habitat-patches", Collection(
            Feature(Quad(139.40), new { patch_id = "P-1", habitat = "woodland" }), Feature(Quad(139.403), new { patch_id = "P-2", habitat = "woodland" })));
        await Client.PostAsJsonAsync("/activities", new { activityId = "ACT-1", heldOn = "2025-06-01", kind = "lecture", title = "講座" });
        Assert.Equal(QuadHa(139.40) + QuadHa(139.41), await AreaHaAsync(), 4);
        var recordedBefore = DateTimeOffset.UtcNow;
        await Task.Delay(20);

        var withdrawn = await WithdrawAsync("designations", "D-MISTAKE", "?reason=entered%20twice&by=midori");
        var body = JsonNode.Parse(await withdrawn.Content.ReadAsStringAsync())!;
        Assert.True(withdrawn.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(2, (int)body["version"]!);
        Assert.Equal("test-admin", (string)body["withdrawnBy"]!);
        Assert.Equal(HttpStatusCode.OK, (await WithdrawAsync("habitat-patches", "P-2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithdrawAsync("activities", "ACT-1")).StatusCode);

        // Gone from the current views: collections, items, areas, the network, the counts …
        Assert.Equal(1, (int)(await Client.GetJsonAsync("/collections/designations/items"))["numberMatched"]!);
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/items/D-MISTAKE"), HttpStatusCode.NotFound, "No such feature");
        Assert.Equal(QuadHa(139.40), await AreaHaAsync(), 4);
        Assert.Equal(1, (int)(await Client.GetJsonAsync("/network/metrics?profile=amphibians"))["nodes"]!);
        Assert.Equal(0, (int)(await Client.GetJsonAsync("/activities"))["numberMatched"]!);
        var extent = (await Client.GetJsonAsync("/collections/designations"))["extent"]!["spatial"]!["bbox"]![0]!.AsArray();
        Assert.Equal(139.402, (double)extent[2]!, 6);

        // … while its history keeps both versions, who made them and why,
        var history = (await Client.GetJsonAsync("/registers/designations/D-MISTAKE/versions"))["features"]!.AsArray();
        Assert.Equal(["created", "withdrawn"], history.Select(f => (string)f!["properties"]!["changes"]![0]!));
        Assert.Equal("entered twice", (string)history[1]!["properties"]!["withdrawal_reason"]!);
        Assert.Equal("test-admin", (string)history[1]!["properties"]!["author"]!);
        Assert.Equal("midori", (string)history[1]!["properties"]!["note"]!);
        Assert.Equal("2020-05-01", (string)history[1]!["properties"]!["designated_on"]!); // not a release: no lifted_on
        Assert.Null(history[1]!["properties"]!["lifted_on"]);

        // … and the registry as it was recorded before the withdrawal still shows it.
        var before = Uri.EscapeDataString(recordedBefore.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, (int)(await Client.GetJsonAsync($"/collections/designations/items?asRecordedAt={before}"))["numberMatched"]!);
        Assert.Equal("D-MISTAKE", (string)(await Client.GetJsonAsync($"/collections/designations/items/D-MISTAKE?asRecordedAt={before}"))["id"]!);
        Assert.Equal(QuadHa(139.40) + QuadHa(139.41), await AreaHaAsync($"&asRecordedAt={before}"), 4);
        Assert.Equal(0, (int)(await Client.GetJsonAsync("/collections/designations/items?asRecordedAt=2019-12-31"))["numberMatched"]!);
    }

    [Fact]
    public async Task ImportingTheSameIdAgainBringsTheRecordBackAsANewVersion()
    {
        var file = Collection(Designation("D-BACK", Quad(139.40), "2020-05-01"));
        await Client.ImportOkAsync("designations", file);
        await WithdrawAsync("designations", "D-BACK");

        var report = await Client.ImportOkAsync("designations", file);

        var change = report["changes"]!.AsArray().Single()!;
        Assert.Equal("restored", (string)change["status"]!);
        Assert.Equal(3, (int)change["version"]!);
        Assert.Equal(QuadHa(139.40), await AreaHaAsync(), 4);
        Assert.Equal(["created", "withdrawn", "restored"],
            (await Client.GetJsonAsync("/registers/designations/D-BACK/versions"))["features"]!.AsArray().Select(f => (string)f!["properties"]!["changes"]![0]!));
        Assert.Equal(0, (int)(await Client.ImportOkAsync("designations", file))["updated"]!); // and sending it once more changes nothing
    }

    [Fact]
    public async Task AWithdrawalNeedsARecordThatIsThereAndAReasonAndOtherwiseChangesNothing()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Quad(139.40), "2020-05-01")));

        await AssertProblemAsync(await WithdrawAsync("designations", "D-1", ""), HttpStatusCode.BadRequest, "Say why the parcel is withdrawn");
        await AssertProblemAsync(await WithdrawAsync("designations", "D-1", "?reason=%20%20"), HttpStatusCode.BadRequest, "Say why");
        await AssertProblemAsync(await WithdrawAsync("designations", "D-1", "?reason=a%00b"), HttpStatusCode.BadRequest, "NUL character");
        await AssertProblemAsync(await WithdrawAsync("designations", "D-1", "?reason=typo&x=%00"), HttpStatusCode.BadRequest, "NUL character");
        await AssertProblemAsync(await WithdrawAsync("designations", "D-NONE"), HttpStatusCode.NotFound, "designations holds no record with parcel_id");
        await AssertProblemAsync(await WithdrawAsync("parcels", "D-1"), HttpStatusCode.NotFound, "no register called");
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from designations"));
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select count(*) from audit_events where action = 'WithdrawRecord'"));

        Assert.Equal(HttpStatusCode.OK, (await WithdrawAsync("designations", "D-1")).StatusCode);
        await AssertProblemAsync(await WithdrawAsync("designations", "D-1"), HttpStatusCode.Conflict, "was withdrawn on");
    }

    [Theory]
    [InlineData("designations", "parcel_id")]
    [InlineData("acquisitions", "parcel_id")]
    [InlineData("activities", "activity_id")]
    [InlineData("habitat-patches", "patch_id")]
    public async Task TheHistoryOfARecordThatNeverWasNamesItsRegisterAndIdProperty(string register, string idProperty)
    {
        var response = await Client.GetAsync($"/registers/{register}/NEVER-HELD/versions");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, $"No such record in {register}.");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, $"{register} has never held a record with {idProperty}");
        // An activity or a habitat patch is no parcel.
        if (idProperty != "parcel_id") Assert.DoesNotContain("parcel", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ImportsAndWithdrawalsRacingLeaveEachRecordOneVersionAtEveryMoment()
    {
        var file = Collection(Designation("D-RACE", Quad(139.40), "2020-05-01"), Designation("D-OTHER", Quad(139.41), "2020-05-01"));
        await Client.ImportOkAsync("designations", file);
        for (var i = 0; i < 40; i++)
        {
            var answers = await Task.WhenAll(WithdrawAsync("designations", "D-RACE"), Client.ImportAsync("designations", file), WithdrawAsync("designations", "D-OTHER"));
            Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || a.StatusCode == HttpStatusCode.Conflict, a.StatusCode.ToString()));
        }
        // The versions of a record follow one another in time without overlapping (a withdrawal's version lasts no time).
        Assert.Equal(0L, await Registry.ScalarAsync<long>("""
            select count(*) from designations a join designations b on a.parcel_id = b.parcel_id and a.id < b.id
            and tstzrange(a.recorded_at, a.superseded_at) && tstzrange(b.recorded_at, b.superseded_at)
            """));
        Assert.True(await Registry.ScalarAsync<long>("select count(*) from designations") > 10);
    }

    [Fact]
    public async Task OfTenWithdrawalsOfOneRecordAtOnceOneWinsAndTheOthersAreTold()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-RACE", Quad(139.40), "2020-05-01")));

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => WithdrawAsync("designations", "D-RACE", $"?reason=try%20{i}")));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(2L, await Registry.ScalarAsync<long>("select count(*) from designations where parcel_id = 'D-RACE'"));
    }
}
