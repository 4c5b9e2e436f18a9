using System.Text.Json;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Npgsql;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// A page of features streamed straight from PostGIS to the response, with numberMatched, numberReturned and links that
/// keep every query parameter of the request (bbox, crs, filter …). The next link continues after the page's last record
/// (<see cref="ItemsCursor"/>), so walking a whole register through next links reads each row once; offset still works.
/// With <paramref name="htmlLang"/>, the same page as an HTML page for people (<see cref="OgcHtml"/>) instead.
/// </summary>
public sealed class FeatureCollectionResult(RegisterSchema register, FeatureFilter filter, CrsReference crs, int limit, int offset, ItemsCursor? cursor,
    NpgsqlDataSource dataSource, string? htmlLang = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // The page is read before a byte is written, so a filter the database refuses (arithmetic that overflows) is still a 400.
        var matched = cursor?.Matched ?? 0; // a cursor carries the count of the first page
        NpgsqlCommand? page = null;
        NpgsqlDataReader? reader = null;
        var hasRow = false;
        try
        {
            if (cursor is not null) filter.After(cursor.After);
            page = new NpgsqlCommand(PageSql(register, filter, crs, limit, offset, withCount: cursor is null), connection);
            filter.AddParameters(page);
            reader = await page.ExecuteReaderAsync(cancellationToken);
            hasRow = await reader.ReadAsync(cancellationToken);
            if (cursor is null && hasRow) matched = reader.GetInt64(reader.GetOrdinal("number_matched"));
            else if (cursor is null && offset > 0)
            {
                // Past the last page: nothing was read, so count on its own.
                await reader.DisposeAsync();
                reader = null;
                await using var count = new NpgsqlCommand($"select count(*) from {register.Table} where {filter.Where}", connection);
                filter.AddParameters(count);
                matched = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            await Problems.Of(StatusCodes.Status400BadRequest, "The filter's arithmetic goes beyond what a number can hold.",
                "A value the filter computes (a power, most likely) is too large for a number; change the filter.").ExecuteAsync(httpContext);
            return;
        }
        await using var pageCommand = page;
        await using var rows = reader;
        var columns = rows is null ? null : RegisterColumns.Find(rows, register);

        var response = httpContext.Response;
        var collectionUrl = $"{request.Root()}/collections/{register.Name}";
        if (htmlLang is not null)
        {
            // The page's features are read as the GeoJSON would write them, then drawn and tabled.
            var features = new List<PageFeature>();
            string? last = null;
            for (; hasRow && features.Count < limit; hasRow = await rows!.ReadAsync(cancellationToken))
            {
                using var buffer = new MemoryStream();
                await using (var featureWriter = new Utf8JsonWriter(buffer, Json.Writer)) columns!.WriteFeature(featureWriter, rows!, crs: crs);
                features.Add(PageFeature.FromGeoJson(System.Text.Json.Nodes.JsonNode.Parse(buffer.ToArray())!.AsObject()));
                last = features[^1].Id;
            }
            var text = new PageText(htmlLang);
            var pageLinks = OgcPaging.PageLinks(request, collectionUrl, register.Title, limit, cursor is null ? offset : 0, hasRow ? new ItemsCursor(last!, matched) : null);
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(OgcHtml.Items(request, text, register.Name, OgcHtml.Title(register, text), register, features, matched, pageLinks), cancellationToken);
            return;
        }
        response.ContentType = MediaTypes.GeoJson;
        response.Headers["Content-Crs"] = crs.Header;
        // Over the response's PipeWriter, writer.Flush only hands bytes to the pipe; FlushAsync sends them.
        await using var writer = new Utf8JsonWriter(response.BodyWriter, Json.Writer);
        FeatureCollectionWriter.WriteStart(writer,
            new(TimeStamp: DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), NumberMatched: matched));

        // One row more than the page says whether there is a next page; the links follow the features, which they depend on.
        var returned = 0;
        string? lastId = null;
        var hasMore = false;
        for (; hasRow; hasRow = await rows!.ReadAsync(cancellationToken))
        {
            if (returned == limit)
            {
                hasMore = true;
                break;
            }
            columns!.WriteFeature(writer, rows!, crs: crs);
            lastId = rows!.GetString(columns!.Id);
            if (++returned % 500 == 0)
            {
                writer.Flush();
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        var next = hasMore ? new ItemsCursor(lastId!, matched) : null;
        FeatureCollectionWriter.WriteEnd(writer,
            new(NumberReturned: returned, Links: OgcPaging.PageLinks(request, collectionUrl, register.Title, limit, cursor is null ? offset : 0, next)));
        writer.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The page's statement, with the filter's parameters: the features from the offset on in id order, one more than the
    /// page (to know whether there is a next one), and on a first page (<paramref name="withCount"/>) numberMatched.
    /// </summary>
    internal static string PageSql(RegisterSchema register, FeatureFilter filter, CrsReference crs, int limit, int offset, bool withCount)
    {
        // numberMatched is counted in the page's own statement (once, in an InitPlan): one snapshot, so it agrees with
        // the features, and one round trip to the database.
        var counted = withCount ? $", (select count(*) from {register.Table} where {filter.Where}) as number_matched" : "";
        // A deep offset is skipped over ids alone (an index-only scan), then the page is read from the first id on: an
        // offset on the whole rows made PostgreSQL read, and sort, every skipped row (0.36 s at offset 90,000, see
        // docs/benchmarks.md). The record id is unique among the versions a filter selects, so the page is the same.
        var id = register.IdProperty;
        var start = offset == 0 ? "" : $" and {id} >= (select {id} from {register.Table} where {filter.Where} order by {id} offset {offset} limit 1)";
        return $"{RegisterColumns.Select(register, crs, counted)} where {filter.Where}{start} order by {id} limit {limit + 1}";
    }
}

/// <summary>Paging links as OGC API – Features defines them, keeping every other query parameter.</summary>
internal static class OgcPaging
{
    /// <summary>Links of a register's page: next by cursor (when there is a next page), prev by offset (when the page was asked for by offset).</summary>
    public static List<OgcLink> PageLinks(HttpRequest request, string collectionUrl, string title, int limit, int offset, ItemsCursor? next)
    {
        var links = Common(request, collectionUrl, title);
        var pageSize = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (next is not null)
        {
            links.Add(new(request.WithQuery(new Dictionary<string, string?> { ["cursor"] = next.Encode(), ["offset"] = null, ["limit"] = pageSize }),
                "next", MediaTypes.GeoJson, "Next page"));
        }
        if (offset > 0) links.Add(Previous(request, limit, offset));
        return links;
    }

    /// <summary>Links of a page of computed features (held in memory, where an offset costs nothing).</summary>
    public static List<OgcLink> PageLinks(HttpRequest request, string collectionUrl, string title, int limit, int offset, long matched)
    {
        var links = Common(request, collectionUrl, title);
        // In long arithmetic: offset + limit can pass int.MaxValue (and there is no next page past it).
        if ((long)offset + limit < matched)
        {
            links.Add(new(request.WithQuery(new Dictionary<string, string?>
            {
                ["offset"] = ((long)offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), "next", MediaTypes.GeoJson, "Next page"));
        }
        if (offset > 0) links.Add(Previous(request, limit, offset));
        return links;
    }

    private static List<OgcLink> Common(HttpRequest request, string collectionUrl, string title) =>
    [
        new(request.WithQuery(new Dictionary<string, string?>()), "self", MediaTypes.GeoJson, "This page"),
        OgcFormat.HtmlAlternate(request, "This page as HTML"),
        new(collectionUrl, "collection", MediaTypes.Json, title),
    ];

    private static OgcLink Previous(HttpRequest request, int limit, int offset) =>
        new(request.WithQuery(new Dictionary<string, string?>
        {
            ["offset"] = Math.Max(0, offset - limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), "prev", MediaTypes.GeoJson, "Previous page");
}
