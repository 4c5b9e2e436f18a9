using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Audit;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// OGC API – Features Part 4 on the registers' collections, for editors (the fallback policy closes every method here to
/// anyone below): POST creates a record, PUT replaces it, PATCH (JSON merge patch) changes what it names, DELETE withdraws
/// it. Every change is a one-feature import: the same checks and messages as an upload, a new version under the
/// caller's name, nothing stored when anything is wrong. Geometry may come in any system the collection offers (Content-Crs),
/// transformed by PostGIS. If-Match is honoured (412 when the feature has changed since it was read), not required: QGIS sends none.
/// </summary>
public static class FeatureEdits
{
    /// <summary>The most one feature may take: a parcel of a hundred thousand vertices is far less.</summary>
    private const int MaxFeatureBytes = 16 << 20;

    private const string MergePatch = "application/merge-patch+json";

    public static void MapFeatureEdits(this IEndpointRouteBuilder ogc)
    {
        ogc.MapPost("/collections/{collectionId}/items", Create)
            .WithName("CreateFeature")
            .WithSummary("Add a record to a register (editor): a GeoJSON Feature, checked as an import; Location is the new feature")
            .Accepts<JsonElement>(MediaTypes.GeoJson, MediaTypes.Json)
            .Produces(StatusCodes.Status201Created, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        ogc.MapPut("/collections/{collectionId}/items/{featureId}", Replace)
            .WithName("ReplaceFeature")
            .WithSummary("Replace a record (editor): the whole feature, which becomes its next version")
            .Accepts<JsonElement>(MediaTypes.GeoJson, MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        ogc.MapPatch("/collections/{collectionId}/items/{featureId}", Update)
            .WithName("UpdateFeature")
            .WithSummary("Change some of a record (editor): a JSON merge patch of its properties or its geometry")
            .Accepts<JsonElement>(MergePatch, MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        ogc.MapDelete("/collections/{collectionId}/items/{featureId}", Delete)
            .WithName("DeleteFeature")
            .WithSummary("Withdraw a record (editor), as DELETE /registers/{register}/{recordId} does; its history stays")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    /// <param name="collectionId">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="contentCrs">the system of the geometry's coordinates, in its axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="by">a note of your own, kept with the version</param>
    internal static async Task<IResult> Create(string collectionId, HttpRequest request, ClaimsPrincipal user, RecordImporter importer,
        NpgsqlDataSource dataSource, IOptions<HabitatOptions> options, [FromHeader(Name = "Content-Crs")] string? contentCrs = null,
        string? by = null, CancellationToken cancellationToken = default)
    {
        if (Editable(collectionId) is not { } register) return NotEditable(collectionId);
        var (feature, problem) = await ReadFeatureAsync(request, contentCrs, [MediaTypes.GeoJson, MediaTypes.Json], dataSource, cancellationToken);
        if (feature is null) return problem!;
        var properties = feature["properties"] as JsonObject ?? [];
        // QGIS sends no id of its own: the register's id property (parcel_id …) is the record's id; a top-level id may stand in for it.
        var recordId = IdText(properties[register.IdProperty]) ?? IdText(feature["id"]);
        feature["properties"] = RegisterColumns.Writable(properties, register, recordId);
        try
        {
            var (stored, refused) = await StoreAsync(register, feature, user, by, importer, options.Value, new(OnlyNew: true), cancellationToken);
            if (stored is null) return refused!;
            var location = $"{request.Root()}/collections/{register.Name}/items/{Uri.EscapeDataString(stored.RecordId)}";
            return await AnswerAsync(register, stored.RecordId, StatusCodes.Status201Created, location, $"created {stored.RecordId} as version {stored.Version}",
                request, dataSource);
        }
        catch (RecordExistsException e)
        {
            return Problems.Of(StatusCodes.Status409Conflict, $"The {register.RecordNoun} exists already.",
                $"{register.Name} already has \"{ClientText.Shown(e.RecordId)}\" (or had it, and it was withdrawn). Change it with PUT or PATCH on its item, "
                + "or give the new one another id.");
        }
    }

    /// <param name="collectionId">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="featureId">the record's id</param>
    /// <param name="contentCrs">the system of the geometry's coordinates, in its axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="ifMatch">replace only if the feature is still at this version (its ETag, as read); 412 otherwise</param>
    /// <param name="by">a note of your own, kept with the version</param>
    internal static async Task<IResult> Replace(string collectionId, string featureId, HttpRequest request, ClaimsPrincipal user, RecordImporter importer,
        NpgsqlDataSource dataSource, IOptions<HabitatOptions> options, [FromHeader(Name = "Content-Crs")] string? contentCrs = null,
        [FromHeader(Name = "If-Match")] string? ifMatch = null, string? by = null, CancellationToken cancellationToken = default)
    {
        if (Editable(collectionId) is not { } register) return NotEditable(collectionId);
        var (feature, problem) = await ReadFeatureAsync(request, contentCrs, [MediaTypes.GeoJson, MediaTypes.Json], dataSource, cancellationToken);
        if (feature is null) return problem!;
        if (OtherId(feature, register, featureId) is { } other) return other;
        int? atVersion = null;
        if (ifMatch is not null)
        {
            if (await CurrentAsync(register, featureId, request, dataSource, cancellationToken) is not { } current) return NoSuchFeature(register, featureId);
            if (!FeatureVersions.Matches(ifMatch, current.Version)) return FeatureVersions.Stale(register, featureId, current.Version);
            atVersion = current.Version; // checked again under the register's lock, as it is stored
        }
        feature["properties"] = RegisterColumns.Writable(feature["properties"] as JsonObject ?? [], register, featureId);
        return await ChangeAsync(register, featureId, feature, atVersion, user, by, request, importer, dataSource, options.Value, cancellationToken);
    }

    /// <param name="collectionId">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="featureId">the record's id</param>
    /// <param name="contentCrs">the system of a geometry in the patch, in its axis order (a URI of the collection's crs list; default CRS84)</param>
    /// <param name="ifMatch">change only if the feature is still at this version (its ETag, as read); 412 otherwise</param>
    /// <param name="by">a note of your own, kept with the version</param>
    internal static async Task<IResult> Update(string collectionId, string featureId, HttpRequest request, ClaimsPrincipal user, RecordImporter importer,
        NpgsqlDataSource dataSource, IOptions<HabitatOptions> options, [FromHeader(Name = "Content-Crs")] string? contentCrs = null,
        [FromHeader(Name = "If-Match")] string? ifMatch = null, string? by = null, CancellationToken cancellationToken = default)
    {
        if (Editable(collectionId) is not { } register) return NotEditable(collectionId);
        var (patch, problem) = await ReadFeatureAsync(request, contentCrs, [MergePatch, MediaTypes.Json, MediaTypes.GeoJson], dataSource, cancellationToken);
        if (patch is null) return problem!;
        if (OtherId(patch, register, featureId) is { } other) return other;
        // The patch applies to the version read; if another change lands in between, it applies again to the new one.
        for (var attempt = 1; ; attempt++)
        {
            if (await CurrentAsync(register, featureId, request, dataSource, cancellationToken) is not { } current) return NoSuchFeature(register, featureId);
            if (!FeatureVersions.Matches(ifMatch, current.Version)) return FeatureVersions.Stale(register, featureId, current.Version);
            var feature = (JsonObject)Merge(JsonNode.Parse(current.Json), patch)!;
            feature["properties"] = RegisterColumns.Writable(feature["properties"] as JsonObject ?? [], register, featureId);
            var answer = await ChangeAsync(register, featureId, feature, current.Version, user, by, request, importer, dataSource, options.Value, cancellationToken);
            if (answer is not VersionChanged || ifMatch is not null || attempt == 3) return answer is VersionChanged changed ? changed.Problem : answer;
        }
    }

    /// <param name="collectionId">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="featureId">the record's id</param>
    /// <param name="ifMatch">withdraw only if the feature is still at this version (its ETag, as read); 412 otherwise</param>
    /// <param name="reason">why it is withdrawn (default: that it was deleted through OGC API – Features)</param>
    /// <param name="by">a note of your own, kept with the change</param>
    internal static async Task<IResult> Delete(string collectionId, string featureId, ClaimsPrincipal user, NpgsqlDataSource dataSource,
        [FromHeader(Name = "If-Match")] string? ifMatch = null, string? reason = null, string? by = null, CancellationToken cancellationToken = default)
    {
        if (Editable(collectionId) is not { } register) return NotEditable(collectionId);
        reason = string.IsNullOrWhiteSpace(reason) ? "deleted in a GIS client (OGC API – Features DELETE)" : reason.Trim();
        var (withdrawal, problem) = await RegisterRecordsApi.WithdrawAsync(dataSource, register, featureId, user.ActorName(), reason, by, ifMatch, cancellationToken);
        return withdrawal is null ? problem! : new FeatureResult(StatusCodes.Status204NoContent, null, null, null, withdrawal.AuditDetail);
    }

    private static RegisterSchema? Editable(string collectionId) => RegisterCatalogue.Find(collectionId);

    private static ProblemHttpResult NotEditable(string collectionId) =>
        NetworkCollections.Parse(collectionId) is not null
            ? Problems.Of(StatusCodes.Status405MethodNotAllowed, "The network's collections cannot be edited.",
                $"{collectionId} is computed from the habitat patches and the species group's profile: change those instead.")
            : Problems.UnknownRegister(collectionId);

    private static ProblemHttpResult NoSuchFeature(RegisterSchema register, string featureId) =>
        Problems.Of(StatusCodes.Status404NotFound, "No such feature.",
            $"There is no current {register.RecordNoun} \"{ClientText.Shown(featureId)}\" in {register.Name}; add it with POST on the collection's items.");

    private static string? IdText(JsonNode? node) =>
        node?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number && node.ToString().Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A body that names another record than the URL does: a record's id cannot be changed.</summary>
    private static ProblemHttpResult? OtherId(JsonObject feature, RegisterSchema register, string featureId)
    {
        foreach (var given in new[] { IdText(feature["id"]), IdText((feature["properties"] as JsonObject)?[register.IdProperty]) })
        {
            if (given is not null && given != featureId)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "The feature names another record.",
                    $"The body is \"{ClientText.Shown(given)}\" but the URL is \"{ClientText.Shown(featureId)}\": a record's id cannot be changed. "
                    + $"Withdraw this one and add the other, or send the change to the other's own URL.");
            }
        }
        return null;
    }

    private static Task<(string Json, int Version)?> CurrentAsync(RegisterSchema register, string featureId, HttpRequest request,
        NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var filter = new FeatureFilter(register);
        filter.Id(featureId);
        return OgcItems.ReadFeatureAsync(register, filter, CrsReferences.Storage, request, dataSource, cancellationToken);
    }

    /// <summary>A new version of a current record (PUT, PATCH): 200 with it, 404 when there is none, 412 (or a retry, for PATCH) when it changed meanwhile.</summary>
    private static async Task<IResult> ChangeAsync(RegisterSchema register, string featureId, JsonObject feature, int? atVersion, ClaimsPrincipal user,
        string? by, HttpRequest request, RecordImporter importer, NpgsqlDataSource dataSource, HabitatOptions options, CancellationToken cancellationToken)
    {
        ((JsonObject)feature["properties"]!)[register.IdProperty] = featureId;
        try
        {
            var (stored, refused) = await StoreAsync(register, feature, user, by, importer, options, new(OnlyCurrent: true, AtVersion: atVersion), cancellationToken);
            if (stored is null) return refused!;
            return await AnswerAsync(register, featureId, StatusCodes.Status200OK, null,
                stored.Status == "unchanged" ? null : $"{featureId} version {stored.Version}: {string.Join(", ", stored.Changed)} changed", request, dataSource);
        }
        catch (RecordMissingException)
        {
            return NoSuchFeature(register, featureId);
        }
        catch (RecordVersionException e)
        {
            return new VersionChanged(FeatureVersions.Stale(register, featureId, e.Current));
        }
    }

    /// <summary>A change that found another version current than the one it was based on.</summary>
    private sealed class VersionChanged(ProblemHttpResult problem) : IResult
    {
        public ProblemHttpResult Problem { get; } = problem;

        public Task ExecuteAsync(HttpContext httpContext) => Problem.ExecuteAsync(httpContext);
    }

    private sealed record Expectation(bool OnlyNew = false, bool OnlyCurrent = false, int? AtVersion = null);

    /// <summary>Stores one feature as an import of one record; the record's change, or the problem details of what is wrong (nothing stored).</summary>
    private static async Task<(RecordChange? Stored, ProblemHttpResult? Refused)> StoreAsync(RegisterSchema register, JsonObject feature, ClaimsPrincipal user,
        string? by, RecordImporter importer, HabitatOptions options, Expectation expect, CancellationToken cancellationToken)
    {
        feature["type"] = "Feature";
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(feature.DeepClone()) };
        using var features = new GeoJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(collection.ToJsonString())));
        var (report, checkedUpload) = await importer.ImportAsync(
            new FeatureUpload(features, register, null, Repair: false, options.City.Hint, new FeatureOrigins(["feature"], new Dictionary<int, List<string>>(), [])),
            new ImportSource(null, user.ActorName(), by, DryRun: false, expect.OnlyNew, expect.OnlyCurrent, expect.AtVersion), cancellationToken);
        if (report is null)
        {
            var errors = checkedUpload.Problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
            return (null, Problems.Invalid($"The {register.RecordNoun} cannot be stored; nothing was changed.", string.Join(" ", errors.Values.SelectMany(v => v)), errors));
        }
        return (report.Changes.FirstOrDefault() ?? new RecordChange(IdText(feature["properties"]?[register.IdProperty])!, "unchanged", 0, []), null);
    }

    /// <summary>The stored feature as the answer (as GET gives it), with its ETag.</summary>
    private static async Task<IResult> AnswerAsync(RegisterSchema register, string recordId, int status, string? location, string? auditDetail,
        HttpRequest request, NpgsqlDataSource dataSource)
    {
        // Stored: whatever happens to the request now, answer with what was stored.
        var stored = await CurrentAsync(register, recordId, request, dataSource, CancellationToken.None);
        return new FeatureResult(status, stored?.Json, stored is { } s ? FeatureVersions.ETag(s.Version, CrsReferences.Storage) : null, location, auditDetail);
    }

    /// <summary>
    /// The body as a JSON object (a Feature, or a merge patch of one), its geometry transformed into CRS84 when Content-Crs
    /// names another system; or the problem details of why it cannot be read.
    /// </summary>
    private static async Task<(JsonObject? Feature, ProblemHttpResult? Problem)> ReadFeatureAsync(HttpRequest request, string? contentCrs, string[] mediaTypes,
        NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var crs = contentCrs is null ? CrsReferences.Storage : CrsReferences.Find(contentCrs);
        if (crs is null) return (null, Problems.Of(StatusCodes.Status400BadRequest, "The Content-Crs is not offered.", CrsReferences.NotOffered("Content-Crs", contentCrs!)));
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "The body is not GeoJSON.",
                $"Send the feature with Content-Type {string.Join(" or ", mediaTypes)}."));
        }
        if (request.ContentLength > MaxFeatureBytes) return (null, TooLarge());
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFeatureBytes) return (null, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        JsonObject? feature;
        try
        {
            // A member given twice is ambiguous (which geometry?): refused, as JSON parsers disagree on which one wins.
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = ClientText.MaxDepth + 1, AllowDuplicateProperties = false });
            if (ClientText.FirstBroken(document.RootElement, "") is { } broken)
            {
                return (null, Problems.Invalid("The feature cannot be stored; nothing was changed.", $"\"{broken.Path}\" {broken.Problem}.",
                    new Dictionary<string, string[]> { [broken.Path.Length > 0 ? broken.Path : "feature"] = [$"\"{broken.Path}\" {broken.Problem}."] }));
            }
            feature = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject;
        }
        catch (JsonException e)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "The body is not JSON.", $"The body could not be read as JSON ({e.Message})."));
        }
        catch (InvalidOperationException)
        {
            // Comparing member names (for duplicates) reads them: a name that is half a surrogate pair cannot be.
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "The body holds broken text.",
                "A member name holds half of a UTF-16 surrogate pair or bytes that are not UTF-8; save the feature as UTF-8 again."));
        }
        if (feature is null || (feature["properties"] is { } p && p is not JsonObject))
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "The body is not a feature.",
                "Send one GeoJSON Feature: {\"type\": \"Feature\", \"geometry\": {…}, \"properties\": {…}} (a patch may hold either)."));
        }
        if (!crs.IsStorage && feature["geometry"] is JsonObject geometry && await ToCrs84Async(geometry, crs, dataSource, cancellationToken) is { } outside)
        {
            return (null, Problems.Invalid("The feature cannot be stored; nothing was changed.", outside, new Dictionary<string, string[]> { ["geometry"] = [outside] }));
        }
        return (feature, null);
    }

    private static ProblemHttpResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "The feature is too large.",
        $"One feature may take at most {MaxFeatureBytes >> 20} MB; import larger data as a file with POST /imports/{{register}}.");

    /// <summary>
    /// Transforms a geometry's positions, in place, from <paramref name="crs"/> and its axis order into CRS84, by PostGIS.
    /// Only the positions change: whatever else is wrong with the geometry is left for the import's checks to say, in
    /// their words. Null, or what is wrong with a position.
    /// </summary>
    private static async Task<string?> ToCrs84Async(JsonObject geometry, CrsReference crs, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var positions = new List<JsonArray>();
        void Collect(JsonNode? node)
        {
            if (node is not JsonArray array) return;
            if (array is [JsonValue first, JsonValue second, ..] && first.GetValueKind() == JsonValueKind.Number && second.GetValueKind() == JsonValueKind.Number)
            {
                positions.Add(array);
                return;
            }
            foreach (var item in array) Collect(item);
        }
        Collect(geometry["coordinates"]);
        if (positions.Count == 0) return null;
        var (firsts, seconds) = (new double[positions.Count], new double[positions.Count]);
        for (var i = 0; i < positions.Count; i++)
        {
            (firsts[i], seconds[i]) = ((double)positions[i][0]!, (double)positions[i][1]!);
            if (crs.Outside(firsts[i], seconds[i]) is { } outside) return $"geometry: {outside}.";
        }
        await using var command = dataSource.CreateCommand(
            $"select ST_X(p), ST_Y(p) from (select i, {crs.ToStorage("ST_MakePoint(a, b)")} p from unnest($1::float8[], $2::float8[]) with ordinality t(a, b, i)) s order by i");
        command.Parameters.Add(new() { Value = firsts });
        command.Parameters.Add(new() { Value = seconds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            positions[i][0] = reader.GetDouble(0);
            positions[i][1] = reader.GetDouble(1);
        }
        return null;
    }

    /// <summary>JSON merge patch (RFC 7396): members of the patch replace the target's, null removes one, objects merge.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject changes) return patch?.DeepClone();
        var result = target as JsonObject ?? [];
        foreach (var (name, value) in changes)
        {
            if (value is null) result.Remove(name);
            else result[name] = Merge(result[name]?.DeepClone(), value);
        }
        return result;
    }

    /// <summary>A stored feature as the answer to a change, with its ETag and, for a new one, its Location.</summary>
    private sealed class FeatureResult(int status, string? json, string? etag, string? location, string? auditDetail)
        : IResult, IStatusCodeHttpResult, IValueHttpResult, IAuditedOutcome
    {
        public int? StatusCode => status;

        public object? Value => this;

        public string? AuditDetail => auditDetail;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            if (location is not null) response.Headers.Location = location; // QGIS reads the new id from a header named exactly "Location"
            if (etag is not null) response.Headers.ETag = etag;
            if (json is null) return;
            response.ContentType = MediaTypes.GeoJson;
            response.Headers["Content-Crs"] = CrsReferences.Storage.Header;
            await response.WriteAsync(json, httpContext.RequestAborted);
        }
    }
}
