using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Reports;

public class AreaReportTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    // A 0.002° × 0.002° quadrangle near Tokorozawa (≈ 180 m × 222 m) and its reference area.
    private static string Quad(double west, double south, double size = 0.002) => Box(west, south, west + size, south + size);
    private static double QuadHa(double west, double south, double size = 0.002) => Ellipsoid.QuadrangleArea(west, south, west + size, south + size) / 10_000;

    private async Task<JsonArray> YearsAsync(string register, int from, int to) =>
        (await Client.GetJsonAsync($"/reports/area?register={register}&from={from}&to={to}"))["years"]!.AsArray();

    private static double AreaOf(JsonArray years, int fiscalYear) => (double)years.Single(y => (int)y!["fiscalYear"]! == fiscalYear)!["areaHa"]!;

    private static void AssertWithin(double expected, double actual, double relative = 1e-4) =>
        Assert.True(Math.Abs(expected - actual) <= Math.Abs(expected) * relative + 1e-4, $"expected {expected} ± {relative:P3}, got {actual}");

    [Fact]
    public async Task AreaIsEllipsoidalAndAgreesWithTheClosedFormOnGrs80()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Quad(139.40, 35.78), "2020-05-01")));
        var years = await YearsAsync("designations", 2020, 2020);
        AssertWithin(QuadHa(139.40, 35.78), AreaOf(years, 2020));
    }

    [Fact]
    public async Task TheCityBoundaryMeasuresTheSeventyTwoSquareKilometresItsDataSourceStates()
    {
        var boundary = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-boundary.geojson")))!;
        var geometry = boundary["features"]![0]!["geometry"]!.DeepClone();
        var upload = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(new JsonObject
            {
                ["type"] = "Feature", ["geometry"] = geometry,
                ["properties"] = new JsonObject { ["parcel_id"] = "city", ["scheme"] = "other", ["designated_on"] = "2000-01-01" },
            }),
        };
        await Client.ImportOkAsync("designations", upload.ToJsonString());

        var atDate = await Client.GetJsonAsync("/reports/area?register=designations&asOf=2020-01-01");
        AssertWithin(7211.0, (double)atDate["areaHa"]!); // shared/data/boundaries/README.md: 72.110 km² (GRS80)
    }

    [Fact]
    public async Task ARecordCountsInTheFiscalYearWhoseThirtyFirstOfMarchItIsInForceOn()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-31mar", Quad(139.40, 35.78), "2016-03-31"),
            Designation("D-1apr", Quad(139.41, 35.78), "2016-04-01"),
            Designation("D-lifted", Quad(139.42, 35.78), "2012-06-01", liftedOn: "2019-03-31")));
        var years = await YearsAsync("designations", 2015, 2018);

        AssertWithin(QuadHa(139.40, 35.78) + QuadHa(139.42, 35.78), AreaOf(years, 2015));
        AssertWithin(QuadHa(139.40, 35.78) + QuadHa(139.41, 35.78) + QuadHa(139.42, 35.78), AreaOf(years, 2016));
        // Lifted on 31 March 2019: not in force at the end of FY2018.
        AssertWithin(QuadHa(139.40, 35.78) + QuadHa(139.41, 35.78), AreaOf(years, 2018));
        var fy2018 = years.Single(y => (int)y!["fiscalYear"]! == 2018)!;
        AssertWithin(QuadHa(139.42, 35.78), (double)fy2018["removedHa"]!);
        Assert.Equal("2019-03-31", (string)fy2018["asOf"]!);
    }

    [Fact]
    public async Task OverlappingRecordsAndTheSameLandUnderTwoSchemesCountOnce()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-a", Quad(139.40, 35.78), "2015-05-01"),
            Designation("D-b", Quad(139.401, 35.78), "2015-05-01", scheme: "preserved_woodland"),          // half over D-a
            Designation("D-c", Quad(139.40, 35.78), "2015-05-01", scheme: "citizen_green_space")));     // the same land as D-a
        var years = await YearsAsync("designations", 2015, 2015);

        // D-a ∪ D-b is the quadrangle 0.003° wide.
        var expected = Ellipsoid.QuadrangleArea(139.40, 35.78, 139.403, 35.782) / 10_000;
        AssertWithin(expected, AreaOf(years, 2015));
        Assert.Equal(3, (int)years[0]!["records"]!);
    }

    [Fact]
    public async Task ACorrectedBoundaryReplacesTheOldOneInEveryYear()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Quad(139.40, 35.78), "2015-05-01")));
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Quad(139.40, 35.78, 0.003), "2015-05-01")));
        var years = await YearsAsync("designations", 2015, 2016);

        AssertWithin(QuadHa(139.40, 35.78, 0.003), AreaOf(years, 2015));
        AssertWithin(QuadHa(139.40, 35.78, 0.003), AreaOf(years, 2016));
    }

    [Fact]
    public async Task OverlapsAreFoundAcrossSeparateUploadsAndCorrectionsAndNotByDryRuns()
    {
        // D-b arrives in a later upload, half over D-a: the two count once.
        await Client.ImportOkAsync("designations", Collection(Designation("D-a", Quad(139.40, 35.78), "2015-05-01")));
        await Client.ImportOkAsync("designations", Collection(Designation("D-b", Quad(139.401, 35.78), "2015-05-01")));
        AssertWithin(Ellipsoid.QuadrangleArea(139.40, 35.78, 139.403, 35.782) / 10_000, AreaOf(await YearsAsync("designations", 2015, 2015), 2015));

        // A dry run of a parcel over both stores nothing, overlaps included.
        await Client.ImportOkAsync("designations", Collection(Designation("D-c", Quad(139.4005, 35.78), "2015-05-01")), "?dryRun=true");
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from designations_overlaps"));

        // D-a's boundary is corrected away from D-b; then D-b is corrected back over the new D-a.
        await Client.ImportOkAsync("designations", Collection(Designation("D-a", Quad(139.396, 35.78), "2015-05-01")));
        AssertWithin(QuadHa(139.396, 35.78) + QuadHa(139.401, 35.78), AreaOf(await YearsAsync("designations", 2015, 2015), 2015));
        await Client.ImportOkAsync("designations", Collection(Designation("D-b", Quad(139.397, 35.78), "2015-05-01")));
        AssertWithin(Ellipsoid.QuadrangleArea(139.396, 35.78, 139.399, 35.782) / 10_000, AreaOf(await YearsAsync("designations", 2015, 2015), 2015));
    }

    [Fact]
    public async Task TheSampleDataMatchesTheIndependentGeodesicReferenceToOneInTenThousand()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        await Client.ImportOkAsync("acquisitions", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        var designations = await YearsAsync("designations", 2010, 2025);
        var acquisitions = await YearsAsync("acquisitions", 2010, 2025);

        // expected-areas.csv was computed with shapely unions and pyproj's geodesic area (GeographicLib).
        var rows = File.ReadAllLines(RepoFile("gis-samples/expected-areas.csv")).Skip(1).Select(l => l.Split(','));
        foreach (var row in rows)
        {
            var fy = int.Parse(row[0], CultureInfo.InvariantCulture);
            AssertWithin(double.Parse(row[3], CultureInfo.InvariantCulture), AreaOf(designations, fy));
            AssertWithin(double.Parse(row[7], CultureInfo.InvariantCulture), AreaOf(acquisitions, fy));
        }
    }

    [Fact]
    public async Task ThePlanarAreaInTheCitysZoneIsSlightlySmallerThanTheEllipsoidal()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        var ellipsoidal = await Client.GetJsonAsync("/reports/area?register=designations&asOf=2026-03-31");
        var planar = await Client.GetJsonAsync("/reports/area?register=designations&asOf=2026-03-31&method=planar");

        Assert.Equal("planar", (string)planar["method"]!);
        var shortfall = 1 - (double)planar["areaHa"]! / (double)ellipsoidal["areaHa"]!;
        Assert.InRange(shortfall, 0.00015, 0.00021); // zone IX's plane (scale 0.9999 on its meridian) shrinks areas around Tokorozawa by 0.017–0.019 %
    }

    [Fact]
    public async Task TheSeriesComesAsCsvToo()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Quad(139.40, 35.78), "2020-05-01")));
        var response = await Client.GetAsync("/reports/area?register=designations&from=2019&to=2020&format=csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
        Assert.Equal("fiscal_year,as_of,area_ha,added_ha,removed_ha,records", lines[0]);
        Assert.StartsWith("2019,2020-03-31,0,0,0,0", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2020,2021-03-31,", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reports/area?register=parks", HttpStatusCode.NotFound, "designations, acquisitions")]
    [InlineData("/reports/area", HttpStatusCode.BadRequest, "register\\\" is required")]
    [InlineData("/reports/area?register=designations&from=FY2020", HttpStatusCode.BadRequest, "from=FY2020 is not a whole number")]
    [InlineData("/reports/area?register=designations&from=2030&to=2020", HttpStatusCode.BadRequest, "from=2030 is after to=2020")]
    [InlineData("/reports/area?register=designations&asOf=2021-02-30", HttpStatusCode.BadRequest, "not a date")]
    [InlineData("/reports/area?register=designations&method=spherical", HttpStatusCode.BadRequest, "ellipsoidal")]
    [InlineData("/reports/area?register=designations&format=xml", HttpStatusCode.BadRequest, "json or csv")]
    public async Task BadReportParametersAreExplained(string url, HttpStatusCode status, string message)
    {
        await Parcels.AssertProblemAsync(await Client.GetAsync(url), status, message);
    }
}

