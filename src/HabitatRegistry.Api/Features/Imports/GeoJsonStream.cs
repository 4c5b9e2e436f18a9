using System.Text.Json;

namespace HabitatRegistry.Features.Imports;

/// <summary>
/// A GeoJSON FeatureCollection read from a stream a feature at a time, so no upload is ever held whole in memory. A first
/// pass checks that the whole file is JSON and finds the collection's "type", "crs" and number of features, wherever
/// they stand in it; then <see cref="Features"/> hands out each feature as a small JsonDocument of its own.
/// </summary>
public sealed class GeoJsonStream : IDisposable
{
    /// <summary>The largest single feature read (and so the most one upload holds at once).</summary>
    public const int MaxFeatureBytes = 64 << 20;

    private readonly Stream stream;

    /// <summary>The top-level "type" when it is a string; null otherwise (or when the top level is not an object).</summary>
    public JsonDocument? Type { get; private set; }

    /// <summary>The top-level "crs" member, if any.</summary>
    public JsonDocument? Crs { get; private set; }

    /// <summary>Whether the top level is an object with a "features" list.</summary>
    public bool HasFeatures { get; private set; }

    public int FeatureCount { get; private set; }

    /// <summary>The file's size in bytes.</summary>
    public long Length => stream.Length;

    /// <summary>Why the file cannot be read as JSON at all (with where), or null.</summary>
    public string? Problem { get; private set; }

    /// <param name="stream">seekable (a spooled upload, a file); disposed with this</param>
    public GeoJsonStream(Stream stream)
    {
        this.stream = stream;
        try
        {
            Walk();
        }
        catch (JsonException e)
        {
            Problem = e.Message;
        }
    }

    /// <summary>The features, one at a time, in file order; each JsonDocument is the caller's to dispose.</summary>
    public IEnumerable<JsonDocument> Features()
    {
        if (Problem is not null || !HasFeatures) yield break;
        stream.Position = 0;
        var window = new Window(stream);
        window.SkipBom();
        if (Next(window).Type != JsonTokenType.StartObject) yield break;
        while (Name(window) is { } name)
        {
            if (name != "features" || !EnterArray(window))
            {
                Value(window, capture: false);
                continue;
            }
            while (Value(window, capture: true) is { Bytes: { } bytes }) yield return JsonDocument.Parse(bytes);
        }
    }

    /// <summary>The whole document, for a small body that is not a FeatureCollection (one activity sent as JSON).</summary>
    public JsonDocument? WholeDocument(int maxBytes)
    {
        if (Problem is not null || stream.Length > maxBytes) return null;
        stream.Position = 0;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return UploadReader.ParseJson(bytes);
    }

    public void Dispose()
    {
        Type?.Dispose();
        Crs?.Dispose();
        stream.Dispose();
    }

    // The first pass: the top level's members, every feature skipped over (and so checked to be JSON) and counted.
    private void Walk()
    {
        stream.Position = 0;
        var window = new Window(stream);
        window.SkipBom();
        var first = Next(window);
        if (first.Type != JsonTokenType.StartObject)
        {
            if (first.Type is JsonTokenType.StartArray) SkipRest(window);
            return;
        }
        while (Name(window) is { } name)
        {
            switch (name)
            {
                case "type" or "crs":
                    var value = Value(window, capture: true);
                    var document = JsonDocument.Parse(value!.Value.Bytes!);
                    if (name == "crs") Crs = document;
                    else if (value.Value.Type == JsonTokenType.String) Type = document;
                    else document.Dispose();
                    break;
                case "features" when EnterArray(window):
                    HasFeatures = true;
                    while (Value(window, capture: false) is not null) FeatureCount++;
                    break;
                default:
                    Value(window, capture: false);
                    break;
            }
        }
        if (Next(window).Type != JsonTokenType.None) throw Error(window, "there is more after the collection ends");
    }

    private static void SkipRest(Window window)
    {
        // The array's opening bracket was read: its elements and its end.
        while (Value(window, capture: false) is not null)
        {
        }
    }

    private readonly record struct Token(JsonTokenType Type);

    private readonly record struct ValueRead(JsonTokenType Type, byte[]? Bytes);

