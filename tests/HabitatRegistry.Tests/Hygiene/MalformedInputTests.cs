using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Hygiene;

/// <summary>
/// The inputs that once answered 500 (issue 12), each refused with a 4xx problem detail that names the field, and
/// nothing stored. One test per cause, so each fails without its own fix.
/// </summary>
public class MalformedInputTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Quad = "[[139.40,35.78],[139.401,35.78],[139.401,35.781],[139.40,35.781],[139.40,35.78]]";

    private static string DesignationJson(string properties, string ring = Quad) =>
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{" + properties
        + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}}]}";

    private const string Valid = "\"parcel_id\":\"D-1\",\"scheme\":\"other\",\"designated_on\":\"2024-04-01\"";

    private Task<HttpResponseMessage> ImportBytesAsync(byte[] body, string register = "designations", string query = "")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        return Client.PostAsync($"/imports/{register}{query}", content);
    }

    private async Task AssertNothingStoredAsync() =>
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select (select count(*) from designations) + (select count(*) from activities) + (select count(*) from import_runs)"));

    [Fact]
    public async Task ANulCharacterInAnyTextIsRefusedWhereverItComesFrom()
    {
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid + ",\"name\":\"a\\u0000b\""))),
            HttpStatusCode.UnprocessableEntity, "\\\"properties.name\\\" holds a NUL character");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid + ",\"x\\u0000\":1"))),
            HttpStatusCode.UnprocessableEntity, "property name that holds a NUL character");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid)), query: "?by=a%00b"), HttpStatusCode.BadRequest, "by holds a NUL character");
        await AssertProblemAsync(await Client.PostCsvAsync("/imports/activities", Encoding.UTF8.GetBytes("activity_id,held_on,kind,title\nA-1,2025-06-01,lecture,a\0b\n")),
            HttpStatusCode.UnprocessableEntity, "holds a NUL character");
        await AssertProblemAsync(await Client.PostAsync("/activities", new StringContent("{\"heldOn\":\"2025-06-01\",\"kind\":\"lecture\",\"title\":\"a\\u0000b\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.UnprocessableEntity, "holds a NUL character");
        // Written by hand: HttpClient itself refuses such a name, a hostile client does not.
        var form = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\0b.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n{DesignationJson(Valid)}\r\n--b--\r\n"));
        form.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await AssertProblemAsync(await Client.PostAsync("/imports/designations", form), HttpStatusCode.BadRequest, "name of the uploaded file holds a NUL character");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task BrokenCharactersAreRefused()
    {
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid + ",\"name\":\"a\\ud800b\""))),
            HttpStatusCode.UnprocessableEntity, "not UTF-8 text (or half of a surrogate pair)");
        var invalidUtf8 = Encoding.UTF8.GetBytes(DesignationJson(Valid + ",\"name\":\"a?b\""));
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'?')] = 0xFF;
        await AssertProblemAsync(await ImportBytesAsync(invalidUtf8), HttpStatusCode.UnprocessableEntity, "not UTF-8 text");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task MembersOfTheWrongTypeAreRefused()
    {
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes("""{"type":1,"features":[]}""")), HttpStatusCode.UnprocessableEntity, "not GeoJSON");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid).Replace("\"type\":\"Feature\"", "\"type\":[\"Feature\"]", StringComparison.Ordinal))),
            HttpStatusCode.UnprocessableEntity, "not a GeoJSON Feature");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson(Valid).Replace("\"type\":\"Polygon\"", "\"type\":7", StringComparison.Ordinal))),
            HttpStatusCode.UnprocessableEntity, "geometry without a type");
        var numericCrs = DesignationJson(Valid).Insert(1, "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":6677}},");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(numericCrs)), HttpStatusCode.UnprocessableEntity, "does not name its system as text");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AJsonBodyThatCannotBeReadNamesTheMemberWhereItGoesWrong()
    {
        StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
        // include is a comma-separated text, not a list: the member is named, not the framework's parameter.
        await AssertProblemAsync(await Client.PostAsync("/network/scenarios", Json("""{"profile":"amphibians","include":["designations"]}""")),
            HttpStatusCode.BadRequest, "member \\\"include\\\" is not of the type this operation takes");
        await AssertProblemAsync(await Client.PostAsync("/network/scenarios", Json("""{"profile":"amphibians","sequence":"two"}""")),
            HttpStatusCode.BadRequest, "member \\\"sequence\\\"");
        await AssertProblemAsync(await Client.PostAsync("/network/scenarios", Json("{\"profile\":")), HttpStatusCode.BadRequest, "not JSON this operation can read");
    }

    [Fact]
    public async Task TheWholeWorldIsNotAParcel()
    {
        var world = DesignationJson(Valid, "[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]");
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(world)), HttpStatusCode.UnprocessableEntity, "far more than a parcel");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task TextsLongerThanTheirFieldAreRefused()
    {
        var hugeId = new string('x', 1 << 20);
        await AssertProblemAsync(await ImportBytesAsync(Encoding.UTF8.GetBytes(DesignationJson($"\"parcel_id\":\"{hugeId}\",\"scheme\":\"other\",\"designated_on\":\"2024-04-01\""))),
            HttpStatusCode.UnprocessableEntity, "\\\"parcel_id\\\" is 1,048,576 characters long; at most 100 are kept");
        var longTitle = new string('a', 3 << 20);
        await AssertProblemAsync(await Client.PostAsJsonAsync("/activities", new { heldOn = "2025-06-01", kind = "lecture", title = longTitle }),
            HttpStatusCode.UnprocessableEntity, "\\\"title\\\" is 3,145,728 characters long; at most 500 are kept");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task ABrokenMultipartFormIsABadRequestNotTooLarge()
    {
        foreach (var contentType in new[] { "multipart/form-data", "multipart/form-data; boundary=expected" })
        {
            var body = new StringContent("--other\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.geojson\"\r\n\r\n{}\r\n--oth", Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            await AssertProblemAsync(await Client.PostAsync("/imports/designations", body), HttpStatusCode.BadRequest, "The multipart form is cut short or its boundary does not match");
        }
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task DatesOutsideOnePlausibleRangeAreRefusedAndAnOldSlipCannotBreakTheReport()
    {
        await AssertProblemAsync(await Client.PostAsJsonAsync("/activities", new { heldOn = "0001-01-01", kind = "lecture", title = "講座" }),
            HttpStatusCode.UnprocessableEntity, "\\\"held_on\\\" is 0001-01-01, outside the fiscal years 1900–2200");
        await AssertProblemAsync(await Client.GetAsync("/activities?from=0001-01-01"), HttpStatusCode.BadRequest, "outside the fiscal years 1900–2200");
        await AssertProblemAsync(await Client.GetAsync("/activities?fiscalYear=1899"), HttpStatusCode.BadRequest, "fiscal years 1900–2200");
        await AssertProblemAsync(await Client.GetAsync("/reports/area?register=designations&from=1899&to=2000"), HttpStatusCode.BadRequest, "fiscal years 1900–2200");
        await AssertProblemAsync(await Client.GetAsync("/reports/targets?fiscalYear=2201"), HttpStatusCode.BadRequest, "fiscalYear=2201");
        await AssertNothingStoredAsync();

        // An activity stored before the check existed: the report of every year still works.
        await Client.PostAsJsonAsync("/targets", new { code = "2-2-1", titleJa = "講座", titleEn = "Lectures", kind = "count", register = "activities",
            activityKinds = new[] { "lecture" }, cumulative = true, unit = "count", baselineFiscalYear = 2020, baselineValue = 0, annualRate = 1, targetFiscalYear = 2030, targetValue = 10 });
        await Client.PostAsJsonAsync("/activities", new { activityId = "A-OLD", heldOn = "2024-06-01", kind = "lecture", title = "講座" });
        await Registry.ExecuteAsync("update activities set held_on = '0001-01-01' where activity_id = 'A-OLD'");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/reports/targets?fiscalYear=2024")).StatusCode);
    }

    [Fact]
    public async Task NumbersAreReadOneWayAndAParameterIsGivenOnce()
    {
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?d0=0,5&threshold=500"), HttpStatusCode.BadRequest, "d0=0,5 is not a number (with a point for decimals");
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?d0=500&threshold=1&threshold=2"), HttpStatusCode.BadRequest, "threshold is given 2 times; give it once");
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=amphibians&connectorRadius=0"), HttpStatusCode.BadRequest, "more than 0");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/activities?kind=lecture&kind=workshop")).StatusCode); // a list may repeat
    }

    [Fact]
    public async Task TheLastPageHasNoNextLinkWhateverTheOffset()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01")));
        var page = await Client.GetJsonAsync("/collections/designations/items?limit=10000&offset=2147483647");
        Assert.DoesNotContain(page["links"]!.AsArray(), l => (string)l!["rel"]! == "next");
        Assert.All(page["links"]!.AsArray(), l => Assert.DoesNotContain("offset=-", (string)l!["href"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCommandLineSaysSoWhenItDoesNotKnowACommand()
    {
        var (exit, output, errors) = await ServiceProcess.CommandAsync(Registry.ConnectionString, "no-such-verb");
        Assert.Equal(2, exit);
        Assert.Contains("there is no command \"no-such-verb\"", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }
}
