using HabitatRegistry.Features.Network;
using HabitatRegistry.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Network;

public class PatchGraphTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const double West = 139.44, East = 139.446;

    private static System.Text.Json.Nodes.JsonObject Patch(string id, double south, double north, double? quality = null, string habitat = "woodland") =>
        Feature(Box(West, south, East, north), quality is { } q ? new { patch_id = id, habitat, quality = q } : new { patch_id = id, habitat });

    private Task<PatchGraph> GraphAsync(double threshold, bool designations = false, IReadOnlyList<Candidate>? candidates = null) =>
        Registry.App.Services.GetRequiredService<PatchGraphBuilder>()
            .BuildAsync(new PatchSources(designations, false, new DateOnly(2026, 3, 31)), threshold, candidates ?? [], withGeometry: false, CancellationToken.None);

    [Fact]
    public async Task LinksJoinPatchesWhoseEdgeToEdgeDistanceOnTheEllipsoidIsWithinTheThreshold()
    {
        // Three patches stacked north–south: gaps of 0.003° and 0.006° of latitude (≈ 333 m and ≈ 666 m).
        await Client.ImportOkAsync("habitat-patches", Collection(
            Patch("A", 35.780, 35.782), Patch("B", 35.785, 35.787, quality: 0.5), Patch("C", 35.793, 35.795)));
        var gapAB = Ellipsoid.MeridianArc(35.782, 35.785);
        var gapBC = Ellipsoid.MeridianArc(35.787, 35.793);

        var graph = await GraphAsync(threshold: gapBC + 0.5);
        Assert.Equal(["A", "B", "C"], graph.Nodes.Select(n => n.PatchId));
        Assert.Equal(0.5, graph.Nodes[1].Quality);
        Assert.Equal(Ellipsoid.QuadrangleArea(West, 35.785, East, 35.787) / 10_000 * 0.5, graph.Nodes[1].Weight, 6);
        var links = graph.Links.OrderBy(l => l.DistanceM).ToList();
        Assert.Equal(2, links.Count);                       // A–C is ≈ 1.3 km: no link
        Assert.Equal(gapAB, links[0].DistanceM, 2);
        Assert.Equal(gapBC, links[1].DistanceM, 2);

        // The rule is d ≤ threshold: half a metre less and B–C is gone.
        Assert.Single((await GraphAsync(threshold: gapBC - 0.5)).Links);
    }

    [Fact]
    public async Task TouchingAndOverlappingPatchesAreLinkedAtDistanceZero()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(
            Patch("A", 35.780, 35.782), Patch("B", 35.782, 35.784), Patch("C", 35.7835, 35.786)));
        var graph = await GraphAsync(threshold: 0);
        Assert.Equal(2, graph.Links.Count);
        Assert.All(graph.Links, l => Assert.Equal(0, l.DistanceM));
    }

    [Fact]
    public async Task DesignationsInForceCanJoinAsPatchesAndACandidateAddsOnlyLandThatIsNotHabitatYet()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(Patch("A", 35.780, 35.782)));
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-1", Box(West, 35.790, East, 35.792), "2015-05-01"),
            Designation("D-lifted", Box(West, 35.800, East, 35.802), "2015-05-01", liftedOn: "2020-01-01")));
        var candidate = new Candidate("C-1", new WKTReader().Read(Box(West, 35.781, East, 35.785)), 1);
        candidate.Geometry.SRID = 4326;

        var graph = await GraphAsync(threshold: 100, designations: true, candidates: [candidate]);
        Assert.Equal(["designations:D-1", "habitat-patches:A", "candidate:C-1"], graph.Nodes.Select(n => $"{n.Source}:{n.PatchId}"));
        // Half of the candidate's 0.004° is already patch A.
        Assert.Equal(Ellipsoid.QuadrangleArea(West, 35.782, East, 35.785) / 10_000, graph.Nodes[2].AreaHa, 6);
        Assert.Contains(graph.Links, l => l.From == 1 && l.To == 2 && l.DistanceM == 0);
    }
}
