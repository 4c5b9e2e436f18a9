using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Access;

/// <summary>Safe behind browsers and proxies: links no client can redirect, no writes from other sites, headers for browsers, CSV for spreadsheets.</summary>
public class BrowserAndProxySafetyTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static readonly string Parcel = Collection(Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01"));

    [Fact]
    public async Task AForgedHostChangesNoLink()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01"), Designation("D-2", Box(139.41, 35.78, 139.411, 35.781), "2024-04-01")));
        foreach (var url in new[] { "/", "/collections", "/collections/designations", "/collections/designations/items?limit=1", "/collections/designations/items/D-1", "/openapi/v1.json" })
        {
            var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Host = "evil.example" } });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{url}: {body}");
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
            Assert.Contains("\"http://localhost", body, StringComparison.Ordinal);
        }
        var created = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/activities")
        {
            Headers = { Host = "evil.example" },
            Content = JsonContent.Create(new { heldOn = "2025-06-01", kind = "lecture", title = "講座" }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("http://localhost/collections/activities/items/ACT-20250601-", created.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteFromAPageOfAnotherSiteIsRefusedAndChangesNothing()
    {
        foreach (var (header, value) in new[]
        {
            ("Origin", "http://evil.example"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site"),
        })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/imports/designations") { Content = new StringContent(Parcel, Encoding.UTF8, "application/geo+json") };
            request.Headers.Add(header, value);
            await AssertProblemAsync(await Client.SendAsync(request), HttpStatusCode.Forbidden, "Changes cannot come from another web site");
        }
        var publish = new HttpRequestMessage(HttpMethod.Post, "/reports/targets/published?fiscalYear=2024") { Headers = { { "Origin", "http://evil.example" } } };
        await AssertProblemAsync(await Client.SendAsync(publish), HttpStatusCode.Forbidden, "page of http://evil.example");
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select (select count(*) from designations) + (select count(*) from published_target_reports) + (select count(*) from audit_events)"));

        // The registry's own pages (Swagger UI) may write; so may a page reading (GET) from anywhere.
        var ownPage = new HttpRequestMessage(HttpMethod.Post, "/imports/designations") { Content = new StringContent(Parcel, Encoding.UTF8, "application/geo+json") };
        ownPage.Headers.Add("Origin", "http://localhost");
        ownPage.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(ownPage)).StatusCode);
        var read = new HttpRequestMessage(HttpMethod.Get, "/collections") { Headers = { { "Origin", "http://evil.example" }, { "Sec-Fetch-Site", "cross-site" } } };
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task BrowsersAreToldNotToSniffAndHtmlPagesRunOnlyTheServicesOwnScripts()
    {
        var json = await Client.GetAsync("/collections");
        Assert.Equal("nosniff", json.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(json.Headers.Contains("Content-Security-Policy"));
        var problem = await Registry.ClientWithKey(null).PostAsync("/imports/designations", null);
        Assert.Equal("nosniff", problem.Headers.GetValues("X-Content-Type-Options").Single());
        foreach (var page in new[] { "/reports/targets?fiscalYear=2024&format=html", "/swagger/index.html" })
        {
            var html = await Client.GetAsync(page);
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
            var policy = html.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CsvExportsNeutraliseCellsThatASpreadsheetWouldRunAsFormulas()
    {
        var target = new JsonObject
        {
            ["code"] = "2-2-1", ["titleJa"] = "=HYPERLINK(\"http://evil.example\",\"講座\")", ["titleEn"] = "@SUM(1+1)", ["kind"] = "count", ["register"] = "activities",
            ["activityKinds"] = new JsonArray("lecture"), ["unit"] = "count", ["baselineFiscalYear"] = 2020, ["baselineValue"] = 5, ["annualRate"] = 1,
            ["targetFiscalYear"] = 2030, ["targetValue"] = 10,
        };
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/targets", target)).StatusCode);

        var ja = await (await Client.GetAsync("/reports/targets?fiscalYear=2024&format=csv")).Content.ReadAsStringAsync();
        var en = await (await Client.GetAsync("/reports/targets?fiscalYear=2024&format=csv&lang=en")).Content.ReadAsStringAsync();

        Assert.Contains("2024,2-2-1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"講座\"\")\",count,", ja, StringComparison.Ordinal);
        Assert.Contains("2024,2-2-1,'@SUM(1+1),count,", en, StringComparison.Ordinal);
    }
}

/// <summary>A city that sets the address it serves at.</summary>
public sealed class PublicAddressFixture : RegistryFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Habitat:PublicBaseUrl"] = "https://habitat.city.example/registry/" };
}

public class PublicAddressTests(PublicAddressFixture fixture) : RegistryTest<PublicAddressFixture>(fixture)
{
    [Fact]
    public async Task LinksStartWithTheConfiguredPublicAddress()
    {
        var landing = await Client.GetJsonAsync("/");
        Assert.All(landing["links"]!.AsArray(), l => Assert.StartsWith("https://habitat.city.example/registry/", (string)l!["href"]!, StringComparison.Ordinal));
        Assert.Equal("https://habitat.city.example/registry", (string)(await Client.GetJsonAsync("/openapi/v1.json"))["servers"]![0]!["url"]!);
    }
}

/// <summary>The real program behind a reverse proxy: only a configured proxy's X-Forwarded-* are believed.</summary>
public class ReverseProxyTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OnlyATrustedProxyDecidesTheLinksAndAClientsHostNever(bool trusted)
    {
        var settings = trusted ? new Dictionary<string, string> { ["Habitat__TrustedProxies__0"] = "127.0.0.0/8" } : [];
        await using var service = await ServiceProcess.StartAsync(fixture.ConnectionString, settings);
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{service.BaseUrl}/collections") { Headers = { Host = "evil.example" } };
        request.Headers.Add("X-Forwarded-Host", "registry.city.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Prefix", "/habitat");

        var self = (string)JsonNode.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync())!["links"]![0]!["href"]!;

        Assert.Equal(trusted ? "https://registry.city.example/habitat/collections" : $"{service.BaseUrl}/collections", self);
    }
}
