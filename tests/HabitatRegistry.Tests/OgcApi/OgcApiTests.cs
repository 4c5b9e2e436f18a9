using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.OgcApi;

public class OgcApiTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static string Link(JsonNode document, string rel) =>
        (string)document["links"]!.AsArray().Single(l => (string)l!["rel"]! == rel)!["href"]!;

    private async Task ImportGridAsync(int count)
    {
        // A row of small squares along a parallel, west to east, parcel ids in that order.
        var features = Enumerable.Range(0, count)
            .Select(i => (JsonNode)Designation($"D-{i:000}", Box(139.40 + i * 0.001, 35.78, 139.4008 + i * 0.001, 35.7808), "2015-05-01", liftedOn: i % 5 == 4 ? "2020-05-01" : null))
            .ToArray();
        await Client.ImportOkAsync("designations", Collection(features));
    }

    [Fact]
    public async Task TheLandingPageLinksTheOpenApiDocumentConformanceAndData()
    {
        var landing = await Client.GetJsonAsync("/");
        var serviceDesc = landing["links"]!.AsArray().Single(l => (string)l!["rel"]! == "service-desc")!;

        Assert.Equal("application/vnd.oai.openapi+json;version=3.0", (string)serviceDesc["type"]!);
        Assert.StartsWith("http://localhost/", (string)serviceDesc["href"]!, StringComparison.Ordinal);
        Assert.Equal("http://localhost/collections", Link(landing, "data"));
        Assert.Equal("http://localhost/conformance", Link(landing, "conformance"));
    }

    [Fact]
    public async Task TheOpenApiDocumentIsVersionThreeZeroAndDeclaresTheLimitDefaultAndMaximum()
    {
        var openApi = await Client.GetJsonAsync("/openapi/v1.json");

        Assert.StartsWith("3.0", (string)openApi["openapi"]!, StringComparison.Ordinal);
        // QGIS reads it from components.parameters.limit only, as OGC's own OpenAPI fragments declare it.
        var parameters = openApi["paths"]!["/collections/{collectionId}/items"]!["get"]!["parameters"]!.AsArray();
        Assert.Contains(parameters, p => (string?)p!["$ref"] == "#/components/parameters/limit");
        var limit = openApi["components"]!["parameters"]!["limit"]!["schema"]!;
        Assert.Equal(100, (int)limit["default"]!);
        Assert.Equal(10_000, (int)limit["maximum"]!);
        Assert.Equal(1, (int)limit["minimum"]!);
    }

    [Fact]
    public async Task ConformanceDeclaresCoreGeoJsonAndOpenApi()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
    }

    [Fact]
    public async Task EachRegisterIsACollectionWithItsSpatialExtent()
    {
        await ImportGridAsync(3);
        var collections = (await Client.GetJsonAsync("/collections"))["collections"]!.AsArray();

        // The registers first; then each species group's network (NetworkApiTests).
        Assert.Equal(["designations", "acquisitions", "activities", "habitat-patches"], collections.Select(c => (string)c!["id"]!).Take(4));
        Assert.All(collections.Skip(4), c => Assert.StartsWith("network-", (string)c!["id"]!, StringComparison.Ordinal));
        var bbox = collections[0]!["extent"]!["spatial"]!["bbox"]![0]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal([139.40, 35.78, 139.4028, 35.7808], bbox.Select(v => Math.Round(v, 6)));
        Assert.Null(collections[1]!["extent"]); // no acquisitions yet
        var items = collections[0]!["links"]!.AsArray().Single(l => (string)l!["rel"]! == "items")!;
        Assert.Equal("application/geo+json", (string)items["type"]!);
        Assert.Equal("http://localhost/collections/designations/items", (string)items["href"]!);

        // The extent is kept between requests, and an import is seen on the very next one.
        await Client.ImportOkAsync("designations", Collection(Designation("D-FAR", Box(139.60, 35.90, 139.601, 35.901), "2015-05-01")));
        var grown = (await Client.GetJsonAsync("/collections/designations"))["extent"]!["spatial"]!["bbox"]![0]!.AsArray().Select(v => Math.Round((double)v!, 6));
        Assert.Equal([139.40, 35.78, 139.601, 35.901], grown);
    }

    [Fact]
    public async Task ItemsArePagedWithNextLinksThatKeepEveryQueryParameter()
    {
        await ImportGridAsync(25);
        var seen = new List<string>();
        var url = "/collections/designations/items?limit=10&bbox=139.3,35.7,139.5,35.9&datetime=2018-01-01";
        var pages = 0;
        while (url is not null)
        {
            var page = await Client.GetJsonAsync(url);
            pages++;
            Assert.Equal(25, (int)page["numberMatched"]!);
            Assert.Equal(page["features"]!.AsArray().Count, (int)page["numberReturned"]!);
            seen.AddRange(page["features"]!.AsArray().Select(f => (string)f!["id"]!));
            var next = page["links"]!.AsArray().SingleOrDefault(l => (string)l!["rel"]! == "next");
            url = next is null ? null : (string)next["href"]!;
            if (url is not null)
            {
                Assert.Contains("bbox=139.3,35.7,139.5,35.9", url, StringComparison.Ordinal);
                Assert.Contains("datetime=2018-01-01", url, StringComparison.Ordinal);
                Assert.StartsWith("http://localhost/", url, StringComparison.Ordinal);
            }
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"D-{i:000}"), seen);
    }

    [Fact]
    public async Task BboxSelectsOnlyTheParcelsItTouches()
    {
        await ImportGridAsync(10);
        var page = await Client.GetJsonAsync("/collections/designations/items?bbox=139.4025,35.779,139.4045,35.781");
        Assert.Equal(["D-002", "D-003", "D-004"], page["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.Equal(3, (int)page["numberMatched"]!);
    }

    [Fact]
    public async Task DatetimeSelectsTheParcelsInForceThen()
    {
        await ImportGridAsync(10);
        Assert.Equal(10, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2019-03-31"))["numberMatched"]!);
        Assert.Equal(8, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2021-03-31"))["numberMatched"]!);
        Assert.Equal(0, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2015-04-30"))["numberMatched"]!);
        Assert.Equal(10, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2020-01-01/.."))["numberMatched"]!);
        Assert.Equal(8, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2020-05-01T00:00:00Z/.."))["numberMatched"]!);
        // The forms GIS clients send: QGIS opens "on or before" with year 0000, GDAL 3.6 ends dates with "T".
        Assert.Equal(10, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=0000-01-01T00:00:00Z/2015-05-01"))["numberMatched"]!);
        Assert.Equal(8, (int)(await Client.GetJsonAsync("/collections/designations/items?datetime=2020-05-01T/.."))["numberMatched"]!);
    }

    [Fact]
    public async Task AFeatureCarriesItsRegisterPropertiesAreaAndVersion()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        var response = await Client.GetAsync("/collections/designations/items/D-2010-002");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var feature = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("D-2010-002", (string)feature["id"]!);
        Assert.Equal("MultiPolygon", (string)feature["geometry"]!["type"]!);
        var properties = feature["properties"]!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", (string)properties["designated_on"]!);
        Assert.Equal(1, (int)properties["version"]!);
        Assert.NotNull(properties["owner_type"]);
        Assert.True((double)properties["area_ha"]! > 0);
        Assert.Equal("http://localhost/collections/designations", Link(feature, "collection"));
    }

    [Fact]
    public async Task LimitAboveTheMaximumIsServedAsTheMaximum()
    {
        await ImportGridAsync(3);
        var page = await Client.GetJsonAsync("/collections/designations/items?limit=50000");
        Assert.Equal(3, (int)page["numberReturned"]!);
    }

    [Fact]
    public async Task ANextLinkContinuesAfterThePagesLastFeatureAndCarriesTheCountAlong()
    {
        await ImportGridAsync(25);
        var first = await Client.GetJsonAsync("/collections/designations/items?limit=10");
        var next = Link(first, "next");
        Assert.Contains("cursor=", next, StringComparison.Ordinal);
        Assert.DoesNotContain("offset=", next, StringComparison.Ordinal);
        // Records created after the first page are not counted again, but a later page still finds them after its cursor.
        await Client.ImportOkAsync("designations", Collection(Designation("D-100", Box(139.50, 35.78, 139.5008, 35.7808), "2015-05-01")));
        var second = await Client.GetJsonAsync(next);
        Assert.Equal(25, (int)second["numberMatched"]!);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"D-{i:000}"), second["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.DoesNotContain(second["links"]!.AsArray(), l => (string)l!["rel"]! == "prev");
        var third = await Client.GetJsonAsync(Link(second, "next"));
        Assert.Equal([.. Enumerable.Range(20, 5).Select(i => $"D-{i:000}"), "D-100"], third["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.DoesNotContain(third["links"]!.AsArray(), l => (string)l!["rel"]! == "next");
    }

    [Fact]
    public async Task OffsetStillPagesWithPreviousAndNextLinks()
    {
        await ImportGridAsync(25);
        var page = await Client.GetJsonAsync("/collections/designations/items?limit=10&offset=20");
        Assert.Equal(["D-020", "D-021", "D-022", "D-023", "D-024"], page["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.Equal("http://localhost/collections/designations/items?offset=10&limit=10", Link(page, "prev"));
        Assert.DoesNotContain(page["links"]!.AsArray(), l => (string)l!["rel"]! == "next");
        var middle = await Client.GetJsonAsync("/collections/designations/items?limit=10&offset=10");
        Assert.Equal("D-020", (string)(await Client.GetJsonAsync(Link(middle, "next")))["features"]![0]!["id"]!);
    }

    [Fact]
    public async Task AnOffsetPageUnderAFilterIsThatSliceOfTheFilteredRecordsInIdOrder()
    {
        // The offset is skipped in a subquery of its own (over ids); it must skip the filtered records, not all of them.
        await ImportGridAsync(25);
        const string filter = "bbox=139.4035,35.77,139.43,35.79&datetime=2021-01-01";
        var all = (await Client.GetJsonAsync($"/collections/designations/items?{filter}"))["features"]!.AsArray().Select(f => (string)f!["id"]!).ToList();
        Assert.Equal(17, all.Count); // D-003 … D-023, without the five lifted in 2020
        foreach (var offset in new[] { 1, 6, 12, 16 })
        {
            var page = await Client.GetJsonAsync($"/collections/designations/items?{filter}&limit=5&offset={offset}");
            Assert.Equal(all.Skip(offset).Take(5), page["features"]!.AsArray().Select(f => (string)f!["id"]!));
            Assert.Equal(17, (int)page["numberMatched"]!);
            Assert.Equal(offset + 5 < 17, page["links"]!.AsArray().Any(l => (string)l!["rel"]! == "next"));
        }
        // Past the last page nothing is read, and the filtered records are still counted.
        var beyond = await Client.GetJsonAsync($"/collections/designations/items?{filter}&limit=5&offset=17");
        Assert.Empty(beyond["features"]!.AsArray());
        Assert.Equal(17, (int)beyond["numberMatched"]!);
    }

    [Fact]
    public async Task ACollectionOffersItsCoordinateSystemsAndIsStoredInCrs84()
    {
        var collection = await Client.GetJsonAsync("/collections/designations");
        var systems = collection["crs"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal("http://www.opengis.net/def/crs/OGC/1.3/CRS84", systems[0]);
        Assert.Equal("http://www.opengis.net/def/crs/OGC/1.3/CRS84", (string)collection["storageCrs"]!);
        foreach (var epsg in new[] { 4326, 6668, 3857 }.Concat(Enumerable.Range(6669, 19)))
            Assert.Contains($"http://www.opengis.net/def/crs/EPSG/0/{epsg}", systems);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
            (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task Epsg4326IsLatitudeFirstAndNamedInContentCrs()
    {
        await ImportGridAsync(3);
        var lonLat = await Client.GetJsonAsync("/collections/designations/items");
        var response = await Client.GetAsync("/collections/designations/items?crs=http://www.opengis.net/def/crs/EPSG/0/4326");
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/4326>", response.Headers.GetValues("Content-Crs").Single());
        var latLon = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        for (var i = 0; i < 3; i++)
        {
            var expected = lonLat["features"]![i]!["geometry"]!["coordinates"]![0]![0]!.AsArray().Select(p => ((double)p![1]!, (double)p[0]!));
            var got = latLon["features"]![i]!["geometry"]!["coordinates"]![0]![0]!.AsArray().Select(p => ((double)p![0]!, (double)p[1]!));
            Assert.Equal(expected, got);
        }
    }

    [Theory]
    [InlineData("[EPSG:6677]")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/6677")]
    public async Task ABboxInThePlaneZoneSelectsWhatItTouchesThere(string bboxCrs)
    {
        await ImportGridAsync(10);
        // The box is drawn around the served zone IX coordinates (northing first) of D-003, so it touches D-002..D-004.
        var zone9 = await Client.GetJsonAsync("/collections/designations/items/D-003?crs=http://www.opengis.net/def/crs/EPSG/0/6677");
        var ring = zone9["geometry"]!["coordinates"]![0]![0]!.AsArray().Select(p => (X: (double)p![0]!, Y: (double)p[1]!)).ToList();
        var box = string.Join(",", ring.Min(p => p.X) + 1, ring.Min(p => p.Y) - 50, ring.Max(p => p.X) - 1, ring.Max(p => p.Y) + 50);
        var page = await Client.GetJsonAsync($"/collections/designations/items?bbox={box}&bbox-crs={Uri.EscapeDataString(bboxCrs)}");
        Assert.Equal(["D-002", "D-003", "D-004"], page["features"]!.AsArray().Select(f => (string)f!["id"]!));
        var latitudeFirst = await Client.GetJsonAsync("/collections/designations/items?bbox=35.779,139.4025,35.781,139.4045&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326");
        Assert.Equal(["D-002", "D-003", "D-004"], latitudeFirst["features"]!.AsArray().Select(f => (string)f!["id"]!));
    }

    [Fact]
    public async Task AFeatureCarriesItsVersionAsItsETag()
    {
        await ImportGridAsync(1);
        var response = await Client.GetAsync("/collections/designations/items/D-000");
        Assert.Equal("\"v1\"", response.Headers.ETag!.Tag);
        var zone9 = await Client.GetAsync("/collections/designations/items/D-000?crs=http://www.opengis.net/def/crs/EPSG/0/6677");
        Assert.Equal("\"v1.6677\"", zone9.Headers.ETag!.Tag);
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/6677>", zone9.Headers.GetValues("Content-Crs").Single());
    }

    [Theory]
    [InlineData("/collections/designations/items?limit=0", HttpStatusCode.BadRequest, "at least 1")]
    [InlineData("/collections/designations/items?crs=EPSG:9999", HttpStatusCode.BadRequest, "crs=EPSG:9999 is not a coordinate system this service offers")]
    [InlineData("/collections/designations/items/D-1?crs=urn:ogc:def:crs:EPSG::2451", HttpStatusCode.BadRequest, "not a coordinate system this service offers")]
    [InlineData("/collections/designations/items?bbox=1,2,3,4&bbox-crs=EPSG:1", HttpStatusCode.BadRequest, "bbox-crs=EPSG:1")]
    [InlineData("/collections/designations/items?bbox=139.40,35.77,139.43,35.80&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326", HttpStatusCode.BadRequest, "takes latitude within ±90")]
    [InlineData("/collections/designations/items?bbox=1e8,0,2e8,1&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/6677", HttpStatusCode.BadRequest, "within ±2,000 km")]
    [InlineData("/collections/designations/items?bbox=0,0,1e300,1&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857", HttpStatusCode.BadRequest, "±20,037,508 m")]
    [InlineData("/collections/network-patches-amphibians/items?crs=http://www.opengis.net/def/crs/EPSG/0/6677", HttpStatusCode.BadRequest, "CRS84")]
    [InlineData("/collections/designations/items?cursor=bm90LWEtY3Vyc29y", HttpStatusCode.BadRequest, "not one this service made")]
    [InlineData("/collections/designations/items?cursor=%%%", HttpStatusCode.BadRequest, "not one this service made")]
    [InlineData("/collections/designations/items?cursor=MQpELTAwMQ&offset=5", HttpStatusCode.BadRequest, "not both")]
    [InlineData("/collections/designations/items?limit=ten", HttpStatusCode.BadRequest, "limit=ten is not a whole number")]
    [InlineData("/collections/designations/items?bbox=1,2,3", HttpStatusCode.BadRequest, "four numbers")]
    [InlineData("/collections/designations/items?bbox=139.5,35.7,139.4,35.8", HttpStatusCode.BadRequest, "western edge")]
    [InlineData("/collections/designations/items?bbox=-34952,-22369,-34900,-22300", HttpStatusCode.BadRequest, "longitude/latitude")]
    [InlineData("/collections/designations/items?datetime=last-year", HttpStatusCode.BadRequest, "not a date")]
    [InlineData("/collections/designations/items?datetime=2020-01-01/2019-01-01", HttpStatusCode.BadRequest, "ends before it starts")]
    [InlineData("/collections/parks/items", HttpStatusCode.NotFound, "designations, acquisitions")]
    [InlineData("/collections/parks", HttpStatusCode.NotFound, "designations, acquisitions")]
    [InlineData("/collections/designations/items/nope", HttpStatusCode.NotFound, "no current parcel")]
    public async Task BadRequestsAreProblemDetailsThatSayWhatIsWrong(string url, HttpStatusCode status, string message)
    {
        await Parcels.AssertProblemAsync(await Client.GetAsync(url), status, message);
    }
}
