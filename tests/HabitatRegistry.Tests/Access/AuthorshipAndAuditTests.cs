using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HabitatRegistry.Cli;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Access;

/// <summary>Every change records who made it, from the key, not from what the caller writes; the audit trail lists them all.</summary>
public class AuthorshipAndAuditTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static string Parcel(string name) =>
        Collection(Feature(Box(139.40, 35.78, 139.401, 35.781), new { parcel_id = "D-1", scheme = "other", designated_on = "2024-04-01", name }));

    [Fact]
    public async Task TheHistoryNamesTheKeyThatMadeEachVersionAndKeepsByAsANote()
    {
        using var first = Registry.ClientWithKey(await Registry.CreateKeyAsync("suzuki", "editor"));
        using var second = Registry.ClientWithKey(await Registry.CreateKeyAsync("tanaka", "editor"));
        await first.ImportOkAsync("designations", Parcel("緑地"), "?by=admin");
        await second.ImportOkAsync("designations", Parcel("緑地（名称変更）"));

        var versions = (await Client.GetJsonAsync("/registers/designations/D-1/versions"))["features"]!.AsArray().Select(f => f!["properties"]!).ToList();
        Assert.Equal(["suzuki", "tanaka"], versions.Select(v => (string)v["author"]!));
        Assert.Equal("admin", (string)versions[0]["note"]!); // what the caller wrote is a note, not the author
        Assert.Null(versions[1]["note"]);
    }

    [Fact]
    public async Task PdcaEntriesTargetsAndPublicationsRecordWhoMadeThem()
    {
        using var editor = Registry.ClientWithKey(await Registry.CreateKeyAsync("yamada", "editor"));
        var entry = JsonNode.Parse(await (await editor.PostAsJsonAsync("/pdca/2024", new { stage = "plan", text = "観察会", who = "みどり自然課" })).Content.ReadAsStringAsync())!;
        Assert.Equal("yamada", (string)entry["author"]!);
        Assert.Equal("みどり自然課", (string)entry["who"]!);

        var target = new { code = "2-2-1", titleJa = "講座", titleEn = "Lectures", kind = "count", register = "activities", activityKinds = new[] { "lecture" }, unit = "count",
            baselineFiscalYear = 2020, baselineValue = 0, annualRate = 1, targetFiscalYear = 2030, targetValue = 10 };
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/targets?by=someone-else", target)).StatusCode);
        Assert.Equal("test-admin", await Registry.ScalarAsync<string>("select updated_by from targets"));

        var published = JsonNode.Parse(await (await Client.PostAsync("/reports/targets/published?fiscalYear=2024&by=みどり自然課", null)).Content.ReadAsStringAsync())!;
        Assert.Equal("test-admin", (string)published["publication"]!["publishedBy"]!);
        Assert.Equal("みどり自然課", (string)published["publication"]!["note"]!);
        var page = await (await Client.GetAsync("/reports/targets/published?fiscalYear=2024&format=html")).Content.ReadAsStringAsync();
        Assert.Contains("みどり自然課、test-admin", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditTrailListsEveryChangeNewestFirstAndFiltersByWhoWhatAndWhen()
    {
        using var editor = Registry.ClientWithKey(await Registry.CreateKeyAsync("sato", "editor"));
        await editor.ImportOkAsync("designations", Parcel("緑地"), "?by=%3DHYPERLINK(%22http://x%22)");
        await editor.ImportOkAsync("designations", Parcel("緑地"), "?dryRun=true"); // changes nothing: not a change
        await editor.ImportOkAsync("designations", Parcel("緑地")); // the same again: not a change either
        Assert.Equal(HttpStatusCode.OK, (await editor.DeleteAsync("/registers/designations/D-1?reason=mistake")).StatusCode);
        var misplacedKey = await Registry.CreateKeyAsync("misplaced", "viewer"); // sent in the query by mistake: not kept
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsJsonAsync($"/network/profiles?api_key={misplacedKey}", new { name = "bats", d0 = 800, threshold = 1600 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.DeleteAsync("/registers/designations/D-2?reason=")).StatusCode); // refused: not a change
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await CommandLine.RunAsync(Registry.App.Services, ["api-keys", "revoke", "--name", "sato"], output));
        }

        var all = await Client.GetJsonAsync("/audit");
        var events = all["events"]!.AsArray();
        Assert.Equal(["RevokeApiKey", "CreateNetworkProfile", "CreateApiKey", "WithdrawRecord", "ImportRecords", "CreateApiKey"],
            events.Select(e => (string)e!["action"]!).Take(6));
        Assert.Equal($"{Environment.UserName} (command line)", (string)events[0]!["actor"]!);
        var import = events[4]!;
        Assert.Equal("sato", (string)import["actor"]!);
        Assert.Equal("editor", (string)import["role"]!);
        Assert.Equal("1 created, 0 updated, 0 unchanged (import 1)", (string)import["detail"]!);
        Assert.Equal(200, (int)import["status"]!);

        Assert.Equal(3, (int)(await Client.GetJsonAsync("/audit?who=sato"))["numberMatched"]!);
        Assert.Equal("WithdrawRecord", (string)(await Client.GetJsonAsync("/audit?who=sato&what=D-1"))["events"]![0]!["action"]!);
        Assert.Equal(3, (int)(await Client.GetJsonAsync("/audit?what=apikey"))["numberMatched"]!); // two made, one revoked
        var today = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((int)all["numberMatched"]!, (int)(await Client.GetJsonAsync($"/audit?from={today}&to={today}"))["numberMatched"]!);
        Assert.Equal(0, (int)(await Client.GetJsonAsync($"/audit?from=2099-01-01"))["numberMatched"]!);
        var at = Uri.EscapeDataString((string)import["at"]!); // a date-time bound includes the moment itself
        Assert.Equal(1, (int)(await Client.GetJsonAsync($"/audit?who=sato&from={at}&to={at}"))["numberMatched"]!);
        Assert.Equal(2, (int)(await Client.GetJsonAsync("/audit?limit=2"))["numberReturned"]!);

        var bytes = await (await Client.GetAsync("/audit?who=sato&format=csv")).Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // Excel reads the Japanese names as UTF-8
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.DoesNotContain(misplacedKey[3..], csv, StringComparison.Ordinal);
        Assert.Contains("api_key=hr_(a key, not kept)", csv, StringComparison.Ordinal);
        Assert.StartsWith("at,actor,role,action,request,note,detail,status\r\n", csv, StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",", csv, StringComparison.Ordinal); // a spreadsheet shows it, never runs it

        await AssertProblemAsync(await Client.GetAsync("/audit?from=yesterday"), HttpStatusCode.BadRequest, "from=yesterday is not a date");
        await AssertProblemAsync(await Client.GetAsync("/audit?format=xml"), HttpStatusCode.BadRequest, "use json or csv");
    }
}
