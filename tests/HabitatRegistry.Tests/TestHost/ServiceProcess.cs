using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HabitatRegistry.Tests.TestHost;

/// <summary>The real program (HabitatRegistry.Api.dll), as a city runs it: a command, or the service on a port of its own.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    public string BaseUrl { get; }

    private ServiceProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "HabitatRegistry.Api.dll");

    /// <summary>Runs a command (e.g. api-keys create …) on a database and returns its exit code, standard output and standard error.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> CommandAsync(string database, params string[] arguments) =>
        ClientProcess.RunAsync("dotnet", [Dll, .. arguments], new Dictionary<string, string> { ["HABITAT_DB"] = database }, TimeSpan.FromMinutes(1));

    /// <summary>Starts the service on a free port and waits until it answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Dll, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(argument);
        start.Environment["HABITAT_DB"] = database;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var service = new ServiceProcess(Process.Start(start)!, $"http://127.0.0.1:{port}");
        service.process.OutputDataReceived += (_, e) => { lock (service.log) service.log.AppendLine(e.Data); };
        service.process.ErrorDataReceived += (_, e) => { lock (service.log) service.log.AppendLine(e.Data); };
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();
        using var client = new HttpClient();
        for (var waited = 0; waited < 600; waited++)
        {
            if (service.process.HasExited) throw new InvalidOperationException($"the service stopped at start:\n{service.Log}");
            try
            {
                if ((await client.GetAsync($"{service.BaseUrl}/conformance")).StatusCode != HttpStatusCode.ServiceUnavailable) return service;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        await service.DisposeAsync();
        throw new TimeoutException("the service did not answer within a minute");
    }

    /// <summary>Everything the service has written to standard output and standard error.</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <summary>Stops the service as a service manager does (SIGTERM), so it writes out its log, and returns the log.</summary>
    public async Task<string> StopAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        await process.WaitForExitAsync(); // and for the output to be read to its end
        return Log;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
