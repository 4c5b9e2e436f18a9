using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Clients;

/// <summary>
/// Features in other coordinate systems (OGC API – Features Part 2), checked against PROJ through pyproj, independently
/// of the service: every coordinate of every sample feature, in every system offered, within 1 mm.
/// </summary>
public class CoordinateSystemClientTests(KestrelFixture fixture) : IClassFixture<KestrelFixture>, IAsyncLifetime
{
    private const string Epsg = "http://www.opengis.net/def/crs/EPSG/0/";

    public Task InitializeAsync() => fixture.StartWithSamplesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("designations")]
    [InlineData("acquisitions")]
    [InlineData("habitat-patches")]
    public async Task EverySystemOfferedAgreesWithPyprojToAMillimetre(string collection)
    {
        var offered = (await JsonAsync($"/collections/{collection}"))["crs"]!.AsArray().Select(c => (string)c!)
            .Where(uri => uri.StartsWith(Epsg, StringComparison.Ordinal)).ToList();
        Assert.Equal(22, offered.Count); // 4326, 6668, the 19 plane zones and 3857

        var (exit, output, errors) = await ClientProcess.RunAsync("/usr/bin/python3",
            [Parcels.RepoFile("tests/clients/crs_check.py"), fixture.BaseUrl, collection, .. offered, "--tolerance", "0.001"]);

        Assert.True(exit == 0, $"crs_check.py exited {exit}:\n{output}\n{errors}");
        var result = JsonNode.Parse(output)!;
        Assert.True((int)result["features"]! > 5);
        Assert.All(result["systems"]!.AsObject(), system => Assert.True((int)system.Value!["positions"]! > 50, system.Key));
    }

    private async Task<JsonNode> JsonAsync(string path)
    {
        using var client = new HttpClient();
        return JsonNode.Parse(await client.GetStringAsync(fixture.BaseUrl + path))!;
    }
}
