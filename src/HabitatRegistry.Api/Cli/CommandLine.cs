using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HabitatRegistry.Analysis.Network;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Audit;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Targets;
using HabitatRegistry.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HabitatRegistry.Cli;

/// <summary>
/// Bulk work on the same code as the API: <c>migrate</c>, <c>import REGISTER FILE [--crs EPSG:n] [--repair] [--dry-run] [--by NAME]</c>
/// (FILE a GeoJSON FeatureCollection, or a .csv), <c>targets FILE</c>, <c>city-boundary FILE [--credit TEXT]</c>, <c>api-keys …</c> and <c>network-indices …</c> (files only,
/// no database). Whoever runs it works on the database directly: changes are recorded as theirs ("NAME (command line)").
/// </summary>
internal static class CommandLine
{
    internal static readonly string[] Commands = ["migrate", "import", "targets", "city-boundary", "api-keys", "network-indices", "help"];

    /// <summary>The name the command line's changes are recorded under.</summary>
    public static string Actor => $"{Environment.UserName} (command line)";

    /// <summary>A first word that is not an option (--urls …) is a command, known or not: an unknown one is said so, not served.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    /// <param name="output">what a command reports (standard output; tests read it); problems go to standard error</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        // These need no database.
        if (!Commands.Contains(args[0])) return await UnknownAsync(args[0]);
        if (args[0] == "help") return Usage(output);
        if (args[0] == "network-indices") return NetworkIndices(args[1..], output);
        try
        {
            _ = services.GetRequiredService<IOptions<HabitatOptions>>().Value;
            return args[0] switch
            {
                "migrate" => await MigrateAsync(services, output),
                "import" => await ImportAsync(services, args, output),
                "targets" => await LoadTargetsAsync(services, args, output),
                "city-boundary" => await LoadCityBoundaryAsync(services, args, output),
                _ => await ApiKeysCommand.RunAsync(services, args, output),
            };
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"error: {string.Join(" ", e.Failures)}");
            return 2;
        }
    }

    private static async Task<int> UnknownAsync(string command)
    {
        await Console.Error.WriteLineAsync($"error: there is no command \"{ClientText.Shown(command)}\"; the commands are {string.Join(", ", Commands)} (help lists what they do). Without a command the program serves the API.");
        return 2;
    }

    public static int Usage(TextWriter output)
    {
        // The registers come from the catalogue, so a new register is never missing here.
        output.WriteLine($"""
            usage: HabitatRegistry.Api [command]
              (no command)                       serve the API (URLs from ASPNETCORE_URLS / --urls)
              migrate                            create or update the database schema
              import REGISTER FILE [options]     import a GeoJSON FeatureCollection (or a .csv of activities) into a
                                                 register: {RegisterCatalogue.Names}
                  --crs EPSG:n   coordinates are in this system (reprojected to lon/lat)
                  --repair       fix invalid polygons instead of rejecting them
                  --dry-run      check and report, store nothing
                  --by NAME      who is importing
                  --if-empty     only when the register holds no records yet (seeding)
              targets FILE [--if-empty]          create or replace the targets in a JSON array (as GET /targets gives them)
              city-boundary FILE [--credit TEXT] [--if-empty]
                                                 the city's boundary for the annual report's map: the polygons of a
                                                 GeoJSON file in lon/lat (replaces an earlier one); --credit: the line
                                                 its source asks to be printed with it
              api-keys create --name NAME --role viewer|editor|admin [--replace]
                                                 make a key; it is printed once, alone on the last line, and never again
                                                 (--replace revokes a working key of that name first)
              api-keys list [--all]              name, role, created and last used of the working keys (--all: revoked too)
              api-keys revoke --name NAME        the key stops working at once
              api-keys check --key-file FILE     whether the key in FILE works, and whose it is
              network-indices [options]          connectivity indices of Conefor-style files (no database): prints PC, IIC, H…
                  --nodes FILE --distances FILE  "id attribute" and "id1 id2 distance" lines (or Graphab's CSV exports)
                  --d0 M [--p0 P]                dispersal distance in metres and the probability there (default 0.5)
                  --threshold M                  link the pairs at most M metres apart (d ≤ M)
                  --landscape-area M2            A_L in m²
                  --attribute-unit ha|m2         unit of the attributes (default ha; Graphab's Capacity is m2)
                  --connector-radius M           search dPC's detours only M metres beyond each patch (default: exact);
                                                 the CSV then gives each patch's error bound
                  --min-probability P            pairs whose p* is below P count as unreachable (default 0: exact);
                                                 confines the searches in large landscapes, with error bounds as above
                  --out FILE.csv                 per-patch indices (dPC, intra, flux, connector, dIIC…, BC, F; percent)
              help                               this text
            The database comes from HABITAT_DB (an Npgsql connection string).
            """);
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HabitatDb>();
        // Npgsql's history repository reads the history table without checking that it exists, and a new database logs
        // that failed query as an error (npgsql/efcore.pg#3407) although nothing is wrong: create the table first.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        output.WriteLine(pending.Count == 0 ? "database is up to date" : $"applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    private static async Task<bool> RegisterHasRecordsAsync(IServiceProvider services, RegisterSchema register)
    {
        await using var command = services.GetRequiredService<NpgsqlDataSource>().CreateCommand($"select exists (select 1 from {register.Table})");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string[] command, TextWriter output)
    {
        var args = command[1..];
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--crs" or "--by"))).ToList();
        if (positional.Count != 2) return Usage(output);
        string? Option(string name) => OptionValue(args, name);

        var register = RegisterCatalogue.Find(positional[0]);
        if (register is null)
        {
            await Console.Error.WriteLineAsync($"error: there is no register \"{positional[0]}\"; the registers are: {RegisterCatalogue.Names}");
            return 2;
        }
        if (ClientText.Problem(Option("--by"), ClientText.NameLength) is { } noteProblem)
        {
            await Console.Error.WriteLineAsync($"error: --by {noteProblem}");
            return 2;
        }
        var path = positional[1];
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"error: no file {path}");
            return 2;
        }
        if (args.Contains("--if-empty") && await RegisterHasRecordsAsync(services, register))
        {
            output.WriteLine($"{register.Name} already holds records: {path} not imported (--if-empty)");
            return 0;
        }
        var options = services.GetRequiredService<IOptions<HabitatOptions>>().Value;
        // Read as the API reads an upload: a feature at a time, never the whole file in memory.
        using var upload = UploadReader.Open(File.OpenRead(path), Path.GetFileName(path), register, csv: path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
        if (upload.Problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {path} cannot be imported into {register.Name}; nothing was stored: {ProblemText(upload.Problem)}");
            return 1;
        }
        var importer = services.GetRequiredService<RecordImporter>();
        var (report, checkedUpload) = await importer.ImportAsync(
            new FeatureUpload(upload.Features!, register, Option("--crs"), args.Contains("--repair"), options.City.Hint, upload.Origins),
            new ImportSource(Path.GetFileName(path), Actor, Option("--by"), args.Contains("--dry-run")), CancellationToken.None);
        if (report is null)
        {
            await Console.Error.WriteLineAsync($"error: {path} cannot be imported into {register.Name}; nothing was stored:");
            foreach (var (key, problems) in checkedUpload.Problems)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync($"  {key}: {problem}");
            }
            return 1;
        }
        if (report.AuditDetail is { } detail) await RecordAsync(services, "ImportRecords", command, Option("--by"), detail);
        output.WriteLine($"{path} → {register.Name}: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged{(report.DryRun ? " (dry run: nothing stored)" : "")}");
        foreach (var warning in report.Warnings) output.WriteLine($"  note: {warning}");
        return 0;
    }

    /// <summary>What a refusal says, for the terminal.</summary>
    private static string? ProblemText(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem) => problem.ProblemDetails.Detail;

    private static async Task<int> LoadCityBoundaryAsync(IServiceProvider services, string[] command, TextWriter output)
    {
        var args = command[1..];
        var path = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--credit")).FirstOrDefault();
        if (path is null) return Usage(output);
        var credit = OptionValue(args, "--credit");
        if (ClientText.Problem(credit, ClientText.TextLength) is { } creditProblem)
        {
            await Console.Error.WriteLineAsync($"error: --credit {creditProblem}");
            return 2;
        }
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"error: no file {path}");
            return 2;
        }
        await using (var scope = services.CreateAsyncScope())
        {
            if (args.Contains("--if-empty") && await scope.ServiceProvider.GetRequiredService<HabitatDb>().CityBoundary.AnyAsync())
            {
                output.WriteLine($"a city boundary is already stored: {path} not loaded (--if-empty)");
                return 0;
            }
        }
        var (area, problem) = await CityBoundary.StoreAsync(services.GetRequiredService<NpgsqlDataSource>(), await File.ReadAllTextAsync(path), credit, Actor, CancellationToken.None);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {path} cannot be the city boundary; nothing was stored: {problem}");
            return 1;
        }
        await RecordAsync(services, "LoadCityBoundary", command, null, $"{Path.GetFileName(path)}, {area:0.##} ha");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path} → the city boundary: {area:#,0.##} ha{(credit is null ? "" : ", credited")}"));
        return 0;
    }

    private static async Task<int> LoadTargetsAsync(IServiceProvider services, string[] command, TextWriter output)
    {
        var args = command[1..];
        var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (path is null) return Usage(output);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"error: no file {path}");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HabitatDb>();
        if (args.Contains("--if-empty") && await db.Targets.AnyAsync())
        {
            output.WriteLine($"targets are already defined: {path} not loaded (--if-empty)");
            return 0;
        }
        List<TargetDefinition>? definitions;
        try
        {
            definitions = JsonSerializer.Deserialize<List<TargetDefinition>>(await File.ReadAllBytesAsync(path), Json.Web);
        }
        catch (JsonException e)
        {
            await Console.Error.WriteLineAsync($"error: {path} is not a JSON array of targets (line {e.LineNumber + 1}): nothing was stored");
            return 1;
        }
        var problems = (definitions ?? []).SelectMany((d, i) => d.Validate().SelectMany(p => p.Value.Select(m => $"  [{i}] {d.Code} {p.Key}: {m}"))).ToList();
        if (definitions is null || problems.Count > 0)
        {
            await Console.Error.WriteLineAsync($"error: {path} cannot be loaded; nothing was stored:");
            foreach (var problem in problems) await Console.Error.WriteLineAsync(problem);
            return 1;
        }
        var stored = await db.Targets.ToDictionaryAsync(t => t.Code); // one query, not one per target
        foreach (var definition in definitions)
        {
            if (!stored.TryGetValue(definition.Code!, out var target)) stored[definition.Code!] = target = db.Targets.Add(Target.Blank(definition.Code!)).Entity;
            definition.ApplyTo(target);
            target.UpdatedAt = DateTimeOffset.UtcNow;
            target.UpdatedBy = Actor;
        }
        await db.SaveChangesAsync(); // one transaction: all targets or none
        await RecordAsync(services, "LoadTargets", command, null, $"{definitions.Count} stored: {string.Join(", ", definitions.Select(d => d.Code))}");
        output.WriteLine($"{path} → targets: {definitions.Count} stored");
        return 0;
    }

    /// <summary>Records a change the command line made in the audit trail, as the API records its own.</summary>
    public static Task RecordAsync(IServiceProvider services, string action, string[] command, string? note, string detail) =>
        services.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent
        {
            Actor = Actor,
            Action = action,
            Request = string.Join(' ', command),
            Note = note,
            Detail = detail,
        }, CancellationToken.None);

    /// <summary>The value after an option (<c>--by NAME</c>), or null when it is not given.</summary>
    internal static string? OptionValue(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static int NetworkIndices(string[] args, TextWriter output)
    {
        string? Option(string name) => OptionValue(args, name);
        double Number(string name, double? fallback = null) =>
            Option(name) is { } text
                // As the API reads numbers (a point for decimals, no thousands separators), and Infinity for "no limit".
                ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new ArgumentException($"{name} {text}: not a number (with a point for decimals, e.g. 0.5)")
                : fallback ?? throw new ArgumentException($"{name} is required (see help)");
        try
        {
            var (nodesPath, distancesPath) = (Option("--nodes"), Option("--distances"));
            if (nodesPath is null || distancesPath is null) throw new ArgumentException("--nodes FILE and --distances FILE are required (see help)");
            var unit = Option("--attribute-unit") ?? "ha";
            if (unit is not ("ha" or "m2")) throw new ArgumentException($"--attribute-unit {unit}: use ha or m2");
            var kernel = new DispersalKernel(Number("--d0"), Number("--p0", 0.5));
            var threshold = Number("--threshold");
            var landscape = Number("--landscape-area") / (unit == "ha" ? 10_000 : 1);
            var clock = Stopwatch.StartNew();
            var nodes = NetworkFiles.ReadNodes(nodesPath);
            var graph = NetworkFiles.BuildGraph(nodes, NetworkFiles.ReadDistances(distancesPath), threshold);
            var read = clock.Elapsed.TotalSeconds;
            var options = new ConnectivityOptions(Number("--connector-radius", double.PositiveInfinity), MinProbability: Number("--min-probability", 0));
            var result = ConnectivityIndices.Compute(graph, kernel, landscape, options);
            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"""
                nodes {result.Nodes}, links {result.Links}, components {result.Components}
                PCnum {result.PcNum:R}  PC {result.Pc:R}  EC(PC) {result.EcPc:R} {unit}
                IICnum {result.IicNum:R}  IIC {result.Iic:R}  H {result.Harary:R}
                CCP {result.Ccp:R}  LCP {result.Lcp:R}
                largest dPC error bound {result.Patches.Max(p => p.DPcError):G3} % (connector search radius {options.ConnectorSearchRadius} m, min probability {options.MinProbability:G3}; PCnum may lack {result.PcNumError:G3})
                read {read:F1} s, indices {clock.Elapsed.TotalSeconds - read:F1} s
                """));
            if (Option("--out") is { } outFile)
            {
                using var csv = new StreamWriter(outFile);
                csv.WriteLine("id,attribute,component,dPC,dPC_intra,dPC_flux,dPC_connector,dPC_error,dIIC,dIIC_intra,dIIC_flux,dIIC_connector,BC,F");
                foreach (var p in result.Patches)
                {
                    csv.WriteLine(string.Create(inv, $"{nodes[p.Node].Id},{p.Attribute:R},{p.Component},{p.DPc:R},{p.DPcIntra:R},{p.DPcFlux:R},{p.DPcConnector:R},{p.DPcError:R},{p.DIic:R},{p.DIicIntra:R},{p.DIicFlux:R},{p.DIicConnector:R},{p.BcPc:R},{p.Flux:R}"));
                }
                output.WriteLine($"per-patch indices → {outFile}");
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
