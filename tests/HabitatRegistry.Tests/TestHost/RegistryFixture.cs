using HabitatRegistry.Cli;
using HabitatRegistry.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HabitatRegistry.Tests.TestHost;

/// <summary>
/// The API on a real PostGIS: a schema of its own in the database ./test.sh started (HABITAT_DB), migrated
/// with the product's migrations, dropped afterwards. Test classes run in parallel, each on its own schema.
/// </summary>
public class RegistryFixture : IAsyncLifetime
{
    private readonly string schema = $"test_{Guid.NewGuid():N}"[..20];

    public string ConnectionString { get; private set; } = "";
    public RegistryApp App { get; private set; } = null!;

    /// <summary>A key with the admin role, made as a user makes one (api-keys create).</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>Extra settings for the app under test (e.g. a small upload limit).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("HABITAT_DB") is { Length: > 0 } db ? db
        : throw new InvalidOperationException("No PostGIS to test against: run the tests with ./test.sh, which starts one, or set HABITAT_DB.");

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create schema {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = $"{schema},public" }.ConnectionString;
        App = new RegistryApp(ConnectionString, Settings);
        BeforeStart(App);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HabitatDb>().Database.MigrateAsync();
        }
        AdminKey = await CreateKeyAsync("test-admin", "admin");
    }

    /// <summary>Makes a key with the command line's own code (api-keys create), and returns it: the last line it prints.</summary>
    public async Task<string> CreateKeyAsync(string name, string role)
    {
        using var output = new StringWriter();
        var exit = await CommandLine.RunAsync(App.Services, ["api-keys", "create", "--name", name, "--role", role], output);
        Assert.True(exit == 0, $"api-keys create --name {name} --role {role} exited {exit}: {output}");
        return output.ToString().TrimEnd().Split('\n')[^1];
    }

    /// <summary>A client of the in-process service that sends this key (Bearer); none: anonymous.</summary>
    public HttpClient ClientWithKey(string? key)
    {
        var client = App.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Configures the app before it starts (e.g. a real Kestrel server).</summary>
    protected virtual void BeforeStart(RegistryApp app)
    {
    }

    public async Task DisposeAsync()
    {
        if (App is null) return; // the database was never reached: InitializeAsync has said why
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema {schema} cascade", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Empties every register, so a test starts from nothing.</summary>
    public Task ResetAsync() => ExecuteAsync("truncate designations, acquisitions, activities, habitat_patches, import_runs, targets, pdca_entries, published_target_reports, city_boundary, audit_events restart identity cascade");

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

public sealed class RegistryApp(string connectionString, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Habitat:ConnectionString", connectionString);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}

/// <summary>Base for test classes whose tests each start with empty registers.</summary>
public abstract class RegistryTest<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime where TFixture : RegistryFixture
{
    protected TFixture Registry => fixture;

    /// <summary>A client with the fixture's admin key: tests of what the service does, not of who may do it.</summary>
    protected HttpClient Client { get; } = fixture.ClientWithKey(fixture.AdminKey);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}

public abstract class RegistryTest(RegistryFixture fixture) : RegistryTest<RegistryFixture>(fixture);
