using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Clients;

/// <summary>
/// QGIS 3.40 as a planner's GIS desk (headless PyQGIS, its own OAPIF provider): editing through an editor's key held in
/// a QGIS authentication configuration, filters that reach the server as CQL2, and a layer in the city's plane zone.
/// </summary>
public class QgisDeskClientTests(KestrelFixture fixture) : IClassFixture<KestrelFixture>, IAsyncLifetime
{
    private const string Zone9 = "http://www.opengis.net/def/crs/EPSG/0/6677";

    public Task InitializeAsync() => fixture.StartWithSamplesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<JsonNode> ScriptAsync(string script, string? key, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["QT_QPA_PLATFORM"] = "offscreen" };
        if (key is not null) environment["HABITAT_KEY"] = key;
        var (exit, output, errors) = await ClientProcess.RunAsync("/usr/bin/python3", [Parcels.RepoFile($"tests/clients/{script}"), .. arguments], environment);
        Assert.True(exit == 0, $"{script} {string.Join(' ', arguments)} exited {exit}:\n{output}\n{errors}");
        return JsonNode.Parse(output)!;
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var client = new HttpClient();
        return JsonNode.Parse(await client.GetStringAsync(fixture.BaseUrl + path))!;
    }

    private async Task<JsonArray> VersionsAsync(string parcelId) => (await GetAsync($"/registers/designations/{parcelId}/versions"))["features"]!.AsArray();

    /// <summary>A vertex of a feature's first ring as the service serves it: in zone IX northing then easting, else longitude then latitude.</summary>
    private async Task<(double First, double Second)> VertexAsync(string parcelId, int index, string? crs = Zone9)
    {
        var query = crs is null ? "" : $"?crs={Uri.EscapeDataString(crs)}";
        var p = (await GetAsync($"/collections/designations/items/{parcelId}{query}"))["geometry"]!["coordinates"]![0]![0]![index]!;
        return ((double)p[0]!, (double)p[1]!);
    }

    [Theory]
    [InlineData(null, "D-QGIS-84", "139.452,35.791", "D-2010-002", "D-2011-001", "D-2011-002")]
    [InlineData("EPSG:6677", "D-QGIS-9", "139.455,35.791", "D-2012-001", "D-2013-001", "D-2013-002")]
    public async Task APlannerAddsRenamesMovesAndDeletesAndEachChangeIsAVersionUnderTheirName(string? srs, string added, string addAt, string renamed, string moved, string deleted)
    {
        var keyName = $"qgis-{srs?.Replace(":", "") ?? "crs84"}".ToLowerInvariant();
        var key = await fixture.CreateKeyAsync(keyName, "editor");
        var crs = srs is null ? null : Zone9;
        var before = await VertexAsync(moved, 0, crs);
        var addedBefore = (double)(await GetAsync("/reports/area?register=designations&from=2026&to=2026"))["years"]![0]!["addedHa"]!;

        string[] arguments = [fixture.BaseUrl, "designations", "--add-id", added, "--add-at", addAt, "--rename", renamed, "三ヶ島の森（QGIS）",
            "--move", moved, "--delete", deleted, .. srs is null ? Array.Empty<string>() : ["--srs", srs]];
        var result = await ScriptAsync("qgis_edit.py", key, arguments);

        // What QGIS offered and what it sent.
        Assert.All(result["capabilities"]!.AsObject(), c => Assert.True((bool)c.Value!, c.Key));
        var requests = result["requests"]!.AsArray().Select(r => (Method: (string)r!["method"]!, Url: (string)r["url"]!, Status: (int?)r["status"], Crs: (string?)r["contentCrs"])).ToList();
        Assert.Contains(requests, r => r is { Method: "POST", Status: 201 });
        Assert.Contains(requests, r => r is { Method: "PATCH", Status: 200 } && r.Url.EndsWith(renamed, StringComparison.Ordinal));
        Assert.Contains(requests, r => r is { Method: "DELETE", Status: 204 } && r.Url.EndsWith(deleted, StringComparison.Ordinal));
        if (srs is not null)
        {
            Assert.Equal("EPSG:6677", (string)result["crs"]!);
            Assert.Contains(requests, r => r is { Method: "POST", Crs: Zone9 });
            Assert.Contains(requests, r => r is { Method: "PATCH", Crs: Zone9 } && r.Url.EndsWith(moved, StringComparison.Ordinal));
        }

        // Each change is a version by the planner's key, as the registry's history shows.
        var created = (await VersionsAsync(added)).Single()!["properties"]!;
        Assert.Equal(keyName, (string)created["author"]!);
        Assert.Equal("citizen_green_space", (string)created["scheme"]!);
        var renaming = (await VersionsAsync(renamed))[^1]!["properties"]!;
        Assert.Equal(["name"], renaming["changes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(("三ヶ島の森（QGIS）", keyName), ((string)renaming["name"]!, (string)renaming["author"]!));
        var moving = (await VersionsAsync(moved))[^1]!["properties"]!;
        Assert.Equal(["geometry"], moving["changes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(keyName, (string)moving["author"]!);
        var withdrawal = (await VersionsAsync(deleted))[^1]!["properties"]!;
        Assert.Equal((keyName, "withdrawn"), ((string)withdrawal["author"]!, (string)withdrawal["changes"]![0]!));

        // The vertex went north, nothing else; the new parcel (about 36 m × 36 m, designated in FY2026) is in the area report.
        // qgis_edit.py moves it by 10 units of metres north in the plane zone, by 10 / 111,320 degrees of latitude in CRS84.
        var after = await VertexAsync(moved, 0, crs);
        if (srs is null) Assert.Equal((before.First, before.Second + 10.0 / 111_320), (after.First, after.Second), (a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9);
        else Assert.Equal((before.First + 10, before.Second), (after.First, after.Second), (a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-3 && Math.Abs(a.Item2 - b.Item2) < 1e-3);
        var addedArea = (double)(await GetAsync($"/collections/designations/items/{added}"))["properties"]!["area_ha"]!;
        Assert.InRange(addedArea, 0.12, 0.16);
        var addedAfter = (double)(await GetAsync("/reports/area?register=designations&from=2026&to=2026"))["years"]![0]!["addedHa"]!;
        Assert.Equal(addedBefore + addedArea, addedAfter, 3);
    }

    [Fact]
    public async Task ALayerFilterReachesTheServerAsCql2AndSelectsWhatTheFileSays()
    {
        // Independent of the service: the sample file itself.
        var samples = JsonNode.Parse(await File.ReadAllTextAsync(Parcels.RepoFile("gis-samples/tokorozawa-designations.geojson")))!["features"]!.AsArray()
            .Select(f => f!["properties"]!).ToList();
        var expected = samples.Where(p => (string)p["scheme"]! == "special_green_conservation_district" && string.CompareOrdinal((string)p["designated_on"]!, "2015-01-01") < 0)
            .Select(p => (string)p["parcel_id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);

        var result = await ScriptAsync("qgis_oapif.py", null, fixture.BaseUrl, "designations",
            "--subset", "\"scheme\" = 'special_green_conservation_district' AND \"designated_on\" < '2015-01-01'", "--expect-subset-count", expected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, result["subsetIds"]!.AsArray().Select(i => (string)i!));
        var filtered = result["requests"]!.AsArray().Select(r => (string)r!).Where(r => r.StartsWith("subset", StringComparison.Ordinal) && r.Contains("filter=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(filtered);
        Assert.Contains(filtered, r => r.Contains("DATE('2015-01-01')", StringComparison.Ordinal) && r.Contains("filter-lang=cql2-text", StringComparison.Ordinal));
        Assert.DoesNotContain(result["requests"]!.AsArray().Select(r => (string)r!), r => r.Contains("datetime=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALayerInThePlaneZoneReadsEveryFeatureWhereTheServiceSaysItIs()
    {
        var result = await ScriptAsync("qgis_oapif.py", null, fixture.BaseUrl, "designations", "--srs", "EPSG:6677", "--page-size", "10", "--expect-count", "27");

        Assert.Equal("EPSG:6677", (string)result["crs"]!);
        Assert.Contains(result["requests"]!.AsArray().Select(r => (string)r!), r => r.Contains("crs=http://www.opengis.net/def/crs/EPSG/0/6677", StringComparison.Ordinal));
        foreach (var (id, vertex) in result["firstVertices"]!.AsObject())
        {
            // QGIS holds x east and y north; the service sends zone IX northing first.
            var (north, east) = await VertexAsync(id, 0);
            Assert.Equal(east, (double)vertex![0]!, 0.001);
            Assert.Equal(north, (double)vertex[1]!, 0.001);
        }
    }
}
