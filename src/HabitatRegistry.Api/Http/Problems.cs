using HabitatRegistry.Features.Registers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HabitatRegistry.Http;

/// <summary>RFC 9457 problem details with sentences a planner can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    /// <summary>422 with the problems keyed by where they are (field, or feature index).</summary>
    public static ProblemHttpResult Invalid(string title, string detail, IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = detail,
        });

    public static ProblemHttpResult BadParameter(string parameter, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "A query parameter is not valid.",
            Detail = message,
        });

    public static ProblemHttpResult UnknownRegister(string name) =>
        Of(StatusCodes.Status404NotFound, "No such register.",
            $"There is no register called \"{name}\". The registers are: {RegisterCatalogue.Names}.");
}
