using System.Globalization;
using System.Text;
using HabitatRegistry.Analysis.Targets;
using HabitatRegistry.Http;

namespace HabitatRegistry.Features.Reports;

/// <summary>The annual check of the numeric targets as one printable HTML page a city can post on its website.</summary>
internal static class TargetReportHtml
{
    // Japan has no daylight saving time: publication dates are shown as the city's calendar date.
    private static readonly TimeSpan JapanTime = TimeSpan.FromHours(9);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the report as a self-contained page (inline CSS and SVG, no scripts, no external resources).</summary>
    /// <param name="lang">"ja" or "en"</param>
    /// <param name="mapSvg">the map of the land in force (<see cref="LandMap"/>), drawn now or frozen at publication; none for editions published before maps</param>
    public static string Render(TargetReport report, string lang, string? mapSvg = null)
    {
        if (lang is not ("ja" or "en"))
            throw new ArgumentException("The report is written in Japanese (ja) or English (en).", nameof(lang));
        var ja = lang == "ja";
        string T(string j, string e) => ja ? j : e;

        var title = ja
            ? $"生物多様性戦略 数値目標の点検・評価（{report.Labels.Ja}・{report.Labels.En}）"
            : $"Biodiversity strategy — check of numeric targets, {report.Labels.En} ({report.Labels.Ja})";
        var html = new StringBuilder();
        html.Append(Inv, $"<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(Inv, $"<title>{Enc(title)}</title>\n<style>{HtmlPage.Css}{Css}</style>\n</head>\n<body>\n<header>\n<h1>{Enc(title)}</h1>\n");
        html.Append(Inv, $"<p class=\"meta\">{T("基準日", "As of")}: {Date(report.AsOf, ja)}{T(
            $"（{Enc(report.Labels.Ja)}・{Enc(report.Labels.En)}の年度末）", $" (end of {Enc(report.Labels.En)}, {Enc(report.Labels.Ja)})")}</p>\n");
        Publication(html, report, ja);
        // Query-only links keep the page's own path, so they work on the live and the published report alike.
        var year = report.FiscalYear.ToString(Inv);
        html.Append(Inv, $"<nav><a href=\"?fiscalYear={year}&amp;format=html&amp;lang={(ja ? "en" : "ja")}\" hreflang=\"{(ja ? "en" : "ja")}\">{(ja ? "English" : "日本語")}</a> | ")
            .Append(Inv, $"<a href=\"?fiscalYear={year}&amp;format=csv&amp;lang={lang}\">CSV</a> | <a href=\"?fiscalYear={year}&amp;format=json&amp;lang={lang}\">JSON</a></nav>\n");
        html.Append("</header>\n");

        html.Append(Inv, $"<section>\n<h2>{T("数値目標の達成状況", "Progress of the numeric targets")}</h2>\n");
        TargetTable(html, report.Targets, ja);
        html.Append("</section>\n");

        html.Append(Inv, $"<section>\n<h2>{T("実績と計画線の推移", "Actual against the plan line")}</h2>\n")
            .Append(Inv, $"<p class=\"legend\">{T("実線・点：実績　破線：計画線　細線：目標値", "Solid line with dots: actual — dashed: plan line — thin line: target")}</p>\n<div class=\"charts\">\n");
        foreach (var target in report.Targets)
        {
            html.Append(Inv, $"<figure class=\"card\">\n<figcaption><b>{Enc(target.Code)}</b> {Enc(ja ? target.TitleJa : target.TitleEn)}</figcaption>\n");
            Chart(html, target);
            if (!string.IsNullOrWhiteSpace(target.Evaluation))
                html.Append(Inv, $"<p class=\"evaluation\"><b>{T("評価", "Check")}:</b> {Enc(target.Evaluation)}</p>\n");
            html.Append("</figure>\n");
        }
        html.Append("</div>\n</section>\n");

        if (mapSvg is not null)
        {
            // The SVG is the service's own (all text in it escaped when drawn), so it goes in as it is.
            html.Append(Inv, $"<section class=\"map\">\n<h2>{T("緑地の指定・公有地化の区域図", "Map of the designated and acquired land")}</h2>\n<figure class=\"map\">\n")
                .Append(mapSvg)
                .Append(Inv, $"<figcaption>{T($"{Enc(report.Labels.Ja)}末（{Date(report.AsOf, ja)}）時点で効力のある指定・取得。太い縁取りは年度中に加わった区域。",
                    $"Designations and acquisitions in force at the end of {Enc(report.Labels.En)} ({Date(report.AsOf, ja)}); a thick outline marks land added during the year.")}</figcaption>\n</figure>\n</section>\n");
        }

