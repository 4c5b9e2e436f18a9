using System.Text.Json.Nodes;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Clients;

/// <summary>The samples on a real port, the activities too: what gis-samples/registers.qgs shows.</summary>
public sealed class RegistersKestrelFixture : KestrelFixture
{
    protected override async Task LoadSamplesAsync(HttpClient client)
    {
        await base.LoadSamplesAsync(client);
        var activities = await client.PostCsvAsync("/imports/activities", await File.ReadAllBytesAsync(RepoFile("gis-samples/tokorozawa-activities.csv")));
        Assert.True(activities.IsSuccessStatusCode, await activities.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// The registers' QGIS project (gis-samples/registers.qgs, written by make_registers_project.py) opened in headless
/// QGIS 3.40 against the running service, as a planner opens it (tests/clients/qgis_project.py).
/// </summary>
public class RegistersProjectClientTests(RegistersKestrelFixture fixture) : IClassFixture<RegistersKestrelFixture>, IAsyncLifetime
{
    private const string RunShAddress = "http://127.0.0.1:5080";
    private const string Designations = "Designations (緑地保全の指定) by scheme";
    private const string Acquisitions = "Acquisitions (公有地化) by owner";
    private const string Activities = "Activities (取り組みの実績) by kind";
    private const string Boundary = "所沢市 city boundary";

    public Task InitializeAsync() => fixture.StartWithSamplesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ClientProcess.RunAsync("/usr/bin/python3", arguments, new Dictionary<string, string>(environment) { ["QT_QPA_PLATFORM"] = "offscreen" });

    /// <summary>Runs make_registers_project.py against the test server and returns the project it wrote.</summary>
    private async Task<string> MakeProjectAsync(string output, params string[] options)
    {
        var (exit, stdout, errors) = await RunAsync(new Dictionary<string, string>(), [RepoFile("gis-samples/make_registers_project.py"), "--url", fixture.BaseUrl, "-o", output, .. options]);
        Assert.True(exit == 0, stdout + errors);
        return output;
    }

    /// <summary>qgis_project.py's report of a project; its exit code says whether every layer was valid with features.</summary>
    private static async Task<(int ExitCode, JsonNode Report)> OpenInQgisAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exit, output, errors) = await RunAsync(environment, [RepoFile("tests/clients/qgis_project.py"), .. arguments]);
        Assert.True(output.Length > 0, $"qgis_project.py {string.Join(' ', arguments)} printed nothing (exit {exit}):\n{errors}");
        return (exit, JsonNode.Parse(output)!);
    }

    private static JsonNode Layer(JsonNode report, string name) => report["layers"]!.AsArray().Single(l => (string)l!["name"]! == name)!;

    private static List<(string Value, string Label, string Colour, string[] SymbolLayers)> Categories(JsonNode layer) =>
        [.. layer["categories"]!.AsArray().Select(c => ((string)c!["value"]!, (string)c["label"]!, (string)c["colour"]!, c["symbolLayers"]!.AsArray().Select(s => (string)s!).ToArray()))];

    [Fact]
    public async Task TheCommittedProjectAndAFreshOneOpenWithEveryRegisterCountedAndStyledByItsCodes()
    {
        using var client = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        var matched = new Dictionary<string, int>();
        foreach (var collection in new[] { "designations", "acquisitions", "activities" })
        {
            matched[collection] = (int)(await client.GetJsonAsync($"/collections/{collection}/items?limit=1"))["numberMatched"]!;
        }
        var placedActivities = (await client.GetJsonAsync("/collections/activities/items?limit=1000"))["features"]!.AsArray().Count(f => f!["geometry"] is not null);

        var committed = RepoFile("gis-samples/registers.qgs");
        var text = await File.ReadAllTextAsync(committed);
        Assert.Contains("<datasource>./tokorozawa-boundary.geojson</datasource>", text, StringComparison.Ordinal); // works on a fresh clone
        Assert.Contains($"url='{RunShAddress}'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("authcfg", text, StringComparison.Ordinal); // a missing configuration would leave the layers unavailable

        var made = Path.Combine(Path.GetTempPath(), $"registers-{Guid.NewGuid():N}.qgs");
        try
        {
            await MakeProjectAsync(made);
            var noKey = new Dictionary<string, string>();
            foreach (var (exit, project) in new[]
            {
                await OpenInQgisAsync(noKey, made),
                await OpenInQgisAsync(noKey, committed, "--url-from", RunShAddress, "--url-to", fixture.BaseUrl),
            })
            {
                Assert.True(exit == 0, project.ToJsonString());
                Assert.Equal("EPSG:6677", (string)project["crs"]!);
                Assert.Contains("所沢市", (string)project["title"]!, StringComparison.Ordinal);
                // It opens on the city: the boundary's box (139.379–139.546 E, 35.763–35.844 N) and a little margin.
                var view = project["viewExtent"]!.AsArray().Select(v => (double)v!).ToArray();
                Assert.True(view[0] < 139.379 && view[1] < 35.763 && view[2] > 139.546 && view[3] > 35.844, string.Join(", ", view));
                Assert.True(view[2] - view[0] < 0.2 && view[3] - view[1] < 0.1, string.Join(", ", view));
                var layers = project["layers"]!.AsArray();
                Assert.Equal([Activities, Acquisitions, Designations, Boundary], layers.Select(l => (string)l!["name"]!)); // drawing order, top first
                Assert.All(layers, l => Assert.True((bool)l!["valid"]!));
                Assert.Equal(["OAPIF", "OAPIF", "OAPIF", "ogr"], layers.Select(l => (string)l!["provider"]!));

                var designations = Layer(project, Designations);
                Assert.Equal(matched["designations"], (int)designations["features"]!);
                Assert.Equal("scheme", (string)designations["classifiedBy"]!);
                var schemes = Categories(designations);
                Assert.Equal(RegisterCatalogue.Schemes.Select(s => (s.Key, s.Value)), schemes.Select(c => (c.Value, c.Label)));
                Assert.Equal(schemes.Count, schemes.Select(c => c.Colour).Distinct().Count());
                Assert.Equal(0, (int)designations["uncategorised"]!);

                var acquisitions = Layer(project, Acquisitions);
                Assert.Equal(matched["acquisitions"], (int)acquisitions["features"]!);
                Assert.Equal("acquired_by", (string)acquisitions["classifiedBy"]!);
                var owners = Categories(acquisitions);
                Assert.Equal(RegisterCatalogue.AcquiringBodies, owners.Select(c => c.Value));
                Assert.Equal(owners.Count, owners.Select(c => c.Colour).Distinct().Count());
                Assert.Equal(0, (int)acquisitions["uncategorised"]!);
                // Trust land is recorded but not public: hatched, not filled, and the legend says so.
                var trust = owners.Single(c => c.Value == "trust");
                Assert.Contains("not public", trust.Label, StringComparison.Ordinal);
                Assert.Contains("LinePatternFill", trust.SymbolLayers);
                Assert.All(owners.Where(c => c.Value != "trust"), c => Assert.Equal(["SimpleFill"], c.SymbolLayers));

                var activities = Layer(project, Activities);
                Assert.Equal(matched["activities"], (int)activities["features"]!);
                Assert.Equal(placedActivities, (int)activities["featuresWithGeometry"]!);
                Assert.Equal("Point", (string)activities["geometryType"]!);
                Assert.Equal(RegisterCatalogue.ActivityKinds.Select(k => (k.Key, k.Value)), Categories(activities).Select(c => (c.Value, c.Label)));
                Assert.Equal(0, (int)activities["uncategorised"]!);

                var boundary = Layer(project, Boundary);
                Assert.Equal(1, (int)boundary["features"]!);
                Assert.EndsWith("gis-samples/tokorozawa-boundary.geojson", (string)boundary["source"]!, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(made);
        }
    }

    [Fact]
    public async Task AProjectMadeWithAnAuthcfgSendsThatConfigurationsKeyAndItsLayersAreUnavailableWhereItIsMissing()
    {
        var planner = await fixture.CreateKeyAsync($"planner-{Guid.NewGuid():N}"[..20], "editor");
        var made = Path.Combine(Path.GetTempPath(), $"registers-edit-{Guid.NewGuid():N}.qgs");
        try
        {
            await MakeProjectAsync(made, "--authcfg", "habitat");
            Assert.Contains("authcfg=habitat", await File.ReadAllTextAsync(made), StringComparison.Ordinal);

            var (withKeyExit, withKey) = await OpenInQgisAsync(new Dictionary<string, string> { ["HABITAT_KEY"] = planner }, made, "--authcfg", "habitat");
            Assert.True(withKeyExit == 0, withKey.ToJsonString());
            Assert.Equal(RegisterCatalogue.Schemes.Count, Categories(Layer(withKey, Designations)).Count); // the style survived
            Assert.DoesNotContain(planner, withKey.ToJsonString(), StringComparison.Ordinal);

            // The key really goes out from the configuration: a wrong one is refused, and so every register's layer.
            var (_, wrongKey) = await OpenInQgisAsync(new Dictionary<string, string> { ["HABITAT_KEY"] = "not-a-key" }, made, "--authcfg", "habitat");
            Assert.Equal([false, false, false, true], wrongKey["layers"]!.AsArray().Select(l => (bool)l!["valid"]!));

            // Where the configuration does not exist, QGIS 3.40 cannot load the layers at all: why the committed project names none.
            var (_, missing) = await OpenInQgisAsync(new Dictionary<string, string>(), made);
            Assert.Equal([false, false, false, true], missing["layers"]!.AsArray().Select(l => (bool)l!["valid"]!));
        }
        finally
        {
            File.Delete(made);
        }
    }

    [Fact]
    public async Task TheScriptRefusesAnAuthcfgThatIsNoQgisId()
    {
        var (exit, _, errors) = await RunAsync(new Dictionary<string, string>(), RepoFile("gis-samples/make_registers_project.py"), "--url", fixture.BaseUrl, "--authcfg", "my key");
        Assert.Equal(2, exit);
        Assert.Contains("7 letters or digits", errors, StringComparison.Ordinal);
    }
}
