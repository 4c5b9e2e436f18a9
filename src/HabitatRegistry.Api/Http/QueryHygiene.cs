using HabitatRegistry.Analysis.Text;

namespace HabitatRegistry.Http;

/// <summary>Marks the query parameters an endpoint takes more than once (e.g. kind=lecture&amp;kind=workshop).</summary>
internal sealed record RepeatableQuery(params string[] Names);

/// <summary>
/// The query string, checked in one place before any endpoint reads it: no control characters (NUL above all, which
/// PostgreSQL cannot store in text) or broken ones, no value longer than any parameter needs, and no parameter given
/// twice unless the endpoint takes a list (a repeated number would otherwise be read as one: 1&amp;2 as "1,2", 12).
/// </summary>
internal static class QueryHygiene
{
    private const int MaxValueLength = 2000;

    public static void UseQueryHygiene(this WebApplication app) => app.Use((context, next) =>
    {
        var repeatable = context.GetEndpoint()?.Metadata.GetMetadata<RepeatableQuery>()?.Names ?? [];
        foreach (var (name, values) in context.Request.Query)
        {
            var problem = ClientText.Problem(name, 100) is { } nameProblem ? (Parameter: "(a parameter's name)", Text: $"A query parameter's name {nameProblem}.")
                : values.Select(v => ClientText.Problem(v, MaxValueLength)).FirstOrDefault(p => p is not null) is { } valueProblem
                    ? (Parameter: name, Text: $"The query parameter {name} {valueProblem}.")
                : values.Count > 1 && !repeatable.Contains(name, StringComparer.OrdinalIgnoreCase)
                    ? (Parameter: name, Text: $"The query parameter {name} is given {values.Count} times; give it once.")
                : default;
            if (problem.Text is not null) return Problems.BadParameter(problem.Parameter, problem.Text).ExecuteAsync(context);
        }
        return next(context);
    });
}