        html.Append(Inv, $"<section>\n<h2>{T("ＰＤＣＡサイクルによる推進管理", "Management by the PDCA cycle")}</h2>\n");
        Pdca(html, T("計画（Plan）", "Plan (計画)"), report.Pdca.Plan, ja);
        Pdca(html, T("評価（Check）", "Check (評価)"), report.Pdca.Check, ja);
        Pdca(html, T("改善（Act）", "Act (改善)"), report.Pdca.Act, ja);
        html.Append("</section>\n");

        var basis = T(
            "面積は GRS80 楕円体上で計測し、重なる区域（複数制度の指定、境界修正を含む）は一度だけ数えています。年度の値は年度末（3月31日）時点で効力のある記録の集計です。",
            "Areas are measured on the GRS80 ellipsoid; land under several records (overlaps, two schemes, boundary corrections) is counted once. A fiscal year's value counts the records in force on 31 March at its end.");
        html.Append(Inv, $"<footer>\n<p>Generated by HabitatRegistry</p>\n<p>{basis}</p>\n</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Publication(StringBuilder html, TargetReport report, bool ja)
    {
        if (report.Publication is not { } published)
        {
            html.Append(Inv, $"<p class=\"note\">{(ja
                ? "この報告は公表前の速報（現在の登録内容からの集計）です。数値は今後変わることがあります。"
                : "Live report: this year has not been published yet, and the figures may still change.")}</p>\n");
            return;
        }
        // The note (usually the office in charge) first, then the key or account that published.
        var who = string.Join(ja ? "、" : ", ", new[] { published.Note, published.PublishedBy }.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => Enc(w!)));
        var by = who.Length == 0 ? "" : (ja ? $"（{who}）" : $" by {who}");
        var date = Date(DateOnly.FromDateTime(published.PublishedAt.ToOffset(JapanTime).DateTime), ja);
        html.Append(Inv, $"<p class=\"meta\">{(ja ? "公表日" : "Published")}: {date}{by}</p>\n");
        if (!published.Restated)
            return;

