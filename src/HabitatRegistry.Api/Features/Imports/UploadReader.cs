using System.Text.Json;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HabitatRegistry.Features.Imports;

/// <summary>An upload ready to be read a feature at a time, or the problem that stops it being read.</summary>
/// <param name="Origins">for a CSV: the line each feature came from, and what was wrong with rows</param>
internal sealed record Upload(GeoJsonStream? Features, string? FileName, ProblemHttpResult? Problem, FeatureOrigins? Origins = null) : IDisposable
{
    public void Dispose() => Features?.Dispose();
}

/// <summary>
/// Reads an upload from the body or a multipart "file" field into a temporary file, never into memory, enforcing the size
/// limit: GeoJSON as it is; a CSV (Content-Type text/csv, or a file named .csv) and a zipped shapefile turned into
/// GeoJSON first. The features are then read from the file one at a time (<see cref="GeoJsonStream"/>).
/// </summary>
internal static class UploadReader
{
    public static async Task<Upload> ReadAsync(HttpRequest request, RegisterSchema register, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        Stream? file;
        string? fileName = null;
        var csv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
            {
                // The form reader keeps a large file on disk by itself; its stream is read from there.
                request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = maxBytes }));
                var form = await request.ReadFormAsync(cancellationToken);
                var formFile = form.Files["file"];
                if (formFile is null)
                {
                    return new(null, null, Problems.Of(StatusCodes.Status400BadRequest, "No file in the form.",
                        $"Send the file in a form field named \"file\" (curl -F file=@{register.Name}.geojson …)."));
                }
                if (formFile.Length > maxBytes) return TooLarge(maxBytes);
                fileName = Path.GetFileName(formFile.FileName);
                if (ClientText.Problem(fileName, 255) is { } nameProblem)
                {
                    return new(null, null, Problems.Of(StatusCodes.Status400BadRequest, "The file's name cannot be kept.",
                        $"The name of the uploaded file {nameProblem}. Rename the file and upload it again."));
                }
                if (fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    await using var zip = formFile.OpenReadStream();
                    var (shapefile, problem) = ShapefileUpload.Read(zip, maxBytes);
                    return new(shapefile, fileName, problem is null ? null
                        : Problems.Of(StatusCodes.Status422UnprocessableEntity, "The shapefile cannot be imported; nothing was stored.", problem));
                }
                if (fileName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase))
                {
                    return new(null, fileName, Problems.Of(StatusCodes.Status422UnprocessableEntity, "A .shp alone is not a whole shapefile.",
                        $"\"{fileName}\" needs its .shx, .dbf and .prj: zip them together and upload the .zip."));
                }
                csv = fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || formFile.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
                file = formFile.OpenReadStream();
            }
            else
            {
                file = await TemporaryFile.SpoolAsync(request.Body, maxBytes, cancellationToken);
                if (file is null) return TooLarge(maxBytes);
            }
        }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
        {
            return TooLarge(maxBytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A wrong, missing or cut-off boundary: the form itself is broken, whatever file it was meant to carry.
            return new(null, null, Problems.Of(StatusCodes.Status400BadRequest, "The form cannot be read.",
                "The multipart form is cut short or its boundary does not match its Content-Type. Send the file again "
                + $"(curl -F file=@{register.Name}.geojson …), or send GeoJSON or CSV as the request body."));
        }

        if (file.Length == 0)
        {
            await file.DisposeAsync();
            return new(null, fileName, Problems.Of(StatusCodes.Status400BadRequest, "The upload is empty.",
                "Send a GeoJSON FeatureCollection (or a CSV) as the request body, or as the form field \"file\"."));
        }
        return Open(file, fileName, register, csv);
    }

    /// <summary>Reads a file (an upload, or one the command line was given) as GeoJSON, or as a CSV turned into GeoJSON.</summary>
    public static Upload Open(Stream file, string? fileName, RegisterSchema register, bool csv)
    {
        if (csv)
        {
            using (file)
            {
                var (collection, origins, problem) = CsvUpload.Read(file, register);
                return new(collection, fileName, problem is null ? null
                    : Problems.Of(StatusCodes.Status422UnprocessableEntity, "The CSV file cannot be imported; nothing was stored.", problem), origins);
            }
        }
        var features = new GeoJsonStream(file);
        if (features.Problem is not { } notJson) return new(features, fileName, null);
        features.Dispose();
        return new(null, fileName, Problems.Of(StatusCodes.Status400BadRequest, "The upload is not valid JSON.",
            $"{notJson} It may be cut short, or not a GeoJSON file at all. Nothing was stored."));
    }

    /// <summary>A GeoJSON file's bytes as JSON, with or without the UTF-8 BOM that Windows editors put first.</summary>
    /// <exception cref="JsonException">Not JSON.</exception>
    public static JsonDocument ParseJson(byte[] bytes)
    {
        var json = bytes.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8)) json = json[3..];
        return JsonDocument.Parse(json);
    }

    /// <summary>
    /// After a large upload, has the runtime give its memory back to the system: an idle service collects no garbage, and
    /// would keep what the upload's reading needed for as long as it runs. Uploads are few, and the collection is short.
    /// </summary>
    public static void GiveBackMemory(Upload upload)
    {
        if (upload.Features?.Length > LargeUpload) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private const long LargeUpload = 32 << 20;

    private static Upload TooLarge(long maxBytes) =>
        new(null, null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "The upload is too large.",
            $"Uploads are limited to {maxBytes / (1024.0 * 1024):0.#} MB. Split the file (e.g. by scheme or year) and import the parts one after another."));
}
