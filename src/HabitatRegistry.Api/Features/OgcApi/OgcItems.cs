using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi.Filtering;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>The items and single-item endpoints: features streamed from PostGIS as GeoJSON.</summary>
public static class OgcItems
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, or a network collection</param>
    /// <param name="request">the request</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="limit">features per page (default 100, at most 10,000; larger values are treated as 10,000)</param>
    /// <param name="offset">features to skip; the next link continues after the page's last feature instead (cursor), which stays fast however deep</param>
    /// <param name="cursor">where the next page starts: set by the next link, not by hand</param>
    /// <param name="bbox">minLon,minLat,maxLon,maxLat in CRS84, or in bbox-crs and its axis order: only features that intersect it</param>
    /// <param name="bboxCrs">the coordinate system of bbox (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="crs">the coordinate system of the features returned, in its official axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="datetime">a date (in force on it) or an interval a/b, ../b, a/.. (in force at some time in it)</param>
    /// <param name="asRecordedAt">the register as it was recorded then, instead of now (withdrawn records and later corrections as they were): a date (the end of that day in Japan) or a date-time</param>
    /// <param name="cql2">a CQL2 filter on the collection's queryables (see its queryables link), e.g. scheme = 'citizen_green_space' AND designated_on &gt;= DATE('2020-04-01')</param>
    /// <param name="filterLang">cql2-text (the default) or cql2-json</param>
    /// <param name="filterCrs">the coordinate system of the filter's geometries, in its axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="f">json (GeoJSON), or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    /// <param name="network">computes the network collections</param>
    internal static async Task<Results<FeatureCollectionResult, ComputedFeaturesResult, ProblemHttpResult>> GetItems(
        string collectionId, HttpRequest request, NpgsqlDataSource dataSource, NetworkAnalysis network,
        [Range(1, MaxLimit), DefaultValue(DefaultLimit)] int limit = DefaultLimit,
        [Range(0, int.MaxValue)] int offset = 0,
        string? cursor = null,
        string? bbox = null,
        [FromQuery(Name = "bbox-crs")] string? bboxCrs = null,
        string? crs = null,
        string? datetime = null,
        string? asRecordedAt = null,
        [FromQuery(Name = "filter")] string? cql2 = null,
        [FromQuery(Name = "filter-lang")] string? filterLang = null,
        [FromQuery(Name = "filter-crs")] string? filterCrs = null,
        string? f = null,
        string? lang = null,
        CancellationToken cancellationToken = default)
    {
        var (html, formatProblem) = OgcFormat.Negotiate(request, f, lang);
        if (formatProblem is not null) return formatProblem;
        if (limit < 1) return Problems.BadParameter("limit", $"limit={limit}: ask for at least 1 feature (at most {MaxLimit}).");
        if (offset < 0) return Problems.BadParameter("offset", $"offset={offset}: the offset cannot be negative.");
        if (NetworkCollections.Parse(collectionId) is var (kind, profile))
        {
            if (cql2 is not null) return Problems.BadParameter("filter", $"{collectionId} is computed, not stored: it cannot be filtered. Filter the registers, or the patches by bbox.");
            if (crs is not null && CrsReferences.Find(crs) is not { IsStorage: true }) return Problems.BadParameter("crs", NetworkCollections.OnlyCrs84("crs", crs));
            if (bboxCrs is not null && CrsReferences.Find(bboxCrs) is not { IsStorage: true }) return Problems.BadParameter("bbox-crs", NetworkCollections.OnlyCrs84("bbox-crs", bboxCrs));
            var (features, problem) = await NetworkCollections.FeaturesAsync(kind, profile, network, cancellationToken);
            if (problem is not null) return problem;
            if (bbox is not null)
            {
                var (envelope, boxProblem) = FeatureFilter.ParseBbox(bbox);
                if (envelope is null) return Problems.BadParameter("bbox", boxProblem!);
                features = [.. features!.Where(c => c.Geometry.EnvelopeInternal.Intersects(envelope))];
            }
            return new ComputedFeaturesResult(collectionId, collectionId, features!, Math.Min(limit, MaxLimit), offset, html);
        }
        var register = RegisterCatalogue.Find(collectionId);
        if (register is null) return Problems.UnknownRegister(collectionId);
        var outputCrs = crs is null ? CrsReferences.Storage : CrsReferences.Find(crs);
        if (outputCrs is null) return Problems.BadParameter("crs", CrsReferences.NotOffered("crs", crs!));
        var filter = new FeatureFilter(register);
        if (bbox is not null)
        {
            var boxCrs = bboxCrs is null ? CrsReferences.Storage : CrsReferences.Find(bboxCrs);
            if (boxCrs is null) return Problems.BadParameter("bbox-crs", CrsReferences.NotOffered("bbox-crs", bboxCrs!));
            if (filter.Bbox(bbox, boxCrs) is { } bboxProblem) return Problems.BadParameter("bbox", bboxProblem);
        }
        else if (bboxCrs is not null && CrsReferences.Find(bboxCrs) is null) return Problems.BadParameter("bbox-crs", CrsReferences.NotOffered("bbox-crs", bboxCrs));
        if (datetime is not null && filter.Datetime(datetime) is { } dateProblem) return Problems.BadParameter("datetime", dateProblem);
        if (asRecordedAt is not null && filter.AsRecordedAt(asRecordedAt) is { } recordedProblem) return Problems.BadParameter("asRecordedAt", recordedProblem);
        if (cql2 is not null)
        {
            var geometryCrs = filterCrs is null ? CrsReferences.Storage : CrsReferences.Find(filterCrs);
            if (geometryCrs is null) return Problems.BadParameter("filter-crs", CrsReferences.NotOffered("filter-crs", filterCrs!));
            if (filterLang is not (null or "cql2-text" or "cql2-json"))
                return Problems.BadParameter("filter-lang", $"filter-lang={filterLang}: the filter languages are cql2-text (the default) and cql2-json.");
            if (filter.Cql2(RawQuery.Filter(request) ?? cql2, filterLang == "cql2-json", geometryCrs) is { } filterProblem) return Problems.BadParameter("filter", filterProblem);
        }
        else if (filterLang is not null || filterCrs is not null) return Problems.BadParameter("filter", "filter-lang and filter-crs describe a filter: give the filter too.");
        ItemsCursor? from = null;
        if (cursor is not null)
        {
            if (offset > 0) return Problems.BadParameter("cursor", "Give either cursor (from a next link) or offset, not both.");
            if ((from = ItemsCursor.Parse(cursor)) is null) return Problems.BadParameter("cursor", "cursor is not one this service made: follow the next link as it is given, or start again without it.");
        }
        // A page draws its map in longitude/latitude whatever crs says (its JSON alternate keeps crs).
        return new FeatureCollectionResult(register, filter, html is null ? outputCrs : CrsReferences.Storage, Math.Min(limit, MaxLimit), offset, from, dataSource, html);
    }

    /// <param name="collectionId">designations, acquisitions, activities, habitat-patches, or a network collection</param>
    /// <param name="featureId">the record's id (parcel_id, activity_id or patch_id)</param>
    /// <param name="request">the request</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="asRecordedAt">the record as it was recorded then, instead of now: a date (the end of that day in Japan) or a date-time</param>
    /// <param name="crs">the coordinate system of the feature returned, in its official axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="f">json (GeoJSON), or html (a page for people; a browser's Accept header chooses it too)</param>
    /// <param name="lang">the language of the HTML page: ja or en (default: by Accept-Language)</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetItem(
        string collectionId, string featureId, HttpRequest request, NpgsqlDataSource dataSource, NetworkAnalysis network, string? asRecordedAt = null,
        string? crs = null, string? f = null, string? lang = null, CancellationToken cancellationToken = default)
    {
        var (html, formatProblem) = OgcFormat.Negotiate(request, f, lang);
        if (formatProblem is not null) return formatProblem;
        var collectionUrl = $"{request.Root()}/collections/{collectionId}";
        if (NetworkCollections.Parse(collectionId) is var (kind, profile))
        {
            if (crs is not null && CrsReferences.Find(crs) is not { IsStorage: true }) return Problems.BadParameter("crs", NetworkCollections.OnlyCrs84("crs", crs));
            var (features, problem) = await NetworkCollections.FeaturesAsync(kind, profile, network, cancellationToken);
            if (problem is not null) return problem;
            if (features!.FirstOrDefault(c => c.Id == featureId) is not { } feature)
                return Problems.Of(StatusCodes.Status404NotFound, "No such feature.", $"{collectionId} has no feature \"{featureId}\".");
            List<OgcLink> computedLinks = [new(request.WithQuery(new Dictionary<string, string?>()), "self", MediaTypes.GeoJson), new(collectionUrl, "collection", MediaTypes.Json)];
            if (html is not null) return OgcHtml.Item(request, new PageText(html), collectionId, collectionId, null, PageFeature.From(feature), null, null, computedLinks);
            using var computed = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(computed, Json.Writer)) ComputedFeaturesResult.Write(writer, feature, [.. computedLinks, OgcFormat.HtmlAlternate(request)]);
            return TypedResults.Content(System.Text.Encoding.UTF8.GetString(computed.ToArray()), MediaTypes.GeoJson);
        }
        var register = RegisterCatalogue.Find(collectionId);
        if (register is null) return Problems.UnknownRegister(collectionId);
        var outputCrs = crs is null ? CrsReferences.Storage : CrsReferences.Find(crs);
        if (outputCrs is null) return Problems.BadParameter("crs", CrsReferences.NotOffered("crs", crs!));
        var filter = new FeatureFilter(register);
        if (asRecordedAt is not null && filter.AsRecordedAt(asRecordedAt) is { } recordedProblem) return Problems.BadParameter("asRecordedAt", recordedProblem);
        filter.Id(featureId);
        // A page draws its map in longitude/latitude whatever crs says (its JSON alternate keeps crs).
        if (html is not null) outputCrs = CrsReferences.Storage;
        if (await ReadFeatureAsync(register, filter, outputCrs, request, dataSource, cancellationToken) is not { } found)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "No such feature.", asRecordedAt is null
                ? $"There is no current {register.RecordNoun} \"{featureId}\" in {register.Name}."
                : $"{register.Name} held no {register.RecordNoun} \"{featureId}\" as recorded at {asRecordedAt}.");
        }
        if (html is not null)
        {
            // The page shows the version and the GeoJSON's ETag (what a change sends as If-Match); the page itself has none.
            var feature = System.Text.Json.Nodes.JsonNode.Parse(found.Json)!.AsObject();
            var links = feature["links"].Deserialize<List<OgcLink>>(Json.Web)!;
            return OgcHtml.Item(request, new PageText(html), register.Name, OgcHtml.Title(register, new PageText(html)), register, PageFeature.FromGeoJson(feature),
                found.Version, FeatureVersions.ETag(found.Version, outputCrs), links);
        }
        // The version is the feature's ETag (If-Match on a change is checked against it); each coordinate system is its own representation.
        request.HttpContext.Response.Headers.ETag = FeatureVersions.ETag(found.Version, outputCrs);
        request.HttpContext.Response.Headers["Content-Crs"] = outputCrs.Header;
        return TypedResults.Content(found.Json, MediaTypes.GeoJson);
    }

    /// <summary>One feature as GeoJSON (with its self and collection links) and its version; null when the filter finds none.</summary>
    internal static async Task<(string Json, int Version)?> ReadFeatureAsync(RegisterSchema register, FeatureFilter filter, CrsReference crs,
        HttpRequest request, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{RegisterColumns.Select(register, crs)} where {filter.Where}");
        filter.AddParameters(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var row = RegisterColumns.Find(reader, register);
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer, Json.Writer))
        {
            var collectionUrl = $"{request.Root()}/collections/{register.Name}";
            var self = HttpMethods.IsGet(request.Method)
                ? request.WithQuery(new Dictionary<string, string?>()) // with asRecordedAt and crs, if asked
                : $"{collectionUrl}/items/{Uri.EscapeDataString(reader.GetString(row.Id))}";
            var alternate = HttpMethods.IsGet(request.Method)
                ? OgcFormat.HtmlAlternate(request)
                : new OgcLink($"{collectionUrl}/items/{Uri.EscapeDataString(reader.GetString(row.Id))}?f=html", "alternate", MediaTypes.Html, "This feature as an HTML page");
            row.WriteFeature(writer, reader, [new(self, "self", MediaTypes.GeoJson), new(collectionUrl, "collection", MediaTypes.Json), alternate], crs);
        }
        return (System.Text.Encoding.UTF8.GetString(buffer.ToArray()), reader.GetInt32(row.Version));
    }
}

