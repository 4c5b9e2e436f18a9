using System.Text;
using System.Text.Unicode;

namespace HabitatRegistry.Features.Imports;

/// <summary>
/// The text encoding of an uploaded file (a shapefile's .dbf, a CSV): the one the file names when it names one,
/// else UTF-8 when the bytes are valid UTF-8, else Shift_JIS (Windows-31J), in which Japanese Excel saves CSV
/// and most Japanese shapefiles are written.
/// </summary>
internal static class UploadEncoding
{
    static UploadEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>UTF-8 when the bytes are valid UTF-8 (a BOM included), else Shift_JIS.</summary>
    public static Encoding Guess(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) ? new UTF8Encoding(false) : Encoding.GetEncoding(932);

    /// <summary>The same for a whole (seekable) stream, read a piece at a time; the stream is left at its start.</summary>
    public static Encoding Guess(Stream stream)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length + 1];
        stream.Position = 0;
        try
        {
            int n;
            while ((n = stream.Read(bytes)) > 0) strict.GetChars(bytes, 0, n, chars, 0, flush: false);
            strict.GetChars(bytes, 0, 0, chars, 0, flush: true); // a sequence cut off at the end
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(932);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>An encoding by name or code page ("UTF-8", "SJIS", "932"), or null when it is not one .NET knows.</summary>
    public static Encoding? Named(string name)
    {
        name = name.Trim();
        try
        {
            return name.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) ? new UTF8Encoding(false)
                : int.TryParse(name, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(name);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
