using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Imports;

/// <summary>Planners' shapefiles, zipped: made with ogr2ogr from the GeoJSON samples in zone IX, Shift_JIS text.</summary>
public class ShapefileImportTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string ZoneNineShapefile = "gis-samples/tokorozawa-designations-zone9-shapefile.zip";

    private async Task<HttpResponseMessage> UploadAsync(string fileName, byte[] bytes, string query = "")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", fileName);
        return await Client.PostAsync($"/imports/designations{query}", form);
    }

    [Fact]
    public async Task AZippedShapefileInThePlaneZoneIsReprojectedFromItsPrjAndReadInItsEncoding()
    {
        var response = await UploadAsync("designations.zip", await File.ReadAllBytesAsync(RepoFile(ZoneNineShapefile)));
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, report.ToJsonString());

        Assert.Equal(27, (int)report["created"]!);
        Assert.Equal("EPSG:6677", (string)report["sourceCrs"]!);
        // DBF names cut to 10 characters (designated_on → designated) are recognised.
        Assert.Equal(new DateOnly(2010, 6, 15), await Registry.ScalarAsync<DateOnly>("select designated_on from designations where parcel_id = 'D-2010-001'"));
        var geoJson = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")))!;
        var name = (string)geoJson["features"]!.AsArray().Single(f => (string)f!["properties"]!["parcel_id"]! == "D-2010-001")!["properties"]!["name"]!;
        Assert.Equal(name, await Registry.ScalarAsync<string>("select name from designations where parcel_id = 'D-2010-001'"));
    }

    [Fact]
    public async Task TheShapefileAndTheGeoJsonOfTheSameParcelsGiveTheSameArea()
    {
        await UploadAsync("designations.zip", await File.ReadAllBytesAsync(RepoFile(ZoneNineShapefile)));
        var fromShapefile = (double)(await Client.GetJsonAsync("/reports/area?register=designations&asOf=2026-03-31"))["areaHa"]!;

        // Re-sending the same parcels as GeoJSON is a no-op apart from sub-millimetre reprojection noise.
        await Registry.ResetAsync();
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        var fromGeoJson = (double)(await Client.GetJsonAsync("/reports/area?register=designations&asOf=2026-03-31"))["areaHa"]!;

        Assert.Equal(fromGeoJson, fromShapefile, fromGeoJson * 1e-6);
    }

    [Fact]
    public async Task AZipWithoutAShapefileIsRefusedInWords()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("notes.txt").Open();
            await entry.WriteAsync("not a shapefile"u8.ToArray());
        }
        var response = await UploadAsync("parcels.zip", buffer.ToArray());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no .shp file", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Registry.ScalarAsync<long>("select count(*) from designations"));
    }

    [Fact]
    public async Task ABareShpFileAsksForItsCompanions()
    {
        var response = await UploadAsync("parcels.shp", [0, 0, 39, 10]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(".shx, .dbf and .prj", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PropertyNamesInCapitalsOrCutToTenCharactersAreRecognised()
    {
        var upload = Collection(Feature(Box(139.40, 35.78, 139.41, 35.79),
            new { PARCEL_ID = "D-caps", SCHEME = "preserved_woodland", DESIGNATED = "2020-05-01", REPORTED_A = 9000, OWNER = "private" }));
        await Client.ImportOkAsync("designations", upload);

        Assert.Equal(9000m, await Registry.ScalarAsync<decimal>("select reported_area_m2 from designations where parcel_id = 'D-caps'"));
        Assert.Equal("{\"OWNER\": \"private\"}", await Registry.ScalarAsync<string>("select attributes::text from designations"));
    }
}
