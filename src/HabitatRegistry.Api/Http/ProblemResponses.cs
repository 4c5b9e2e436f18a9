using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Http;

/// <summary>
/// Problem details for what the handlers do not answer themselves: the framework's 400s and 415s (a query
/// parameter that is not a number, a missing parameter, a body of the wrong type) name the parameter and
/// say what it should be; a query stopped by its time limit is a 503 saying what to do.
/// </summary>
internal static partial class ProblemResponses
{
    public static void AddProblemResponses(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail = $"Content-Type {context.HttpContext.Request.ContentType} is not accepted here. Send GeoJSON "
                    + "(application/geo+json or application/json), a CSV (text/csv), or a multipart form with the file in the field \"file\".";
            }
            if (context.Exception is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.QueryCanceled })
            {
                context.ProblemDetails.Status = StatusCodes.Status503ServiceUnavailable;
                context.ProblemDetails.Title = "The database took too long to answer.";
                context.ProblemDetails.Detail = "The request was stopped after its time limit. Ask for a shorter period or a smaller area, "
                    + "or try again in a minute: right after a large import the database may still be gathering its statistics.";
            }
            if (DatabaseFaults.IsOutage(context.Exception))
            {
                context.ProblemDetails.Status = StatusCodes.Status503ServiceUnavailable;
                context.ProblemDetails.Title = "The registry's database is not answering.";
                context.ProblemDetails.Detail = $"The registry cannot reach its database just now, so nothing was read or changed. Try again in {DatabaseFaults.RetryAfterSeconds} seconds; "
                    + "if this goes on, tell whoever runs the registry.";
                context.HttpContext.Response.Headers.RetryAfter = DatabaseFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                DatabaseFaults.Outage(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HabitatRegistry.Database"),
                    context.HttpContext.Request.Method, context.HttpContext.Request.Path, context.Exception!.Message);
            }
            if (context.Exception is Features.Network.NetworkTooLargeException tooLarge)
            {
                context.ProblemDetails.Status = StatusCodes.Status503ServiceUnavailable;
                context.ProblemDetails.Title = "The network is too large to compute within the time limit.";
                context.ProblemDetails.Detail = tooLarge.Message;
            }
            var http = context.HttpContext;
            if (context.Exception is Features.Network.NetworkTooLargeException or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.QueryCanceled })
                ServiceLog.TimeLimitHit(ServiceLog.For(http), http.Request.Method, http.Request.Path, context.Exception.Message);
            if (context.ProblemDetails.Status is >= 400 and < 500 && context.Exception is not BadHttpRequestException)
                ServiceLog.Refused(ServiceLog.For(http), http.Request.Method, http.Request.Path, context.ProblemDetails.Status.Value, context.ProblemDetails.Title);
            if (context.Exception is not BadHttpRequestException bad) return;
            context.ProblemDetails.Status = bad.StatusCode;
            context.ProblemDetails.Title = "The request is not valid.";
            context.ProblemDetails.Detail = bad.InnerException is System.Text.Json.JsonException json ? ExplainBody(json, out var parameter) : Explain(bad.Message, out parameter);
            // Keyed by the parameter, like the handlers' own 400s, so a client can show it next to the field.
            if (parameter is not null) context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [parameter] = [context.ProblemDetails.Detail] };
            ServiceLog.Refused(ServiceLog.For(http), http.Request.Method, http.Request.Path, bad.StatusCode, context.ProblemDetails.Detail);
        });
        // After the framework's writer, which declines when the client's Accept leaves out JSON.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWhateverTheAccept>();
    }

    /// <summary>
    /// A refusal is always explained: the framework writes nothing at all when the client's Accept leaves out JSON
    /// (a browser asking for HTML, a map client asking for image/png), and an empty 4xx tells nobody what went wrong.
    /// </summary>
    private sealed class ProblemJsonWhateverTheAccept(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            problem.Status ??= http.Response.StatusCode;
            problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
            problem.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier);
            options.Value.CustomizeProblemDetails?.Invoke(context);
            return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json"));
        }
    }

    public static void UseProblemResponses(this WebApplication app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.QueryCanceled } => StatusCodes.Status503ServiceUnavailable,
                Features.Network.NetworkTooLargeException => StatusCodes.Status503ServiceUnavailable,
                _ when DatabaseFaults.IsOutage(e) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            // A client's mistake is answered, not logged as a server error; an outage is logged once, in words.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or Features.Network.NetworkTooLargeException
                || DatabaseFaults.IsOutage(context.Exception),
        });

    private static string Explain(string message, out string? parameter)
    {
        parameter = null;
        if (BindFailure().Match(message) is { Success: true } m)
        {
            var kind = m.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('?', '>') switch
            {
                "int" or "long" => "a whole number",
                "double" or "decimal" or "QueryNumber" => "a number (with a point for decimals, e.g. 0.5)",
                "bool" => "true or false",
                "DateOnly" => "a date (YYYY-MM-DD)",
                var other => $"a {other}",
            };
            parameter = m.Groups["name"].Value;
            return $"{parameter}={m.Groups["value"].Value} is not {kind}.";
        }
        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            parameter = missing.Groups["name"].Value;
            return $"The parameter \"{parameter}\" is required.";
        }
        return message;
    }

    /// <summary>A JSON body the operation could not read: broken JSON, or which member has the wrong type.</summary>
    private static string ExplainBody(System.Text.Json.JsonException json, out string? parameter)
    {
        parameter = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        // The serializer names only the body's own type, not the member's, so the member is what can be said.
        var wrongType = json.Message.Contains("could not be converted", StringComparison.Ordinal);
        return parameter is not null && wrongType
            ? $"The body's member \"{parameter}\" is not of the type this operation takes; the API documentation (/swagger) shows its shape."
            : $"The body is not JSON this operation can read{(parameter is null ? "" : $" (it breaks off or goes wrong at \"{parameter}\")")}; the API documentation (/swagger) shows its shape.";
    }

    [GeneratedRegex(@"Failed to bind parameter ""(?<type>[\w?<>]+) (?<name>\w+)"" from ""(?<value>.*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"Required parameter ""[\w?<>]+ (?<name>\w+)"" was not provided")]
    private static partial Regex MissingParameter();
}
