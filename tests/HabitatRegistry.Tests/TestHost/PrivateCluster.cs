using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HabitatRegistry.Tests.TestHost;

/// <summary>
/// A PostgreSQL cluster of a test's own, started the way ./run.sh starts one (db/postgis.sh), for tests that stop and
/// start the database: the shared test cluster must stay up for every other test.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string folder;

    public string ConnectionString { get; }

    private PrivateCluster(string folder, string connectionString)
    {
        this.folder = folder;
        ConnectionString = connectionString;
    }

    public static async Task<PrivateCluster> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"habitat-cluster-{Guid.NewGuid():N}");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var output = await ShellAsync($"start_cluster '{folder}' {port} '-c fsync=off' && echo \"$HABITAT_DB\"");
        return new PrivateCluster(folder, output.Trim().Split('\n')[^1]);
    }

    /// <summary>Stops the server as an administrator would (pg_ctl stop, fast): every connection is cut.</summary>
    public Task StopAsync() => ShellAsync($"stop_cluster '{folder}'");

    /// <summary>Starts it again on the same port.</summary>
    public Task RestartAsync() =>
        ShellAsync($"start_cluster '{folder}' {new NpgsqlConnectionStringBuilder(ConnectionString).Port} '-c fsync=off' >/dev/null");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await ShellAsync($"rm -rf '{folder}'");
    }

    private static async Task<string> ShellAsync(string script)
    {
        var (exit, output, errors) = await ClientProcess.RunAsync("bash", ["-c", $"set -e; source '{Parcels.RepoFile("db/postgis.sh")}'; {script}"]);
        Assert.True(exit == 0, $"{script}: {output}\n{errors}");
        return output;
    }
}
