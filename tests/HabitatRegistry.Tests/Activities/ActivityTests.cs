using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Activities;

public class ActivityTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static JsonObject Activity(string id, string heldOn, string kind, string? wkt = null)
    {
        var properties = new { activity_id = id, held_on = heldOn, kind, title = $"講座 {id}", organiser = "みどり自然課", participants = 24 };
        if (wkt is not null) return Feature(wkt, properties);
        return new JsonObject { ["type"] = "Feature", ["geometry"] = null, ["properties"] = JsonSerializer(properties) };
    }

    private static JsonNode JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;

    [Fact]
    public async Task ActivitiesWithAPointAPolygonOrNoPlaceAreRecordedAndVersioned()
    {
        var upload = Collection(
            Activity("L-1", "2025-06-01", "lecture", "POINT(139.47 35.80)"),
            Activity("F-1", "2025-10-10", "forest_site", Box(139.40, 35.78, 139.401, 35.781)),
            Activity("W-1", "2026-02-01", "workshop"));
        var report = await Client.ImportOkAsync("activities", upload);
        Assert.Equal(3, (int)report["created"]!);
        Assert.Equal(1, await Registry.ScalarAsync<long>("select count(*) from activities where geom is null"));

        var again = await Client.ImportOkAsync("activities", upload);
        Assert.Equal(3, (int)again["unchanged"]!);

        var corrected = Collection(Activity("W-1", "2026-02-02", "workshop"));
        var changed = await Client.ImportOkAsync("activities", corrected);
        Assert.Equal("held_on", (string)changed["changes"]![0]!["changed"]![0]!);
        Assert.Equal(2, await Registry.ScalarAsync<int>("select max(version) from activities where activity_id = 'W-1'"));
    }

    [Fact]
    public async Task AnActivityWithoutItsKindDateOrTitleIsRefusedInWords()
    {
        var upload = Collection(new JsonObject
        {
            ["type"] = "Feature", ["geometry"] = null,
            ["properties"] = new JsonObject { ["activity_id"] = "X-1", ["kind"] = "party" },
        });
        var response = await Client.ImportAsync("activities", upload);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("held_on", body, StringComparison.Ordinal);
        Assert.Contains("title", body, StringComparison.Ordinal);
        Assert.Contains("\\\"party\\\", which is not one of", body, StringComparison.Ordinal);
        Assert.Contains("Activity X-1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheActivitiesCollectionSelectsByTheDateTheyWereHeld()
    {
        await Client.ImportOkAsync("activities", Collection(
            Activity("L-1", "2024-06-01", "lecture", "POINT(139.47 35.80)"),
            Activity("L-2", "2025-06-01", "lecture"),
            Activity("L-3", "2026-06-01", "lecture")));

        var fy2025 = await Client.GetJsonAsync("/collections/activities/items?datetime=2025-04-01/2026-03-31");
        Assert.Equal(["L-2"], fy2025["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.Null(fy2025["features"]![0]!["geometry"]);
        var one = await Client.GetJsonAsync("/collections/activities/items/L-1");
        Assert.Equal("Point", (string)one["geometry"]!["type"]!);
        Assert.Null(one["properties"]!["area_ha"]);
    }

    [Fact]
    public async Task ActivitiesHaveNoAreaReport() =>
        await AssertProblemAsync(await Client.GetAsync("/reports/area?register=activities"), HttpStatusCode.BadRequest, "not land");
}
