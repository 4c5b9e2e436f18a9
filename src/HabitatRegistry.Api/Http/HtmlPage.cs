using System.Net;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Http;

/// <summary>
/// What the service's HTML pages share (the annual report and the OGC API pages): escaping of anything that comes from
/// data, and the house style. Pages are self-contained: an inline stylesheet (the Content-Security-Policy allows inline
/// styles, not scripts), no external resources, so they work offline and in print.
/// </summary>
internal static class HtmlPage
{
    /// <summary>
    /// The language of a page by the Accept-Language header: Japanese when the most preferred language is Japanese, English
    /// when it is another, Japanese when there is none (the city's own language).
    /// </summary>
    public static string LanguageOf(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages) || languages.Count == 0) return "ja";
        // The first of the most preferred languages (a stable order for equal qualities).
        var best = languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        if (best is null) return "ja";
        var tag = best.Value.Value ?? "";
        return tag.Equals("ja", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("ja-", StringComparison.OrdinalIgnoreCase) ? "ja" : "en";
    }

    /// <summary>Text for HTML content or a quoted attribute value; names and notes are user input.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The house style: Japanese fonts first, green headings, ruled tables, a quiet footer; A4 in print.</summary>
    public const string Css = """

        @page { size: A4; margin: 14mm 12mm; }
        body { font-family: "Noto Sans CJK JP", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; color: #111; margin: 24px auto; max-width: 1000px; font-size: 13px; line-height: 1.5; }
        h1 { font-size: 20px; border-bottom: 2px solid #2e6b3a; padding-bottom: 4px; }
        h2 { font-size: 16px; margin-top: 24px; border-left: 5px solid #2e6b3a; padding-left: 8px; }
        h3 { font-size: 14px; margin-bottom: 4px; }
        .meta { margin: 2px 0; }
        .note { border: 1px solid #888; background: #f6f6f0; padding: 6px 10px; margin: 8px 0; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; }
        th { background: #e8efe9; font-weight: bold; font-size: 12px; }
        td.num { text-align: right; white-space: nowrap; }
        small { color: #555; font-size: 11px; }
        nav { font-size: 12px; margin: 4px 0; }
        footer { margin-top: 28px; border-top: 1px solid #999; font-size: 11px; color: #444; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          nav { display: none; }
          tr { break-inside: avoid; }
        }

        """;
}
