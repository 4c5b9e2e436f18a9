using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Targets;

public class TargetsApiTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static JsonObject PublicLand(string code = "1-1-2") => new()
    {
        ["code"] = code, ["titleJa"] = "公有地化面積", ["titleEn"] = "Land in public ownership", ["kind"] = "area", ["register"] = "acquisitions",
        ["acquiredBy"] = new JsonArray("city", "prefecture", "national"), ["unit"] = "ha",
        ["baselineFiscalYear"] = 2020, ["baselineValue"] = 37, ["annualRate"] = 1, ["targetFiscalYear"] = 2030, ["targetValue"] = 47,
    };

    [Fact]
    public async Task TargetsAreCreatedReadChangedAndListedInTheStrategysOrder()
    {
        foreach (var code in new[] { "3-2-2/3", "1-1-10", "1-1-2", "3-2-2" })
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/targets", PublicLand(code))).StatusCode);
        var list = (await Client.GetJsonAsync("/targets")).AsArray();
        Assert.Equal(["1-1-2", "1-1-10", "3-2-2", "3-2-2/3"], list.Select(t => (string)t!["code"]!));

        // A code with a slash is addressed as it is written.
        var one = await Client.GetJsonAsync("/targets/3-2-2/3");
        Assert.Equal(["city", "prefecture", "national"], one["acquiredBy"]!.AsArray().Select(v => (string)v!));

        var changed = PublicLand("1-1-2");
        changed["targetValue"] = 50;
        changed["annualRate"] = 1.3;
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync("/targets/1-1-2", changed)).StatusCode);
        Assert.Equal(50, (double)(await Client.GetJsonAsync("/targets/1-1-2"))["targetValue"]!);

        // What GET gives can be sent back unchanged.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync("/targets/3-2-2/3", one)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/targets/1-1-10")).StatusCode);
        await AssertProblemAsync(await Client.GetAsync("/targets/1-1-10"), HttpStatusCode.NotFound, "1-1-10\\\". GET /targets lists them");
    }

    [Fact]
    public async Task ATakenCodeIsAConflictAndAChangedCodeIsRefused()
    {
        await Client.PostAsJsonAsync("/targets", PublicLand());
        await AssertProblemAsync(await Client.PostAsJsonAsync("/targets", PublicLand()), HttpStatusCode.Conflict, "PUT /targets/1-1-2");
        await AssertProblemAsync(await Client.PutAsJsonAsync("/targets/1-1-3", PublicLand()), HttpStatusCode.UnprocessableEntity, "cannot be changed");
    }

    [Fact]
    public async Task AnIncoherentTargetIsRefusedFieldByFieldAndNothingIsStored()
    {
        var bad = PublicLand();
        bad["kind"] = "area";
        bad["register"] = "activities";
        bad["acquiredBy"] = new JsonArray("city", "trustee");
        bad["unit"] = "m2";
        bad["targetFiscalYear"] = 2015;
        bad["annualRate"] = -1;
        bad.Remove("titleEn");
        var response = await Client.PostAsJsonAsync("/targets", bad);
        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "cannot be stored");
        var errors = (await response.Content.ReadFromJsonAsync<JsonNode>())!["errors"]!.AsObject();
        Assert.Equal(["titleEn", "register", "acquiredBy", "activityKinds", "unit", "targetFiscalYear", "annualRate"], errors.Select(e => e.Key));
        Assert.Contains("An area target measures land", (string)errors["register"]![0]!, StringComparison.Ordinal);
        Assert.Contains("\"trustee\" is not one of city, prefecture, national, trust", string.Join(" ", errors["acquiredBy"]!.AsArray().Select(e => (string)e!)), StringComparison.Ordinal);
        Assert.Empty((await Client.GetJsonAsync("/targets")).AsArray());
    }

    [Fact]
    public async Task PdcaEntriesAreKeptPerFiscalYearAndStage()
    {
        await Client.PostAsJsonAsync("/targets", PublicLand());
        var plan = await Client.PostAsJsonAsync("/pdca/2025", new { stage = "plan", targetCode = "1-1-2", text = "山口地区の樹林地を取得する", who = "みどり自然課" });
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        var id = (long)(await plan.Content.ReadFromJsonAsync<JsonNode>())!["id"]!;
        await Client.PostAsJsonAsync("/pdca/2025", new { stage = "act", text = "用地交渉を前年度から始める" });
        await Client.PostAsJsonAsync("/pdca/2024", new { stage = "check", targetCode = "1-1-2", text = "前年度" });

        var changed = await Client.PutAsJsonAsync($"/pdca/2025/{id}", new { stage = "plan", targetCode = "1-1-2", text = "山口地区の樹林地 1.2 ha を取得する", who = "みどり自然課" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var record = await Client.GetJsonAsync("/pdca/2025");
        Assert.Equal("山口地区の樹林地 1.2 ha を取得する", (string)record["plan"]![0]!["text"]!);
        Assert.Empty(record["check"]!.AsArray());
        Assert.Single(record["act"]!.AsArray());

        await AssertProblemAsync(await Client.PostAsJsonAsync("/pdca/2025", new { stage = "do", targetCode = "9-9-9", text = " " }),
            HttpStatusCode.UnprocessableEntity, "stage must be plan");
        await AssertProblemAsync(await Client.PostAsJsonAsync("/pdca/2025", new { stage = "check", targetCode = "9-9-9", text = "x" }),
            HttpStatusCode.UnprocessableEntity, "There is no target \\\"9-9-9\\\"");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/pdca/2025/{id}")).StatusCode);
        await AssertProblemAsync(await Client.DeleteAsync($"/pdca/2025/{id}"), HttpStatusCode.NotFound, "no PDCA entry");
    }
}
