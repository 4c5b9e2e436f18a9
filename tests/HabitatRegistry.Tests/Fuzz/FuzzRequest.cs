using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HabitatRegistry.Tests.Fuzz;

/// <summary>
/// One request of the fuzz suite: method, path and query, headers and body bytes, and what was done to make it.
/// It is kept in a case file (Fuzz/Cases/*.case), a small text format:
/// <code>
/// # Why this case is kept (comment lines, first).
/// POST /imports/designations?dryRun=true
/// Content-Type: application/geo+json
/// --- body
/// {"type": "FeatureCollection", "features": [ … ]}
/// </code>
/// After "--- body" the rest of the file is the body as UTF-8 text (without the file's last line break), in which
/// <c>${repeat:N:TEXT}</c> stands for TEXT written N times (so a 20 MB title stays a small file). After
/// "--- body base64" it is the body's bytes in base64, for bytes that are not UTF-8 or line breaks that must be CRLF.
/// No body line: no body. <c>${repeat:…}</c> works in the request line too.
/// </summary>
public sealed partial record FuzzRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Description)
{
    /// <summary>In the short budget, repeats are cut to this many characters, to keep ./test.sh quick.</summary>
    public const int ShortBudgetMaxRepeat = 4 * 1024 * 1024;

    public string? ContentType => Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The request line and body size, shortened for a message.</summary>
    public string Summary
    {
        get
        {
            var target = Target.Length > 160 ? $"{Target[..160]}… ({Target.Length:N0} characters)" : Target;
            return Body.Length == 0 ? $"{Method} {target}" : $"{Method} {target} [{ContentType ?? "no Content-Type"}, {Body.Length:N0} bytes]";
        }
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Target, UriKind.Relative));
        if (Body.Length > 0 || ContentType is not null) message.Content = new ByteArrayContent(Body);
        foreach (var (name, value) in Headers)
        {
            // Headers go as written, odd or not: the service must answer them, not the client refuse them.
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) message.Content?.Headers.TryAddWithoutValidation(name, value);
            else message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    /// <summary>Reads a case file; in the short budget, long repeats are cut (see <see cref="ShortBudgetMaxRepeat"/>).</summary>
    public static FuzzRequest Parse(string text, bool longBudget, string name)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var at = 0;
        var comments = new List<string>();
        for (; at < lines.Length && (lines[at].StartsWith('#') || lines[at].Length == 0); at++) comments.Add(lines[at].TrimStart('#', ' '));
        var requestLine = Expand(lines[at++], longBudget).Split(' ', 2);
        var headers = new List<KeyValuePair<string, string>>();
        for (; at < lines.Length && !lines[at].StartsWith("--- body", StringComparison.Ordinal); at++)
        {
            if (lines[at].Length == 0) continue;
            var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(lines[at][..colon].Trim(), lines[at][(colon + 1)..].Trim()));
        }
        var body = Array.Empty<byte>();
        if (at < lines.Length)
        {
            var rest = string.Join('\n', lines[(at + 1)..]);
            if (rest.EndsWith('\n')) rest = rest[..^1];
            body = lines[at].Trim() == "--- body base64" ? Convert.FromBase64String(rest) : Encoding.UTF8.GetBytes(Expand(rest, longBudget));
        }
        return new(requestLine[0], requestLine[1], headers, body, $"{name}: {string.Join(' ', comments.Where(c => c.Length > 0))}");
    }

    /// <summary>The case file of this request: the description as a comment, the body in base64 unless it is plain text.</summary>
    public string ToCaseFile()
    {
        var file = new StringBuilder();
        foreach (var line in Description.Split('\n')) file.Append("# ").AppendLine(line);
        file.Append(Method).Append(' ').AppendLine(Target);
        foreach (var (name, value) in Headers) file.Append(name).Append(": ").AppendLine(value);
        if (Body.Length == 0) return file.ToString();
        var asText = IsPlainText(Body) ? Encoding.UTF8.GetString(Body) : null;
        return asText is not null && !asText.Contains("${repeat:", StringComparison.Ordinal)
            ? file.AppendLine("--- body").AppendLine(asText).ToString()
            : file.AppendLine("--- body base64").AppendLine(Base64Lines().Replace(Convert.ToBase64String(Body), "$0\n").TrimEnd('\n')).ToString();
    }

    /// <summary>Valid UTF-8 without control characters other than tab and LF, so a text file keeps it byte for byte.</summary>
    private static bool IsPlainText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return !text.Any(c => c is < ' ' and not ('\t' or '\n') or '\u007f' or '\uFEFF') && !text.EndsWith('\n');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Expand(string text, bool longBudget) => Repeat().Replace(text, m =>
    {
        var count = long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups["text"].Value;
        if (!longBudget) count = Math.Min(count, ShortBudgetMaxRepeat / Math.Max(unit.Length, 1));
        return new StringBuilder(unit.Length * (int)count).Insert(0, unit, (int)count).ToString();
    });

    [GeneratedRegex(".{76}")]
    private static partial Regex Base64Lines();

    [GeneratedRegex(@"\$\{repeat:(?<count>\d+):(?<text>[^}]*)\}")]
    private static partial Regex Repeat();
}