        html.Append(Inv, $"<div class=\"note restated\">\n<p><b>{(ja
            ? "公表後に登録内容が修正され、次の数値が公表値から変わっています。"
            : "Restated: the register was corrected after publication and these figures differ from the published ones.")}</b></p>\n")
            .Append(Inv, $"<table>\n<thead><tr><th>{(ja ? "コード" : "Code")}</th><th>{(ja ? "公表値" : "Published")}</th><th>{(ja ? "現在値" : "Current")}</th><th>{(ja ? "差" : "Difference")}</th></tr></thead>\n<tbody>\n");
        foreach (var r in published.Restatements)
        {
            var isArea = report.Targets.FirstOrDefault(t => t.Code == r.Code) is { } t && IsArea(t);
            var sign = r.Difference > 0 ? "+" : "";
            html.Append(Inv, $"<tr><td>{Enc(r.Code)}</td><td class=\"num\">{Number(r.PublishedActual, isArea)}</td><td class=\"num\">{Number(r.Actual, isArea)}</td><td class=\"num\">{sign}{Number(r.Difference, isArea)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
    }

    private static void TargetTable(StringBuilder html, IReadOnlyList<TargetResult> targets, bool ja)
    {
        string[] headings = ja
            ? ["コード", "数値目標", "単位", "実績", "当年度増加", "計画値", "目標値（目標年度）", "達成率", "計画比", "状況", "目標年度の見込み"]
            : ["Code", "Target", "Unit", "Actual", "Added this year", "Planned", "Target (target year)", "Achievement", "Progress vs plan", "Status", "Forecast at target year"];
        html.Append("<table class=\"targets\">\n<thead><tr>");
        foreach (var heading in headings)
            html.Append(Inv, $"<th>{heading}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var t in targets)
        {
            var area = IsArea(t);
            var (title, other) = ja ? (t.TitleJa, t.TitleEn) : (t.TitleEn, t.TitleJa);
            var targetYear = ja ? $"{t.TargetFiscalYear}年度" : $"FY{t.TargetFiscalYear}";
            var added = (t.AddedThisYear > 0 ? "+" : "") + Number(t.AddedThisYear, area);
            html.Append(Inv, $"<tr>\n<td class=\"code\">{Enc(t.Code)}</td><td class=\"title\">{Enc(title)}<br><small>{Enc(other)}</small></td><td class=\"unit\">{Unit(t.Unit, ja)}</td>")
                .Append(Inv, $"<td class=\"num\">{Number(t.Actual, area)}</td><td class=\"num\">{added}</td><td class=\"num\">{Number(t.Planned, area)}</td>")
                .Append(Inv, $"<td class=\"num\">{Number(t.Target, area)}<br><small>{targetYear}</small></td>")
                .Append(Inv, $"<td class=\"num\">{Percent(t.AchievementRate)}</td><td class=\"num\">{Percent(t.ProgressVsPlan)}</td>")
                .Append(Inv, $"<td>{Status(t.Status, ja)}</td><td class=\"num\">{Number(t.ForecastAtTargetYear, area)}<br>{Forecast(t.WillMeetTarget, ja)}</td>\n</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    // A symbol as well as a colour, so the status survives black-and-white printing.
    private static string Status(string status, bool ja) => status switch
    {
        "ahead" => ja ? "<span class=\"status ahead\">▲ 計画を上回る</span>" : "<span class=\"status ahead\">▲ ahead</span>",
        "on-track" => ja ? "<span class=\"status on-track\">● 順調</span>" : "<span class=\"status on-track\">● on track</span>",
        "behind" => ja ? "<span class=\"status behind\">▼ 遅れ</span>" : "<span class=\"status behind\">▼ behind</span>",
        _ => Enc(status),
    };

    private static string Forecast(bool? willMeet, bool ja) => willMeet switch
    {
        true => ja ? "<span class=\"forecast met\">見込み 達成</span>" : "<span class=\"forecast met\">on course</span>",
        false => ja ? "<span class=\"forecast missed\">見込み 未達</span>" : "<span class=\"forecast missed\">not on course</span>",
        null => "–",
    };

    private static void Chart(StringBuilder html, TargetResult t)
    {
        const double width = 260, height = 140, left = 40, right = 10, top = 10, bottom = 22;
        var firstYear = t.BaselineFiscalYear;
        // Reports after the target year still show every actual value.
        var lastYear = Math.Max(firstYear + 1, t.History.Select(h => h.FiscalYear).Append(t.TargetFiscalYear).Max());
        var yMax = t.History.SelectMany(h => new[] { h.Actual, h.Planned }).Append(t.Target).Append(t.BaselineValue).Max() * 1.1;
        if (yMax <= 0)
            yMax = 1;
        double X(double year) => left + (year - firstYear) / (lastYear - firstYear) * (width - left - right);
        double Y(double value) => height - bottom - value / yMax * (height - top - bottom);
        (string X, string Y) Point(double year, double value) => (X(year).ToString("0.#", Inv), Y(value).ToString("0.#", Inv));

        var line = new TargetLine(t.BaselineFiscalYear, t.BaselineValue, t.AnnualRate, t.TargetFiscalYear, t.Target);
        var plan = Enumerable.Range(firstYear, Math.Max(1, t.TargetFiscalYear - firstYear + 1)).Select(y => Point(y, line.PlannedAt(y)));
        var actual = t.History.OrderBy(h => h.FiscalYear).Select(h => Point(h.FiscalYear, h.Actual)).ToList();
        var area = IsArea(t);

        html.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-target=\"{Enc(t.Code)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">\n")
            .Append(Inv, $"<title>{Enc(t.Code)}: {Enc(t.TitleJa)} / {Enc(t.TitleEn)}</title>\n")
            .Append(Inv, $"<line class=\"axis\" x1=\"{left}\" y1=\"{Y(0):0.#}\" x2=\"{width - right}\" y2=\"{Y(0):0.#}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{Y(0):0.#}\"/>\n")
            .Append(Inv, $"<line class=\"target\" x1=\"{left}\" y1=\"{Y(t.Target):0.#}\" x2=\"{width - right}\" y2=\"{Y(t.Target):0.#}\"/>\n")
            .Append(Inv, $"<polyline class=\"plan\" points=\"{Points(plan)}\"/>\n");
        if (actual.Count > 0)
            html.Append(Inv, $"<polyline class=\"actual\" points=\"{Points(actual)}\"/>\n");
        foreach (var (x, y) in actual)
            html.Append(Inv, $"<circle class=\"actual\" cx=\"{x}\" cy=\"{y}\" r=\"2.5\"/>");
        html.Append(Inv, $"\n<text x=\"{left - 4}\" y=\"{Y(0) + 3:0.#}\" text-anchor=\"end\">0</text>")
            .Append(Inv, $"<text x=\"{left - 4}\" y=\"{Y(t.Target) + 3:0.#}\" text-anchor=\"end\">{Number(t.Target, area)}</text>\n")
            .Append(Inv, $"<text x=\"{left}\" y=\"{height - 6}\" text-anchor=\"start\">{firstYear}</text>")
            .Append(Inv, $"<text x=\"{width - right}\" y=\"{height - 6}\" text-anchor=\"end\">{lastYear}</text>\n</svg>\n");
    }

    private static string Points(IEnumerable<(string X, string Y)> points) => string.Join(' ', points.Select(p => $"{p.X},{p.Y}"));

    private static void Pdca(StringBuilder html, string heading, IReadOnlyList<PdcaEntry> entries, bool ja)
    {
        html.Append(Inv, $"<h3>{heading}</h3>\n");
        if (entries.Count == 0)
        {
            html.Append(Inv, $"<p class=\"none\">{(ja ? "記録なし" : "Nothing recorded")}</p>\n");
            return;
        }
        html.Append("<ul class=\"pdca\">\n");
        foreach (var e in entries)
        {
            var code = e.TargetCode is null ? "" : $"<b>{Enc(e.TargetCode)}</b> ";
            var who = e.Who is null ? "" : $" <small>— {Enc(e.Who)}</small>";
            html.Append(Inv, $"<li>{code}{Enc(e.Text)}{who}</li>\n");
        }
        html.Append("</ul>\n");
    }

    // Counts are written as 件 in Japanese reports.
    private static string Unit(string unit, bool ja) => unit == "count" ? (ja ? "件" : "count") : Enc(unit);

    private static bool IsArea(TargetResult t) => t.Kind == "area" || t.Unit == "ha";

    // Areas in ha keep one or two decimals; counts are whole numbers.
    private static string Number(double? value, bool area) => value switch
    {
        null => "–",
        { } v when area => v.ToString("#,0.0#", Inv),
        { } v => Math.Round(v).ToString("#,0", Inv),
    };

    // The report carries rates as percentages already (e.g. 87.5).
    private static string Percent(double? value) => value is { } v ? v.ToString("0.0", Inv) + " %" : "–";

    private static string Date(DateOnly date, bool ja) =>
        ja ? string.Create(Inv, $"{date.Year}年{date.Month}月{date.Day}日") : date.ToString("d MMMM yyyy", Inv);

    private static string Enc(string? text) => HtmlPage.Encode(text);

    // The report's own rules, after the house style (HtmlPage.Css).
    private const string Css = """

        .restated { border: 2px solid #b35900; }
        .restated table { width: auto; min-width: 50%; }
        td.code, td.unit { white-space: nowrap; }
        td.code { font-weight: bold; }
        /* The titles need room: without it the number columns squeeze them to a word a line. */
        td.title { min-width: 12em; }
        .status { white-space: nowrap; font-weight: bold; }
        .ahead { color: #1f5fa8; } .on-track { color: #2e6b3a; } .behind { color: #b00020; }
        .forecast.missed { font-weight: bold; text-decoration: underline; }
        .legend { font-size: 12px; color: #333; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
        .card { border: 1px solid #bbb; margin: 0; padding: 6px; break-inside: avoid; }
        .card figcaption { font-size: 12px; margin-bottom: 4px; }
        .evaluation { font-size: 12px; margin: 4px 0 0; }
        svg.chart text { font-size: 9px; fill: #333; }
        svg.chart .axis { stroke: #333; stroke-width: 1; }
        svg.chart .target { stroke: #777; stroke-width: 0.7; }
        svg.chart .plan { fill: none; stroke: #555; stroke-width: 1.3; stroke-dasharray: 5 3; }
        svg.chart polyline.actual { fill: none; stroke: #2e6b3a; stroke-width: 2; }
        svg.chart circle.actual { fill: #2e6b3a; }
        figure.map { margin: 0; max-width: 760px; }
        figure.map svg { display: block; width: 100%; height: auto; }
        figure.map figcaption { font-size: 12px; color: #333; }
        ul.pdca { margin: 0; padding-left: 20px; }
        @media print {
          /* All targets on the first A4 page, in English too: small headings and padding leave the titles room. */
          table.targets { font-size: 8.5pt; }
          table.targets th { font-size: 8pt; }
          table.targets th, table.targets td { padding: 2px 3px; }
          /* All eight charts on the next page: three a row, scaled to the column by their viewBox. */
          .charts { grid-template-columns: repeat(3, 1fr); gap: 6px; }
          svg.chart { width: 100%; height: auto; }
          svg.chart text { font-size: 10.5px; }
          .note { break-inside: avoid-page; }
          /* The map on a page of its own if need be, as wide as the page and never split. */
          section.map { break-before: page; break-inside: avoid; }
          figure.map { max-width: none; break-inside: avoid; }
          figure.map svg { max-height: 235mm; }
          h2, h3, .legend { break-after: avoid; }
        }

        """;
}
