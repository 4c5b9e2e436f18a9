using Npgsql;

namespace HabitatRegistry.Http;

/// <summary>
/// The database not answering (stopped, restarting, unreachable, out of connections) is an outage, not a bug: a read is
/// tried again first, and what still fails is answered 503 with Retry-After and a sentence a person understands, never
/// 500. A change is never tried again: it is all or nothing, and the client decides.
/// </summary>
internal static partial class DatabaseFaults
{
    public const int RetryAfterSeconds = 10;

    private static readonly TimeSpan[] ReadRetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08: connection lost or refused; 57P01–03: the server is shutting down or starting; 53: out of connections or memory.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03"
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }

    /// <summary>Runs a read (GET, HEAD) again when the database did not answer, as long as nothing has been sent yet.</summary>
    public static void UseReadRetries(this WebApplication app) => app.Use(async (context, next) =>
    {
        var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception e) when (read && attempt < ReadRetryDelays.Length && IsOutage(e) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                RetryingRead(app.Logger, context.Request.Path, attempt + 1, e.Message);
                await Task.Delay(ReadRetryDelays[attempt], context.RequestAborted);
            }
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database did not answer a read of {Path}; trying again ({Attempt}): {Reason}")]
    private static partial void RetryingRead(ILogger logger, string path, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database is not answering: {Method} {Path} was answered 503. {Reason}")]
    public static partial void Outage(ILogger logger, string method, string path, string reason);
}
