using System.Text.Json;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Features.Imports;

/// <summary>The JSON document of an upload, or the problem that stops it being read.</summary>
/// <param name="Origins">for a CSV: the line each feature came from, and what was wrong with rows</param>
internal sealed record Upload(JsonDocument? Document, string? FileName, ProblemHttpResult? Problem, FeatureOrigins? Origins = null);

/// <summary>
/// Reads an upload from the body or a multipart "file" field, enforcing the size limit: GeoJSON as it is; a CSV
/// (Content-Type text/csv, or a file named .csv) and a zipped shapefile turned into GeoJSON first.
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

        byte[] bytes;
        string? fileName = null;
        var csv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
            {
                request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = maxBytes }));
                var form = await request.ReadFormAsync(cancellationToken);
                var file = form.Files["file"];
                if (file is null)
                {
                    return new(null, null, Problems.Of(StatusCodes.Status400BadRequest, "No file in the form.",
                        "Send the GeoJSON file in a form field named \"file\" (curl -F file=@parcels.geojson …)."));
                }
                if (file.Length > maxBytes) return TooLarge(maxBytes);
                fileName = Path.GetFileName(file.FileName);
                if (ClientText.Problem(fileName, 255) is { } nameProblem)
                {
                    return new(null, null, Problems.Of(StatusCodes.Status400BadRequest, "The file's name cannot be kept.",
                        $"The name of the uploaded file {nameProblem}. Rename the file and upload it again."));
                }
                if (fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    await using var zip = file.OpenReadStream();
                    var (shapefile, problem) = ShapefileUpload.Read(zip, maxBytes);
                    return new(shapefile, fileName, problem is null ? null
                        : Problems.Of(StatusCodes.Status422UnprocessableEntity, "The shapefile cannot be imported; nothing was stored.", problem));
                }
                if (fileName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase))
                {
                    return new(null, fileName, Problems.Of(StatusCodes.Status422UnprocessableEntity, "A .shp alone is not a whole shapefile.",
                        $"\"{fileName}\" needs its .shx, .dbf and .prj: zip them together and upload the .zip."));
                }
                csv = fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || file.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
                bytes = await ReadAllAsync(file.OpenReadStream(), maxBytes, cancellationToken) ?? [];
            }
            else
            {
                var read = await ReadAllAsync(request.Body, maxBytes, cancellationToken);
                if (read is null) return TooLarge(maxBytes);
                bytes = read;
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
                + "(curl -F file=@parcels.geojson …), or send GeoJSON or CSV as the request body."));
        }

        if (bytes.Length == 0)
        {
            return new(null, fileName, Problems.Of(StatusCodes.Status400BadRequest, "The upload is empty.",
                "Send a GeoJSON FeatureCollection (or a CSV) as the request body, or as the form field \"file\"."));
        }
        if (csv)
        {
            var (collection, origins, problem) = CsvUpload.Read(bytes, register);
            return new(collection, fileName, problem is null ? null
                : Problems.Of(StatusCodes.Status422UnprocessableEntity, "The CSV file cannot be imported; nothing was stored.", problem), origins);
        }
        try
        {
            return new(ParseJson(bytes), fileName, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, character {e.BytePositionInLine + 1})" : "";
            return new(null, fileName, Problems.Of(StatusCodes.Status400BadRequest, "The upload is not valid JSON.",
                $"The file could not be read as JSON{where}: it may be cut short, or not a GeoJSON file at all. Nothing was stored."));
        }
    }

    /// <summary>A GeoJSON file's bytes as JSON, with or without the UTF-8 BOM that Windows editors put first.</summary>
    /// <exception cref="JsonException">Not JSON.</exception>
    public static JsonDocument ParseJson(byte[] bytes)
    {
        var json = bytes.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8)) json = json[3..];
        return JsonDocument.Parse(json);
    }

    private static async Task<byte[]?> ReadAllAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > maxBytes) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static Upload TooLarge(long maxBytes) =>
        new(null, null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "The upload is too large.",
            $"Uploads are limited to {maxBytes / (1024.0 * 1024):0.#} MB. Split the file (e.g. by scheme or year) and import the parts one after another."));
}
