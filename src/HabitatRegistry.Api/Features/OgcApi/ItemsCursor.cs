using System.Buffers.Text;
using System.Globalization;
using System.Text;
using HabitatRegistry.Analysis.Text;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// Where the next page of items starts: after the last record id of this page (keyset paging, as fast on the last page as
/// on the first), with the numberMatched of the first page carried along, so a walk through a large register counts it
/// once. Opaque to clients (base64url), who follow next links as given; a tampered cursor is refused, never trusted for SQL.
/// </summary>
public sealed record ItemsCursor(string After, long Matched)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Matched.ToString(CultureInfo.InvariantCulture)}\n{After}"));

    public static ItemsCursor? Parse(string text)
    {
        if (text.Length > 1000) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var split = decoded.IndexOf('\n', StringComparison.Ordinal);
        if (split < 1 || !long.TryParse(decoded.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var matched)) return null;
        var after = decoded[(split + 1)..];
        return after.Length == 0 || ClientText.Problem(after, ClientText.IdLength) is not null ? null : new ItemsCursor(after, matched);
    }
}
