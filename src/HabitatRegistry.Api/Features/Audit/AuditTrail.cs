using HabitatRegistry.Features.Access;
using Npgsql;

namespace HabitatRegistry.Features.Audit;

/// <summary>A result that says what it changed, for the audit trail.</summary>
public interface IAuditedOutcome
{
    /// <summary>What came of the request, in a few words; null when it changed nothing (e.g. a dry run), which is not recorded. Implementations mark it [JsonIgnore].</summary>
    string? AuditDetail { get; }
}

/// <summary>
/// Writes the audit trail. Every endpoint of the registry's route group that can change state records each change it
/// accepted, with the caller's name and role, once the handler has answered; the command line records its changes too.
/// </summary>
public sealed partial class AuditTrail(NpgsqlDataSource dataSource, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(AuditEvent change, CancellationToken cancellationToken)
    {
        try
        {
            await using var insert = dataSource.CreateCommand(
                "insert into audit_events (actor, role, action, request, note, detail, status) values ($1, $2, $3, $4, $5, $6, $7)");
            foreach (var text in new[] { change.Actor, change.Role, change.Action, change.Request, change.Note, change.Detail })
            {
                insert.Parameters.Add(new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            }
            insert.Parameters.Add(new() { Value = (object?)change.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            // The change itself is stored with its author; the log keeps what the trail could not.
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
            var result = await next(invocation);
            var http = invocation.HttpContext;
            var (status, value) = Outcome(result);
            if (status is >= 200 and < 300 && http.GetEndpoint()?.Metadata.GetMetadata<ComputationOnly>() is null
                && (value is not IAuditedOutcome outcome || outcome.AuditDetail is not null))
            {
                var request = http.Request;
                await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent
                {
                    Actor = http.User.ActorName(),
                    Role = http.User.RoleOf()?.Name(),
                    Action = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? request.Path,
                    Request = $"{request.Method} {request.Path}{Uri.UnescapeDataString(request.QueryString.Value ?? "")}",
                    Note = request.Query["by"].ToString() is { Length: > 0 } by ? by : null,
                    Detail = (value as IAuditedOutcome)?.AuditDetail,
                    Status = status,
                }, CancellationToken.None); // the change is made: record it even if the client has gone
            }
            return result;
        });
    });

    [LoggerMessage(Level = LogLevel.Critical, Message = "A change was made but could not be written to the audit trail: {Actor} {Action} {Request}")]
    private static partial void NotRecorded(ILogger logger, Exception exception, string actor, string action, string request);

    private static (int? Status, object? Value) Outcome(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return ((result as IStatusCodeHttpResult)?.StatusCode, (result as IValueHttpResult)?.Value);
    }
}
