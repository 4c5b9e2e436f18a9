using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Audit;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace HabitatRegistry.Features.Registers;

/// <summary>A withdrawal as it was recorded.</summary>
/// <param name="Version">the version that withdrew the record; the record's history keeps every version before it</param>
public sealed record Withdrawal(string Register, string RecordId, int Version, DateTimeOffset WithdrawnAt, string WithdrawnBy, string Reason) : IAuditedOutcome
{
    [JsonIgnore]
    public string? AuditDetail => $"withdrawn as version {Version}: {Reason}";
}

/// <summary>One record of any register: its history, and withdrawing it.</summary>
public static class RegisterRecordsApi
{
    public static void MapRegisterRecords(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/registers/{register}/{recordId}").WithTags("Registers");
        group.MapGet("/versions", GetVersions)
            .WithName("GetRecordVersions")
            .WithSummary("Every version of a record, oldest first, as GeoJSON: what changed, when, who made it, and from which upload")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("", Withdraw)
            .WithName("WithdrawRecord")
            .WithSummary("Withdraw a record entered by mistake (editor): it leaves the current views, collections and reports; its history stays")
            .WithDescription("""
                The withdrawal is a new version of the record, recorded with who made it and why (reason, required). From then on
                the record is in no current view, collection or report, while its history keeps every version, and views of the
                registry as it was recorded before (asRecordedAt) still show it. A withdrawal is not a legal release: a designation
                that was lifted keeps its record, with lifted_on. Importing the same id again brings the record back as a new version.
                """)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    /// <param name="register">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="recordId">the record's id (parcel_id, activity_id or patch_id)</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetVersions(
        string register, string recordId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);
        await using var command = dataSource.CreateCommand($"{RegisterColumns.SelectHistory(schema)} where r.{schema.IdProperty} = $1 order by r.version");
        command.Parameters.Add(new() { Value = recordId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var row = RegisterColumns.Find(reader, schema);
        using var buffer = new MemoryStream();
        var count = 0;
        await using (var writer = new Utf8JsonWriter(buffer, Json.Writer))
        {
            FeatureCollectionWriter.WriteStart(writer);
            while (await reader.ReadAsync(cancellationToken))
            {
                row.WriteFeature(writer, reader);
                count++;
            }
            FeatureCollectionWriter.WriteEnd(writer);
        }
        if (count == 0) return NoSuchRecord(schema, recordId, "has never held a");
        return TypedResults.Content(System.Text.Encoding.UTF8.GetString(buffer.ToArray()), MediaTypes.GeoJson);
    }

    /// <param name="register">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="recordId">the record's id (parcel_id, activity_id or patch_id)</param>
    /// <param name="user">who withdraws it</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="reason">why it is withdrawn, e.g. "entered twice" (required)</param>
    /// <param name="by">a note of your own, kept with the change</param>
    /// <param name="ifMatch">withdraw only if the record is still at this version (its ETag, as read); 412 if it has changed since</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<Withdrawal>, ProblemHttpResult>> Withdraw(
        string register, string recordId, ClaimsPrincipal user, NpgsqlDataSource dataSource, string? reason = null, string? by = null,
        [FromHeader(Name = "If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return Problems.BadParameter("reason",
                $"Say why the {schema.RecordNoun} is withdrawn, e.g. ?reason=entered twice. A legal release is not a withdrawal: import the record again with its end date.");
        }

        var (withdrawal, problem) = await WithdrawAsync(dataSource, schema, recordId, user.ActorName(), reason, by, ifMatch, cancellationToken);
        return withdrawal is null ? problem! : TypedResults.Ok(withdrawal);
    }

