using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Features.Activities;

/// <summary>An activity as the API gives it out: its current version, with the fiscal year it counts in.</summary>
/// <param name="FiscalYear">the fiscal year it was held in (FY N = 1 April N – 31 March N+1)</param>
/// <param name="KindJa">the kind's name in Japanese, as the strategy words it</param>
/// <param name="Geometry">where it took place: a GeoJSON Point, Polygon or MultiPolygon (lon/lat), or null</param>
public sealed record ActivityItem(
    string ActivityId,
    DateOnly HeldOn,
    int FiscalYear,
    string Kind,
    string KindJa,
    string Title,
    string? Organiser,
    decimal? Participants,
    JsonElement? Geometry,
    int Version);

/// <summary>A page of activities, oldest first, and how many match the filters in all.</summary>
public sealed record ActivityPage(long NumberMatched, int NumberReturned, int Limit, int Offset, IReadOnlyList<ActivityItem> Items);

/// <summary>One activity to record (the JSON body of POST /activities). Only the request's documentation uses this type:
/// the body is read as a register record, so its problems read exactly as an import's.</summary>
/// <param name="ActivityId">your reference for it; made up (ACT-yyyyMMdd-xxxxxx) when left out</param>
/// <param name="HeldOn">the date it took place, YYYY-MM-DD</param>
/// <param name="Kind">lecture, workshop, support_case, hands_on_event, awareness_activity, forest_site, survey or other</param>
/// <param name="Geometry">where it took place: a GeoJSON Point or Polygon in lon/lat, if known</param>
public sealed record NewActivity(string? ActivityId, DateOnly HeldOn, string Kind, string Title, string? Organiser, decimal? Participants, JsonElement? Geometry);

