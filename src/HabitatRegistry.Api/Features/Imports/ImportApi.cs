using System.Text.Json;
using HabitatRegistry.Data;
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
        group.MapPost("/{register}", ImportParcels)
            .WithName("ImportParcels")
            .WithSummary("Import a GeoJSON FeatureCollection of parcels into a register (all or nothing)")
            .WithDescription("""
                Body: a GeoJSON FeatureCollection (application/geo+json or application/json), or a multipart form with the
                file in the field "file". Parcels are matched by parcel_id: new ones are created, changed ones get a new
                version, identical ones are left alone. If any feature has a problem, nothing is stored and the answer
                (422) lists every problem by feature. Coordinates are longitude/latitude unless ?crs= (or the file's
                "crs" member) names another system, which is then reprojected.
                """)
            // curl --data-binary sends form-urlencoded unless told otherwise: the body is read as JSON all the same.
            .Accepts<JsonElement>("application/geo+json", "application/json", "multipart/form-data", "application/x-www-form-urlencoded")
            .DisableAntiforgery();
    }

    /// <param name="register">designations or acquisitions</param>
    /// <param name="request">the upload</param>
    /// <param name="importer">stores the parcels</param>
    /// <param name="options">upload limit and city</param>
    /// <param name="dryRun">check and report what would change, store nothing</param>
    /// <param name="repair">close unclosed rings and fix invalid polygons (NTS GeometryFixer), reporting each fix</param>
    /// <param name="crs">the coordinate system of the file when it is not lon/lat, e.g. EPSG:6677</param>
    /// <param name="by">who is importing (kept with the versions it creates)</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportParcels(
        string register, HttpRequest request, ParcelImporter importer, IOptions<HabitatOptions> options,
        bool dryRun = false, bool repair = false, string? crs = null, string? by = null, CancellationToken cancellationToken = default)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);

        var upload = await UploadReader.ReadAsync(request, options.Value.MaxUploadBytes, cancellationToken);
        if (upload.Problem is { } problem) return problem;

        using var document = upload.Document!;
        var checkedUpload = FeatureCollectionReader.Read(document, schema, crs, repair, options.Value.City.Hint);
        if (!checkedUpload.IsValid)
        {
            var bad = checkedUpload.Problems.Keys.Count(k => k.StartsWith("features[", StringComparison.Ordinal));
            var detail = bad > 0
                ? $"Features with problems: {bad} of {checkedUpload.FeatureCount}, each listed under \"errors\" by its position in the file (features[0] is the first). Fix them and upload the whole file again."
                : string.Join(" ", checkedUpload.Problems.Values.SelectMany(v => v));
            return Problems.Invalid($"The file cannot be imported into {schema.Name}; nothing was stored.", detail,
                checkedUpload.Problems.ToDictionary(p => p.Key, p => p.Value.ToArray()));
        }

        var report = await importer.ImportAsync(schema, checkedUpload, new ImportSource(upload.FileName, by, dryRun), cancellationToken);
        return TypedResults.Ok(report);
    }
}
