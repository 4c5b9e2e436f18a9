using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HabitatRegistry.Tests.Clients;

/// <summary>The API on a real Kestrel port with the Tokorozawa samples, for GDAL and QGIS to open.</summary>
public class KestrelFixture : RegistryFixture
{
    public string BaseUrl { get; private set; } = "";

    protected override void BeforeStart(RegistryApp app) => app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    public async Task StartWithSamplesAsync()
    {
        if (BaseUrl.Length > 0) return;
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        await LoadSamplesAsync(client);
    }

    /// <summary>The sample designations, acquisitions and habitat patches, through the running service.</summary>
    protected virtual async Task LoadSamplesAsync(HttpClient client)
    {
        await client.ImportOkAsync("designations", await File.ReadAllTextAsync(Parcels.RepoFile("gis-samples/tokorozawa-designations.geojson")));
        await client.ImportOkAsync("acquisitions", await File.ReadAllTextAsync(Parcels.RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        await client.ImportOkAsync("habitat-patches", await File.ReadAllTextAsync(Parcels.RepoFile("gis-samples/tokorozawa-habitat-patches.geojson")));
    }
}

/// <summary>GDAL's OAPIF driver and QGIS's OAPIF provider, the real clients, against the running service.</summary>
public class RealClientTests(KestrelFixture fixture) : IClassFixture<KestrelFixture>, IAsyncLifetime
{
    private const string SayamaHills = "139.40,35.77,139.43,35.80";

    public Task InitializeAsync() => fixture.StartWithSamplesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, params string[] arguments) =>
        ClientProcess.RunAsync(program, arguments, new Dictionary<string, string> { ["QT_QPA_PLATFORM"] = "offscreen" });

    private static async Task<JsonNode> ClientScriptAsync(string script, params string[] arguments)
    {
        var (exit, output, errors) = await RunAsync("/usr/bin/python3", [Parcels.RepoFile($"tests/clients/{script}"), .. arguments]);
        Assert.True(exit == 0, $"{script} {string.Join(' ', arguments)} exited {exit}:\n{output}\n{errors}");
        return JsonNode.Parse(output)!;
    }

    [Fact]
    public async Task OgrinfoOpensTheDesignationsAndCountsThemFromNumberMatched()
    {
        var (exit, output, errors) = await RunAsync("ogrinfo", "-ro", "-so", $"OAPIF:{fixture.BaseUrl}", "designations");
        Assert.True(exit == 0, errors);
        Assert.Contains("Feature Count: 27", output, StringComparison.Ordinal);
        Assert.Contains("Geometry: Multi Polygon", output, StringComparison.Ordinal);
        Assert.Contains("designated_on: Date", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("designations", 27, 10)]
    [InlineData("acquisitions", 13, 6)]
    public async Task GdalPagesThroughEveryFeatureFiltersByBboxAndCopiesToGeoPackage(string collection, int count, int inBbox)
    {
        var result = await ClientScriptAsync("gdal_oapif.py", fixture.BaseUrl, collection,
            "--page-size", "5", "--bbox", SayamaHills, "--gpkg", "--expect-count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(count, (int)result["iterated"]!);
        Assert.Equal(inBbox, (int)result["bboxIterated"]!);
        Assert.Equal(count, (int)result["gpkg"]!["featureCount"]!);
    }

    [Theory]
    [InlineData("designations", 27, 10)]
    [InlineData("acquisitions", 13, 6)]
    public async Task QgisLoadsTheLayerAndReadsEveryPageThroughNextLinks(string collection, int count, int inBbox)
    {
        var result = await ClientScriptAsync("qgis_oapif.py", fixture.BaseUrl, collection,
            "--page-size", "10", "--bbox", SayamaHills, "--expect-count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True((bool)result["valid"]!);
        Assert.Equal(count, (int)result["iterated"]!);
        Assert.Equal(inBbox, (int)result["bboxIterated"]!);
        Assert.Equal("MultiPolygon", (string)result["geometryType"]!);
        Assert.Contains("parcel_id", result["fields"]!.AsArray().Select(f => (string)f!));
    }

    [Fact]
    public async Task QgisDateFiltersAreServed()
    {
        // QGIS 3.40 sends "designated_on <= date" as CQL2 (QgisDeskClientTests); the service still takes the
        // datetime=0000-01-01T00:00:00Z/date form older QGIS sends (OgcApiTests).
        var result = await ClientScriptAsync("qgis_oapif.py", fixture.BaseUrl, "designations",
            "--subset", "\"designated_on\" <= '2012-12-31'", "--expect-subset-count", "5");
        Assert.True((bool)result["valid"]!);
    }

    [Fact]
    public async Task QgisOpensTheNetworkPatchesWithTheirDpcAndTheLinks()
    {
        var patches = await ClientScriptAsync("qgis_oapif.py", fixture.BaseUrl, "network-patches-amphibians", "--page-size", "10", "--expect-count", "34", "--id-field", "patch_id");
        Assert.True((bool)patches["valid"]!);
        Assert.Equal(34, (int)patches["iterated"]!);
        Assert.Contains("dpc", patches["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("Real", (string)patches["fieldTypes"]!["dpc"]!);
        Assert.Equal("Integer", (string)patches["fieldTypes"]!["component"]!);

        var links = await ClientScriptAsync("qgis_oapif.py", fixture.BaseUrl, "network-links-amphibians", "--expect-count", "21", "--id-field", "from_patch");
        Assert.Equal("LineString", (string)links["geometryType"]!);
    }

    [Fact]
    public async Task TheNetworkProjectOpensInQgisWithThePatchesColouredByDpc()
    {
        // The project gis-samples/README.md offers (made for run.sh's address), and one made afresh by its script for this server.
        var made = Path.Combine(Path.GetTempPath(), $"network-{Guid.NewGuid():N}.qgs");
        try
        {
            var (exit, output, errors) = await RunAsync("/usr/bin/python3", Parcels.RepoFile("gis-samples/make_network_project.py"),
                "--url", fixture.BaseUrl, "--profile", "small-mammals", "-o", made);
            Assert.True(exit == 0, output + errors);
            foreach (var project in new[]
            {
                await ClientScriptAsync("qgis_project.py", made),
                await ClientScriptAsync("qgis_project.py", Parcels.RepoFile("gis-samples/network-small-mammals.qgs"), "--url-from", "http://127.0.0.1:5080", "--url-to", fixture.BaseUrl),
            })
            {
                var layers = project["layers"]!.AsArray();
                Assert.Equal(["Patches by dPC (small-mammals)", "Links (small-mammals)", "Components (small-mammals)"], layers.Select(l => (string)l!["name"]!));
                Assert.Equal([34, 98, 3], layers.Select(l => (int)l!["features"]!));
                Assert.All(layers, l => Assert.Equal("OAPIF", (string)l!["provider"]!));
                // Darker the higher the dPC: HP-002 (35.8 %) darkest, every patch its own shade.
                var colours = layers[0]!["colours"]!.AsArray().Select(c => (Value: (double)c!["value"]!, Colour: (string)c["colour"]!, Lightness: (double)c["lightness"]!)).ToList();
                Assert.Equal(34, colours.Count);
                Assert.Equal(35.787, colours[^1].Value, 0.001);
                Assert.True(colours[^1].Lightness < 0.3 && colours[0].Lightness > 0.8, string.Join(", ", colours));
                for (var i = 1; i < colours.Count; i++) Assert.True(colours[i].Lightness <= colours[i - 1].Lightness + 1e-9, $"{colours[i]} is lighter than {colours[i - 1]}");
                Assert.True(colours.Select(c => c.Colour).Distinct().Count() >= 20, string.Join(", ", colours));
                Assert.True((bool)layers[0]!["labels"]!);
            }
        }
        finally
        {
            File.Delete(made);
        }
    }

    [Fact]
    public async Task OgrinfoReadsDpcAsARealNumberField()
    {
        var (exit, output, errors) = await RunAsync("ogrinfo", "-ro", "-so", $"OAPIF:{fixture.BaseUrl}", "network-patches-small-mammals");
        Assert.True(exit == 0, errors);
        Assert.Contains("Feature Count: 34", output, StringComparison.Ordinal);
        Assert.Contains("dpc: Real", output, StringComparison.Ordinal);
        Assert.Contains("component: Integer", output, StringComparison.Ordinal);
    }
}

/// <summary>The samples on a real port, in a city that has closed reading to the public.</summary>
public sealed class ClosedKestrelFixture : KestrelFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Habitat:PublicRead"] = "false" };
}

/// <summary>QGIS and GDAL, the real clients, with a viewer's key where the city has closed reading.</summary>
public class ClosedReadingClientTests(ClosedKestrelFixture fixture) : IClassFixture<ClosedKestrelFixture>, IAsyncLifetime
{
    private string viewerKey = "";

    public async Task InitializeAsync()
    {
        await fixture.StartWithSamplesAsync();
        viewerKey = await fixture.CreateKeyAsync($"gis-desk-{Guid.NewGuid():N}"[..20], "viewer");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment, string program, params string[] arguments) =>
        ClientProcess.RunAsync(program, arguments, new Dictionary<string, string>(environment) { ["QT_QPA_PLATFORM"] = "offscreen" });

    [Fact]
    public async Task GdalReadsWithTheKeyAsItsBasicPasswordAndIsRefusedWithout()
    {
        var refused = await RunAsync(new Dictionary<string, string>(), "ogrinfo", "-ro", "-so", $"OAPIF:{fixture.BaseUrl}", "designations");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("401", refused.Errors, StringComparison.Ordinal);

        var withKey = new Dictionary<string, string> { ["GDAL_HTTP_USERPWD"] = $"gdal:{viewerKey}" };
        var (exit, output, errors) = await RunAsync(withKey, "ogrinfo", "-ro", "-so", $"OAPIF:{fixture.BaseUrl}", "designations");
        Assert.True(exit == 0, errors);
        Assert.Contains("Feature Count: 27", output, StringComparison.Ordinal);

        var paged = await RunAsync(withKey, "/usr/bin/python3", Parcels.RepoFile("tests/clients/gdal_oapif.py"), fixture.BaseUrl, "acquisitions", "--page-size", "5", "--expect-count", "13");
        Assert.True(paged.ExitCode == 0, paged.Output + paged.Errors);
        Assert.Equal(13, (int)JsonNode.Parse(paged.Output)!["iterated"]!);
    }

    [Fact]
    public async Task QgisReadsThroughABasicAuthenticationConfigurationAndIsRefusedWithout()
    {
        var script = Parcels.RepoFile("tests/clients/qgis_oapif.py");
        var refused = await RunAsync(new Dictionary<string, string>(), "/usr/bin/python3", script, fixture.BaseUrl, "designations");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.False((bool)JsonNode.Parse(refused.Output)!["valid"]!);

        var (exit, output, errors) = await RunAsync(new Dictionary<string, string> { ["HABITAT_KEY"] = viewerKey }, "/usr/bin/python3", script,
            fixture.BaseUrl, "designations", "--page-size", "10", "--bbox", "139.40,35.77,139.43,35.80", "--expect-count", "27");
        Assert.True(exit == 0, output + errors);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(27, (int)result["iterated"]!);
        Assert.Equal(10, (int)result["bboxIterated"]!);
        Assert.DoesNotContain(viewerKey, output, StringComparison.Ordinal);
    }
}
