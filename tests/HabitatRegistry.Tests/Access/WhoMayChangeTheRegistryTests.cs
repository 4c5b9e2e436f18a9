using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HabitatRegistry.Tests.TestHost;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Access;

/// <summary>
/// The rule, proved on the application's own list of endpoints: every operation that changes state refuses an anonymous
/// caller (401) and a role below its own (403), as problem details, and changes nothing; the role it needs succeeds and is
/// recorded in the audit trail. Reading is open to anyone.
/// </summary>
public partial class WhoMayChangeTheRegistryTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Designation = "D-2010-002";

    /// <summary>The role each state-changing operation needs (the issue's table), and a request that role may make. In the order they run.</summary>
    private static readonly (string Operation, string Role, Func<long, HttpRequestMessage> Request)[] Changes =
    [
        ("ImportRecords", "editor", _ => GeoJson(HttpMethod.Post, "/imports/designations?by=walk",
            Collection(Parcels.Designation("D-WALK-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01")))),
        ("PostActivities", "editor", _ => Json(HttpMethod.Post, "/activities", new { heldOn = "2025-06-01", kind = "lecture", title = "観察会" })),
        ("WithdrawRecord", "editor", _ => new(HttpMethod.Delete, $"/registers/designations/{Designation}?reason=entered%20twice")),
        ("CreateFeature", "editor", _ => GeoJson(HttpMethod.Post, "/collections/designations/items",
            Parcels.Designation("D-WALK-2", Box(139.41, 35.78, 139.411, 35.781), "2024-04-01").ToJsonString())),
        ("ReplaceFeature", "editor", _ => GeoJson(HttpMethod.Put, "/collections/designations/items/D-WALK-2",
            Parcels.Designation("D-WALK-2", Box(139.41, 35.78, 139.412, 35.781), "2024-04-01").ToJsonString())),
        ("UpdateFeature", "editor", _ => new(HttpMethod.Patch, "/collections/designations/items/D-WALK-2")
        {
            Content = new StringContent("""{"properties": {"name": "walked"}}""", Encoding.UTF8, "application/merge-patch+json"),
        }),
        ("DeleteFeature", "editor", _ => new(HttpMethod.Delete, "/collections/designations/items/D-WALK-1")),
        ("CreateNetworkProfile", "editor", _ => Json(HttpMethod.Post, "/network/profiles", new { name = "bats", d0 = 800, threshold = 1600 })),
        ("PutNetworkProfile", "editor", _ => Json(HttpMethod.Put, "/network/profiles/frogs", new { name = "frogs", d0 = 300, threshold = 600 })),
        ("AddPdcaEntry", "editor", _ => Json(HttpMethod.Post, "/pdca/2024", new { stage = "plan", text = "観察会を増やす" })),
        ("ChangePdcaEntry", "editor", entry => Json(HttpMethod.Put, $"/pdca/2024/{entry}", new { stage = "check", text = "順調" })),
        ("CreateTarget", "admin", _ => Json(HttpMethod.Post, "/targets", Target("9-9-9"))),
        ("PutTarget", "admin", _ => Json(HttpMethod.Put, "/targets/9-9-8", Target("9-9-8"))),
        ("PublishTargetReport", "admin", _ => new(HttpMethod.Post, "/reports/targets/published?fiscalYear=2024")),
        ("DeletePdcaEntry", "editor", entry => new(HttpMethod.Delete, $"/pdca/2024/{entry}")),
        ("DeleteTarget", "admin", _ => new(HttpMethod.Delete, "/targets/1-1-1")),
    ];

    [Fact]
    public async Task EveryOperationThatChangesStateRefusesAnonymousCallersAndLowerRolesAndChangesNothing()
    {
        var entry = await SetUpAsync();
        using var anonymous = Registry.ClientWithKey(null);
        using var viewer = Registry.ClientWithKey(await Registry.CreateKeyAsync("walk-viewer", "viewer"));
        using var editor = Registry.ClientWithKey(await Registry.CreateKeyAsync("walk-editor", "editor"));
        var clients = new Dictionary<string, HttpClient> { ["viewer"] = viewer, ["editor"] = editor, ["admin"] = Client };

        // Every endpoint whose method can change state must be in the table: a new one fails here until its role is decided.
        var changing = StateChangingOperations();
        Assert.Empty(changing.Except(Changes.Select(c => c.Operation)));
        Assert.Empty(Changes.Select(c => c.Operation).Except(changing));

        foreach (var (operation, role, request) in Changes)
        {
            var before = await Registry.FingerprintAsync();
            var lastEvent = await Registry.ScalarAsync<long>("select coalesce(max(id), 0) from audit_events");
            var refused = await anonymous.SendAsync(request(entry));
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, $"needs a key with the {role} role");
            var challenges = refused.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
            Assert.True(challenges.Contains("Bearer") && challenges.Contains("Basic"), $"{operation}: WWW-Authenticate {string.Join(", ", challenges)}");
            foreach (var lower in new[] { "viewer", "editor" }.TakeWhile(r => r != role))
            {
                await AssertProblemAsync(await clients[lower].SendAsync(request(entry)), HttpStatusCode.Forbidden, $"has the role {lower}; this needs {role}");
            }
            Assert.True(before == await Registry.FingerprintAsync(), $"{operation}: a refused request changed the database");

            var allowed = await clients[role].SendAsync(request(entry));
            Assert.True(allowed.IsSuccessStatusCode, $"{operation} as {role}: {(int)allowed.StatusCode} {await allowed.Content.ReadAsStringAsync()}");
            Assert.NotEqual(before, await Registry.FingerprintAsync());
            var actor = role == "admin" ? "test-admin" : "walk-editor";
            Assert.Equal($"{operation} {actor} {role}", await Registry.ScalarAsync<string>($"select string_agg(action || ' ' || actor || ' ' || role, '; ') from audit_events where id > {lastEvent}"));
        }
    }

    [Fact]
    public async Task AnyoneMayReadEveryRegisterCollectionReportAndTheApiDocumentation()
    {
        await SetUpAsync();
        using var anonymous = Registry.ClientWithKey(null);
        foreach (var url in ReadingUrls(Registry.App))
        {
            var response = await anonymous.GetAsync(url);
            var expected = url == "/audit" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
            Assert.True(expected == response.StatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task TheAuditTrailIsForAdministratorsOnly()
    {
        using var editor = Registry.ClientWithKey(await Registry.CreateKeyAsync("audit-editor", "editor"));
        await AssertProblemAsync(await editor.GetAsync("/audit"), HttpStatusCode.Forbidden, "this needs admin");
        await AssertProblemAsync(await Registry.ClientWithKey(null).GetAsync("/audit"), HttpStatusCode.Unauthorized, "needs a key with the admin role");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task ComputingScenariosIsOpenToAnyoneAndChangesNothing()
    {
        await SetUpAsync();
        var before = await Registry.FingerprintAsync();
        var scenarios = await Registry.ClientWithKey(null).PostAsJsonAsync("/network/scenarios", new
        {
            profile = "small-mammals",
            candidateRecords = new[] { new { register = "acquisitions", id = "A-2011-001" } },
        });
        Assert.True(scenarios.IsSuccessStatusCode, await scenarios.Content.ReadAsStringAsync());
        Assert.Equal(before, await Registry.FingerprintAsync());
    }

    private Task<long> SetUpAsync() => SetUpAsync(Registry, Client);

    /// <summary>Samples, the targets, a PDCA entry and FY2025 published, through an admin's client; returns the entry's id.</summary>
    internal static async Task<long> SetUpAsync(RegistryFixture registry, HttpClient admin)
    {
        // The city boundary is loaded where the database is (the command line), not through the API.
        using (var output = new StringWriter())
            Assert.Equal(0, await HabitatRegistry.Cli.CommandLine.RunAsync(registry.App.Services, ["city-boundary", RepoFile("gis-samples/tokorozawa-boundary.geojson")], output));
        await admin.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        await admin.ImportOkAsync("acquisitions", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        await admin.ImportOkAsync("habitat-patches", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-habitat-patches.geojson")));
        foreach (var target in JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-targets.json")))!.AsArray())
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/targets", target)).StatusCode);
        }
        var entry = await admin.PostAsJsonAsync("/pdca/2024", new { stage = "plan", text = "山口地区の樹林地を取得する" });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/reports/targets/published?fiscalYear=2025", null)).StatusCode);
        return (long)JsonNode.Parse(await entry.Content.ReadAsStringAsync())!["id"]!;
    }

    private HashSet<string> StateChangingOperations() =>
        [.. Registry.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Any(m => m is not ("GET" or "HEAD" or "OPTIONS")) == true)
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName != "EvaluateNetworkScenarios") // only computes: below
            .Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName!)];

    /// <summary>Every GET endpoint of the application, with its route values filled in, and the API documentation.</summary>
    internal static List<string> ReadingUrls(RegistryApp app)
    {
        var values = new Dictionary<string, string>
        {
            ["collectionId"] = "designations", ["featureId"] = Designation, ["register"] = "designations", ["recordId"] = Designation,
            ["code"] = "1-1-1", ["fiscalYear"] = "2024", ["name"] = "amphibians",
            ["file"] = "map.js", ["tileMatrixSetId"] = "WebMercatorQuad", ["tileMatrix"] = "12", ["tileRow"] = "1611", ["tileCol"] = "3634",
        };
        var urls = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/health/", StringComparison.Ordinal)) // for load balancers: open whatever the city decides (below)
            .Select(e => RouteValue().Replace(e.RoutePattern.RawText!, m => values[m.Groups[1].Value]))
            .Select(url => url switch
            {
                "/reports/area" => "/reports/area?register=designations",
                "/network/metrics" => "/network/metrics?profile=amphibians",
                _ => url,
            })
            .ToList();
        Assert.True(urls.Count >= 15, string.Join(", ", urls));
        return [.. urls, "/openapi/v1.json", "/swagger/index.html"];
    }

    [GeneratedRegex(@"\{\**(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteValue();

    private static JsonObject Target(string code) => new()
    {
        ["code"] = code, ["titleJa"] = "試験", ["titleEn"] = "Test", ["kind"] = "count", ["register"] = "activities", ["activityKinds"] = new JsonArray("lecture"),
        ["unit"] = "count", ["baselineFiscalYear"] = 2020, ["baselineValue"] = 0, ["annualRate"] = 1, ["targetFiscalYear"] = 2030, ["targetValue"] = 10,
    };

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) => new(method, url) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage GeoJson(HttpMethod method, string url, string body) =>
        new(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/geo+json") };
}

/// <summary>A city that closes reading (Habitat:PublicRead=false).</summary>
public sealed class ClosedReadingFixture : RegistryFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Habitat:PublicRead"] = "false" };
}

public class ClosedReadingTests(ClosedReadingFixture fixture) : RegistryTest<ClosedReadingFixture>(fixture)
{
    [Fact]
    public async Task WhenTheCityClosesReadingEveryPageNeedsAViewersKeyAndAViewerReadsThemAll()
    {
        await WhoMayChangeTheRegistryTests.SetUpAsync(Registry, Client);
        using var anonymous = Registry.ClientWithKey(null);
        using var viewer = Registry.ClientWithKey(await Registry.CreateKeyAsync("closed-viewer", "viewer"));
        foreach (var url in WhoMayChangeTheRegistryTests.ReadingUrls(Registry.App))
        {
            var refused = await anonymous.GetAsync(url);
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, url == "/audit" ? "the admin role" : "closed this registry to the public");
            Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
            var read = await viewer.GetAsync(url);
            var expected = url == "/audit" ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            Assert.True(expected == read.StatusCode, $"GET {url} as a viewer: {(int)read.StatusCode}");
        }
        // Load balancers and service managers have no key: health stays open.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal("Healthy", (string)(await anonymous.GetJsonAsync("/health/ready"))["status"]!);
        // The OpenAPI document says so too: no operation may be called without a key.
        var document = await viewer.GetJsonAsync("/openapi/v1.json");
        Assert.DoesNotContain(document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()), o => o.Value!["security"]!.AsArray().Any(r => r!.AsObject().Count == 0));
    }
}
