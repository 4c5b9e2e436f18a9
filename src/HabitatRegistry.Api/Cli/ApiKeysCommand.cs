using System.Globalization;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Features.Access;

namespace HabitatRegistry.Cli;

/// <summary>
/// <c>api-keys create|list|revoke|check</c>: keys are managed where the database is, by whoever runs the service, not
/// over the network. A new key is printed once, alone on the last line of standard output, and never again.
/// </summary>
internal static class ApiKeysCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] command, TextWriter output)
    {
        var args = command[1..];
        string? Option(string name) => CommandLine.OptionValue(args, name);
        var keys = services.GetRequiredService<ApiKeyStore>();
        switch (args.FirstOrDefault())
        {
            case "create":
                if (Roles.Parse(Option("--role")) is not { } role) return Fail($"--role must be {Roles.Names}{(Option("--role") is { } r ? $", not \"{r}\"" : "")}.");
                var name = Option("--name");
                var (key, problem) = await keys.CreateAsync(name ?? "", role, CommandLine.Actor, args.Contains("--replace"), CancellationToken.None);
                if (key is null) return Fail(problem!);
                await CommandLine.RecordAsync(services, "CreateApiKey", command, null, $"key \"{name}\", role {role.Name()}");
                output.WriteLine($"Made the key \"{name}\" with the role {role.Name()}. Keep it safe: it is shown only now, and the registry keeps only a hash of it.");
                output.WriteLine("Send it as \"Authorization: Bearer KEY\", or as the password of HTTP Basic with any user name (QGIS, GDAL). The key:");
                output.WriteLine(key);
                return 0;
            case "list":
                var listed = await keys.ListAsync(args.Contains("--all"), CancellationToken.None);
                if (listed.Count == 0)
                {
                    output.WriteLine("There are no keys yet: make one with api-keys create --name NAME --role admin.");
                    return 0;
                }
                var rows = listed.Select(k => new[]
                {
                    k.Name, k.Role.Name(), Time(k.CreatedAt), k.LastUsedAt is { } used ? Time(used) : "never", k.RevokedAt is { } revoked ? $"revoked {Time(revoked)}" : "working", k.CreatedBy,
                }).Prepend(["name", "role", "created (JST)", "last used (JST)", "state", "made by"]).ToList();
                var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
                foreach (var row in rows) output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
                return 0;
            case "revoke":
                var revoked = Option("--name");
                if (string.IsNullOrEmpty(revoked)) return Fail("Say which key: api-keys revoke --name NAME (api-keys list shows the names).");
                if (!await keys.RevokeAsync(revoked, CancellationToken.None)) return Fail($"There is no working key named \"{revoked}\" (api-keys list shows them).");
                await CommandLine.RecordAsync(services, "RevokeApiKey", command, null, $"key \"{revoked}\"");
                output.WriteLine($"Revoked the key \"{revoked}\": it is refused from now on.");
                return 0;
            case "check":
                var file = Option("--key-file");
                if (file is null || !File.Exists(file)) return Fail($"Give the file that holds the key: api-keys check --key-file FILE{(file is null ? "" : $" ({file} does not exist)")}.");
                var holder = await keys.FindAsync((await File.ReadAllTextAsync(file)).Trim(), CancellationToken.None);
                if (holder is null) return Fail($"The key in {file} does not work: it is not known here, or it was revoked.");
                output.WriteLine($"The key in {file} is \"{holder.Name}\", role {holder.Role.Name()}.");
                return 0;
            default:
                return CommandLine.Usage(output) + 2;
        }
    }

    private static string Time(DateTimeOffset moment) => moment.ToOffset(FiscalYear.JapanOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
