using System.Net;
using System.Net.Http.Json;
using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Hygiene;

/// <summary>Ten clients creating the same thing at once get the answer one client would: one winner, a 409 for the others.</summary>
public class ConcurrentCreatesTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static object Target(string code) => new
    {
        code, titleJa = "講座", titleEn = "Lectures", kind = "count", register = "activities", activityKinds = new[] { "lecture" }, unit = "count",
        baselineFiscalYear = 2020, baselineValue = 0, annualRate = 1, targetFiscalYear = 2030, targetValue = 10,
    };

    private static async Task<HttpStatusCode[]> TenAtOnceAsync(Func<int, Task<HttpResponseMessage>> send) =>
        (await Task.WhenAll(Enumerable.Range(0, 10).Select(send))).Select(r => r.StatusCode).ToArray();

    [Fact]
    public async Task OfTenCreatesOfOneTargetOrProfileOneWinsAndNineAreConflicts()
    {
        foreach (var answers in new[]
        {
            await TenAtOnceAsync(_ => Client.PostAsJsonAsync("/targets", Target("9-1-1"))),
            await TenAtOnceAsync(_ => Client.PostAsJsonAsync("/network/profiles", new { name = "bats", d0 = 800, threshold = 1600 })),
        })
        {
            Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
            Assert.Equal(9, answers.Count(a => a == HttpStatusCode.Conflict));
        }
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from targets"));
    }

    [Fact]
    public async Task TenPutsOfOneNewTargetOrProfileCreateItOnceAndReplaceItNineTimes()
    {
        foreach (var answers in new[]
        {
            await TenAtOnceAsync(i => Client.PutAsJsonAsync("/targets/9-1-2", Target("9-1-2"))),
            await TenAtOnceAsync(i => Client.PutAsJsonAsync("/network/profiles/frogs", new { name = "frogs", d0 = 300 + i, threshold = 600 })),
        })
        {
            Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
            Assert.Equal(9, answers.Count(a => a == HttpStatusCode.OK));
        }
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from targets where code = '9-1-2'"));
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from network_profiles where name = 'frogs'"));
    }

    [Fact]
    public async Task AnActivityIdSentByTenClientsAtOnceIsRecordedOnce()
    {
        var answers = await TenAtOnceAsync(i => Client.PostAsJsonAsync("/activities", new { activityId = "ACT-ONCE", heldOn = "2025-06-01", kind = "lecture", title = $"講座 {i}" }));

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
        Assert.Equal(9, answers.Count(a => a == HttpStatusCode.Conflict));
        Assert.Equal(1L, await Registry.ScalarAsync<long>("select count(*) from activities where activity_id = 'ACT-ONCE'"));
    }
}
