using System.Security.Claims;
using System.Text.Json;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Features.Imports;

public static class ImportApi
{
    public static void MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/imports").WithTags("Imports");
        group.MapPost("/{register}", ImportRecords)
            .TakesUploads()
            .WithName("ImportRecords")
            .WithSummary("Import a GeoJSON FeatureCollection (or a CSV of activities) into a register (all or nothing)")
            .WithDescription("""
                Body: a GeoJSON FeatureCollection (application/geo+json or application/json), a CSV (text/csv), or a
                multipart form with the file in the field "file" (.geojson, .csv, or a zipped shapefile). Records are
                matched by their id (parcel_id, activity_id or patch_id): new ones are created, changed ones get a new version,
                identical ones are left alone. If any record has a problem, nothing is stored and the answer (422) lists
                every problem by feature (features[0] is the first) or, for a CSV, by line as Excel numbers the rows
                (line 1 is the header). A CSV has a header row, one column per property and optional lon/lat columns
                for a point; UTF-8 or Shift_JIS. Coordinates are longitude/latitude unless ?crs= (or the file's "crs"
                member) names another system, which is then reprojected.
                """)
            // curl --data-binary sends form-urlencoded unless told otherwise: the body is read as JSON all the same.
            .Accepts<JsonElement>("application/geo+json", "application/json", "text/csv", "multipart/form-data", "application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DisableAntiforgery();
    }

    /// <param name="register">designations, acquisitions, activities or habitat-patches</param>
    /// <param name="request">the upload</param>
    /// <param name="user">who is importing (recorded with the versions it creates)</param>
    /// <param name="importer">stores the records</param>
    /// <param name="options">upload limit and city</param>
    /// <param name="dryRun">check and report what would change, store nothing</param>
    /// <param name="repair">close unclosed rings and fix invalid polygons (NTS GeometryFixer), reporting each fix</param>
    /// <param name="crs">the coordinate system of the file when it is not lon/lat, e.g. EPSG:6677</param>
    /// <param name="by">a note of your own, kept with the versions it creates (who is recorded from the key)</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportRecords(
        string register, HttpRequest request, ClaimsPrincipal user, RecordImporter importer, IOptions<HabitatOptions> options,
        bool dryRun = false, bool repair = false, string? crs = null, string? by = null, CancellationToken cancellationToken = default)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);

        using var upload = await UploadReader.ReadAsync(request, schema, options.Value.MaxUploadBytes, cancellationToken);
        try
        {
            return await ImportAsync(schema, upload, importer, options.Value, new ImportSource(upload.FileName, user.ActorName(), by, dryRun), repair, crs, cancellationToken);
        }
        finally
        {
            UploadReader.GiveBackMemory(upload);
        }
    }

    /// <summary>Checks an upload that has been read and stores it, all or nothing: 422 listing every problem when it cannot be stored.</summary>
    internal static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportAsync(
        RegisterSchema schema, Upload upload, RecordImporter importer, HabitatOptions options, ImportSource source, bool repair, string? crs,
        CancellationToken cancellationToken)
    {
        if (upload.Problem is { } problem) return problem;

        var (report, checkedUpload) = await importer.ImportAsync(
            new FeatureUpload(upload.Features!, schema, crs, repair, options.City.Hint, upload.Origins), source, cancellationToken);
        if (report is null)
        {
            var bad = checkedUpload.RecordsWithProblems;
            // CSV rows are named by the row number Excel shows, GeoJSON features by their index.
            var detail = bad == 0 ? string.Join(" ", checkedUpload.Problems.Values.SelectMany(v => v))
                : upload.Origins is not null
                ? $"Rows with problems: {bad} of {checkedUpload.FeatureCount}, each listed under \"errors\" by its line as Excel numbers the rows (line 1 is the header). Fix them and upload the whole file again."
                : $"Features with problems: {bad} of {checkedUpload.FeatureCount}, each listed under \"errors\" by its position in the file (features[0] is the first). Fix them and upload the whole file again.";
            return Problems.Invalid($"The file cannot be imported into {schema.Name}; nothing was stored.", detail,
                checkedUpload.Problems.ToDictionary(p => p.Key, p => p.Value.ToArray()));
        }

        return TypedResults.Ok(report);
    }
}
