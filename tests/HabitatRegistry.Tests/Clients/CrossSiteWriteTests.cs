using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Clients;

/// <summary>The registry on a port of its own, for a browser to visit (its own samples, its own database schema).</summary>
public sealed class CrossSiteFixture : KestrelFixture;

/// <summary>
/// The three writes that any web page could once fire at the registry, tried in a real browser that holds the registry's
/// credentials (tests/clients/cross_site_writes.mjs): refused from other sites, accepted from the registry's own page.
/// </summary>
public class CrossSiteWriteTests(CrossSiteFixture fixture) : IClassFixture<CrossSiteFixture>
{
    [Fact]
    public async Task ABrowserWithTheRegistrysCredentialsCannotBeMadeToWriteByAnotherSitesPage()
    {
        await fixture.StartWithSamplesAsync();
        var key = await fixture.CreateKeyAsync("planner-browser", "admin");
        var parcel = Path.Combine(Path.GetTempPath(), $"csrf-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(parcel, Collection(Designation("D-CSRF-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01")));
        try
        {
            var (exit, output, errors) = await ClientProcess.RunAsync("node", [RepoFile("tests/clients/cross_site_writes.mjs"), fixture.BaseUrl, parcel],
                new Dictionary<string, string> { ["HABITAT_KEY"] = key });
            Assert.True(exit == 0, $"cross_site_writes.mjs exited {exit}:\n{output}\n{errors}");
            var result = JsonNode.Parse(output)!;

            foreach (var page in new[] { "otherSite", "sameSiteOtherOrigin" })
            {
                var statuses = result[page]!["statuses"]!.AsObject();
                Assert.Equal(["geoJsonAsForm", "multipartImport", "publishWithoutBody"], statuses.Select(s => s.Key).Order());
                Assert.All(statuses, s => Assert.Equal([403], s.Value!.AsArray().Select(v => (int)v!)));
            }
            // From the registry's own page the same requests go through with the browser's credentials (401 first: the browser
            // then answers the challenge), so the refusals above were the registry's doing. Publishing succeeds only now: the
            // other sites' attempts published nothing.
            var own = result["registryItself"]!["statuses"]!.AsObject();
            Assert.Equal(200, own["multipartImport"]!.AsArray().Select(v => (int)v!).Last());
            Assert.Equal(200, own["geoJsonAsForm"]!.AsArray().Select(v => (int)v!).Last());
            Assert.Equal(201, own["publishWithoutBody"]!.AsArray().Select(v => (int)v!).Last());
            var events = await fixture.ScalarAsync<string>("select string_agg(action, ',' order by id) from audit_events where actor = 'planner-browser'");
            Assert.Equal("ImportRecords,PublishTargetReport", events); // the import sent twice changed nothing the second time
        }
        finally
        {
            File.Delete(parcel);
        }
    }
}
