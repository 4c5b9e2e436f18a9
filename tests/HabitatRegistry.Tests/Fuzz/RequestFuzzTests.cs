using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HabitatRegistry.Tests.Access;
using HabitatRegistry.Tests.TestHost;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Fuzz;

/// <summary>
/// The fuzz suite (issue 12): mutated uploads, bodies and query strings against the real service on PostGIS, from a
/// registry holding the Tokorozawa samples. Whatever is sent, the service never answers 5xx, every 4xx is problem
/// details, a refused request changes nothing in the database, and what it accepts leaves every report readable.
/// The kept cases (Fuzz/Cases/*.case) run every time; then HABITAT_FUZZ_CASES generated ones (default 500) of
/// HABITAT_FUZZ_SEED (default 20261206). HABITAT_FUZZ_ONLY=17,42 runs just those cases again; HABITAT_FUZZ_LONG=1 is
/// the long budget (bench/fuzz.sh); failing cases are written as case files to HABITAT_FUZZ_SAVE (default: beside the
/// test assembly, in fuzz-failures/).
/// </summary>
public sealed partial class RequestFuzzTests(FuzzFixture fixture) : IClassFixture<FuzzFixture>, IAsyncLifetime
{
    public const string CaseFolder = "tests/HabitatRegistry.Tests/Fuzz/Cases";

    private static readonly int Seed = Setting("HABITAT_FUZZ_SEED") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : 20261206;
    private static readonly int Cases = Setting("HABITAT_FUZZ_CASES") is { } cases ? int.Parse(cases, CultureInfo.InvariantCulture) : 500;
    private static readonly bool Long = Setting("HABITAT_FUZZ_LONG") == "1";
    /// <summary>How long a request may take. One the service cannot finish fails its case instead of stopping the run; its work may go on in the background.</summary>
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(Long ? 300 : 20);
    private static readonly string SaveFolder = Setting("HABITAT_FUZZ_SAVE") ?? Path.Combine(AppContext.BaseDirectory, "fuzz-failures");

    /// <summary>A request that never finishes goes on in the background, taking a processor: after this many the run stops.</summary>
    private const int MaxUnanswered = 3;

    private readonly HttpClient client = fixture.ClientWithKey(fixture.AdminKey);
    private SortedDictionary<string, string> baseline = null!;

    public static TheoryData<string> KeptCases => new(Directory.GetFiles(RepoFile(CaseFolder), "*.case").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    public async Task InitializeAsync()
    {
        client.Timeout = Timeout.InfiniteTimeSpan; // AnswerTime is the limit: the in-process server does not give up on a cancelled request
        baseline = await fixture.BaselineAsync(client);
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(KeptCases))]
    public async Task AKeptCaseIsAnsweredWithoutAServerErrorAndChangesNothingWhenRefused(string caseFile)
    {
        var request = FuzzRequest.Parse(await File.ReadAllTextAsync(RepoFile($"{CaseFolder}/{caseFile}")), Long, caseFile);
        var outcome = await CheckAsync(request);
        Assert.True(outcome.Problems.Count == 0, $"{request.Description}\n{request.Summary}\n{string.Join('\n', outcome.Problems)}\n"
            + $"again: dotnet test tests/HabitatRegistry.Tests -c Release --filter \"DisplayName~{caseFile}\"");
    }

    [Fact]
    public async Task GeneratedRequestsAreAnsweredWithoutAServerErrorAndChangeNothingWhenRefused()
    {
        var fuzzer = new RequestFuzzer(Long);
        var numbers = Setting("HABITAT_FUZZ_ONLY") is { } only ? CaseNumbers(only) : [.. Enumerable.Range(0, Cases)];
        var run = new List<int>();
        var failures = new List<Failure>();
        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = (Seconds: 0.0, Case: -1, Summary: "");
        var changes = 0;
        var unanswered = 0;
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(SaveFolder);
        foreach (var number in numbers)
        {
            var request = Generate(fuzzer, number);
            run.Add(number);
            var started = clock.Elapsed;
            var outcome = await CheckAsync(request);
            var seconds = (clock.Elapsed - started).TotalSeconds;
            if (seconds > slowest.Seconds) slowest = (seconds, number, request.Summary);
            var answer = outcome.Status == 0 ? "no answer" : $"{outcome.Status / 100}xx";
            answers[answer] = answers.GetValueOrDefault(answer) + 1;
            if (outcome.Changed) changes++;
            if (outcome.Problems.Count > 0)
            {
                var file = Path.Combine(SaveFolder, $"seed{Seed}-case{number}.case");
                await File.WriteAllTextAsync(file, (request with { Description = $"{request.Description}\nFound: {string.Join("\n", outcome.Problems)}" }).ToCaseFile());
                failures.Add(new(number, request, outcome.Problems, file));
            }
            if (outcome.Status == 0 && ++unanswered == MaxUnanswered) break;
            if (Long && run.Count % 250 == 0)
            {
                await File.AppendAllTextAsync(Path.Combine(SaveFolder, "progress.log"), $"{DateTime.Now:HH:mm:ss} case {number}: {failures.Count} failing so far\n");
            }
        }

        var summary = Summary(run, clock.Elapsed, answers, changes, slowest, failures);
        await File.WriteAllTextAsync(Path.Combine(SaveFolder, $"summary-seed{Seed}.txt"), summary);
        Assert.True(failures.Count == 0, summary);
    }

