using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HabitatRegistry.Tests.TestHost;
using Npgsql;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Access;

/// <summary>Keys as people use them: made on the command line, sent as Bearer or as the Basic password, revoked.</summary>
public class ApiKeyTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static readonly string Parcel = Collection(Designation("D-KEY-1", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01"));

    [Fact]
    public async Task AKeyWorksAsBearerAndAsTheBasicPasswordWithAnyUserName()
    {
        var key = await Registry.CreateKeyAsync("midori", "editor");
        using var client = Registry.ClientWithKey(null);
        foreach (var credentials in new[]
        {
            new AuthenticationHeaderValue("Bearer", key),
            Basic("qgis-user", key),
            Basic("", key),
        })
        {
            client.DefaultRequestHeaders.Authorization = credentials;
            var response = await client.ImportAsync("designations", Parcel);
            Assert.True(response.IsSuccessStatusCode, $"{credentials.Scheme}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("midori", await Registry.ScalarAsync<string>("select author from import_runs"));
    }

    [Fact]
    public async Task CredentialsThatDoNotWorkAreRefusedEvenWhereReadingIsOpen()
    {
        var key = await Registry.CreateKeyAsync("typo", "viewer");
        using var client = Registry.ClientWithKey(null);
        foreach (var (credentials, message) in new[]
        {
            (new AuthenticationHeaderValue("Bearer", key[..^1] + (key[^1] == 'A' ? 'B' : 'A')), "not known, or it has been revoked"),
            (Basic("x", "hr_not-a-key-at-all"), "not known, or it has been revoked"),
            (new AuthenticationHeaderValue("Basic", "%%%"), "not base64"),
            (new AuthenticationHeaderValue("Digest", "username=x"), "Only Bearer and Basic"),
        })
        {
            client.DefaultRequestHeaders.Authorization = credentials;
            var response = await client.GetAsync("/collections");
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, message);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        }
        // Nothing of what was sent is repeated back.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "hr_" + new string('x', 40));
        Assert.DoesNotContain("xxxxxxxx", await (await client.GetAsync("/collections")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyInACookieOrTheQueryStringIsNotACredential()
    {
        var key = await Registry.CreateKeyAsync("crumbs", "editor");
        using var client = Registry.ClientWithKey(null);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/imports/designations?key={key}&access_token={key}")
        {
            Content = new StringContent(Parcel, Encoding.UTF8, "application/geo+json"),
        };
        request.Headers.Add("Cookie", $"Authorization=Bearer {key}; key={key}");
        await AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "needs a key with the editor role");
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select count(*) from designations"));
    }

    [Fact]
    public async Task ARevokedKeyStopsWorkingAtOnce()
    {
        var key = await Registry.CreateKeyAsync("leaver", "editor");
        using var client = Registry.ClientWithKey(key);
        Assert.True((await client.ImportAsync("designations", Parcel)).IsSuccessStatusCode);

        using var output = new StringWriter();
        Assert.Equal(0, await HabitatRegistry.Cli.CommandLine.RunAsync(Registry.App.Services, ["api-keys", "revoke", "--name", "leaver"], output));

        await AssertProblemAsync(await client.ImportAsync("designations", Parcel, "?dryRun=true"), HttpStatusCode.Unauthorized, "revoked");
        await AssertProblemAsync(await client.GetAsync("/collections"), HttpStatusCode.Unauthorized, "revoked");
    }

    [Fact]
    public async Task TheCommandLineMakesListsAndRevokesKeysAndNeitherTheDatabaseNorTheServiceLogEverHoldsOne()
    {
        var database = Registry.ConnectionString;
        var (exit, output, errors) = await ServiceProcess.CommandAsync(database, "api-keys", "create", "--name", "みどり自然課 GIS", "--role", "editor");
        Assert.True(exit == 0, errors);
        var key = output.TrimEnd().Split('\n')[^1];
        Assert.Matches("^hr_[A-Za-z0-9_-]{43}$", key);
        Assert.DoesNotContain(key, output.TrimEnd()[..^key.Length], StringComparison.Ordinal); // alone on its line, shown once

        var refused = await ServiceProcess.CommandAsync(database, "api-keys", "create", "--name", "みどり自然課 GIS", "--role", "admin");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already a working key named", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(2, (await ServiceProcess.CommandAsync(database, "api-keys", "create", "--name", "x", "--role", "owner")).ExitCode);
        foreach (var name in new[] { "x\u202Ey", " padded", "root (command line)" })
        {
            Assert.Equal(2, (await ServiceProcess.CommandAsync(database, "api-keys", "create", "--name", name, "--role", "viewer")).ExitCode);
        }

        await using (var service = await ServiceProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Trace", // as talkative as the service can be
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Trace",
        }))
        {
            using var client = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.True((await client.ImportAsync("designations", Parcel)).IsSuccessStatusCode);
            client.DefaultRequestHeaders.Authorization = Basic("gdal", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/collections/designations/items")).StatusCode);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/collections")).StatusCode);
            var log = await service.StopAsync();
            Assert.Contains("Request starting", log, StringComparison.Ordinal); // the log was written, and read
            // Lines a service is run on: who imported what, and refused credentials (never the key).
            Assert.Contains("into designations by みどり自然課 GIS: 1 features, 1 created", log, StringComparison.Ordinal);
            Assert.Contains("Credentials refused for GET /collections from 127.0.0.1: The key is not known", log, StringComparison.Ordinal);
            Assert.DoesNotContain(key[3..20], log, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"gdal:{key}"))[..20], log, StringComparison.Ordinal);
        }

        var listed = await ServiceProcess.CommandAsync(database, "api-keys", "list");
        Assert.Contains("みどり自然課 GIS", listed.Output, StringComparison.Ordinal);
        Assert.Matches(@"みどり自然課 GIS\s+editor\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+working", listed.Output); // last used: now
        Assert.DoesNotContain(key[3..20], listed.Output, StringComparison.Ordinal);

        var dump = await DumpAsync();
        Assert.Contains("みどり自然課 GIS", dump, StringComparison.Ordinal); // the dump holds the keys' table …
        Assert.DoesNotContain(key[3..20], dump, StringComparison.Ordinal); // … but no key

        Assert.Equal(0, (await ServiceProcess.CommandAsync(database, "api-keys", "revoke", "--name", "みどり自然課 GIS")).ExitCode);
        Assert.DoesNotContain("みどり自然課 GIS", (await ServiceProcess.CommandAsync(database, "api-keys", "list")).Output, StringComparison.Ordinal);
        Assert.Matches(@"みどり自然課 GIS\s+editor.*revoked", (await ServiceProcess.CommandAsync(database, "api-keys", "list", "--all")).Output);
    }

    /// <summary>pg_dump of the test's schema, as an administrator would back the database up.</summary>
    private async Task<string> DumpAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(Registry.ConnectionString);
        var pgDump = Directory.GetFiles("/usr/lib/postgresql", "pg_dump", SearchOption.AllDirectories).Order().Last();
        var (exit, dump, errors) = await ClientProcess.RunAsync(pgDump,
            ["-h", server.Host!, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", server.Username!, "-d", server.Database!,
             "-n", server.SearchPath!.Split(',')[0], "--inserts"]);
        Assert.True(exit == 0, errors);
        return dump;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
