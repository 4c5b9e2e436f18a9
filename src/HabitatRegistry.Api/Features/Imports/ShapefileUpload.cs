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
            if (HeaderProblem(folder.FullName) is { } problem) return (null, problem);
            return (ToFeatureCollection(folder.FullName), null);
        }
        catch (ShapefileRecordException e)
        {
            return (null, e.Message);
        }
        // The zip and shapefile readers are third-party parsers of a hostile file and throw many kinds of exception
        // (format, overflow, argument, index) on garbage; each one means "this file cannot be read", never a server fault.
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return (null, $"The shapefile could not be read ({e.Message}). Check that the zip holds one complete shapefile.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Checks the headers before the shapefile library reads the records: a .dbf or .shx whose header promises more
    /// records than the file holds would otherwise have it read far past the data (or, with garbled headers, loop).
    /// </summary>
    private static string? HeaderProblem(string folder)
    {
        var header = new byte[32];
        long dbfLength;
        using (var dbf = File.OpenRead(Path.Combine(folder, "upload.dbf")))
        {
            dbfLength = dbf.Length;
            if (dbf.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return "The .dbf file is shorter than its 32-byte header; the shapefile is incomplete.";
            }
        }
        long records = BitConverter.ToUInt32(header, 4);
        int headerLength = BitConverter.ToUInt16(header, 8), recordLength = BitConverter.ToUInt16(header, 10);
        if (records > int.MaxValue || headerLength < 33 || recordLength < 1 || headerLength + records * recordLength > dbfLength)
        {
            return $"The .dbf header promises {records:N0} records of {recordLength} bytes, more than its {dbfLength:N0} bytes hold; the file is damaged or incomplete.";
        }
        var shp = new FileInfo(Path.Combine(folder, "upload.shp"));
        var shx = new FileInfo(Path.Combine(folder, "upload.shx"));
        if (shp.Length < 100 || shx.Length < 100 || (shx.Length - 100) % 8 != 0)
        {
            return "The .shp or .shx file is shorter than its 100-byte header or cut short; the shapefile is incomplete.";
        }
        var shapes = (shx.Length - 100) / 8;
        if (shapes != records)
        {
            return $"The .shx lists {shapes:N0} shapes but the .dbf {records:N0} records; the files do not belong together or one is damaged.";
        }
        return ShapeRecordProblem(Path.Combine(folder, "upload.shp"));
    }

    /// <summary>
    /// Walks the .shp's records as the reader will, checking that each one's parts and points fit in its own length: a
    /// damaged count (a billion points in a record of a hundred bytes) would have the reader allocate for all of them.
    /// </summary>
    private static string? ShapeRecordProblem(string shp)
    {
        using var file = new BinaryReader(File.OpenRead(shp));
        var length = file.BaseStream.Length;
        long position = 100;
        for (var record = 1; position + 8 <= length; record++)
        {
            file.BaseStream.Position = position + 4;
            long bytes = 2L * System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(file.ReadInt32()); // content length, in 16-bit words, big-endian
            if (bytes < 4 || position + 8 + bytes > length) return $"Record {record} of the .shp runs past the end of the file; the file is damaged or incomplete.";
            var shapeType = file.ReadInt32();
            long needed = shapeType switch
            {
                0 => 4,
                1 or 11 or 21 => 20,
                3 or 5 or 13 or 15 or 23 or 25 or 31 => Multipart(file),
                8 or 18 or 28 => 40 + 16L * Count(file),
                _ => 4, // the reader says what it makes of other types
            };
            if (needed < 0 || needed > bytes) return $"Record {record} of the .shp counts more parts or points than it holds; the file is damaged.";
            position += 8 + bytes;
        }
        return null;

        // After the type: a bounding box, then the counts (negative when damaged, which fails the check).
        static int Count(BinaryReader reader)
        {
            reader.BaseStream.Position += 32;
            return reader.BaseStream.Position + 4 <= reader.BaseStream.Length ? reader.ReadInt32() : -1;
        }

        // The parts' first points must start at 0 and rise within the points: the reader sizes each part by its neighbour's start.
        static long Multipart(BinaryReader reader)
        {
            var parts = Count(reader);
            var points = reader.BaseStream.Position + 4 <= reader.BaseStream.Length ? reader.ReadInt32() : -1;
            if (parts < 0 || points < 0 || reader.BaseStream.Position + 4L * parts > reader.BaseStream.Length) return -1;
            for (int i = 0, previous = -1; i < parts; i++)
            {
                var first = reader.ReadInt32();
                if ((i == 0 && first != 0) || first <= previous || first >= points) return -1;
                previous = first;
            }
            return 44 + 4L * parts + 16L * points;
        }
    }

    /// <summary>A record the reader could read but that cannot become a GeoJSON feature; its message names the record.</summary>
    private sealed class ShapefileRecordException(string message) : Exception(message);

    private static GeoJsonStream ToFeatureCollection(string folder)
    {
        var shp = Path.Combine(folder, "upload.shp");
        var options = new ShapefileReaderOptions { GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes, Encoding = TextEncoding(folder) };
        using var reader = Shapefile.OpenRead(shp, options);
        var collection = TemporaryFile.Create();
        try
        {
            WriteCollection(reader, folder, collection);
        }
        catch
        {
            collection.Dispose(); // which deletes it
            throw;
        }
        return new GeoJsonStream(collection);
    }

    private static void WriteCollection(ShapefileReader reader, string folder, Stream collection)
    {
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
            var record = 0;
            while (reader.Read(out var deleted))
            {
                record++;
                if (deleted) continue;
                if (reader.Geometry is { } shape && shape.Coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y)))
                {
                    throw new ShapefileRecordException($"Record {record} of the shapefile has a coordinate that is not a finite number; fix or remove that shape.");
                }
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
