using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Hygiene;

/// <summary>A registry with a short time limit and room for one heavy request at a time, and one queued.</summary>
public sealed class TightLimitsFixture : RegistryFixture
{
    public const double TimeLimitSeconds = 2;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Habitat:ReportTimeLimitSeconds"] = TimeLimitSeconds.ToString(CultureInfo.InvariantCulture),
        ["Habitat:HeavyRequests:AtOnce"] = "1",
        ["Habitat:HeavyRequests:Queue"] = "1",
    };
}

/// <summary>Limits that hold: one time limit for the whole network request, and heavy requests a few at a time.</summary>
public class LimitsTests(TightLimitsFixture fixture) : RegistryTest<TightLimitsFixture>(fixture)
{
    /// <summary>2,500 small patches 100 m apart: with a threshold of 100 km, finding their links takes far longer than the limit.</summary>
    private async Task ManyPatchesAsync()
    {
        var features = new List<JsonNode>();
        for (var i = 0; i < 2500; i++)
        {
            var (west, south) = (139.30 + i % 50 * 0.002, 35.70 + i / 50 * 0.002);
            features.Add(Feature(Box(west, south, west + 0.0005, south + 0.0005), new { patch_id = $"P-{i}", habitat = "woodland" }));
        }
        await Client.ImportOkAsync("habitat-patches", Collection([.. features]));
    }

    private const string Heavy = "/network/metrics?d0=1000&threshold=100000";

    [Fact]
    public async Task AHeavyNetworkRequestEndsByTheTimeLimitAndItsQueryIsCancelled()
    {
        await ManyPatchesAsync();
        var clock = Stopwatch.StartNew();

        var response = await Client.GetAsync(Heavy);

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "was stopped after 2 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(TightLimitsFixture.TimeLimitSeconds + 3), $"answered after {clock.Elapsed}");
        // The link query does not go on in the database after the answer.
        await Task.Delay(500);
        Assert.Equal(0L, await Registry.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where state = 'active' and query like '%ST_DWithin%' and pid <> pg_backend_pid()"));
    }

    [Fact]
    public async Task HeavyRequestsBeyondTheLimiterAreToldToComeBackWhileReadingStaysOpen()
    {
        await ManyPatchesAsync();
        var heavy = Enumerable.Range(0, 4).Select(_ => Client.GetAsync(Heavy)).ToList();
        await Task.Delay(300);
        var collections = await Client.GetAsync("/collections"); // light: not queued behind them
        var answers = await Task.WhenAll(heavy);

        Assert.Equal(HttpStatusCode.OK, collections.StatusCode);
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable && a.Headers.RetryAfter is not null).ToList();
        Assert.True(busy.Count >= 2, string.Join(", ", answers.Select(a => (int)a.StatusCode)));
        var texts = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.Equal(2, texts.Count(t => t.Contains("busy with heavy requests", StringComparison.Ordinal))); // one ran, one waited, two were turned away
    }
}
