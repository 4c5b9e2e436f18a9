using System.Text.Json;
using HabitatRegistry.Analysis.Geometry;
using HabitatRegistry.Analysis.Network;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using Microsoft.Extensions.Options;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Network;

/// <summary>A registry record to consider as a candidate, e.g. a parcel the city might acquire.</summary>
public sealed record CandidateRecord(string? Register, string? Id);

/// <summary>The body of POST /network/scenarios.</summary>
/// <param name="Candidates">a GeoJSON FeatureCollection of candidate polygons; properties candidate_id (or id) and optional quality (0–1, default 1)</param>
/// <param name="CandidateRecords">registry records to consider as candidates, e.g. {"register": "acquisitions", "id": "A-2025-001"}</param>
/// <param name="Sequence">how many candidates to choose one after another, each the best given those chosen before (greedy); default 3</param>
/// <param name="MinProbability">pairs whose p* is below this count as not connected, so each search stays where p still
/// matters (faster on large networks; every PCnum then says how much it may lack); default 0, exact</param>
public sealed record ScenarioRequest(
    string? Profile, double? D0, double? P0, double? Threshold, string? Include, DateOnly? AsOf, double? LandscapeAreaHa,
    JsonElement? Candidates, IReadOnlyList<CandidateRecord>? CandidateRecords, int? Sequence, double? MinProbability = null);

/// <summary>What one candidate would add if it became habitat on its own.</summary>
/// <param name="NewAreaHa">the candidate's area outside the existing patches (only that is new habitat)</param>
/// <param name="PcGainPct">as Conefor reports an improvement: (PCnum after − before) / after × 100</param>
/// <param name="PcGainRelativePct">(PCnum after − before) / before × 100</param>
/// <param name="EcGainHa">EC(PC) after − before, ha</param>
/// <param name="Links">links the candidate would have to existing patches</param>
/// <param name="PcNumAfterError">with minProbability: how much PCnum after may lack (ha²; it is never too large), so the
/// gain in PCnum lies between (after − before) − pcNumBeforeError and (after − before) + this; 0 when exact</param>
public sealed record CandidateGain(int Rank, string CandidateId, double NewAreaHa, double PcGainPct, double PcGainRelativePct, double EcGainHa, double PcNumAfter, int Links,
    double PcNumAfterError);

/// <summary>One step of the greedy sequence: the best candidate given those chosen before.</summary>
/// <param name="PcNumError">with minProbability: how much PCnum may lack (ha²); 0 when exact</param>
public sealed record SequenceStep(int Step, string CandidateId, double PcNum, double EcPcHa, double PcGainPct, double PcGainRelativePct, double PcNumError);

/// <param name="PcNumBeforeError">with minProbability: how much PCnum before may lack (ha²; never too large); 0 when exact</param>
public sealed record ScenarioResult(string? Profile, double D0, double P0, double Threshold, double LandscapeAreaHa, double MinProbability,
    double PcNumBefore, double PcNumBeforeError, double PcBefore, double EcPcHaBefore, IReadOnlyList<CandidateGain> Candidates, IReadOnlyList<SequenceStep> Sequence);

/// <summary>"Which parcel should we protect next": candidates ranked by the connectivity they would add.</summary>
public static class NetworkScenarios
{
    private const int MaxCandidates = 500;