/// <summary>The WHERE clause of an items request, with its parameters.</summary>
public sealed class FeatureFilter(RegisterSchema register)
{
    // The first condition says which versions: the current ones, unless AsRecordedAt says another moment.
    private readonly List<string> conditions = ["superseded_at is null"];
    private readonly List<object> values = [];

    public string Where => string.Join(" and ", conditions);

    public void AddParameters(NpgsqlCommand command)
    {
        foreach (var value in values) command.Parameters.Add(new() { Value = value });
    }

    private string Next(object value)
    {
        values.Add(value);
        return $"${values.Count}";
    }

    /// <summary>Only the record with this id.</summary>
    public void Id(string recordId) => conditions.Add($"{register.IdProperty} = {Next(recordId)}");

    /// <summary>The versions current at a moment instead of now, or what is wrong with the moment.</summary>
    public string? AsRecordedAt(string text)
    {
        if (Moments.RecordedAt(text) is not { } moment) return $"asRecordedAt={text} is not {Moments.RecordedAtHelp}.";
        conditions[0] = RegisterSchema.VersionsAt(Next(moment));
        return null;
    }

    /// <summary>Adds a bbox condition, or says what is wrong with it. The box is in <paramref name="crs"/> and its axis order.</summary>
    public string? Bbox(string text, CrsReference crs)
    {
        if (crs.IsStorage)
        {
            var (box, problem) = ParseBbox(text);
            if (box is null) return problem;
            var envelope = $"ST_MakeEnvelope({Next(box.MinX)}, {Next(box.MinY)}, {Next(box.MaxX)}, {Next(box.MaxY)}, 4326)";
            conditions.Add($"geom && {envelope} and ST_Intersects(geom, {envelope})");
            return null;
        }
        var numbers = text.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToArray();
        if (numbers.Length is not (4 or 6) || numbers.Any(double.IsNaN))
        {
            return $"bbox={text} is not four numbers: the lower corner, then the upper corner, in {crs.Name} and its axis order.";
        }
        var (min1, min2, max1, max2) = numbers.Length == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : (numbers[0], numbers[1], numbers[3], numbers[4]);
        if (min1 > max1 || min2 > max2) return $"bbox={text}: the lower corner is beyond the upper corner in {crs.Name}.";
        if ((crs.Outside(min1, min2) ?? crs.Outside(max1, max2)) is { } outside)
        {
            return $"bbox={text}: {outside}{(crs.Srid is 4326 or 6668 ? " (latitude first)" : "")}.";
        }
        // Densified before it is transformed: a rectangle in one system is curved in another.
        var step = Math.Max(max1 - min1, max2 - min2) / 32;
        var given = $"ST_MakeEnvelope({Next(min1)}, {Next(min2)}, {Next(max1)}, {Next(max2)})";
        var inStorage = crs.ToStorage(step > 0 ? $"ST_Segmentize({given}, {Next(step)})" : given);
        conditions.Add($"geom && {inStorage} and ST_Intersects(geom, {inStorage})");
        return null;
    }

