using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using HabitatRegistry.Analysis.Geometry;
using HabitatRegistry.Http;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace HabitatRegistry.Features.Imports;

/// <summary>
/// Turns a zipped shapefile (.shp, .shx, .dbf, and .prj/.cpg when present) into the same GeoJSON
/// FeatureCollection a planner would get from "Save as GeoJSON" (in a temporary file, a record at a time), so it goes
/// through exactly the same checks. The .prj becomes the collection's "crs" member; text is read in the .cpg's encoding, else as
/// UTF-8 when it is valid UTF-8, else as Shift_JIS (the usual encoding of Japanese shapefiles).
/// </summary>
internal static class ShapefileUpload
{
    private static readonly string[] Parts = [".shp", ".shx", ".dbf", ".prj", ".cpg"];

    /// <summary>The FeatureCollection, or a sentence saying why the zip cannot be read.</summary>
    public static (GeoJsonStream? Features, string? Problem) Read(Stream zip, long maxBytes)
    {
        var folder = Directory.CreateTempSubdirectory("habitat-shp-");
        try
        {
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Read))
            {
                var shapefiles = archive.Entries.Where(e => e.Name.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).ToList();
                if (shapefiles.Count != 1)
                {
                    return (null, shapefiles.Count == 0
                        ? "The zip holds no .shp file. Zip the shapefile's .shp, .shx, .dbf and .prj together and upload that."
                        : $"The zip holds {shapefiles.Count} shapefiles ({string.Join(", ", shapefiles.Select(s => s.Name))}); import them one at a time.");
                }
                var stem = Path.GetFileNameWithoutExtension(shapefiles[0].Name);
                long total = 0;
                foreach (var entry in archive.Entries)
                {
                    var extension = Path.GetExtension(entry.Name).ToLowerInvariant();
                    if (!Parts.Contains(extension) || !Path.GetFileNameWithoutExtension(entry.Name).Equals(stem, StringComparison.OrdinalIgnoreCase)) continue;
                    total += entry.Length;
                    if (total > maxBytes * 4) return (null, "The shapefile is too large once unzipped; split it and import the parts one after another.");
                    entry.ExtractToFile(Path.Combine(folder.FullName, "upload" + extension));
                }
            }
            foreach (var required in new[] { ".shx", ".dbf" })
            {
                if (!File.Exists(Path.Combine(folder.FullName, "upload" + required)))
                {
                    return (null, $"The zip has the .shp but no {required} file; a shapefile needs its .shp, .shx and .dbf (and .prj for its coordinate system).");
                }
            }
            return (ToFeatureCollection(folder.FullName), null);
        }
        catch (Exception e) when (e is InvalidDataException or ShapefileException or IOException or NotSupportedException)
        {
            return (null, $"The shapefile could not be read ({e.Message}). Check that the zip holds one complete shapefile.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static GeoJsonStream ToFeatureCollection(string folder)
    {
        var shp = Path.Combine(folder, "upload.shp");
        var options = new ShapefileReaderOptions { GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes, Encoding = TextEncoding(folder) };
        using var reader = Shapefile.OpenRead(shp, options);
        var collection = TemporaryFile.Create();
        using (var writer = new Utf8JsonWriter(collection, Json.Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            var prj = Path.Combine(folder, "upload.prj");
            if (File.Exists(prj))
            {
                var wkt = File.ReadAllText(prj);
                writer.WriteStartObject("crs");
                writer.WriteString("type", "name");
                writer.WriteStartObject("properties");
                writer.WriteString("name", CoordinateSystems.FromWkt(wkt)?.Code ?? $"the .prj's {wkt.Split('"').ElementAtOrDefault(1) ?? "system"}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteStartArray("features");
            while (reader.Read(out var deleted))
            {
                if (deleted) continue;
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WritePropertyName("geometry");
                if (reader.Geometry is { IsEmpty: false } geometry) JsonSerializer.Serialize(writer, geometry, Json.GeoJson);
                else writer.WriteNullValue();
                writer.WriteStartObject("properties");
                foreach (var field in reader.Fields)
                {
                    switch (field.Value)
                    {
                        case null: writer.WriteNull(field.Name); break;
                        case DateTime date: writer.WriteString(field.Name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                        case string text: writer.WriteString(field.Name, text.Trim()); break;
                        case bool flag: writer.WriteBoolean(field.Name, flag); break;
                        default: writer.WriteNumber(field.Name, Convert.ToDecimal(field.Value, CultureInfo.InvariantCulture)); break;
                    }
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
                if (writer.BytesPending > 1 << 16) writer.Flush();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new GeoJsonStream(collection);
    }

    private static Encoding TextEncoding(string folder)
    {
        var cpg = Path.Combine(folder, "upload.cpg");
        // An unknown .cpg name falls through to looking at the bytes.
        if (File.Exists(cpg) && UploadEncoding.Named(File.ReadAllText(cpg)) is { } named) return named;
        using var dbf = File.OpenRead(Path.Combine(folder, "upload.dbf"));
        return UploadEncoding.Guess(dbf);
    }
}