    public static void MapNetworkScenarios(this IEndpointRouteBuilder app)
    {
        app.MapPost("/network/scenarios", Evaluate)
            .ComputesOnly()
            .IsHeavy()
            .WithTags("Network")
            .WithName("EvaluateNetworkScenarios")
            .WithSummary("Rank candidate parcels by the connectivity (PC, EC) they would add as habitat, and choose the best few in sequence")
            .WithDescription("""
                Each candidate is added on its own to the current network as a new patch (quality as given, default 1), its area
                being the part not already covered by habitat patches, linked by the profile's threshold. The gain is reported
                as Conefor reports an improvement, (PCnum after − before) / after, and relative to before; EC gain in ha.
                The sequence picks the best candidate, adds it, and picks the best of the rest given it, and so on.
                """)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    internal static async Task<Results<Ok<ScenarioResult>, ProblemHttpResult>> Evaluate(
        ScenarioRequest request, NetworkAnalysis analysis, NpgsqlDataSource dataSource, IOptions<HabitatOptions> options, CancellationToken cancellationToken)
    {
        var (dispersal, sources, area, problem) = await analysis.ReadAsync(
            new(request.Profile, request.D0, request.P0, request.Threshold, request.Include, request.AsOf, request.LandscapeAreaHa,
                MinProbability: request.MinProbability), cancellationToken);
        if (problem is not null) return problem;
        var sequence = request.Sequence ?? 3;
        if (sequence is < 0 or > 50) return Problems.BadParameter("sequence", $"sequence={sequence}: choose between 0 and 50 candidates in sequence.");

        var errors = new Dictionary<string, string[]>();
        var candidates = ReadCandidates(request.Candidates, errors);
        candidates.AddRange(await ReadRecordsAsync(request.CandidateRecords, dataSource, errors, cancellationToken));
        if (errors.Count == 0 && candidates.Count == 0) errors["candidates"] = ["Give at least one candidate: a GeoJSON FeatureCollection in \"candidates\", or registry records in \"candidateRecords\"."];
        if (candidates.Count > MaxCandidates) errors["candidates"] = [$"{candidates.Count} candidates is more than {MaxCandidates}; send them in parts."];
        foreach (var repeated in candidates.GroupBy(c => c.Id).Where(g => g.Count() > 1))
            errors[$"candidates[{repeated.Key}]"] = [$"Candidate \"{repeated.Key}\" is given more than once; every candidate needs its own id."];
        if (errors.Count > 0)
            return Problems.Invalid("The candidates cannot be evaluated; nothing was computed.", string.Join(" ", errors.Values.SelectMany(v => v)), errors);

        // The links' query and every scenario together must finish within one time limit, like one report.
        using var limit = analysis.TimeLimit(cancellationToken);
        PatchGraph? graph = null;
        try
        {
            // One graph holds the network and every candidate; each scenario keeps the network and some candidates.
            graph = await analysis.GraphAsync(dispersal!, sources!, candidates, withGeometry: false, limit.Token);
            if (graph is null) return NetworkApi.NoPatches();
            var baseCount = graph.Nodes.Count - candidates.Count;
            var ranking = NetworkAnalysis.Scenarios(graph, baseCount, sequence, dispersal!, limit.Token);
            return TypedResults.Ok(Result(ranking, graph, baseCount, dispersal!, area));
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new NetworkTooLargeException(options.Value.ReportTimeLimitSeconds, graph?.Nodes.Count, graph?.Links.Count);
        }
    }

    private static ScenarioResult Result(ScenarioRanking ranking, PatchGraph graph, int baseCount, Dispersal dispersal, double area)
    {
        PatchNode Node(int candidate) => graph.Nodes[baseCount + candidate];
        var before = ranking.PcNumBefore;
        var gains = ranking.Candidates.Select(c => new CandidateGain(c.Rank, Node(c.Candidate).PatchId, Node(c.Candidate).AreaHa,
            c.PcGainPct, c.PcGainRelativePct, c.EcGain, c.PcNumAfter, c.Links, c.PcNumAfterError)).ToList();
        var steps = ranking.Sequence.Select(s => new SequenceStep(s.Step, Node(s.Candidate).PatchId, s.PcNum, s.EcPc, s.PcGainPct, s.PcGainRelativePct, s.PcNumError)).ToList();
        return new ScenarioResult(dispersal.Profile, dispersal.D0, dispersal.P0, dispersal.Threshold, area, dispersal.MinProbability,
            before, ranking.PcNumBeforeError, before / (area * area), Math.Sqrt(before), gains, steps);
    }

    private static List<Candidate> ReadCandidates(JsonElement? collection, Dictionary<string, string[]> errors)
    {
        var candidates = new List<Candidate>();
        if (collection is not { ValueKind: not JsonValueKind.Null } json) return candidates;
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            errors["candidates"] = ["\"candidates\" must be a GeoJSON FeatureCollection of polygons in longitude/latitude."];
            return candidates;
        }
        if (ClientText.FirstBroken(json, "candidates") is { } broken)
        {
            errors[broken.Path] = [$"\"{broken.Path}\" {broken.Problem}."];
            return candidates;
        }
        var i = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var key = $"candidates.features[{i++}]";
            if (feature.ValueKind != JsonValueKind.Object)
            {
                errors[key] = [$"{key} is not a GeoJSON Feature; every candidate is an object with \"type\": \"Feature\", a polygon and its properties."];
                continue;
            }
            var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            string? id = null;
            double quality = 1;
            if (properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "candidate_id", "id", "parcel_id", "patch_id" })
                {
                    if (properties.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number) { id = value.ToString(); break; }
                }
                if (properties.TryGetProperty("quality", out var q) && (!q.TryGetDouble(out var given) || given is < 0 or > 1 || double.IsNaN(given)))
                {
                    errors[key] = [$"\"quality\" is {ClientText.Shown(q.GetRawText())}, which is not a number from 0 to 1."];
                    continue;
                }
                if (q.ValueKind == JsonValueKind.Number) quality = q.GetDouble();
            }
            id ??= feature.TryGetProperty("id", out var fid) && fid.ValueKind is JsonValueKind.String or JsonValueKind.Number ? fid.ToString() : null;
            if (string.IsNullOrWhiteSpace(id))
            {
                errors[key] = ["It has no \"candidate_id\" property: every candidate needs a name to be ranked by."];
                continue;
            }
            if (ClientText.Problem(id, ClientText.IdLength) is { } idProblem)
            {
                errors[key] = [$"Its candidate_id {idProblem}."];
                continue;
            }
            var read = feature.TryGetProperty("geometry", out var geometry)
                ? PolygonReader.Read(geometry, new PolygonReadOptions())
                : null;
            if (read?.Geometry is not { } polygon || read.Problems.Count > 0)
            {
                var why = read is null ? "it has no geometry"
                    : read.OutOfRange is { } xy ? $"its coordinates ({xy.X}, {xy.Y}) are not longitude/latitude; send candidates in lon/lat (EPSG:4326)"
                    : string.Join("; ", read.Problems);
                errors[key] = [$"Candidate {id}: {why}."];
                continue;
            }
            polygon.SRID = 4326;
            candidates.Add(new Candidate(id, polygon, quality));
        }
        return candidates;
    }

    private static async Task<List<Candidate>> ReadRecordsAsync(IReadOnlyList<CandidateRecord>? records, NpgsqlDataSource dataSource, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var wanted = new List<(int Index, RegisterSchema Register, string Id)>();
        for (var i = 0; i < (records?.Count ?? 0); i++)
        {
            var record = records![i];
            if (record is null)
            {
                errors[$"candidateRecords[{i}]"] = ["It is empty; each candidate record is {\"register\": …, \"id\": …}."];
                continue;
            }
            var register = RegisterCatalogue.Find(record.Register);
            if (register is null || register.Geometry != RegisterGeometry.Land)
            {
                errors[$"candidateRecords[{i}]"] = [$"\"{ClientText.Shown(record.Register)}\" is not a register of land; use designations, acquisitions or habitat-patches."];
                continue;
            }
            if (ClientText.Problem(record.Id, ClientText.IdLength) is { } idProblem)
            {
                errors[$"candidateRecords[{i}]"] = [$"Its id {idProblem}."];
                continue;
            }
            wanted.Add((i, register, record.Id ?? ""));
        }
        // One query per register, not per record.
        var found = new Dictionary<(string Register, string Id), Geometry>();
        foreach (var group in wanted.GroupBy(w => w.Register))
        {
            var register = group.Key;
            await using var command = dataSource.CreateCommand(
                $"select {register.IdProperty}, geom from {register.Table} where {register.IdProperty} = any($1) and superseded_at is null");
            command.Parameters.Add(new() { Value = group.Select(w => w.Id).Distinct().ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) found[(register.Name, reader.GetString(0))] = reader.GetFieldValue<Geometry>(1);
        }
        var candidates = new List<Candidate>();
        foreach (var (index, register, id) in wanted)
        {
            if (found.TryGetValue((register.Name, id), out var geometry)) candidates.Add(new Candidate($"{register.Name}/{id}", geometry, 1));
            else errors[$"candidateRecords[{index}]"] = [$"{register.Name} has no {register.RecordNoun} \"{ClientText.Shown(id)}\"."];
        }
        return candidates;
    }
}
