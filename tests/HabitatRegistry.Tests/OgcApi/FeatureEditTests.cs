using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>OGC API – Features Part 4 on the registers: create, replace, update and delete, each a version by its editor.</summary>
public class FeatureEditTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Items = "/collections/designations/items";
    private const string Zone9 = "http://www.opengis.net/def/crs/EPSG/0/6677";

    private async Task<HttpClient> EditorAsync(string name = "") =>
        Registry.ClientWithKey(await Registry.CreateKeyAsync($"planner-{name}{Guid.NewGuid():N}"[..20], "editor"));

    private static StringContent Body(JsonNode body, string mediaType = "application/geo+json", string? contentCrs = null)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (contentCrs is not null) content.Headers.Add("Content-Crs", contentCrs);
        return content;
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, JsonNode patch, string? contentCrs = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Body(patch, "application/merge-patch+json", contentCrs) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    private static async Task<JsonNode> OkJsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonArray> HistoryAsync(string parcelId) =>
        (await Client.GetJsonAsync($"/registers/designations/{parcelId}/versions"))["features"]!.AsArray();

    [Fact]
    public async Task AnEditorAddsAParcelWhoseLocationIsTheNewFeatureAndWhoseVersionIsTheirs()
    {
        using var editor = await EditorAsync("add");
        var response = await editor.PostAsync(Items, Body(Designation("D-NEW-1", Box(139.40, 35.78, 139.401, 35.781), "2026-04-01")));

        var created = await OkJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("http://localhost/collections/designations/items/D-NEW-1", response.Headers.Location!.ToString());
        Assert.Equal("\"v1\"", response.Headers.ETag!.Tag);
        Assert.Equal("D-NEW-1", (string)created["id"]!);
        var fetched = await Client.GetJsonAsync(response.Headers.Location.ToString());
        Assert.Equal("special_green_conservation_district", (string)fetched["properties"]!["scheme"]!);
        var history = await HistoryAsync("D-NEW-1");
        Assert.StartsWith("planner-add", (string)history.Single()!["properties"]!["author"]!, StringComparison.Ordinal);
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from audit_events where action = 'CreateFeature' and status = 201"));
    }

    [Fact]
    public async Task AFeatureThatFailsTheImportsChecksIsRefusedInItsWordsAndNothingIsStored()
    {
        using var editor = await EditorAsync();
        var before = await Registry.FingerprintAsync();
        var noScheme = Feature(Box(139.40, 35.78, 139.401, 35.781), new { parcel_id = "D-BAD", designated_on = "2026-02-30" });

        var response = await editor.PostAsync(Items, Body(noScheme));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "\\\"scheme\\\" is missing");
        await AssertProblemAsync(await editor.PostAsync(Items, Body(noScheme)), HttpStatusCode.UnprocessableEntity, "not a real date");
        Assert.Equal(before, await Registry.FingerprintAsync());
    }

    [Fact]
    public async Task AddingAnIdThatExistsIsAConflictAndChangesNothing()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync();
        await AssertProblemAsync(await editor.PostAsync(Items, Body(Designation("D-1", Box(139.50, 35.78, 139.501, 35.781), "2026-04-01"))),
            HttpStatusCode.Conflict, "PUT or PATCH");
        Assert.Single(await HistoryAsync("D-1"));
    }

    [Fact]
    public async Task APolygonSentInThePlaneZoneNorthingFirstIsStoredWhereItIs()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-REF", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        // The reference parcel as zone IX serves it, sent back as a new parcel in zone IX: both must be the same land.
        var inZone = await Client.GetJsonAsync($"{Items}/D-REF?crs={Zone9}");
        var copy = Feature(Box(0, 0, 1, 1), new { parcel_id = "D-COPY", scheme = "citizen_green_space", designated_on = "2026-04-01" });
        copy["geometry"] = inZone["geometry"]!.DeepClone();
        using var editor = await EditorAsync();

        await OkJsonAsync(await editor.PostAsync(Items, Body(copy, contentCrs: Zone9)), HttpStatusCode.Created);

        Assert.True(await Registry.ScalarAsync<bool>(
            "select ST_HausdorffDistance(a.geom, b.geom) < 1e-9 from designations a, designations b where a.parcel_id = 'D-REF' and b.parcel_id = 'D-COPY'"));
        Assert.Equal(1.0, await Registry.ScalarAsync<double>("select (select area_m2 from designations where parcel_id = 'D-COPY') / (select area_m2 from designations where parcel_id = 'D-REF')"), 9);
    }

    [Fact]
    public async Task APatchOfOnePropertyChangesOnlyThatAndIsTheEditorsVersion()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync("patch");

        var patched = await OkJsonAsync(await PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["name"] = "三ヶ島の森" } }));

        Assert.Equal("三ヶ島の森", (string)patched["properties"]!["name"]!);
        Assert.Equal(2, (int)patched["properties"]!["version"]!);
        var latest = (await HistoryAsync("D-1"))[1]!["properties"]!;
        Assert.Equal(["name"], latest["changes"]!.AsArray().Select(c => (string)c!));
        Assert.StartsWith("planner-patch", (string)latest["author"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APatchOfTheGeometryInThePlaneZoneMovesTheBoundary()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        var inZone = await Client.GetJsonAsync($"{Items}/D-1?crs={Zone9}");
        var ring = inZone["geometry"]!["coordinates"]![0]![0]!.AsArray();
        ring[1]![0] = (double)ring[1]![0]! + 10; // the second vertex 10 m north
        using var editor = await EditorAsync();

        var moved = await OkJsonAsync(await PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["geometry"] = inZone["geometry"]!.DeepClone() }, Zone9));

        Assert.Equal(2, (int)moved["properties"]!["version"]!);
        Assert.Equal(["geometry"], (await HistoryAsync("D-1"))[1]!["properties"]!["changes"]!.AsArray().Select(c => (string)c!));
        var after = await Client.GetJsonAsync($"{Items}/D-1?crs={Zone9}");
        Assert.Equal((double)ring[1]![0]!, (double)after["geometry"]!["coordinates"]![0]![0]![1]![0]!, 6);
    }

    [Fact]
    public async Task WhatQgisSendsBackUnchangedMakesNoNewVersion()
    {
        var withOwnProperties = Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01");
        withOwnProperties["properties"]!["version"] = "the planner's own"; // served as attr_version
        withOwnProperties["properties"]!["memo"] = "kept";
        await Client.ImportOkAsync("designations", Collection(withOwnProperties));
        var served = await Client.GetJsonAsync($"{Items}/D-1");
        // QGIS sends every field of the layer, nulls included, and fields of other features it has seen.
        var properties = served["properties"]!.AsObject();
        properties["owner_type"] = null;
        properties["id"] = "D-1";
        using var editor = await EditorAsync();
        var put = new HttpRequestMessage(HttpMethod.Put, $"{Items}/D-1") { Content = Body(served) };

        var answer = await OkJsonAsync(await editor.SendAsync(put));

        Assert.Equal(1, (int)answer["properties"]!["version"]!);
        Assert.Equal("the planner's own", (string)answer["properties"]!["attr_version"]!);
        Assert.Single(await HistoryAsync("D-1"));
    }

    [Fact]
    public async Task IfMatchWithAnOlderVersionIsRefusedAndWithTheCurrentOneAccepted()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        var etag = (await Client.GetAsync($"{Items}/D-1")).Headers.ETag!.Tag;
        using var editor = await EditorAsync();
        await OkJsonAsync(await PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["name"] = "first" } }, ifMatch: etag));

        await AssertProblemAsync(await PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["name"] = "second" } }, ifMatch: etag),
            (HttpStatusCode)412, "version 2 now");
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"{Items}/D-1");
        delete.Headers.TryAddWithoutValidation("If-Match", etag);
        await AssertProblemAsync(await editor.SendAsync(delete), (HttpStatusCode)412, "has changed since you read it");
        Assert.Equal("first", (string)(await Client.GetJsonAsync($"{Items}/D-1"))["properties"]!["name"]!);
    }

    [Fact]
    public async Task TenEditorsPatchingTheSameVersionAtOnceGiveOneChangeAnd412sForTheRest()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["name"] = $"name {i}" } }, ifMatch: "\"v1\"")));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, answers.Count(a => a.StatusCode == (HttpStatusCode)412));
        Assert.Equal(2, (await HistoryAsync("D-1")).Count);
    }

    [Fact]
    public async Task PatchesWithoutIfMatchAtOnceAreAllApplied()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync();
        var answers = await Task.WhenAll(
            PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["name"] = "renamed" } }),
            PatchAsync(editor, $"{Items}/D-1", new JsonObject { ["properties"] = new JsonObject { ["notice_no"] = "告示 12" } }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var properties = (await Client.GetJsonAsync($"{Items}/D-1"))["properties"]!;
        Assert.Equal("renamed", (string)properties["name"]!);
        Assert.Equal("告示 12", (string)properties["notice_no"]!);
    }

    [Fact]
    public async Task DeleteWithdrawsTheRecordAndKeepsItsHistory()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync("del");

        var response = await editor.DeleteAsync($"{Items}/D-1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Items}/D-1")).StatusCode);
        var withdrawal = (await HistoryAsync("D-1"))[1]!["properties"]!;
        Assert.Contains("OGC API", (string)withdrawal["withdrawal_reason"]!, StringComparison.Ordinal);
        Assert.StartsWith("planner-del", (string)withdrawal["author"]!, StringComparison.Ordinal);
        await AssertProblemAsync(await editor.PatchAsync($"{Items}/D-1", Body(new JsonObject(), "application/merge-patch+json")), HttpStatusCode.NotFound, "no current parcel");
    }

    [Fact]
    public async Task OptionsOffersEachCallerWhatTheirRoleAllows()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var anonymous = Registry.ClientWithKey(null);
        using var viewer = Registry.ClientWithKey(await Registry.CreateKeyAsync($"viewer-{Guid.NewGuid():N}"[..20], "viewer"));
        using var editor = await EditorAsync();

        async Task<string> Allow(HttpClient client, string url) =>
            string.Join(", ", (await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, url))).Content.Headers.Allow);

        Assert.Equal("GET, OPTIONS", await Allow(anonymous, Items));
        Assert.Equal("GET, OPTIONS", await Allow(viewer, $"{Items}/D-1"));
        Assert.Equal("GET, OPTIONS, POST", await Allow(editor, Items));
        Assert.Equal("DELETE, GET, OPTIONS, PATCH, PUT", await Allow(editor, $"{Items}/D-1"));
        Assert.Equal("GET, OPTIONS", await Allow(editor, "/collections/network-patches-amphibians/items"));
    }

    [Theory]
    [InlineData("text/plain", null, HttpStatusCode.UnsupportedMediaType, "application/geo+json")]
    [InlineData("application/geo+json", "EPSG:2451", HttpStatusCode.BadRequest, "Content-Crs=EPSG:2451")]
    [InlineData("application/geo+json", "http://www.opengis.net/def/crs/EPSG/0/6677", HttpStatusCode.UnprocessableEntity, "within ±2,000 km")]
    public async Task ABodyThatCannotBeReadIsRefused(string mediaType, string? contentCrs, HttpStatusCode status, string message)
    {
        using var editor = await EditorAsync();
        var far = Designation("D-X", Box(139.40, 35.78, 139.401, 35.781), "2026-04-01");
        far["geometry"]!["coordinates"]![0]![0]![0] = 1e9;
        await AssertProblemAsync(await editor.PostAsync(Items, Body(far, mediaType, contentCrs)), status, message);
    }

    [Fact]
    public async Task TheNetworksCollectionsCannotBeEditedAndAnIdCannotBeChanged()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")));
        using var editor = await EditorAsync();
        await AssertProblemAsync(await editor.PostAsync("/collections/network-patches-amphibians/items", Body(new JsonObject())),
            HttpStatusCode.MethodNotAllowed, "computed");
        var renamed = new HttpRequestMessage(HttpMethod.Put, $"{Items}/D-1") { Content = Body(Designation("D-2", Box(139.40, 35.78, 139.401, 35.781), "2015-05-01")) };
        await AssertProblemAsync(await editor.SendAsync(renamed), HttpStatusCode.BadRequest, "cannot be changed");
    }
}