    /// <summary>
    /// Adds a CQL2 filter (OGC API – Features Part 3) over the register's queryables, or says what is wrong with it.
    /// Every literal becomes a parameter and every name a column of the register's own list; geometries are in <paramref name="crs"/>.
    /// </summary>
    public string? Cql2(string text, bool json, CrsReference crs)
    {
        try
        {
            var expression = json ? Cql2JsonParser.Parse(text) : Cql2Parser.Parse(text);
            conditions.Add($"({Cql2Sql.Where(expression, Queryables.For(register), value => Next(value!), geometry => GeometryIn(geometry, crs))})");
            return null;
        }
        catch (Cql2Exception e)
        {
            return e.Message;
        }
    }

    private string GeometryIn(Geometry geometry, CrsReference crs)
    {
        foreach (var c in geometry.Coordinates)
        {
            if (crs.Outside(c.X, c.Y) is { } outside) throw new Cql2Exception($"A geometry of the filter: {outside} (filter-crs {crs.Uri}).");
        }
        return crs.ToStorage($"ST_GeomFromWKB({Next(new NetTopologySuite.IO.WKBWriter().Write(geometry))})");
    }

    /// <summary>
    /// Only the records that reach into a Web Mercator tile or its margin (a share of the tile's width); returns the tile's
    /// envelope in EPSG:3857, as ST_AsMVTGeom takes it. The margin's box in lon/lat is the index's search box.
    /// </summary>
    public string Tile(int zoom, int row, int column, double margin)
    {
        var (z, x, y) = (Next(zoom), Next(column), Next(row));
        conditions.Add($"geom && ST_Transform(ST_TileEnvelope({z}, {x}, {y}, margin => {Next(margin)}), 4326)");
        return $"ST_TileEnvelope({z}, {x}, {y})";
    }