    [Fact]
    public void TheGeneratorSendsRequestsToEveryEndpointOfTheService()
    {
        // Routes compared by shape: parameters and constraints as {}, no trailing slash.
        static string Shape(string route) => TrailingSlash().Replace(RouteParameter().Replace(route, "{}"), "");
        var service = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => Shape($"{method} /{e.RoutePattern.RawText!.TrimStart('/')}")))
            .ToHashSet();
        var missing = service.Except(RequestFuzzer.Routes.Select(Shape)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"The fuzz generator (RequestFuzzer.Endpoints, JsonBody) sends nothing to: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("(?<=[^ ])/$")]
    private static partial Regex TrailingSlash();

    /// <summary>"17,42" or "100-199": the cases HABITAT_FUZZ_ONLY names.</summary>
    private static List<int> CaseNumbers(string list) =>
        [.. list.Split(',').SelectMany(part => part.Split('-') is [var first, var last]
            ? Enumerable.Range(int.Parse(first, CultureInfo.InvariantCulture), int.Parse(last, CultureInfo.InvariantCulture) - int.Parse(first, CultureInfo.InvariantCulture) + 1)
            : [int.Parse(part, CultureInfo.InvariantCulture)])];

    private static FuzzRequest Generate(RequestFuzzer fuzzer, int number)
    {
        try
        {
            return fuzzer.Generate(Seed, number);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The generator itself failed on seed {Seed} case {number}{(Long ? " (long budget)" : "")}.", e);
        }
    }

    private sealed record Outcome(int Status, bool Changed, List<string> Problems);

    private sealed record Failure(int Case, FuzzRequest Request, List<string> Problems, string File);

    /// <summary>
    /// Sends the request and checks its answer; if it changed the database, checks that it was accepted and that the
    /// reports over what changed still answer, then puts the database back as it was.
    /// </summary>
    private async Task<Outcome> CheckAsync(FuzzRequest request)
    {
        var problems = new List<string>();
        var status = await SendAndCheckAsync(request, problems, "");
        var changed = DatabaseFingerprint.ChangedTables(baseline, await fixture.TableDigestsAsync());
        if (changed.Count > 0)
        {
            if (status is < 200 or >= 300) problems.Add($"refused ({(status == 0 ? "no answer" : status)}), but it changed {string.Join(", ", changed)}");
            else
            {
                foreach (var read in await ReadsOverAsync(changed)) await SendAndCheckAsync(new("GET", read, [], [], read), problems, $"then GET {read}: ");
            }
            await fixture.RestoreAsync();
        }
        return new(status, changed.Count > 0, problems);
    }

    /// <summary>The status (0: no complete answer); a problem for a 5xx, a 4xx that is not problem details, a 2xx JSON that does not parse, and what the service logged as an error.</summary>
    private async Task<int> SendAndCheckAsync(FuzzRequest request, List<string> problems, string prefix)
    {
        fixture.Errors.Take();
        var status = 0;
        string? answerProblem = null;
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message).WaitAsync(AnswerTime);
            status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync().WaitAsync(AnswerTime);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500) answerProblem = $"{status}: {Excerpt(body)}";
            else if (status >= 400) answerProblem = ProblemDetailsProblem(status, mediaType, body);
            else if (status is >= 200 and < 300 && mediaType?.EndsWith("json", StringComparison.Ordinal) == true && !ParsesAsJson(body))
            {
                answerProblem = $"{status} with {mediaType} that is not JSON: {Excerpt(body)}";
            }
        }
        catch (TimeoutException)
        {
            answerProblem = $"no answer within {AnswerTime.TotalSeconds} s";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException or InvalidDataException)
        {
            answerProblem = $"no complete answer: {e.GetType().Name}: {FirstLine(e.Message)} ({FirstLine(e.StackTrace ?? "")})";
        }
        var logged = fixture.Errors.Take();
        // The exception the service logged says more than a 500's body, and names the failure in the summary.
        if (status >= 500 && logged.Count > 0) answerProblem = $"{status}: {logged[0]}";
        if (answerProblem is not null) problems.Add($"{prefix}{answerProblem}");
        // Below 500, anything logged as an error is a failure of its own (after a 5xx, the rest is the same failure told again).
        if (status < 500) problems.AddRange(logged.Select(error => $"{prefix}{(status == 0 ? "" : $"{status}, ")}but the service logged {error}"));
        return status;
    }

    private static string? ProblemDetailsProblem(int status, string? mediaType, byte[] body)
    {
        if (mediaType != "application/problem+json") return $"{status} as {mediaType ?? "no Content-Type"}, not application/problem+json: {Excerpt(body)}";
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || title.GetString()!.Length == 0)
            {
                return $"{status} problem details without a title: {Excerpt(body)}";
            }
            if (root.TryGetProperty("status", out var said) && (said.ValueKind != JsonValueKind.Number || said.GetInt32() != status))
            {
                return $"{status} problem details saying status {said}: {Excerpt(body)}";
            }
            return null;
        }
        catch (JsonException)
        {
            return $"{status} problem details that are not JSON: {Excerpt(body)}";
        }
    }

    /// <summary>After an accepted change, the reads that show what changed: they must still answer.</summary>
    private async Task<List<string>> ReadsOverAsync(IReadOnlyList<string> changed)
    {
        bool Changed(string table) => changed.Any(t => t.StartsWith(table, StringComparison.Ordinal));
        async Task<string[]> Values(string sql) => (await fixture.ScalarAsync<string>($"select coalesce(string_agg(distinct v, ','), '') from ({sql}) t(v)")).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var reads = new List<string> { "/collections" };
        foreach (var register in new[] { "designations", "acquisitions" }.Where(Changed))
        {
            reads.AddRange([$"/collections/{register}/items?limit=1000", $"/reports/area?register={register}&from=2000", $"/reports/area?register={register}&asOf=2025-03-31&format=csv",
                "/network/metrics?profile=amphibians&include=designations,acquisitions", "/reports/targets?fiscalYear=2025"]);
        }
        if (Changed("activities"))
        {
            reads.AddRange(["/activities?limit=1000", "/collections/activities/items?limit=1000", "/reports/targets", "/reports/targets?fiscalYear=2025&format=html&lang=en", "/reports/targets?fiscalYear=2025&format=csv"]);
        }
        if (Changed("habitat_patches"))
        {
            reads.AddRange(["/collections/habitat-patches/items?limit=1000", "/network/metrics?profile=small-mammals", "/collections/network-patches-small-mammals/items", "/collections/network-links-small-mammals/items"]);
        }
        if (Changed("targets") || Changed("pdca_entries"))
        {
            reads.AddRange(["/targets", "/reports/targets?fiscalYear=2025", "/reports/targets?fiscalYear=2025&format=html", "/reports/targets?fiscalYear=2024&format=csv&lang=en"]);
            foreach (var year in await Values("select fiscal_year::text from pdca_entries")) reads.AddRange([$"/pdca/{year}", $"/reports/targets?fiscalYear={year}&format=html"]);
        }
        if (Changed("published_target_reports"))
        {
            foreach (var year in await Values("select fiscal_year::text from published_target_reports"))
            {
                reads.AddRange([$"/reports/targets/published?fiscalYear={year}", $"/reports/targets/published?fiscalYear={year}&format=html", $"/reports/targets/published?fiscalYear={year}&format=csv&lang=en"]);
            }
        }
        if (Changed("network_profiles"))
        {
            reads.Add("/network/profiles");
            foreach (var name in (await Values("select name from network_profiles")).Select(Uri.EscapeDataString))
            {
                reads.AddRange([$"/network/profiles/{name}", $"/network/metrics?profile={name}", $"/collections/network-patches-{name}/items"]);
            }
        }
        if (Changed("audit_events")) reads.AddRange(["/audit?limit=1000", "/audit?format=csv&limit=1000"]);
        return [.. reads.Distinct()];
    }

    private static string Summary(List<int> numbers, TimeSpan elapsed, SortedDictionary<string, int> answers, int changes, (double Seconds, int Case, string Summary) slowest, List<Failure> failures)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Fuzzing: seed {Seed}, {numbers.Count:N0} cases ({numbers.Min()}–{numbers.Max()}), {(Long ? "long" : "short")} budget, {elapsed.TotalSeconds:0.0} s.");
        if (answers.GetValueOrDefault("no answer") >= MaxUnanswered)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"STOPPED EARLY: {MaxUnanswered} requests got no answer, and are still running in the background.");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Answers: {string.Join(", ", answers.Select(a => $"{a.Key} {a.Value:N0}"))}; {changes:N0} changed the database (checked, then undone).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Slowest: case {slowest.Case}, {slowest.Seconds:0.0} s: {slowest.Summary}");
        var groups = failures.GroupBy(f => Signature(f.Request, f.Problems[0])).OrderByDescending(g => g.Count()).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"{failures.Count:N0} failing cases, {groups.Count} distinct failures{(failures.Count == 0 ? "." : ":")}");
        var index = 0;
        foreach (var group in groups)
        {
            // The smallest request of the group is the easiest to read and to keep.
            var example = group.OrderBy(f => f.Request.Body.Length + f.Request.Target.Length).First();
            text.AppendLine(CultureInfo.InvariantCulture, $"{++index}. [{group.Count()} cases: {string.Join(", ", group.Take(8).Select(f => f.Case))}{(group.Count() > 8 ? ", …" : "")}] {group.Key}");
            text.AppendLine(CultureInfo.InvariantCulture, $"   case {example.Case}: {example.Request.Summary}");
            text.AppendLine(CultureInfo.InvariantCulture, $"   made by: {example.Request.Description}");
            foreach (var problem in example.Problems) text.AppendLine(CultureInfo.InvariantCulture, $"   → {problem}");
            text.AppendLine(CultureInfo.InvariantCulture, $"   again: HABITAT_FUZZ_SEED={Seed} HABITAT_FUZZ_ONLY={example.Case}{(Long ? " HABITAT_FUZZ_LONG=1" : "")} dotnet test tests/HabitatRegistry.Tests -c Release --filter FullyQualifiedName~RequestFuzzTests.Generated");
            text.AppendLine(CultureInfo.InvariantCulture, $"   as a case file: {example.File} (copy it into {CaseFolder}/ to keep it)");
        }
        return text.ToString();
    }

    /// <summary>What makes failures the same one: the endpoint and the first problem, without its numbers and quoted values.</summary>
    private static string Signature(FuzzRequest request, string problem)
    {
        var path = request.Target.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var endpoint = $"{request.Method} /{string.Join('/', path.Take(path.FirstOrDefault() is "collections" or "registers" or "network" or "reports" ? 2 : 1))}";
        var words = Variable().Replace(problem, "…");
        return $"{endpoint}: {(words.Length > 160 ? words[..160] : words)}";
    }

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\[[^\]]*\]|\d+|\{""type"":.*")]
    private static partial Regex Variable();

    private static bool ParsesAsJson(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400));
        return body.Length > 400 ? $"{text}… ({body.Length:N0} bytes)" : text;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>