public static class ActivitiesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The most one activity sent as JSON may take.</summary>
    private const int MaxActivityBytes = 16 << 20;

    private static RegisterSchema Register => RegisterCatalogue.Activities;

    public static void MapActivities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/activities").WithTags("Activities");
        group.MapGet("", GetActivities)
            .WithMetadata(new RepeatableQuery("kind"))
            .WithName("GetActivities")
            .WithSummary("Activities (current versions) by kind, fiscal year or dates, oldest first, a page at a time")
            .WithDescription("""
                Plain JSON for reports and spreadsheets; the same records are the OGC API collection "activities" for
                GIS clients. kind may be repeated or comma-separated. fiscalYear N means 1 April N – 31 March N+1.
                numberMatched counts every activity that matches; page through them with limit and offset.
                """)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("", PostActivities)
            .TakesUploads()
            .WithName("PostActivities")
            .WithSummary("Record one activity (JSON), or import a CSV or GeoJSON file of them")
            .WithDescription("""
                A JSON object records one activity and answers 201 with it, Location being its OGC API item; without an
                activityId one is made up (ACT-20250601-3f9a1c). A CSV (text/csv) or a multipart form with a .csv or
                .geojson file in the field "file" is imported exactly as by POST /imports/activities, and the answer is
                the import report. Either way the checks are the import's: if anything is wrong nothing is stored, and
                the answer (422) says what, by line for a CSV (line 1 is the header).
                """)
            // curl -d sends form-urlencoded unless told otherwise: the body is read as JSON all the same.
            .Accepts<NewActivity>(MediaTypes.Json, "text/csv", "multipart/form-data", MediaTypes.GeoJson, "application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DisableAntiforgery();
    }

    /// <param name="db">the registry</param>
    /// <param name="kind">only these kinds (repeat the parameter, or separate with commas): lecture, workshop, support_case, hands_on_event, awareness_activity, forest_site, survey, other</param>
    /// <param name="fiscalYear">only activities held in this fiscal year, e.g. 2025 for 1 April 2025 – 31 March 2026</param>
    /// <param name="from">only activities held on or after this date, YYYY-MM-DD</param>
    /// <param name="to">only activities held on or before this date, YYYY-MM-DD</param>
    /// <param name="limit">activities per page (default 100, at most 1000)</param>
    /// <param name="offset">activities to skip</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<ActivityPage>, ProblemHttpResult>> GetActivities(
        HabitatDb db,
        string[]? kind = null,
        int? fiscalYear = null,
        DateOnly? from = null,
        DateOnly? to = null,
        [Range(1, MaxLimit), DefaultValue(DefaultLimit)] int limit = DefaultLimit,
        [Range(0, int.MaxValue)] int offset = 0,
        CancellationToken cancellationToken = default)
    {
        var kinds = (kind ?? []).SelectMany(k => k.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        if (kinds.FirstOrDefault(k => !RegisterCatalogue.ActivityKinds.ContainsKey(k)) is { } unknown)
        {
            return Problems.BadParameter("kind", $"kind={unknown} is not a kind of activity; the kinds are: {string.Join(", ", RegisterCatalogue.ActivityKinds.Keys)}.");
        }
        if (fiscalYear is { } year0 && !FiscalYear.IsPlausible(year0))
        {
            return Problems.BadParameter("fiscalYear", $"fiscalYear={fiscalYear} is not one of the {FiscalYear.PlausibleRange}; give the year it starts in, e.g. 2025 for 1 April 2025 – 31 March 2026.");
        }
        if (from is { } f0 && !FiscalYear.IsPlausible(f0)) return Problems.BadParameter("from", $"from={from:yyyy-MM-dd} is outside the {FiscalYear.PlausibleRange}.");
        if (to is { } t0 && !FiscalYear.IsPlausible(t0)) return Problems.BadParameter("to", $"to={to:yyyy-MM-dd} is outside the {FiscalYear.PlausibleRange}.");
        if (from > to) return Problems.BadParameter("to", $"to={to:yyyy-MM-dd} is before from={from:yyyy-MM-dd}.");
        if (limit is < 1 or > MaxLimit) return Problems.BadParameter("limit", $"limit={limit}: ask for 1 to {MaxLimit} activities a page, and page through the rest with offset.");
        if (offset < 0) return Problems.BadParameter("offset", $"offset={offset}: the offset cannot be negative.");

        var query = Current(db);
        if (kinds.Count > 0) query = query.Where(a => kinds.Contains(a.Kind));
        if (fiscalYear is { } year)
        {
            var (start, end) = (new FiscalYear(year).Start, new FiscalYear(year).End); // captured as plain dates, so EF sends them as parameters
            query = query.Where(a => a.HeldOn >= start && a.HeldOn <= end);
        }
        if (from is { } first) query = query.Where(a => a.HeldOn >= first);
        if (to is { } last) query = query.Where(a => a.HeldOn <= last);

        // Count and page from one snapshot, so numberMatched agrees with the items.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var matched = await query.LongCountAsync(cancellationToken);
        var page = await query.OrderBy(a => a.HeldOn).ThenBy(a => a.RecordId).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ActivityPage(matched, page.Count, limit, offset, [.. page.Select(ToItem)]));
    }

    /// <param name="request">one activity as JSON, or a CSV or GeoJSON file of them</param>
    /// <param name="user">who is recording (kept with the versions it creates)</param>
    /// <param name="db">the registry</param>
    /// <param name="importer">stores the records</param>
    /// <param name="options">upload limit and city</param>
    /// <param name="by">a note of your own, kept with the versions it creates</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Created<ActivityItem>, Ok<ImportReport>, ProblemHttpResult>> PostActivities(
        HttpRequest request, ClaimsPrincipal user, HabitatDb db, RecordImporter importer, IOptions<HabitatOptions> options,
        string? by = null, CancellationToken cancellationToken = default)
    {
        using var upload = await UploadReader.ReadAsync(request, Register, options.Value.MaxUploadBytes, cancellationToken);
        if (upload.Problem is { } unreadable) return unreadable;
        var isFile = upload.Origins is not null || upload.FileName is not null
            || (upload.Features!.Type is { } type && ClientText.StringOf(type.RootElement) is "FeatureCollection" or "Feature");
        if (isFile)
        {
            // Files go through the import exactly as they would at /imports/activities.
            var imported = await ImportApi.ImportAsync(Register, upload, importer, options.Value, new ImportSource(upload.FileName, user.ActorName(), by, DryRun: false),
                repair: false, crs: null, cancellationToken);
            return imported.Result is ProblemHttpResult refused ? refused : (Ok<ImportReport>)imported.Result;
        }

        // One activity is a small JSON object: read whole.
        if (upload.Features!.Length > MaxActivityBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "One activity is too large.",
                $"One activity sent as JSON may take at most {MaxActivityBytes >> 20} MB; its title and texts are far shorter than that.");
        }
        using var document = upload.Features.WholeDocument(MaxActivityBytes);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } body)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "The body is not one activity.",
                "Send one activity as a JSON object, e.g. {\"heldOn\": \"2025-06-01\", \"kind\": \"lecture\", \"title\": \"…\"}; "
                + "send many as a CSV (Content-Type text/csv) or a GeoJSON FeatureCollection.");
        }
        if (ClientText.FirstBroken(body, "") is { } broken)
        {
            return Problems.Invalid("The activity cannot be recorded; nothing was stored.", $"\"{broken.Path}\" {broken.Problem}.",
                new Dictionary<string, string[]> { [broken.Path.Length > 0 ? broken.Path : "activity"] = [$"\"{broken.Path}\" {broken.Problem}."] });
        }
        var properties = new JsonObject();
        foreach (var p in body.EnumerateObject())
        {
            // The API's camelCase names are the register's snake_case properties (heldOn → held_on).
            if (p.Name != "geometry") properties[JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)] = JsonNode.Parse(p.Value.GetRawText());
        }
        var given = properties[Register.IdProperty]?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? properties[Register.IdProperty]!.ToString().Trim() : "";
        if (given.Length > 0 && await db.Activities.AnyAsync(a => a.RecordId == given, cancellationToken)) return AlreadyRecorded(given);
        var id = given.Length > 0 ? given : await NewIdAsync(db, properties["held_on"], cancellationToken);
        properties[Register.IdProperty] = id;
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = body.TryGetProperty("geometry", out var geometry) ? JsonNode.Parse(geometry.GetRawText()) : null,
            ["properties"] = properties,
        };
        using var collection = new GeoJsonStream(new MemoryStream(
            Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(feature) }.ToJsonString())));
        ImportReport? report;
        CheckedUpload checkedUpload;
        try
        {
            (report, checkedUpload) = await importer.ImportAsync(
                new FeatureUpload(collection, Register, null, Repair: false, options.Value.City.Hint, new FeatureOrigins(["activity"], new Dictionary<int, List<string>>(), [])),
                new ImportSource(null, user.ActorName(), by, DryRun: false, OnlyNew: true), cancellationToken);
        }
        catch (RecordExistsException)
        {
            return AlreadyRecorded(given); // another request recorded it a moment ago
        }
        if (report is null)
        {
            // A made-up id means nothing to the sender, and nothing was stored under it.
            var errors = checkedUpload.Problems.ToDictionary(p => p.Key,
                p => p.Value.Select(m => given.Length > 0 ? m : m.Replace($"Activity {id}: ", "This activity: ", StringComparison.Ordinal)).ToArray());
            return Problems.Invalid("The activity cannot be recorded; nothing was stored.", string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        }
        // Stored: whatever happens to the request now, answer with what was stored.
        var stored = await Current(db).SingleAsync(a => a.RecordId == id, CancellationToken.None);
        return TypedResults.Created($"{request.Root()}/collections/{Register.Name}/items/{Uri.EscapeDataString(id)}", ToItem(stored));
    }

    private static ProblemHttpResult AlreadyRecorded(string id) =>
        Problems.Of(StatusCodes.Status409Conflict, "The activity is already recorded.",
            $"There is already an activity \"{ClientText.Shown(id)}\". Leave out activityId to record a new one; to correct that one, "
            + "import it again with POST /imports/activities, which keeps the old version.");

    private static IQueryable<Activity> Current(HabitatDb db) => db.Activities.AsNoTracking().Where(a => a.SupersededAt == null);

    /// <summary>A readable id that no activity has had: ACT-, the date it was held (today when not a date), six random hex digits.</summary>
    private static async Task<string> NewIdAsync(HabitatDb db, JsonNode? heldOn, CancellationToken cancellationToken)
    {
        var date = heldOn?.GetValueKind() == JsonValueKind.String && DateOnly.TryParse(heldOn.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d : FiscalYear.TodayInJapan();
        while (true)
        {
            var id = $"ACT-{date:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
            if (!await db.Activities.AnyAsync(a => a.RecordId == id, cancellationToken)) return id;
        }
    }

    private static ActivityItem ToItem(Activity a) => new(
        a.RecordId, a.HeldOn, FiscalYear.Containing(a.HeldOn).Year, a.Kind, RegisterCatalogue.ActivityKinds.GetValueOrDefault(a.Kind, a.Kind),
        a.Title, a.Organiser, a.Participants, a.Geometry is null ? null : JsonSerializer.SerializeToElement(a.Geometry, Json.GeoJson), a.Version);
}
