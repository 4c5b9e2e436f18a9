using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace HabitatRegistry.Analysis.Text;

/// <summary>
/// Text that came from a client (a file, a body, a query string, the command line), checked before anything stores or
/// repeats it: no NUL character (PostgreSQL's text cannot hold one), no broken character (invalid UTF-8, an unpaired
/// UTF-16 surrogate), no control characters but tab and line breaks, and no longer than its field allows.
/// </summary>
public static class ClientText
{
    /// <summary>An identifier: a parcel_id, an activity_id, a key's name.</summary>
    public const int IdLength = 100;

    /// <summary>A name, a title, a note.</summary>
    public const int NameLength = 500;

    /// <summary>A text: an evaluation, a reason, a planner's own property.</summary>
    public const int TextLength = 10_000;

    /// <summary>What is wrong with a text, as the end of a sentence ("holds a NUL character …"); null when nothing is.</summary>
    public static string? Problem(string? text, int maxLength)
    {
        if (text is null) return null;
        if (text.Contains('\0')) return "holds a NUL character (\\u0000), which text cannot hold; remove it";
        if (HasUnpairedSurrogate(text)) return "holds a broken character (half of a UTF-16 surrogate pair); save the file as UTF-8 again";
        if (text.Any(c => c is < ' ' and not ('\t' or '\n' or '\r') or '\u007f')) return "holds a control character; remove it";
        if (text.Length > maxLength) return $"is {text.Length:N0} characters long; at most {maxLength:N0} are kept";
        return null;
    }

    /// <summary>A text fit to repeat in a message: broken characters shown as �, cut after 60 characters.</summary>
    public static string Shown(string? text)
    {
        if (text is null) return "";
        var chars = text.Length <= 60 ? text.ToCharArray() : text[..60].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var paired = char.IsHighSurrogate(chars[i]) ? i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])
                : char.IsLowSurrogate(chars[i]) ? i > 0 && char.IsHighSurrogate(chars[i - 1]) : true;
            if (!paired || chars[i] is < ' ' and not ('\t' or '\n' or '\r') or '\u007f') chars[i] = '\uFFFD';
        }
        return text.Length <= 60 ? new string(chars) : new string(chars) + "…";
    }

    /// <summary>The text of a JSON string; null when the value is not a string, or its text is broken (invalid UTF-8, an unpaired surrogate escape).</summary>
    public static string? StringOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>How deep JSON may nest below a feature or a body: a multipolygon's coordinates are four levels, a planner's own property a few more.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The first broken text anywhere in a JSON value, names included, at any depth: where it is (a path below
    /// <paramref name="path"/>) and what is wrong; null when there is none. Also a number the database could not keep
    /// and nesting beyond <see cref="MaxDepth"/>. Lengths are a field's business, not this.
    /// </summary>
    public static (string Path, string Problem)? FirstBroken(JsonElement value, string path) => FirstBroken(value, path, 0);

    private static (string Path, string Problem)? FirstBroken(JsonElement value, string path, int depth)
    {
        if (depth > MaxDepth) return (path, $"is nested more than {MaxDepth} levels deep; keep values flatter");
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return NumberProblem(value) is { } numberProblem ? (path, numberProblem) : null;
            case JsonValueKind.String:
                var text = StringOf(value);
                if (text is null) return (path, "holds bytes that are not UTF-8 text (or half of a surrogate pair); save the file as UTF-8 again");
                return Problem(text, int.MaxValue) is { } problem ? (path, problem) : null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    // Coordinates are most of a large file: a number's path is only built when it is wrong.
                    if (item.ValueKind == JsonValueKind.Number)
                    {
                        if (NumberProblem(item) is { } inNumber) return ($"{path}[{i}]", inNumber);
                    }
                    else if (item.ValueKind is JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.String
                        && FirstBroken(item, $"{path}[{i}]", depth + 1) is { } inItem) return inItem;
                    i++;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (path, "has a property name that is not UTF-8 text; save the file as UTF-8 again");
                    }
                    if (Problem(name, int.MaxValue) is { } nameProblem) return (path, $"has a property name that {nameProblem}");
                    if (FirstBroken(member.Value, path.Length == 0 ? name : $"{path}.{name}", depth + 1) is { } inMember) return inMember;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// A number PostgreSQL's numeric (and so jsonb) can hold, and a double can read: at most 100 characters, an
    /// exponent from -300 to 300. JSON itself sets no bound, so 1e999999999 is valid JSON that no column can store.
    /// </summary>
    private static string? NumberProblem(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var e = raw.IndexOfAny((byte)'e', (byte)'E');
        if (raw.Length <= 100 && (e < 0 || Utf8Parser.TryParse(raw[(e + 1)..], out int exponent, out _) && exponent is >= -300 and <= 300)) return null;
        return $"is the number {Shown(System.Text.Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, 60)]))}, which no column can keep; "
            + "numbers are kept with at most 100 characters and an exponent from -300 to 300";
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return true;
                i++;
            }
            else if (char.IsLowSurrogate(text[i])) return true;
        }
        return false;
    }
}
