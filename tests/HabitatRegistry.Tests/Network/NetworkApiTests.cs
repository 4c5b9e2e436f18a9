using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Network;

/// <summary>The sample network against gis-samples/expected-network*.csv, computed independently in Python (tests/reference/connectivity.py).</summary>
public class NetworkApiTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    public static TheoryData<string> Profiles => new() { "amphibians", "small-mammals", "woodland-birds" };

    private static List<Dictionary<string, string>> Csv(string file)
    {
        var lines = File.ReadAllLines(RepoFile($"gis-samples/{file}"));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }

    private static double Number(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

    private static void AssertClose(double expected, JsonNode? actual, double relative = 1e-6, double absolute = 1e-9) =>
        Assert.True(Math.Abs(expected - (double)actual!) <= Math.Abs(expected) * relative + absolute, $"expected {expected}, got {actual}");

    private Task LoadPatchesAsync() => Client.ImportOkAsync("habitat-patches", File.ReadAllText(RepoFile("gis-samples/tokorozawa-habitat-patches.geojson")));

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task TheSampleNetworkMatchesTheIndependentReference(string profile)
    {
        await LoadPatchesAsync();
        var expected = Csv("expected-network.csv").Single(r => r["profile"] == profile);
        var metrics = await Client.GetJsonAsync($"/network/metrics?profile={profile}&landscapeAreaHa={expected["landscape_area_ha"]}");

        foreach (var (column, field) in new[] { ("nodes", "nodes"), ("links", "links"), ("components", "components") })
            Assert.Equal((int)Number(expected, column), (int)metrics[field]!);
        foreach (var (column, field) in new[] { ("pc_num", "pcNum"), ("pc", "pc"), ("ec_pc_ha", "ecPcHa"), ("iic", "iic"), ("harary", "harary"), ("ccp", "ccp"), ("lcp", "lcp") })
            AssertClose(Number(expected, column), metrics[field]);

        var patches = metrics["patches"]!.AsArray();
        Assert.Equal(expected["top_dpc_patch"], (string)patches[0]!["patchId"]!);
        Assert.Equal(1, (int)patches[0]!["rank"]!);
        foreach (var row in Csv("expected-network-patches.csv").Where(r => r["profile"] == profile))
        {
            var patch = patches.Single(p => (string)p!["patchId"]! == row["patch_id"])!;
            AssertClose(Number(row, "weight"), patch["weight"]);
            // PostGIS measures edge-to-edge distances on the ellipsoid to a few centimetres of the reference's exact
            // geodesic minimum (tests/reference/connectivity.py); single dPC values move by up to 1e-5 of a percentage point with that.
            foreach (var (column, field) in new[] { ("dpc", "dPc"), ("dpc_intra", "dPcIntra"), ("dpc_flux", "dPcFlux"), ("dpc_connector", "dPcConnector"), ("diic", "dIic") })
                AssertClose(Number(row, column), patch[field], relative: 2e-5, absolute: 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task CandidateParcelsAreRankedByTheConnectivityTheyWouldAdd(string profile)
    {
        await LoadPatchesAsync();
        var area = Csv("expected-network.csv").Single(r => r["profile"] == profile)["landscape_area_ha"];
        var candidates = JsonNode.Parse(File.ReadAllText(RepoFile("gis-samples/tokorozawa-candidate-parcels.geojson")));
        var response = await Client.PostAsJsonAsync("/network/scenarios", new JsonObject
        {
            ["profile"] = profile, ["landscapeAreaHa"] = double.Parse(area, CultureInfo.InvariantCulture), ["candidates"] = candidates, ["sequence"] = 2,
        });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());

        var expected = Csv("expected-network-candidates.csv").Where(r => r["profile"] == profile).ToList();
        var gains = body["candidates"]!.AsArray();
        Assert.Equal(expected.OrderByDescending(r => Number(r, "pc_gain_pct")).Select(r => r["candidate_id"]), gains.Select(g => (string)g!["candidateId"]!));
        foreach (var row in expected)
        {
            var gain = gains.Single(g => (string)g!["candidateId"]! == row["candidate_id"])!;
            AssertClose(Number(row, "new_area_ha"), gain["newAreaHa"]);
            // Gains are small differences of PCnum: the centimetres of distance (see above) show at 1e-5 relative.
            AssertClose(Number(row, "pc_gain_pct"), gain["pcGainPct"], relative: 2e-5, absolute: 1e-6);
            AssertClose(Number(row, "pc_gain_relative_pct"), gain["pcGainRelativePct"], relative: 2e-5, absolute: 1e-6);
            AssertClose(Number(row, "ec_gain_ha"), gain["ecGainHa"], relative: 2e-5, absolute: 1e-6);
        }
        // The first step of the sequence is the best single candidate; the second is the best given it.
        var sequence = body["sequence"]!.AsArray();
        Assert.Equal(2, sequence.Count);
        Assert.Equal((string)gains[0]!["candidateId"]!, (string)sequence[0]!["candidateId"]!);
        Assert.True((double)sequence[1]!["pcNum"]! > (double)sequence[0]!["pcNum"]!);
    }

    [Fact]
    public async Task QgisCanOpenThePatchesColouredByDpcTheLinksAndTheComponents()
    {
        await LoadPatchesAsync();
        var expected = Csv("expected-network.csv").Single(r => r["profile"] == "amphibians");
        var collections = (await Client.GetJsonAsync("/collections"))["collections"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Contains("network-patches-amphibians", collections);
        Assert.Contains("network-links-woodland-birds", collections);

        var patches = await Client.GetJsonAsync("/collections/network-patches-amphibians/items?limit=10");
        Assert.Equal(34, (int)patches["numberMatched"]!);
        Assert.Equal(10, (int)patches["numberReturned"]!);
        Assert.Contains(patches["links"]!.AsArray(), l => (string)l!["rel"]! == "next");
        Assert.Equal(expected["top_dpc_patch"], (string)patches["features"]![0]!["properties"]!["patch_id"]!);
        Assert.Equal("Polygon", ((string)patches["features"]![0]!["geometry"]!["type"]!).Replace("Multi", "", StringComparison.Ordinal));

        var links = await Client.GetJsonAsync("/collections/network-links-amphibians/items?limit=1000");
        Assert.Equal((int)Number(expected, "links"), (int)links["numberMatched"]!);
        Assert.All(links["features"]!.AsArray(), l =>
        {
            Assert.Equal("LineString", (string)l!["geometry"]!["type"]!);
            Assert.InRange((double)l["properties"]!["distance_m"]!, 0, 500);
            AssertClose(Math.Exp(-Math.Log(2) / 250 * (double)l["properties"]!["distance_m"]!), l["properties"]!["probability"], relative: 1e-5);
        });
        var components = await Client.GetJsonAsync("/collections/network-components-amphibians/items?limit=1000");
        Assert.Equal((int)Number(expected, "components"), (int)components["numberMatched"]!);
        var schema = await Client.GetJsonAsync("/collections/network-patches-amphibians/schema");
        Assert.Equal("number", (string)schema["properties"]!["dpc"]!["type"]!);
        await AssertProblemAsync(await Client.GetAsync("/collections/network-patches-bats/items"), HttpStatusCode.NotFound, "amphibians");

        // QGIS asks for the map extent: the western half of the city holds some patches, a box upside down is refused.
        var west = await Client.GetJsonAsync("/collections/network-patches-amphibians/items?bbox=139.30,35.70,139.459,35.90");
        Assert.InRange((int)west["numberMatched"]!, 5, 30);
        await AssertProblemAsync(await Client.GetAsync("/collections/network-patches-amphibians/items?bbox=139.5,35.9,139.4,35.7"), HttpStatusCode.BadRequest, "southern edge");
    }

    [Theory]
    [InlineData("profile=bats", HttpStatusCode.NotFound, "no species-group profile")]
    [InlineData("d0=0&threshold=500", HttpStatusCode.BadRequest, "d0 must be the median dispersal distance")]
    [InlineData("d0=250&p0=1&threshold=500", HttpStatusCode.BadRequest, "strictly between 0 and 1")]
    [InlineData("d0=250&p0=-0.2&threshold=500", HttpStatusCode.BadRequest, "strictly between 0 and 1")]
    [InlineData("", HttpStatusCode.BadRequest, "Say which species group")]
    [InlineData("profile=amphibians&d0=100", HttpStatusCode.BadRequest, "not both")]
    [InlineData("profile=amphibians&include=parks", HttpStatusCode.BadRequest, "only designations and acquisitions")]
    public async Task BadNetworkRequestsAreRefusedInWords(string query, HttpStatusCode status, string message)
    {
        await LoadPatchesAsync();
        await AssertProblemAsync(await Client.GetAsync($"/network/metrics?{query}"), status, message);
    }

    [Fact]
    public async Task AnImportIsCountedByTheVeryNextRequestAndALimitedConnectorSearchGivesItsErrorBound()
    {
        await LoadPatchesAsync();
        var before = await Client.GetJsonAsync("/network/metrics?profile=amphibians");
        await Client.ImportOkAsync("habitat-patches", Collection(Feature(Box(139.30, 35.70, 139.301, 35.701), new { patch_id = "HP-NEW", habitat = "wetland" })));
        var after = await Client.GetJsonAsync("/network/metrics?profile=amphibians");
        Assert.Equal((int)before["nodes"]! + 1, (int)after["nodes"]!);
        Assert.Equal((int)before["components"]! + 1, (int)after["components"]!);

        var limited = await Client.GetJsonAsync("/network/metrics?profile=small-mammals&connectorRadius=200");
        var exact = await Client.GetJsonAsync("/network/metrics?profile=small-mammals");
        Assert.Equal(200, (double)limited["connectorRadius"]!);
        foreach (var patch in limited["patches"]!.AsArray())
        {
            var truth = exact["patches"]!.AsArray().Single(p => (string)p!["patchId"]! == (string)patch!["patchId"]!)!;
            var off = Math.Abs((double)patch!["dPcConnector"]! - (double)truth["dPcConnector"]!);
            Assert.True(off <= (double)patch["dPcError"]! + 1e-9,
                $"{patch["patchId"]}: exact connector {truth["dPcConnector"]}, limited {patch["dPcConnector"]}, bound {patch["dPcError"]}");
        }
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=amphibians&connectorRadius=-1"), HttpStatusCode.BadRequest, "connectorRadius");
    }

    [Fact]
    public async Task ASmallestProbabilityKeepsEveryDpcWithinTheErrorItReports()
    {
        await LoadPatchesAsync();
        var exact = await Client.GetJsonAsync("/network/metrics?profile=small-mammals");
        var limited = await Client.GetJsonAsync("/network/metrics?profile=small-mammals&minProbability=0.2"); // p* < 0.2 beyond 2.3 km

        Assert.Equal(0.2, (double)limited["minProbability"]!);
        Assert.Equal(0, (double)exact["pcNumError"]!);
        var shortfall = (double)exact["pcNum"]! - (double)limited["pcNum"]!;
        Assert.InRange(shortfall, 0, (double)limited["pcNumError"]! * (1 + 1e-9));
        Assert.True(shortfall > 0, "2.3 km should cut some pairs of the sample");
        foreach (var patch in limited["patches"]!.AsArray())
        {
            var truth = exact["patches"]!.AsArray().Single(p => (string)p!["patchId"]! == (string)patch!["patchId"]!)!;
            var off = Math.Abs((double)patch!["dPc"]! - (double)truth["dPc"]!);
            Assert.True(off <= (double)patch["dPcError"]! * (1 + 1e-9) + 1e-9,
                $"{patch["patchId"]}: exact dPC {truth["dPc"]}, limited {patch["dPc"]}, bound {patch["dPcError"]}");
        }
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=amphibians&minProbability=1"), HttpStatusCode.BadRequest, "minProbability");
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=amphibians&minProbability=-0.1"), HttpStatusCode.BadRequest, "minProbability");
    }

    [Fact]
    public async Task ScenariosWithASmallestProbabilityStayWithinTheShortfallTheyReport()
    {
        await LoadPatchesAsync();
        var candidates = JsonNode.Parse(File.ReadAllText(RepoFile("gis-samples/tokorozawa-candidate-parcels.geojson")));
        async Task<JsonNode> ScenariosAsync(double minProbability)
        {
            var response = await Client.PostAsJsonAsync("/network/scenarios", new JsonObject
            {
                ["profile"] = "small-mammals", ["candidates"] = candidates!.DeepClone(), ["sequence"] = 2, ["minProbability"] = minProbability,
            });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            return body;
        }
        var exact = await ScenariosAsync(0);
        var limited = await ScenariosAsync(0.2); // p* < 0.2 beyond 2.3 km

        Assert.Equal(0.2, (double)limited["minProbability"]!);
        Assert.Equal(0, (double)exact["pcNumBeforeError"]!);
        static void Within(JsonNode truth, JsonNode limited, double error)
        {
            var shortfall = (double)truth - (double)limited;
            Assert.InRange(shortfall, 0, error * (1 + 1e-9) + 1e-9);
        }
        Within(exact["pcNumBefore"]!, limited["pcNumBefore"]!, (double)limited["pcNumBeforeError"]!);
        Assert.True((double)limited["pcNumBeforeError"]! > 0, "2.3 km should cut some pairs of the sample");
        foreach (var gain in limited["candidates"]!.AsArray())
        {
            var truth = exact["candidates"]!.AsArray().Single(g => (string)g!["candidateId"]! == (string)gain!["candidateId"]!)!;
            Assert.Equal(0, (double)truth["pcNumAfterError"]!);
            Within(truth["pcNumAfter"]!, gain!["pcNumAfter"]!, (double)gain["pcNumAfterError"]!);
        }
        // At p* ≥ 0.2 the ranking changes (C-3 overtakes C-2), so the greedy steps are checked where the limit keeps the
        // same choices: at p* ≥ 0.05 (beyond 4.3 km), which still cuts pairs.
        var milder = await ScenariosAsync(0.05);
        Assert.Equal(exact["sequence"]!.AsArray().Select(s => (string)s!["candidateId"]!), milder["sequence"]!.AsArray().Select(s => (string)s!["candidateId"]!));
        Assert.True((double)milder["pcNumBeforeError"]! > 0, "4.3 km should cut some pairs of the sample");
        foreach (var (truth, step) in exact["sequence"]!.AsArray().Zip(milder["sequence"]!.AsArray()))
            Within(truth!["pcNum"]!, step!["pcNum"]!, (double)step["pcNumError"]!);
        await AssertProblemAsync(await Client.PostAsJsonAsync("/network/scenarios", new JsonObject { ["profile"] = "small-mammals", ["candidates"] = candidates!.DeepClone(), ["minProbability"] = 1 }),
            HttpStatusCode.BadRequest, "minProbability");
    }

    [Fact]
    public async Task ANetworkWithoutPatchesIsAnErrorThatSaysWhatToImport() =>
        await AssertProblemAsync(await Client.GetAsync("/network/metrics?profile=amphibians"), HttpStatusCode.UnprocessableEntity, "POST /imports/habitat-patches");

    [Fact]
    public async Task ScenariosWithoutUsableCandidatesAreRefusedInWords()
    {
        await LoadPatchesAsync();
        await AssertProblemAsync(await Client.PostAsJsonAsync("/network/scenarios", new { profile = "amphibians" }), HttpStatusCode.UnprocessableEntity, "at least one candidate");
        await AssertProblemAsync(await Client.PostAsJsonAsync("/network/scenarios", new { profile = "amphibians", candidateRecords = new[] { new { register = "designations", id = "NOPE" } } }),
            HttpStatusCode.UnprocessableEntity, "has no parcel \\\"NOPE\\\"");

        var bad = JsonNode.Parse(Collection(
            Feature(Box(139.44, 35.78, 139.441, 35.781), new { name = "no id" }),
            Feature(Box(139.44, 35.78, 139.441, 35.781), new { candidate_id = "Q", quality = 2 }),
            Feature(Box(-33000, 10000, -32900, 10100), new { candidate_id = "P" })));
        var response = await Client.PostAsJsonAsync("/network/scenarios", new JsonObject { ["profile"] = "amphibians", ["candidates"] = bad });
        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "nothing was computed");
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("no \"candidate_id\"", (string)errors["candidates.features[0]"]![0]!, StringComparison.Ordinal);
        Assert.Contains("not a number from 0 to 1", (string)errors["candidates.features[1]"]![0]!, StringComparison.Ordinal);
        Assert.Contains("not longitude/latitude", (string)errors["candidates.features[2]"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DesignationsCanBeIncludedAsPatchesAndRecordsCanBeCandidates()
    {
        await LoadPatchesAsync();
        await Client.ImportOkAsync("designations", File.ReadAllText(RepoFile("gis-samples/tokorozawa-designations.geojson")));
        var with = await Client.GetJsonAsync("/network/metrics?profile=small-mammals&include=designations&asOf=2026-03-31");
        Assert.Equal(34 + 26, (int)with["nodes"]!); // 26 designations in force on 2026-03-31
        Assert.Contains(with["patches"]!.AsArray(), p => (string)p!["source"]! == "designations");

        var response = await Client.PostAsJsonAsync("/network/scenarios", new { profile = "small-mammals", candidateRecords = new[] { new { register = "designations", id = "D-2010-001" } } });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("designations/D-2010-001", (string)body["candidates"]![0]!["candidateId"]!);

        // Several records, from more than one register: each found, or named where it is missing.
        await Client.ImportOkAsync("acquisitions", File.ReadAllText(RepoFile("gis-samples/tokorozawa-acquisitions.geojson")));
        var several = new[] { new { register = "designations", id = "D-2010-002" }, new { register = "acquisitions", id = "A-2010-001" }, new { register = "designations", id = "D-2011-001" } };
        body = JsonNode.Parse(await (await Client.PostAsJsonAsync("/network/scenarios", new { profile = "small-mammals", candidateRecords = several })).Content.ReadAsStringAsync())!;
        Assert.Equal(["acquisitions/A-2010-001", "designations/D-2010-002", "designations/D-2011-001"],
            body["candidates"]!.AsArray().Select(c => (string)c!["candidateId"]!).Order(StringComparer.Ordinal));
        var missing = await Client.PostAsJsonAsync("/network/scenarios", new { profile = "small-mammals", candidateRecords = several.Append(new { register = "acquisitions", id = "A-1900-999" }) });
        await AssertProblemAsync(missing, HttpStatusCode.UnprocessableEntity, "acquisitions has no parcel \\\"A-1900-999\\\"");
        var errors = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["candidateRecords[3]"], errors.Select(e => e.Key));
    }
}
