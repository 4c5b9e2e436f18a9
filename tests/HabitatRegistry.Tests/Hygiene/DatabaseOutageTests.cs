using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Hygiene;

/// <summary>The real program under load while its database is stopped and started again, as an administrator would.</summary>
public class DatabaseOutageTests
{
    private sealed record Answer(TimeSpan At, TimeSpan Done, string Request, HttpStatusCode Status, string? ContentType, bool RetryAfter);

    [Fact]
    public async Task WhileTheDatabaseIsDownRequestsGet503sAndAfterwardsFullServiceWithoutARestart()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        Assert.Equal(0, (await ServiceProcess.CommandAsync(cluster.ConnectionString, "migrate")).ExitCode);
        var created = await ServiceProcess.CommandAsync(cluster.ConnectionString, "api-keys", "create", "--name", "outage-test", "--role", "editor");
        var key = created.Output.TrimEnd().Split('\n')[^1];
        await using var service = await ServiceProcess.StartAsync(cluster.ConnectionString);
        using var client = new HttpClient { BaseAddress = new Uri(service.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var anonymous = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        await client.ImportOkAsync("designations", await File.ReadAllTextAsync(RepoFile("gis-samples/tokorozawa-designations.geojson")));

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        async Task LoadAsync(string name, Func<Task<HttpResponseMessage>> send)
        {
            while (!stop.IsCancellationRequested)
            {
                var at = clock.Elapsed;
                using var response = await send();
                answers.Add(new(at, clock.Elapsed, name, response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter is not null));
                await Task.Delay(20);
            }
        }
        var parcel = Collection(Designation("D-LOAD", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01"));
        var load = Task.WhenAll(
            LoadAsync("items", () => client.GetAsync("/collections/designations/items?limit=5")),
            LoadAsync("collections", () => client.GetAsync("/collections")),
            LoadAsync("area", () => client.GetAsync("/reports/area?register=designations&asOf=2025-03-31")),
            LoadAsync("import", () => client.PostAsync("/imports/designations?dryRun=true", new StringContent(parcel, Encoding.UTF8, "application/geo+json"))),
            LoadAsync("ready", () => anonymous.GetAsync("/health/ready"))); // a load balancer has no key

        await Task.Delay(TimeSpan.FromSeconds(2));
        var down = clock.Elapsed;
        await cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await cluster.RestartAsync();
        var up = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5)); // the first reads after the restart heal the pool
        var healed = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await load;

        var log = await service.StopAsync();
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{a.Request} at {a.At}: {(int)a.Status}\n{log}"));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable), a =>
        {
            Assert.Equal(a.Request == "ready" ? "application/json" : "application/problem+json", a.ContentType);
            Assert.True(a.RetryAfter, $"{a.Request} at {a.At}: 503 without Retry-After");
            // A request sent before the outage may still be waiting (a busy machine) when the database goes away.
            Assert.True(a.Done > down && a.At < up + TimeSpan.FromSeconds(2), $"{a.Request} got a 503 for a request sent at {a.At} and answered at {a.Done}, outside the outage ({down}–{up})");
        });
        Assert.Contains(answers, a => a.Status == HttpStatusCode.ServiceUnavailable); // the outage was seen …
        Assert.Contains(answers, a => a.Request == "ready" && a.Status == HttpStatusCode.ServiceUnavailable); // … by the load balancer too …
        Assert.All(answers.Where(a => a.At > healed), a => Assert.Equal(HttpStatusCode.OK, a.Status)); // … and it is over
        Assert.Contains(answers, a => a.At > healed);
        Assert.Contains("The database is not answering", log, StringComparison.Ordinal);
    }
}
