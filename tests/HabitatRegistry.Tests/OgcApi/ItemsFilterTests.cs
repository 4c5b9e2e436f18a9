using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>
/// The items endpoint with filter, filter-lang and filter-crs (OGC API – Features Part 3), the queryables and the
/// features' schema (Part 5): the service end of what Cql2*Tests check of the parser and the SQL.
/// </summary>
public class ItemsFilterTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Items = "/collections/designations/items";

    /// <summary>Ten squares west to east, D-000 … D-009; the odd ones citizen green space, the rest special districts.</summary>
    private async Task ImportRowAsync()
    {
        var features = Enumerable.Range(0, 10).Select(i => (JsonNode)Designation($"D-{i:000}", Box(139.40 + i * 0.001, 35.78, 139.4008 + i * 0.001, 35.7808),
            $"{2010 + i}-05-01", scheme: i % 2 == 1 ? "citizen_green_space" : "special_green_conservation_district")).ToArray();
        await Client.ImportOkAsync("designations", Collection(features));
    }

    private async Task<List<string>> IdsAsync(string query)
    {
        var ids = new List<string>();
        for (var url = $"{Items}?{query}"; url is not null;)
        {
            var page = await Client.GetJsonAsync(url);
            ids.AddRange(page["features"]!.AsArray().Select(f => (string)f!["id"]!));
            url = (string?)page["links"]!.AsArray().SingleOrDefault(l => (string)l!["rel"]! == "next")?["href"];
        }
        return ids;
    }

    [Fact]
    public async Task ACql2TextFilterSelectsOnTheServerAndItsNextLinksKeepIt()
    {
        await ImportRowAsync();
        var filter = Uri.EscapeDataString("scheme = 'citizen_green_space' AND designated_on >= DATE('2013-01-01')");

        var first = await Client.GetJsonAsync($"{Items}?limit=2&filter={filter}");

        Assert.Equal(4, (int)first["numberMatched"]!);
        Assert.Equal(["D-003", "D-005", "D-007", "D-009"], await IdsAsync($"limit=2&filter={filter}"));
    }

    [Fact]
    public async Task APlusLeftUnencodedAsQgisSendsItIsAPlusAndAFormEncodedSpaceIsASpace()
    {
        await ImportRowAsync();
        // QGIS: spaces as %20, '+' left as it is.
        Assert.Equal(10, (await IdsAsync("filter=((version%20+%201)%20%3E%201)")).Count);
        Assert.Equal(10, (await IdsAsync("filter=(area_ha%20%3C%201e+20)")).Count);
        // Python's requests and HTML forms: spaces as '+'.
        Assert.Equal(5, (await IdsAsync("filter=scheme+%3D+%27citizen_green_space%27")).Count);
    }

    [Fact]
    public async Task Cql2JsonSelectsTheSameAsCql2Text()
    {
        await ImportRowAsync();
        var json = Uri.EscapeDataString("""{"op": "and", "args": [{"op": "=", "args": [{"property": "scheme"}, "citizen_green_space"]}, {"op": "<", "args": [{"property": "designated_on"}, {"date": "2014-01-01"}]}]}""");
        Assert.Equal(["D-001", "D-003"], await IdsAsync($"filter-lang=cql2-json&filter={json}"));
    }

    [Fact]
    public async Task ASpatialFilterInThePlaneZoneIsReadNorthingFirst()
    {
        await ImportRowAsync();
        // D-004's square in zone IX as the service serves it (northing, easting), shrunk a little: it touches D-004 only.
        var zone9 = await Client.GetJsonAsync($"{Items}/D-004?crs=http://www.opengis.net/def/crs/EPSG/0/6677");
        var ring = zone9["geometry"]!["coordinates"]![0]![0]!.AsArray().Select(p => (N: (double)p![0]!, E: (double)p[1]!)).ToList();
        var box = FormattableString.Invariant($"BBOX({ring.Min(p => p.N) + 5},{ring.Min(p => p.E) + 5},{ring.Max(p => p.N) - 5},{ring.Max(p => p.E) - 5})");
        var filter = Uri.EscapeDataString($"S_INTERSECTS(geometry,{box})");

        Assert.Equal(["D-004"], await IdsAsync($"filter={filter}&filter-crs={Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/6677")}"));
        Assert.Equal(["D-002", "D-003"], await IdsAsync($"filter={Uri.EscapeDataString("S_INTERSECTS(geometry,POLYGON((139.4025 35.7801,139.4035 35.7801,139.4035 35.7802,139.4025 35.7801)))")}"));
    }

    [Theory]
    [InlineData("filter=scheme%20%3D", "At position")]
    [InlineData("filter=colour%20%3D%20%27red%27", "queryables are: parcel_id")]
    [InlineData("filter=(flag%20IS%20TRUE)", "no IS TRUE")]
    [InlineData("filter=(10%20%5E%201000000)%20%3E%20version", "beyond what a number can hold")]
    [InlineData("filter=version%20%3D%201&filter-lang=ecql", "filter-lang=ecql")]
    [InlineData("filter-crs=http://www.opengis.net/def/crs/EPSG/0/6677", "give the filter too")]
    [InlineData("filter=S_INTERSECTS(geometry,POINT(1e9%201))&filter-crs=http://www.opengis.net/def/crs/EPSG/0/6677", "within ±2,000 km")]
    public async Task ABadFilterIsA400ThatSaysWhereAndWhat(string query, string message)
    {
        await ImportRowAsync();
        await AssertProblemAsync(await Client.GetAsync($"{Items}?{query}"), HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task TheQueryablesGiveEachPropertyAPlainTypeAndTheGeometryAGeoJsonReference()
    {
        var queryables = await Client.GetAsync("/collections/designations/queryables");
        Assert.Equal("application/schema+json", queryables.Content.Headers.ContentType?.MediaType);
        var properties = JsonNode.Parse(await queryables.Content.ReadAsStringAsync())!["properties"]!;

        Assert.Equal("string", (string)properties["designated_on"]!["type"]!);
        Assert.Equal("date", (string)properties["designated_on"]!["format"]!);
        Assert.Equal("number", (string)properties["reported_area_m2"]!["type"]!);
        Assert.Contains("citizen_green_space", properties["scheme"]!["enum"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("https://geojson.org/schema/MultiPolygon.json", (string)properties["geometry"]!["$ref"]!);
        Assert.Empty((await Client.GetJsonAsync("/collections/network-patches-amphibians/queryables"))["properties"]!.AsObject());
        var conformance = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Contains("http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators", conformance);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter", conformance);
    }

    [Fact]
    public async Task TheSchemaGivesRolesTypesAndWhatTheServiceComputes()
    {
        var collection = await Client.GetJsonAsync("/collections/activities");
        var link = collection["links"]!.AsArray().Single(l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/schema")!;
        Assert.Equal("application/schema+json", (string)link["type"]!);

        var schema = await Client.GetJsonAsync((string)link["href"]!);
        var properties = schema["properties"]!;
        Assert.Equal("id", (string)properties["activity_id"]!["x-ogc-role"]!);
        Assert.Equal("primary-instant", (string)properties["held_on"]!["x-ogc-role"]!);
        Assert.Equal("primary-geometry", (string)properties["geometry"]!["x-ogc-role"]!);
        Assert.True((bool)properties["version"]!["readOnly"]!);
        Assert.Equal(["activity_id", "held_on", "kind", "title"], schema["required"]!.AsArray().Select(r => (string)r!));
        var designations = (await Client.GetJsonAsync("/collections/designations/schema"))["properties"]!;
        Assert.Equal("primary-interval-start", (string)designations["designated_on"]!["x-ogc-role"]!);
        Assert.Equal("primary-interval-end", (string)designations["lifted_on"]!["x-ogc-role"]!);
        Assert.Equal("number", (string)designations["reported_area_m2"]!["type"]!);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
            (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!));
    }
}
