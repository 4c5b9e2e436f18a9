using System.Text.Json.Serialization;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>A link as OGC API – Common defines it. Links are always absolute (QGIS and GDAL follow them as given).</summary>
public sealed record OgcLink(
    string Href,
    string Rel,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null);

internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";
    public const string Html = "text/html";
    public const string JsonSchema = "application/schema+json";
}

internal static class OgcUrls
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