/// The registry the fuzz suite starts every case from: the Tokorozawa samples, the targets, a PDCA entry and FY2025
/// published (as WhoMayChangeTheRegistryTests sets up), and the sample activities. It is made once through the API and
/// copied; after a case that changed it, the copy is put back (faster than importing it all again).
/// </summary>
public sealed class FuzzFixture : RegistryFixture, IAsyncLifetime
{
    private NpgsqlConnection? copies; // holds the copies, as temporary tables of this connection
    private string restore = "";
    private SortedDictionary<string, string>? baseline;

    /// <summary>What the service logged as an error while a request was answered.</summary>
    public ServiceErrors Errors { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    /// <summary>The registry as every case starts from it, made the first time, put back after that.</summary>
    public async Task<SortedDictionary<string, string>> BaselineAsync(HttpClient admin)
    {
        if (baseline is not null)
        {
            await RestoreAsync();
            return baseline;
        }
        App.Services.GetRequiredService<ILoggerFactory>().AddProvider(Errors);
        await WhoMayChangeTheRegistryTests.SetUpAsync(this, admin);
        var activities = await admin.PostCsvAsync("/imports/activities", await File.ReadAllBytesAsync(RepoFile("gis-samples/tokorozawa-activities.csv")));
        Assert.True(activities.IsSuccessStatusCode, await activities.Content.ReadAsStringAsync());

        copies = new NpgsqlConnection(ConnectionString);
        await copies.OpenAsync();
        // A request still running after its client gave up may hold locks: then putting the registry back fails, not hangs.
        await Execute(copies, "set lock_timeout = '20s'");
        var tables = await Rows(copies, """
            select t.table_name, string_agg(quote_ident(c.column_name), ', ' order by c.ordinal_position)
            from information_schema.tables t join information_schema.columns c using (table_schema, table_name)
            where t.table_schema = current_schema() and t.table_type = 'BASE TABLE' and t.table_name not in ('api_keys', '__EFMigrationsHistory', 'registry_generation')
              and c.is_generated = 'NEVER'
            group by t.table_name
            """);
        var references = await Rows(copies, """
            select conrelid::regclass::text, confrelid::regclass::text from pg_constraint
            where contype = 'f' and connamespace = current_schema()::regnamespace and conrelid <> confrelid
            """);
        // Rows go back parents first, so every foreign key finds its row.
        var ordered = new List<string>();
        void Visit(string table)
        {
            if (ordered.Contains(table)) return;
            foreach (var parent in references.Where(r => r[0] == table).Select(r => r[1])) Visit(parent);
            ordered.Add(table);
        }
        foreach (var table in tables) Visit(table[0]);
        var columns = tables.ToDictionary(t => t[0], t => t[1]);
        var copy = new StringBuilder();
        foreach (var table in ordered.Where(columns.ContainsKey)) copy.Append(CultureInfo.InvariantCulture, $"create temporary table \"copy_{table}\" as select * from \"{table}\";");
        await Execute(copies, copy.ToString());
        restore = $"truncate {string.Join(", ", ordered.Where(columns.ContainsKey).Select(t => $"\"{t}\""))};"
            + string.Concat(ordered.Where(columns.ContainsKey).Select(t => $"insert into \"{t}\" ({columns[t]}) overriding system value select {columns[t]} from \"copy_{t}\";"));
        baseline = await this.TableDigestsAsync();
        return baseline;
    }

    /// <summary>Puts the registry back as it was made; fails if that does not give the same digests.</summary>
    public async Task RestoreAsync()
    {
        await Execute(copies!, restore);
        var now = await this.TableDigestsAsync();
        Assert.True(DatabaseFingerprint.ChangedTables(baseline!, now).Count == 0, $"the registry could not be put back: {string.Join(", ", DatabaseFingerprint.ChangedTables(baseline!, now))}");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (copies is not null) await copies.DisposeAsync();
        await DisposeAsync();
    }

    private static async Task<List<string[]>> Rows(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync()) rows.Add([reader.GetString(0), reader.GetString(1)]);
        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Collects what the service logs at Error or above, with the exception's type, message and the service's own frame it came from.</summary>
public sealed class ServiceErrors : ILoggerProvider
{
    private readonly List<(int Rank, string Text)> errors = [];

    /// <summary>
    /// What was logged since the last call, and forgets it. Exceptions that passed through the service's own code come
    /// first, then other exceptions, then messages: the database layer logs a failed command before the service does.
    /// </summary>
    public List<string> Take()
    {
        lock (errors)
        {
            var taken = errors.OrderByDescending(e => e.Rank).Select(e => e.Text).ToList();
            errors.Clear();
            return taken;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(ServiceErrors owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var innermost = exception;
            while (innermost?.InnerException is not null) innermost = innermost.InnerException;
            var where = exception?.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("HabitatRegistry.", StringComparison.Ordinal));
            var text = exception is null
                ? $"{category}: {formatter(state, null).Split('\n')[0]}"
                : $"{innermost!.GetType().FullName}: {innermost.Message.Split('\n')[0].Trim()}{(where is null ? "" : $" ({where})")}";
            lock (owner.errors) owner.errors.Add((exception is null ? 0 : where is null ? 1 : 2, text));
        }
    }
}
