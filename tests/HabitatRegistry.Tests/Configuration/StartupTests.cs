using HabitatRegistry.Tests.TestHost;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Tests.Configuration;

public class StartupTests
{
    [Fact]
    public void ACityZoneThatIsNotAPlaneRectangularZoneStopsTheServiceAtStartWithAMessage()
    {
        using var app = new RegistryApp(RegistryFixture.ServerConnectionString, new Dictionary<string, string> { ["Habitat:City:PlaneZoneEpsg"] = "3857" });
        var error = Assert.Throws<OptionsValidationException>(() => app.Services);
        Assert.Contains("PlaneZoneEpsg must be the EPSG code of a JGD2011 Japan Plane Rectangular CS zone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDatabaseStopsTheServiceAtStartSayingHowToGiveOne()
    {
        using var app = new RegistryApp("", new Dictionary<string, string>());
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("set HABITAT_DB", error.ToString(), StringComparison.Ordinal);
    }
}
