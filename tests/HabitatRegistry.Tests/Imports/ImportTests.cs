using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Imports;

public class ImportTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Square = "POLYGON((139.40 35.78, 139.41 35.78, 139.41 35.79, 139.40 35.79, 139.40 35.78))";

    private Task<long> CountAsync(string table) => Registry.ScalarAsync<long>($"select count(*) from {table}");

    [Fact]
    public async Task ImportingTheSampleDesignationsCreatesEveryParcel()
    {
        var report = await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));

        Assert.Equal(27, (int)report["created"]!);
        Assert.Equal(0, (int)report["updated"]!);
        Assert.Equal(27, await CountAsync("designations"));
        Assert.Equal(1, await CountAsync("import_runs"));
        // Extra planner properties are kept as attributes.
        Assert.Equal(27, await Registry.ScalarAsync<long>("select count(*) from designations where attributes ? 'owner_type'"));
    }

    [Fact]
    public async Task ImportingTheSameFileTwiceChangesNothing()
    {
        var file = await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-acquisitions.geojson"));
        await Client.ImportOkAsync("acquisitions", file);
        var again = await Client.ImportOkAsync("acquisitions", file);

        Assert.Equal(0, (int)again["created"]!);
        Assert.Equal(0, (int)again["updated"]!);
        Assert.Equal(13, (int)again["unchanged"]!);
        Assert.Equal(13, await CountAsync("acquisitions"));
        Assert.Equal(1, await CountAsync("import_runs"));
    }

    [Fact]
    public async Task ACorrectedBoundaryAndAReleaseMakeNewVersionsAndKeepTheOldOnes()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        var report = await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations-corrections.geojson")));

        Assert.Equal(2, (int)report["updated"]!);
        var changes = report["changes"]!.AsArray();
        Assert.Contains("geometry", changes.Single(c => (string)c!["recordId"]! == "D-2016-002")!["changed"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("lifted_on", changes.Single(c => (string)c!["recordId"]! == "D-2020-001")!["changed"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(29, await CountAsync("designations"));
        Assert.Equal(27, await Registry.ScalarAsync<long>("select count(*) from designations where superseded_at is null"));

        var history = await Client.GetJsonAsync("/registers/designations/D-2016-002/versions");
        var versions = history["features"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(v => (int)v!["properties"]!["version"]!));
        Assert.NotNull(versions[0]!["properties"]!["superseded_at"]);
        Assert.Null(versions[1]!["properties"]!["superseded_at"]);
        Assert.True((double)versions[1]!["properties"]!["area_ha"]! > (double)versions[0]!["properties"]!["area_ha"]!);
    }

    [Fact]
    public async Task ADryRunReportsWhatWouldChangeAndStoresNothing()
    {
        var report = await Client.ImportOkAsync("designations", Collection(Designation("D-1", Square, "2020-05-01")), "?dryRun=true");

        Assert.True((bool)report["dryRun"]!);
        Assert.Equal(1, (int)report["created"]!);
        Assert.Equal(0, await CountAsync("designations"));
        Assert.Equal(0, await CountAsync("import_runs"));
    }

    [Theory]
    [InlineData("not-a-feature-collection.geojson", "file", "single Feature, not a FeatureCollection")]
    [InlineData("point-geometry.geojson", "features[1]", "is a Point; only a Polygon or MultiPolygon (the land's boundary)")]
    [InlineData("unclosed-ring.geojson", "features[0]", "is not closed")]
    [InlineData("too-few-points.geojson", "features[1]", "needs at least 4")]
    [InlineData("self-intersecting.geojson", "features[0]", "crosses itself near 139.415725, 35.807744")]
    [InlineData("projected-zone9.geojson", "crs", "?crs=EPSG:6677")]
    [InlineData("unknown-scheme.geojson", "features[1]", "\"scheme\" is \"wildlife_protection_area\", which is not one of")]
    [InlineData("missing-scheme.geojson", "features[0]", "\"scheme\" is missing")]
    [InlineData("invalid-date.geojson", "features[0]", "\"2021-02-30\", which is not a real date")]
    [InlineData("lifted-before-designated.geojson", "features[1]", "\"lifted_on\" (2018-04-01) is not after \"designated_on\" (2019-06-01)")]
    [InlineData("duplicate-parcel-id.geojson", "features[1]", "is already used by features[0]")]
    public async Task EveryBadSampleFileIsRefusedWithItsOwnMessageAndNothingIsStored(string file, string key, string message)
    {
        var response = await Client.ImportAsync("designations", await File.ReadAllTextAsync(RepoFile($"gis-samples/bad/{file}")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("nothing was stored", (string)problem["title"]!, StringComparison.Ordinal);
        var messages = problem["errors"]![key]!.AsArray().Select(m => (string)m!);
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync("designations"));
        Assert.Equal(0, await CountAsync("import_runs"));
    }

    [Fact]
    public async Task OneBadFeatureStopsTheWholeFileAndEveryProblemIsListed()
    {
        var upload = Collection(
            Designation("D-ok", Square, "2020-05-01"),
            Designation("D-bad-date", Square, "2020-13-01"),
            Feature("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))", new { parcel_id = "D-bowtie", scheme = "nope", designated_on = "2020-05-01" }));
        var response = await Client.ImportAsync("designations", upload);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["features[1]", "features[2]"], errors.Select(e => e.Key).Order());
        Assert.Equal(2, errors["features[2]"]!.AsArray().Count); // unknown scheme and the self-intersection
        Assert.All(errors["features[2]"]!.AsArray(), m => Assert.StartsWith("Parcel D-bowtie:", (string)m!, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync("designations"));
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestSayingWhere()
    {
        var response = await Client.ImportAsync("designations", """{"type": "FeatureCollection", "features": [ {"type": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("The upload is not valid JSON.", (string)problem["title"]!);
        Assert.Contains("line 1", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileSentAsCurlsDefaultFormEncodingIsReadAsGeoJson()
    {
        using var content = new StringContent(Collection(Designation("D-1", Square, "2020-05-01")), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await Client.PostAsync("/imports/designations", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await CountAsync("designations"));
    }

    [Fact]
    public async Task AnUploadOfAnotherKindSaysWhatToSend()
    {
        using var content = new StringContent("<kml><Placemark><name>D-1</name></Placemark></kml>", System.Text.Encoding.UTF8, "application/vnd.google-earth.kml+xml");
        await AssertProblemAsync(await Client.PostAsync("/imports/designations", content), HttpStatusCode.UnsupportedMediaType, "Send GeoJSON");
    }

    [Fact]
    public async Task AFlagThatIsNotTrueOrFalseIsExplained() =>
        await AssertProblemAsync(await Client.ImportAsync("designations", Collection(Designation("D-1", Square, "2020-05-01")), "?dryRun=maybe"),
            HttpStatusCode.BadRequest, "dryRun=maybe is not true or false");

    [Fact]
    public async Task AnEmptyBodyIsABadRequest()
    {
        var response = await Client.ImportAsync("designations", "");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownRegisterIsNotFoundAndNamesTheRegisters()
    {
        var response = await Client.ImportAsync("parks", Collection(Designation("D-1", Square, "2020-05-01")));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("designations, acquisitions", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProjectedFileIsReprojectedWhenItsSystemIsGiven()
    {
        var report = await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/bad/projected-zone9.geojson")), "?crs=EPSG:6677");

        Assert.Equal("EPSG:6677", (string)report["sourceCrs"]!);
        // The sample's README: 24,004.4 m² geodesic once reprojected (pyproj, independently).
        var area = await Registry.ScalarAsync<double>("select ST_Area(geom::geography) from designations");
        Assert.Equal(24_004.4, area, 24_004.4 * 1e-4);
        Assert.Equal(1, await Registry.ScalarAsync<long>("select count(*) from designations where ST_X(ST_Centroid(geom)) between 139.3 and 139.6"));
    }

    [Fact]
    public async Task AFileThatNamesItsOwnSystemIsReprojectedWithoutAsking()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/bad/projected-zone9.geojson")))!;
        file["crs"] = new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = "urn:ogc:def:crs:EPSG::6677" } };
        var report = await Client.ImportOkAsync("designations", file.ToJsonString());
        Assert.Equal("EPSG:6677", (string)report["sourceCrs"]!);
    }

    [Fact]
    public async Task AnUnknownCrsParameterIsRefusedWithTheSystemsThatWork()
    {
        var response = await Client.ImportAsync("designations", Collection(Designation("D-1", Square, "2020-05-01")), "?crs=EPSG:3857");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("EPSG:6669–6687", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepairFixesASelfIntersectionAndSaysWhatItChanged()
    {
        var report = await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/bad/self-intersecting.geojson")), "?repair=true");

        Assert.Equal(1, (int)report["created"]!);
        Assert.Contains(report["warnings"]!.AsArray(), w => ((string)w!).Contains("repaired: the boundary crosses itself", StringComparison.Ordinal));
        Assert.True(await Registry.ScalarAsync<bool>("select bool_and(ST_IsValid(geom)) from designations"));
    }

    [Fact]
    public async Task ClockwiseRingsHolesMultiPolygonsAndHeightsAreAccepted()
    {
        var upload = Collection(
            Designation("D-cw", "POLYGON((139.40 35.78, 139.40 35.79, 139.41 35.79, 139.41 35.78, 139.40 35.78))", "2020-05-01"),
            Designation("D-hole", "POLYGON((139.42 35.78, 139.43 35.78, 139.43 35.79, 139.42 35.79, 139.42 35.78), (139.424 35.784, 139.424 35.786, 139.426 35.786, 139.426 35.784, 139.424 35.784))", "2020-05-01"),
            Designation("D-multi", "MULTIPOLYGON(((139.44 35.78, 139.45 35.78, 139.45 35.79, 139.44 35.78)), ((139.46 35.78, 139.47 35.78, 139.47 35.79, 139.46 35.78)))", "2020-05-01"),
            Designation("D-3d", "POLYGON Z((139.48 35.78 10, 139.49 35.78 11, 139.49 35.79 12, 139.48 35.78 10))", "2020-05-01"));
        var report = await Client.ImportOkAsync("designations", upload);

        Assert.Equal(4, (int)report["created"]!);
        Assert.Equal(1, await Registry.ScalarAsync<long>("select count(*) from designations where ST_NumInteriorRings(ST_GeometryN(geom, 1)) = 1"));
        Assert.Equal(2, await Registry.ScalarAsync<int>("select ST_NumGeometries(geom) from designations where parcel_id = 'D-multi'"));
        Assert.Equal(2, await Registry.ScalarAsync<short>("select ST_CoordDim(geom)::smallint from designations where parcel_id = 'D-3d'"));
    }

    [Fact]
    public async Task AMultipartUploadInTheFieldFileIsImported()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        form.Add(file, "file", "tokorozawa-acquisitions.geojson");
        var response = await Client.PostAsync("/imports/acquisitions", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(13, await CountAsync("acquisitions"));
        Assert.Equal("tokorozawa-acquisitions.geojson", await Registry.ScalarAsync<string>("select file_name from import_runs"));
    }

    [Fact]
    public async Task AMultipartUploadWithoutTheFileFieldSaysWhatFieldToUse()
    {
        using var form = new MultipartFormDataContent { { new StringContent("{}"), "upload", "x.geojson" } };
        var response = await Client.PostAsync("/imports/acquisitions", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("field named \\\"file\\\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquisitionsWithoutABodyAreRecordedAsTheCitysWithANote()
    {
        var report = await Client.ImportOkAsync("acquisitions", Collection(Feature(Square, new { parcel_id = "A-1", acquired_on = "2020-06-01" })));
        Assert.Contains(report["warnings"]!.AsArray(), w => ((string)w!).Contains("recorded as acquired by the city", StringComparison.Ordinal));
        Assert.Equal("city", await Registry.ScalarAsync<string>("select acquired_by from acquisitions"));
    }

    [Fact]
    public async Task AnAcquisitionByAnUnknownBodyIsRefused()
    {
        var response = await Client.ImportAsync("acquisitions", Collection(Acquisition("A-1", Square, "2020-06-01", acquiredBy: "company")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("city, prefecture, national, trust", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class SmallUploadLimitFixture : RegistryFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Habitat:MaxUploadBytes"] = "2048" };
}

public class UploadLimitTests(SmallUploadLimitFixture fixture) : RegistryTest<SmallUploadLimitFixture>(fixture)
{
    [Fact]
    public async Task AnUploadOverTheLimitIsRefusedAsTooLargeAndNothingIsStored()
    {
        var response = await Client.ImportAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limited to", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Registry.ScalarAsync<long>("select count(*) from designations"));
    }
}