    /// <summary>The next token, consumed; None at the end of the file.</summary>
    private static Token Next(Window window)
    {
        if (!TryNextToken(window, out var reader)) return new(JsonTokenType.None);
        var type = reader.TokenType;
        window.Advance(ref reader);
        return new(type);
    }

    /// <summary>A reader on the window's next token, reading more of the file into the window as needed; false at its end.</summary>
    private static bool TryNextToken(Window window, out Utf8JsonReader reader)
    {
        while (true)
        {
            reader = window.Reader();
            if (Read(ref reader, window)) return true;
            if (window.Final) return false;
            window.Fill();
        }
    }

    /// <summary>As <see cref="TryNextToken"/>, where the file must go on.</summary>
    private static void NextToken(Window window, out Utf8JsonReader reader)
    {
        if (!TryNextToken(window, out reader)) throw Error(window, "the file ends in the middle");
    }

    /// <summary>The next member's name, or null at the end of the object.</summary>
    private static string? Name(Window window)
    {
        NextToken(window, out var reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            window.Advance(ref reader);
            return null;
        }
        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            name = "\uFFFD"; // a name that is not UTF-8 is no member this reads
        }
        window.Advance(ref reader);
        return name;
    }

    /// <summary>Steps into an array when the next value is one; otherwise leaves the value unread and says no.</summary>
    private static bool EnterArray(Window window)
    {
        NextToken(window, out var reader);
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        window.Advance(ref reader);
        return true;
    }

    /// <summary>The next whole value (its bytes when asked), or null at the end of the enclosing array or object.</summary>
    private static ValueRead? Value(Window window, bool capture)
    {
        while (true)
        {
            NextToken(window, out var reader);
            if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                window.Advance(ref reader);
                return null;
            }
            var type = reader.TokenType;
            var start = (int)reader.TokenStartIndex;
            bool complete;
            try
            {
                complete = reader.TrySkip();
            }
            catch (JsonException e)
            {
                throw Error(window, e);
            }
            if (!complete)
            {
                if (window.Final) throw Error(window, "the file ends in the middle");
                window.Fill();
                continue;
            }
            var bytes = capture ? window.Span(start, (int)reader.BytesConsumed - start).ToArray() : null;
            window.Advance(ref reader);
            return new(type, bytes);
        }
    }

    private static bool Read(ref Utf8JsonReader reader, Window window)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException e)
        {
            throw Error(window, e);
        }
    }

    private static JsonException Error(Window window, JsonException e) =>
        new($"The file is not valid JSON near line {window.Line}: {e.Message.Split(" LineNumber:")[0]}");

    private static JsonException Error(Window window, string what) => new($"The file is not valid JSON near line {window.Line}: {what}.");

    /// <summary>
    /// The part of the stream being read: what is not consumed yet, refilled as the reader needs, grown only to hold
    /// the largest single value (a feature) asked for at once.
    /// </summary>
    private sealed class Window(Stream stream)
    {
        private byte[] buffer = new byte[1 << 16];
        private int start, end;
        private JsonReaderState state;

        public bool Final { get; private set; }

        /// <summary>The line reached (1 for the first), for messages.</summary>
        public int Line { get; private set; } = 1;

        public Utf8JsonReader Reader() => new(buffer.AsSpan(start, end - start), Final, state);

        public ReadOnlySpan<byte> Span(int offset, int length) => buffer.AsSpan(start + offset, length);

        public void Advance(ref Utf8JsonReader reader)
        {
            var consumed = (int)reader.BytesConsumed;
            Line += buffer.AsSpan(start, consumed).Count((byte)'\n');
            start += consumed;
            state = reader.CurrentState;
        }

        public void SkipBom()
        {
            Fill();
            if (buffer.AsSpan(start, end - start).StartsWith("\uFEFF"u8)) start += 3;
        }

        /// <summary>Keeps what is not consumed yet and reads more after it.</summary>
        public void Fill()
        {
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxFeatureBytes) throw new JsonException($"A feature near line {Line} takes more than {MaxFeatureBytes >> 20} MB; split it, or simplify its boundary.");
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxFeatureBytes));
            }
            var read = stream.Read(buffer, end, buffer.Length - end);
            end += read;
            if (read == 0) Final = true;
        }
    }
}
