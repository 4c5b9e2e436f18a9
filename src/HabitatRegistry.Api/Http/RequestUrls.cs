using Microsoft.AspNetCore.Http.Extensions;

namespace HabitatRegistry.Http;

/// <summary>Absolute URLs derived from the request being answered (links to itself, other pages, other formats).</summary>
internal static class RequestUrls
{
    /// <summary>This request's URL with some query parameters replaced, every other one kept as it was.</summary>
    public static string WithQuery(this HttpRequest request, IDictionary<string, string?> replace)
    {
        var query = new QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (replace.ContainsKey(key)) continue;
            foreach (var value in values) query.Add(key, value ?? "");
        }
        foreach (var (key, value) in replace)
        {
            if (value is not null) query.Add(key, value);
        }
        return $"{request.Root()}{request.Path}{query.ToQueryString()}";
    }
}
