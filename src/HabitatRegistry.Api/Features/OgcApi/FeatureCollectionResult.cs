using System.Data;
using System.Text.Json;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Npgsql;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// A page of features streamed straight from PostGIS to the response, with numberMatched, numberReturned
/// and next/prev links that keep every query parameter of the request (bbox included).
/// </summary>
public sealed class FeatureCollectionResult(RegisterSchema register, FeatureFilter filter, int limit, int offset, NpgsqlDataSource dataSource) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Count and page from one snapshot, so numberReturned and the links agree with the features.
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        long matched;
        await using (var count = new NpgsqlCommand($"select count(*) from {register.Table} where {filter.Where}", connection))
        {
            filter.AddParameters(count);
            matched = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        var returned = (int)Math.Clamp(matched - offset, 0, limit);

        var response = httpContext.Response;
        response.ContentType = MediaTypes.GeoJson;
        response.Headers["Content-Crs"] = $"<{OgcApi.Crs84}>";
        // Over the response's PipeWriter, writer.Flush only hands bytes to the pipe; FlushAsync sends them.
        await using var writer = new Utf8JsonWriter(response.BodyWriter, Json.Writer);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteNumber("numberMatched", matched);
        writer.WriteNumber("numberReturned", returned);
        writer.WritePropertyName("links");
        JsonSerializer.Serialize(writer, Links(request, matched), Json.Web);
        writer.WriteStartArray("features");

        if (returned > 0)
        {
            await using var page = new NpgsqlCommand(
                $"{FeatureColumns.Select(register)} where {filter.Where} order by {register.IdProperty} limit {limit} offset {offset}", connection);
            filter.AddParameters(page);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            var written = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                FeatureColumns.WriteFeature(writer, register, reader);
                if (++written % 500 == 0)
                {
                    writer.Flush();
                    await response.BodyWriter.FlushAsync(cancellationToken);
                }
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    private List<OgcLink> Links(HttpRequest request, long matched) =>
        OgcPaging.PageLinks(request, $"{request.Root()}/collections/{register.Name}", register.Title, limit, offset, matched);
}

/// <summary>Paging links as OGC API – Features defines them, keeping every other query parameter.</summary>
internal static class OgcPaging
{
    public static List<OgcLink> PageLinks(HttpRequest request, string collectionUrl, string title, int limit, int offset, long matched)
    {
        var links = new List<OgcLink>
        {
            new(request.WithQuery(new Dictionary<string, string?>()), "self", MediaTypes.GeoJson, "This page"),
            new(collectionUrl, "collection", MediaTypes.Json, title),
        };
        var pageSize = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // In long arithmetic: offset + limit can pass int.MaxValue (and there is no next page past it).
        if ((long)offset + limit < matched)
        {
            links.Add(new(request.WithQuery(new Dictionary<string, string?> { ["offset"] = ((long)offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture), ["limit"] = pageSize }),
                "next", MediaTypes.GeoJson, "Next page"));
        }
        if (offset > 0)
        {
            links.Add(new(request.WithQuery(new Dictionary<string, string?> { ["offset"] = Math.Max(0, offset - limit).ToString(System.Globalization.CultureInfo.InvariantCulture), ["limit"] = pageSize }),
                "prev", MediaTypes.GeoJson, "Previous page"));
        }
        return links;
    }
}
