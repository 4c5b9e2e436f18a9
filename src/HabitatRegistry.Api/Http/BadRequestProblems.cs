using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace HabitatRegistry.Http;

/// <summary>
/// Turns the framework's own 400s and 415s (a query parameter that is not a number, a missing parameter, a body
/// that cannot be read) into problem details that name the parameter and say what it should be.
/// </summary>
internal static partial class BadRequestProblems
{
    public static void AddBadRequestProblems(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail = $"Content-Type {context.HttpContext.Request.ContentType} is not accepted here. Send GeoJSON "
                    + "(application/geo+json or application/json), or a multipart form with the file in the field \"file\".";
            }
            if (context.Exception is not BadHttpRequestException bad) return;
            context.ProblemDetails.Status = bad.StatusCode;
            context.ProblemDetails.Title = "The request is not valid.";
            context.ProblemDetails.Detail = Explain(bad.Message);
        });
    }

    public static void UseBadRequestProblems(this WebApplication app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A client's mistake is answered, not logged as a server error.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });

    private static string Explain(string message)
    {
        if (BindFailure().Match(message) is { Success: true } m)
        {
            var kind = m.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('?', '>') switch
            {
                "int" or "long" => "a whole number",
                "double" or "decimal" => "a number",
                "bool" => "true or false",
                var other => $"a {other}",
            };
            return $"{m.Groups["name"].Value}={m.Groups["value"].Value} is not {kind}.";
        }
        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return $"The parameter \"{missing.Groups["name"].Value}\" is required.";
        }
        return message;
    }

    [GeneratedRegex(@"Failed to bind parameter ""(?<type>[\w?<>]+) (?<name>\w+)"" from ""(?<value>.*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"Required parameter ""[\w?<>]+ (?<name>\w+)"" was not provided")]
    private static partial Regex MissingParameter();
}