    /// <summary>Only the records after this id, in id order (the next page of a cursor).</summary>
    public void After(string recordId) => conditions.Add($"{register.IdProperty} > {Next(recordId)}");

    /// <summary>A bbox parameter (minLon,minLat,maxLon,maxLat, or six numbers with heights), or what is wrong with it.</summary>
    public static (Envelope? Box, string? Problem) ParseBbox(string text)
    {
        var parts = text.Split(',');
        var numbers = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        if (parts.Length is not (4 or 6) || numbers.Any(double.IsNaN))
        {
            return (null, $"bbox={text} is not four numbers minLon,minLat,maxLon,maxLat (e.g. 139.40,35.75,139.50,35.82).");
        }
        var (minX, minY, maxX, maxY) = parts.Length == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : (numbers[0], numbers[1], numbers[3], numbers[4]);
        if (minY > maxY) return (null, $"bbox={text}: the southern edge ({minY}) is north of the northern edge ({maxY}).");
        if (minX > maxX) return (null, $"bbox={text}: the western edge ({minX}) is east of the eastern edge ({maxX}); boxes across the antimeridian are not supported.");
        if (Math.Abs(minX) > 180 || Math.Abs(maxX) > 180 || Math.Abs(minY) > 90 || Math.Abs(maxY) > 90)
        {
            return (null, $"bbox={text} is not in longitude/latitude (CRS84); for another coordinate system, name it in bbox-crs.");
        }
        return (new Envelope(minX, maxX, minY, maxY), null);
    }

