using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Activities;

/// <summary>GET and POST /activities: the plain-JSON side of the activities register.</summary>
public class ActivitiesApiTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    // Held on either side of fiscal-year ends (31 March / 1 April), several kinds, ids out of date order.
    private const string Seed = """
        activity_id,held_on,kind,title,organiser,participants,lon,lat
        L-3,2024-06-01,lecture,自然講座「狭山丘陵の野鳥」,NPO法人 所沢みどりの輪,22,139.4062,35.7853
        L-1,2025-03-31,lecture,出前講座「身近な生きもの観察」,みどり自然課,30,,
        W-1,2025-04-01,workshop,事業者向け 生物多様性講習会,みどり自然課,18,,
        F-1,2025-10-10,forest_site,生きものと子どもが集まる森,北野小学校,,139.4448,35.7907
        A-1,2025-10-10,awareness_activity,生きもの写真展,みどり自然課,250,,
        L-2,2026-03-31,lecture,自然講座「湿地の生きもの」,NPO法人 所沢みどりの輪,12,,
        H-1,2026-04-01,hands_on_event,雑木林の下草刈り体験,三ヶ島里山保全の会,27,,
        """;

    private async Task SeedAsync()
    {
        var response = await Client.PostCsvAsync("/imports/activities", Encoding.UTF8.GetBytes(Seed));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string[] Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => (string)i!["activityId"]!)];

    private Task<HttpResponseMessage> PostJsonAsync(object activity) => Client.PostAsJsonAsync("/activities", activity);

    [Fact]
    public async Task ActivitiesComeOldestFirstWithTheirFiscalYearAndJapaneseKind()
    {
        await SeedAsync();
        var page = await Client.GetJsonAsync("/activities");

        Assert.Equal(7, (long)page["numberMatched"]!);
        // Same day: by id.
        Assert.Equal(["L-3", "L-1", "W-1", "A-1", "F-1", "L-2", "H-1"], Ids(page));
        var l1 = page["items"]![1]!;
        Assert.Equal("2025-03-31", (string)l1["heldOn"]!);
        Assert.Equal(2024, (int)l1["fiscalYear"]!);
        Assert.Equal("自然や生きものを学ぶ講座（出前講座等）", (string)l1["kindJa"]!);
        Assert.Equal(30m, (decimal)l1["participants"]!);
        Assert.Null(l1["geometry"]);
        var l3 = page["items"]![0]!;
        Assert.Equal("Point", (string)l3["geometry"]!["type"]!);
        Assert.Equal(139.4062, (double)l3["geometry"]!["coordinates"]![0]!);
        Assert.Equal(1, (int)l3["version"]!);
    }

    [Theory]
    [InlineData("fiscalYear=2025", new[] { "W-1", "A-1", "F-1", "L-2" })]
    [InlineData("fiscalYear=2024", new[] { "L-3", "L-1" })]
    [InlineData("kind=lecture", new[] { "L-3", "L-1", "L-2" })]
    [InlineData("kind=lecture,workshop&kind=forest_site", new[] { "L-3", "L-1", "W-1", "F-1", "L-2" })]
    [InlineData("kind=lecture&fiscalYear=2025", new[] { "L-2" })]
    [InlineData("from=2025-03-31&to=2025-10-10", new[] { "L-1", "W-1", "A-1", "F-1" })]
    [InlineData("fiscalYear=2023", new string[0])]
    public async Task FiltersSelectByKindFiscalYearAndDates(string query, string[] expected)
    {
        await SeedAsync();
        var page = await Client.GetJsonAsync($"/activities?{query}");
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Length, (long)page["numberMatched"]!);
    }

    [Fact]
    public async Task PagesHoldLimitItemsFromOffsetAndNumberMatchedCountsThemAll()
    {
        await SeedAsync();
        var page = await Client.GetJsonAsync("/activities?limit=2&offset=2");

        Assert.Equal(["W-1", "A-1"], Ids(page));
        Assert.Equal(7, (long)page["numberMatched"]!);
        Assert.Equal(2, (int)page["numberReturned"]!);
        var last = await Client.GetJsonAsync("/activities?limit=2&offset=6&kind=lecture,workshop,forest_site,awareness_activity,hands_on_event");
        Assert.Equal(7, (long)last["numberMatched"]!);
        Assert.Equal(["H-1"], Ids(last));
    }

    [Fact]
    public async Task OnlyTheCurrentVersionOfACorrectedActivityIsListed()
    {
        await SeedAsync();
        var corrected = Seed.Replace("L-1,2025-03-31", "L-1,2025-04-02", StringComparison.Ordinal);
        var response = await Client.PostCsvAsync("/imports/activities", Encoding.UTF8.GetBytes(corrected));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var page = await Client.GetJsonAsync("/activities?kind=lecture");
        Assert.Equal(["L-3", "L-1", "L-2"], Ids(page));
        Assert.Equal(2, (int)page["items"]![1]!["version"]!);
        Assert.Equal(2025, (int)page["items"]![1]!["fiscalYear"]!);
    }

    [Theory]
    [InlineData("kind=party", "kind", "kind=party is not a kind of activity; the kinds are: lecture, workshop")]
    [InlineData("kind=lecture,party", "kind", "kind=party is not a kind of activity")]
    [InlineData("fiscalYear=FY2025", "fiscalYear", "fiscalYear=FY2025 is not a whole number.")]
    [InlineData("fiscalYear=25000", "fiscalYear", "give the year it starts in, e.g. 2025")]
    [InlineData("from=2025-13-01", "from", "from=2025-13-01 is not a date (YYYY-MM-DD).")]
    [InlineData("from=2025-06-01&to=2025-05-01", "to", "to=2025-05-01 is before from=2025-06-01.")]
    [InlineData("limit=0", "limit", "ask for 1 to 1000 activities a page")]
    [InlineData("limit=1001", "limit", "ask for 1 to 1000 activities a page")]
    [InlineData("offset=-1", "offset", "the offset cannot be negative")]
    public async Task ABadParameterIsABadRequestKeyedByTheParameter(string query, string parameter, string message)
    {
        var response = await Client.GetAsync($"/activities?{query}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "");
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal([parameter], errors.Select(e => e.Key));
        Assert.Contains(message, (string)errors[parameter]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostingOneActivityWithoutAnIdRecordsItUnderAMadeUpOneAndSaysWhere()
    {
        var response = await PostJsonAsync(new
        {
            heldOn = "2025-06-01", kind = "lecture", title = "出前講座「身近な生きもの観察」", organiser = "みどり自然課", participants = 24,
            geometry = new { type = "Point", coordinates = new[] { 139.469, 35.799 } },
        });

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var id = (string)body["activityId"]!;
        Assert.Matches("^ACT-20250601-[0-9a-f]{6}$", id);
        Assert.Equal($"http://localhost/collections/activities/items/{id}", response.Headers.Location!.ToString());
        Assert.Equal(2025, (int)body["fiscalYear"]!);
        Assert.Equal(24m, (decimal)body["participants"]!);
        Assert.Equal("Point", (string)body["geometry"]!["type"]!);

        Assert.Equal([id], Ids(await Client.GetJsonAsync("/activities")));
        var item = await Client.GetJsonAsync(response.Headers.Location.PathAndQuery);
        Assert.Equal(id, (string)item["id"]!);
        Assert.Equal("出前講座「身近な生きもの観察」", (string)item["properties"]!["title"]!);
    }

    [Fact]
    public async Task MadeUpIdsDifferEvenOnTheSameDay()
    {
        var first = await PostJsonAsync(new { heldOn = "2025-06-01", kind = "lecture", title = "講座 1" });
        var second = await PostJsonAsync(new { heldOn = "2025-06-01", kind = "lecture", title = "講座 2" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.Equal(2, await Registry.ScalarAsync<long>("select count(*) from activities"));
    }

    [Fact]
    public async Task PostingAnActivityWithItsOwnIdAndAPolygonKeepsBoth()
    {
        var response = await PostJsonAsync(new
        {
            activityId = "F-2025-01", heldOn = "2025-10-10", kind = "forest_site", title = "生きものと子どもが集まる森",
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 139.44, 35.79 }, new[] { 139.441, 35.79 }, new[] { 139.441, 35.791 }, new[] { 139.44, 35.79 } } } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith("/collections/activities/items/F-2025-01", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("ST_MultiPolygon", await Registry.ScalarAsync<string>("select ST_GeometryType(geom) from activities where activity_id = 'F-2025-01'"));
    }

    [Fact]
    public async Task PostingAnIdThatIsAlreadyRecordedIsAConflictAndChangesNothing()
    {
        await PostJsonAsync(new { activityId = "L-1", heldOn = "2025-06-01", kind = "lecture", title = "講座" });
        var again = await PostJsonAsync(new { activityId = "L-1", heldOn = "2025-06-02", kind = "lecture", title = "別の講座" });

        await AssertProblemAsync(again, HttpStatusCode.Conflict, "There is already an activity \\\"L-1\\\"");
        Assert.Equal("講座", await Registry.ScalarAsync<string>("select string_agg(title, ',') from activities"));
    }

    [Fact]
    public async Task APostedActivityWithProblemsGetsTheImportsMessagesAndNothingIsStored()
    {
        var response = await PostJsonAsync(new { activityId = "X-1", heldOn = "2025-02-30", kind = "party" });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("The activity cannot be recorded; nothing was stored.", (string)problem["title"]!);
        var messages = problem["errors"]!["activity"]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Contains("Activity X-1: \"held_on\" is \"2025-02-30\", which is not a real date; write it as YYYY-MM-DD, e.g. 2021-04-01.", messages);
        Assert.Contains(messages, m => m.StartsWith("Activity X-1: \"kind\" is \"party\", which is not one of", StringComparison.Ordinal));
        Assert.Contains("Activity X-1: \"title\" is missing (its title).", messages);
        Assert.Equal(0, await Registry.ScalarAsync<long>("select count(*) from activities"));
    }

    [Fact]
    public async Task ProblemsOfAnActivityWithoutAnIdDoNotNameTheIdItWouldHaveHad()
    {
        var response = await PostJsonAsync(new { heldOn = "2025-06-01", kind = "party", title = "講座" });

        var messages = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["activity"]!.AsArray().Select(m => (string)m!);
        Assert.StartsWith("This activity: \"kind\" is \"party\"", Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJsonBodyThatIsNotAnObjectSaysHowToSendActivities() =>
        await AssertProblemAsync(await PostJsonAsync(new[] { 1, 2 }), HttpStatusCode.BadRequest, "Send one activity as a JSON object");

    [Fact]
    public async Task PostingACsvImportsItAndAnswersWithTheImportReport()
    {
        var response = await Client.PostCsvAsync("/activities?by=みどり自然課", Encoding.UTF8.GetBytes(Seed));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(7, (int)body["created"]!);
        Assert.Equal("activities", (string)body["register"]!);
        Assert.Equal("みどり自然課", await Registry.ScalarAsync<string>("select note from import_runs"));
        Assert.Equal("test-admin", await Registry.ScalarAsync<string>("select author from import_runs"));
    }

    [Fact]
    public async Task APostedCsvWithABadRowIsRefusedByLine()
    {
        var response = await Client.PostCsvAsync("/activities", Encoding.UTF8.GetBytes("activity_id,held_on,kind,title\nL-1,2025-06-01,lecture,講座\nL-2,2025-06-02,lecture,\n"));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Activity L-2: \\\"title\\\" is missing");
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["line 3"]);
        Assert.Equal(0, await Registry.ScalarAsync<long>("select count(*) from activities"));
    }

    [Fact]
    public async Task AGeoJsonFileInAMultipartFormIsImportedAsAtTheImportsEndpoint()
    {
        using var form = new MultipartFormDataContent();
        var feature = new JsonObject
        {
            ["type"] = "Feature", ["geometry"] = null,
            ["properties"] = new JsonObject { ["activity_id"] = "W-1", ["held_on"] = "2025-06-01", ["kind"] = "workshop", ["title"] = "講習会" },
        };
        form.Add(new StringContent(Collection(feature)), "file", "activities.geojson");
        var response = await Client.PostAsync("/activities", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["created"]!);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesBothEndpoints()
    {
        var openApi = await Client.GetJsonAsync("/openapi/v1.json");
        var path = openApi["paths"]!["/activities"]!;

        Assert.Contains("by kind, fiscal year or dates", (string)path["get"]!["summary"]!, StringComparison.Ordinal);
        Assert.Contains("Record one activity", (string)path["post"]!["summary"]!, StringComparison.Ordinal);
        var limit = path["get"]!["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "limit")!;
        Assert.Equal(1000, (int)limit["schema"]!["maximum"]!);
        Assert.NotNull(path["post"]!["responses"]!["201"]);
        var bodies = path["post"]!["requestBody"]!["content"]!;
        Assert.Equal("#/components/schemas/NewActivity", (string)bodies["application/json"]!["schema"]!["$ref"]!);
        Assert.Equal("string", (string)bodies["text/csv"]!["schema"]!["type"]!);
        Assert.Equal("binary", (string)bodies["multipart/form-data"]!["schema"]!["properties"]!["file"]!["format"]!);
    }
}
