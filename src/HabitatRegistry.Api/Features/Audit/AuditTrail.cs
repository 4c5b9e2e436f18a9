using System.Text.RegularExpressions;
using HabitatRegistry.Features.Access;
using Npgsql;
using NpgsqlTypes;

namespace HabitatRegistry.Features.Audit;

/// <summary>A result that says what it changed, for the audit trail.</summary>
public interface IAuditedOutcome
{
    /// <summary>What came of the request, in a few words; null when it changed nothing (e.g. a dry run), which is not recorded. Implementations mark it [JsonIgnore].</summary>
    string? AuditDetail { get; }
}

/// <summary>
/// Writes the audit trail. Every endpoint of the registry's route group that can change state writes its entry before
/// the change is made, so that no change goes unrecorded: if the entry cannot be written, the request fails and
/// nothing changes. Once the handler has answered, the entry gets the outcome, or is removed when nothing changed (a
/// refusal, a dry run). An entry without a status is a request that failed with an error. The command line records
/// its changes too.
/// </summary>
public sealed partial class AuditTrail(NpgsqlDataSource dataSource, ILogger<AuditTrail> logger)
{
    /// <summary>Records a change made (the command line's way): a failure is logged, the change stands.</summary>
    public async Task RecordAsync(AuditEvent change, CancellationToken cancellationToken)
    {
        try
        {
            await InsertAsync(change, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            NotRecorded(logger, e, change.Actor, change.Action, change.Request);
        }
    }

    /// <summary>Records the changes the group's state-changing endpoints accept.</summary>
    public static void RecordChanges(IEndpointConventionBuilder group) => group.Add(endpoint =>
    {
        var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
        if (methods.All(m => AccessControl.NeededFor(m) is null)) return;
        endpoint.FilterFactories.Add((_, next) => async invocation =>
        {
            var http = invocation.HttpContext;
            if (http.GetEndpoint()?.Metadata.GetMetadata<ComputationOnly>() is not null) return await next(invocation);
            var trail = http.RequestServices.GetRequiredService<AuditTrail>();
            var request = http.Request;
            var entry = await trail.InsertAsync(new AuditEvent
            {
                Actor = http.User.ActorName(),
                Role = http.User.RoleOf()?.Name(),
                Action = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? request.Path,
                Request = $"{request.Method} {request.Path}{request.QueryString}",
                Note = request.Query["by"].ToString() is { Length: > 0 } by ? by : null,
            }, http.RequestAborted);
            object? result;
            try
            {
                result = await next(invocation);
            }
            catch
            {
                await trail.SettleAsync(entry, null, "failed with an error (see the service log)");
                throw;
            }
            var (status, value) = Outcome(result);
            var detail = (value as IAuditedOutcome)?.AuditDetail;
            var changed = status is >= 200 and < 300 && (value is not IAuditedOutcome || detail is not null);
            await trail.SettleAsync(entry, changed ? status : null, changed ? detail : null, remove: !changed);
            return result;
        });
    });

    private async Task<long> InsertAsync(AuditEvent change, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            "insert into audit_events (actor, role, action, request, note, detail, status) values ($1, $2, $3, $4, $5, $6, $7) returning id");
        foreach (var text in new[] { change.Actor, change.Role, change.Action, change.Request, change.Note, change.Detail })
        {
            insert.Parameters.Add(new() { Value = (object?)Printable(text) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }
        insert.Parameters.Add(new() { Value = (object?)change.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The outcome of a change, or the entry removed when nothing changed. The change is made by now: a failure here is logged.</summary>
    private async Task SettleAsync(long entry, int? status, string? detail, bool remove = false)
    {
        try
        {
            await using var command = dataSource.CreateCommand(remove ? "delete from audit_events where id = $1" : "update audit_events set status = $2, detail = $3 where id = $1");
            command.Parameters.Add(new() { Value = entry });
            if (!remove)
            {
                command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
                command.Parameters.Add(new() { Value = (object?)Printable(detail) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            }
            await command.ExecuteNonQueryAsync(CancellationToken.None); // the change is made: settle it even if the client has gone
        }
        catch (NpgsqlException e)
        {
            OutcomeNotRecorded(logger, e, entry);
        }
    }

    // Names and notes from tokens or the command line may hold what PostgreSQL's text cannot (NUL); a key sent in a
    // query string by mistake is not a credential (only the Authorization header is) and is not kept either.
    private static string? Printable(string? text) => text is null ? null : ApiKeyText().Replace(text.Replace('\0', '\uFFFD'), "hr_(a key, not kept)");

    [GeneratedRegex("hr_[A-Za-z0-9_-]{43}")]
    private static partial Regex ApiKeyText();

    [LoggerMessage(Level = LogLevel.Critical, Message = "A change was made but could not be written to the audit trail: {Actor} {Action} {Request}")]
    private static partial void NotRecorded(ILogger logger, Exception exception, string actor, string action, string request);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outcome of audit trail entry {Entry} could not be recorded")]
    private static partial void OutcomeNotRecorded(ILogger logger, Exception exception, long entry);

    private static (int? Status, object? Value) Outcome(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return ((result as IStatusCodeHttpResult)?.StatusCode, (result as IValueHttpResult)?.Value);
    }
}
