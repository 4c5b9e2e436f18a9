using HabitatRegistry.Tests.TestHost;
using Npgsql;

namespace HabitatRegistry.Tests.Configuration;

/// <summary>The command line's migrate, run as the real program on a database of its own (a schema would see the migration
/// history in public through the search path).</summary>
public class MigrateCommandTests
{
    [Fact]
    public async Task MigratingANewDatabaseReportsNoErrorAndASecondRunFindsItUpToDate()
    {
        var name = $"test_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync($"create database {name}");
        try
        {
            var database = new NpgsqlConnectionStringBuilder(RegistryFixture.ServerConnectionString) { Database = name }.ConnectionString;
            var first = await MigrateAsync(database);
            var second = await MigrateAsync(database);

            Assert.True(first.Exit == 0, first.Messages);
            Assert.Contains("applied", first.Messages, StringComparison.Ordinal);
            // A new database has no migration history yet; that is not an error and must not be logged as one.
            Assert.DoesNotContain("fail:", first.Messages, StringComparison.Ordinal);
            Assert.True(second.Exit == 0, second.Messages);
            Assert.Contains("database is up to date", second.Messages, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", second.Messages, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync($"drop database {name} with (force)");
        }
    }

    private static async Task<(int Exit, string Messages)> MigrateAsync(string database)
    {
        var (exit, output, errors) = await ClientProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "HabitatRegistry.Api.dll"), "migrate"],
            new Dictionary<string, string> { ["HABITAT_DB"] = database, ["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory }, TimeSpan.FromMinutes(1));
        return (exit, output + errors);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RegistryFixture.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
