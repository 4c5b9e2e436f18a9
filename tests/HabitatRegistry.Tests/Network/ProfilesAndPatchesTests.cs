using System.Net;
using System.Net.Http.Json;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Network;

public class ProfilesAndPatchesTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    [Fact]
    public async Task HabitatPatchesTakeFullQualityWhenNoneIsGivenAndRefuseQualitiesOutsideZeroToOne()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(
            Feature(Box(139.44, 35.78, 139.441, 35.781), new { patch_id = "HP-1", habitat = "woodland" }),
            Feature(Box(139.45, 35.78, 139.451, 35.781), new { patch_id = "HP-2", habitat = "wetland", quality = 0.4 })));
        Assert.Equal(1m, await Registry.ScalarAsync<decimal>("select quality from habitat_patches where patch_id = 'HP-1'"));
        var item = await Client.GetJsonAsync("/collections/habitat-patches/items/HP-2");
        Assert.Equal(0.4, (double)item["properties"]!["quality"]!);

        var bad = await Client.ImportAsync("habitat-patches", Collection(
            Feature(Box(139.44, 35.78, 139.441, 35.781), new { patch_id = "HP-3", habitat = "forest", quality = 1.5 })));
        await AssertProblemAsync(bad, HttpStatusCode.UnprocessableEntity, "not a number from 0 to 1");
        Assert.Contains("\\\"forest\\\", which is not one of: woodland", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2L, await Registry.ScalarAsync<long>("select count(*) from habitat_patches"));
    }

    [Fact]
    public async Task TheCommandLineImportsAGeoJsonFileThatStartsWithAByteOrderMark()
    {
        // Windows editors save UTF-8 with a BOM; the API has always accepted it, and the command line reads files the same way.
        var file = Path.Combine(Path.GetTempPath(), $"patches-bom-{Guid.NewGuid():N}.geojson");
        var geoJson = Collection(Feature(Box(139.44, 35.78, 139.441, 35.781), new { patch_id = "HP-BOM", habitat = "woodland", name = "雑木林" }));
        await File.WriteAllBytesAsync(file, [.. "\uFEFF"u8, .. System.Text.Encoding.UTF8.GetBytes(geoJson)]);
        try
        {
            var (exit, output, errors) = await ClientProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "HabitatRegistry.Api.dll"), "import", "habitat-patches", file],
                new Dictionary<string, string> { ["HABITAT_DB"] = Registry.ConnectionString }, TimeSpan.FromMinutes(1));

            Assert.True(exit == 0, output + errors);
            Assert.Contains("1 created", output, StringComparison.Ordinal);
            var item = await Client.GetJsonAsync("/collections/habitat-patches/items/HP-BOM");
            Assert.Equal("雑木林", (string)item["properties"]!["name"]!);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task HabitatPatchesHaveNoDatesSoNoAreaReportAndEveryDatetimeMatches()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(Feature(Box(139.44, 35.78, 139.441, 35.781), new { patch_id = "HP-1", habitat = "park" })));
        await AssertProblemAsync(await Client.GetAsync("/reports/area?register=habitat-patches"), HttpStatusCode.BadRequest, "have no dates");
        var items = await Client.GetJsonAsync("/collections/habitat-patches/items?datetime=2020-01-01");
        Assert.Equal(1, (int)items["numberMatched"]!);
        var collection = await Client.GetJsonAsync("/collections/habitat-patches");
        Assert.Null(collection["extent"]!["temporal"]);
    }

    [Fact]
    public async Task ProfilesAreSeededAndCanBeAddedButNotWithImpossibleDispersal()
    {
        var seeded = (await Client.GetJsonAsync("/network/profiles")).AsArray();
        Assert.Equal(["amphibians", "small-mammals", "woodland-birds"], seeded.Select(p => (string)p!["name"]!));
        Assert.Equal(250, (double)seeded[0]!["d0"]!);

        var created = await Client.PostAsJsonAsync("/network/profiles", new { name = "dragonflies-test", titleJa = "トンボ類", titleEn = "Dragonflies", d0 = 600, threshold = 1500 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0.5, (double)(await Client.GetJsonAsync("/network/profiles/dragonflies-test"))["p0"]!);
        await AssertProblemAsync(await Client.PostAsJsonAsync("/network/profiles", new { name = "dragonflies-test", d0 = 600, threshold = 1500 }), HttpStatusCode.Conflict, "PUT /network/profiles/dragonflies-test");

        var bad = await Client.PostAsJsonAsync("/network/profiles", new { name = "bad one", d0 = 0, p0 = 1, threshold = -5 });
        await AssertProblemAsync(bad, HttpStatusCode.UnprocessableEntity, "cannot be stored");
        var body = await bad.Content.ReadAsStringAsync();
        foreach (var field in new[] { "\"name\"", "\"d0\"", "\"p0\"", "\"threshold\"" }) Assert.Contains(field, body, StringComparison.Ordinal);
        await AssertProblemAsync(await Client.GetAsync("/network/profiles/bats"), HttpStatusCode.NotFound, "The profiles are: amphibians, dragonflies-test, small-mammals");
    }
}