    /// <summary>Adds the in-force condition for a date or interval, or says what is wrong with it.</summary>
    public string? Datetime(string text)
    {
        var ends = text.Split('/');
        if (ends.Length > 2) return $"datetime={text} is neither a date nor an interval start/end.";
        var dates = new DateOnly?[ends.Length];
        for (var i = 0; i < ends.Length; i++)
        {
            // Open ends: "..", empty, and the year-0000 start QGIS sends for "on or before" filters.
            if (ends.Length == 2 && (ends[i] is ".." or "" || ends[i].StartsWith("0000-", StringComparison.Ordinal))) continue;
            if (ParseDate(ends[i]) is not { } date) return $"datetime={text}: \"{ends[i]}\" is not a date (YYYY-MM-DD or an RFC 3339 date-time).";
            dates[i] = date;
        }
        var (start, end) = ends.Length == 1 ? (dates[0], dates[0]) : (dates[0], dates[1]);
        if (start > end) return $"datetime={text}: the interval ends before it starts.";
        // OGC API – Features: a collection without time matches every datetime.
        if (register.InForceFrom is null) return null;
        // In force at some time in [start, end]: took effect by the end, not ended by the start.
        // Events (activities) simply happened within [start, end].
        if (end is { } e) conditions.Add($"{register.InForceFrom} <= {Next(e)}");
        if (start is { } s)
        {
            conditions.Add(register.InForceTo is null
                ? $"{register.InForceFrom} >= {Next(s)}"
                : $"({register.InForceTo} is null or {register.InForceTo} > {Next(s)})");
        }
        return null;
    }

    private static DateOnly? ParseDate(string text)
    {
        text = text.TrimEnd('T'); // GDAL 3.6 writes dates as "2015-01-01T"
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment) ? DateOnly.FromDateTime(moment.DateTime) : null;
    }
}
