using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Configuration;

/// <summary>
/// Start-up checks, run as the real program rather than in a test host: when start-up fails, the test host can race with
/// its own clean-up and report a disposed service provider instead of the reason.
/// </summary>
public class StartupTests
{
    [Fact]
    public async Task ACityZoneThatIsNotAPlaneRectangularZoneStopsTheServiceAtStartWithAMessage()
    {
        var (exit, messages) = await StartAsync(RegistryFixture.ServerConnectionString, ("Habitat__City__PlaneZoneEpsg", "3857"));

        Assert.NotEqual(0, exit);
        Assert.Contains("PlaneZoneEpsg must be the EPSG code of a JGD2011 Japan Plane Rectangular CS zone", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDatabaseStopsTheServiceAtStartSayingHowToGiveOne()
    {
        var (exit, messages) = await StartAsync("");

        Assert.NotEqual(0, exit);
        Assert.Contains("set HABITAT_DB", messages, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Messages)> StartAsync(string database, params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string> { ["HABITAT_DB"] = database, ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };
        foreach (var (name, value) in settings) environment[name] = value;
        var (exit, output, errors) = await ClientProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "HabitatRegistry.Api.dll")], environment, TimeSpan.FromMinutes(1));
        return (exit, output + errors);
    }
}