public sealed class OneMillisecondReportsFixture : RegistryFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Habitat:ReportTimeLimitSeconds"] = "0.001" };
}

public class ReportTimeLimitTests(OneMillisecondReportsFixture fixture) : RegistryTest<OneMillisecondReportsFixture>(fixture)
{
    [Fact]
    public async Task AReportThatOutrunsItsTimeLimitIsStoppedAndAnsweredInWords()
    {
        await Client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        // The whole city (2,141 vertices) over every sample parcel: the overlap join alone takes milliseconds.
        var city = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-boundary.geojson")))!["features"]![0]!["geometry"]!;
        await Client.ImportOkAsync("designations", Collection(new JsonObject
        {
            ["type"] = "Feature", ["geometry"] = city.DeepClone(),
            ["properties"] = new JsonObject { ["parcel_id"] = "city", ["scheme"] = "other", ["designated_on"] = "2000-01-01" },
        }));
        await Parcels.AssertProblemAsync(await Client.GetAsync("/reports/area?register=designations&from=1990&to=2030"),
            System.Net.HttpStatusCode.ServiceUnavailable, "stopped after its time limit");
    }
}

public class NetworkTimeLimitTests(OneMillisecondReportsFixture fixture) : RegistryTest<OneMillisecondReportsFixture>(fixture)
{
    [Fact]
    public async Task ANetworkThatOutrunsTheTimeLimitIsStoppedAndTheAnswerSaysHowToAskAgain()
    {
        await Client.ImportOkAsync("habitat-patches", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-habitat-patches.geojson")));
        await Parcels.AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=woodland-birds"),
            System.Net.HttpStatusCode.ServiceUnavailable, "connectorRadius=1000");
    }
}
