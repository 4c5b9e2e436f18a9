namespace HabitatRegistry.Http;

/// <summary>
/// The log lines a service is run on (source-generated, structured): changes, refusals, limits and outages. They name
/// who and what, never a key or an upload's content.
/// </summary>
internal static partial class ServiceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} into {Register} by {Author}: {Features} features, {Created} created, {Updated} updated, {Unchanged} unchanged in {Milliseconds} ms{DryRun}")]
    public static partial void Imported(ILogger logger, long? importId, string register, string author, int features, int created, int updated, int unchanged, long milliseconds, string dryRun);

    [LoggerMessage(Level = LogLevel.Information, Message = "FY{FiscalYear} published by {Author}")]
    public static partial void Published(ILogger logger, int fiscalYear, string author);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Status} {Title}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string? title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credentials refused for {Method} {Path} from {Remote}: {Reason}")]
    public static partial void CredentialsRefused(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Time limit hit: {Method} {Path} was stopped. {Reason}")]
    public static partial void TimeLimitHit(ILogger logger, string method, string path, string reason);

    public static ILogger For(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HabitatRegistry");
}