    /// <summary>
    /// Withdraws a record: a new version, superseded as it is recorded, made by <paramref name="actor"/> for <paramref name="reason"/>.
    /// With <paramref name="ifMatch"/> (an If-Match header), only if the record is still at the version it names (else 412).
    /// </summary>
    internal static async Task<(Withdrawal? Withdrawal, ProblemHttpResult? Problem)> WithdrawAsync(NpgsqlDataSource dataSource, RegisterSchema schema,
        string recordId, string actor, string reason, string? note, string? ifMatch, CancellationToken cancellationToken)
    {
        if (reason.Length > 1000) return (null, Problems.BadParameter("reason", "The reason may be at most 1,000 characters long."));
        var table = schema.Table;
        var id = schema.IdProperty;
        var fields = string.Join(", ", schema.Fields.Select(f => f.Name));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One change to a register at a time (as imports): of two withdrawals of one record, the second finds it gone.
        foreach (var sql in new[] { $"lock table {table} in share row exclusive mode", ChangeTime.Take(schema) })
        {
            // Waiting behind a large import can take longer than a command's usual 30 s.
            await using var command = RecordImporter.Unbounded(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var find = new NpgsqlCommand($"""
            select r.id, r.superseded_at is null, r.recorded_at, i.author, r.withdrawal_reason, r.version
            from {table} r join import_runs i on i.id = r.import_id where r.{id} = $1 order by r.version desc limit 1
            """, connection);
        find.Parameters.Add(new() { Value = recordId });
        long current;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return (null, NoSuchRecord(schema, recordId, "holds no"));
            if (!reader.GetBoolean(1))
            {
                return (null, Problems.Of(StatusCodes.Status409Conflict, $"The {schema.RecordNoun} is already withdrawn.",
                    $"{schema.Name} \"{recordId}\" was withdrawn on {reader.GetFieldValue<DateTimeOffset>(2).ToOffset(Analysis.Accounting.FiscalYear.JapanOffset):yyyy-MM-dd HH:mm} "
                    + $"by {(reader.IsDBNull(3) ? "someone" : reader.GetString(3))} ({reader.GetString(4)}). Importing it again brings it back."));
            }
            if (!OgcApi.FeatureVersions.Matches(ifMatch, reader.GetInt32(5))) return (null, OgcApi.FeatureVersions.Stale(schema, recordId, reader.GetInt32(5)));
            current = reader.GetInt64(0);
        }

        await using var run = new NpgsqlCommand(
            "insert into import_runs (register, author, note, created, updated, unchanged) values ($1, $2, $3, 0, 1, 0) returning id", connection);
        run.Parameters.Add(new() { Value = schema.Name });
        run.Parameters.Add(new() { Value = actor });
        run.Parameters.Add(new() { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var runId = (long)(await run.ExecuteScalarAsync(cancellationToken))!;
        // The withdrawing version is superseded as it is recorded, so no current view holds the record any more,
        // while a view of any earlier moment finds the version that was current then.
        await using (var supersede = new NpgsqlCommand($"update {table} set superseded_at = {ChangeTime.Value} where id = $1", connection))
        {
            supersede.Parameters.Add(new() { Value = current });
            await supersede.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var withdraw = new NpgsqlCommand($"""
            insert into {table} ({id}, version, {fields}, attributes, geom, import_id, changes, withdrawal_reason, recorded_at, superseded_at)
            select {id}, version + 1, {fields}, attributes, geom, $2, array['withdrawn'], $3, {ChangeTime.Value}, {ChangeTime.Value} from {table} where id = $1
            returning version, recorded_at
            """, connection);
        withdraw.Parameters.Add(new() { Value = current });
        withdraw.Parameters.Add(new() { Value = runId });
        withdraw.Parameters.Add(new() { Value = reason });
        int version;
        DateTimeOffset at;
        await using (var reader = await withdraw.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (version, at) = (reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1));
        }
        await transaction.CommitAsync(cancellationToken);
        return (new Withdrawal(schema.Name, recordId, version, at, actor, reason), null);
    }

    // Named by the register and its id property, which reads right for a parcel, an activity and a habitat patch alike.
    private static ProblemHttpResult NoSuchRecord(RegisterSchema schema, string recordId, string verb) =>
        Problems.Of(StatusCodes.Status404NotFound, $"No such record in {schema.Name}.", $"{schema.Name} {verb} record with {schema.IdProperty} \"{recordId}\".");
}
