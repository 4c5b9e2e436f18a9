using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HabitatRegistry.Features.Reports;
using HabitatRegistry.Features.Targets;

namespace HabitatRegistry.Tests.Targets;

public class TargetReportHtmlTests
{
    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void EveryTargetIsListedWithItsCodeAndTitle(string lang)
    {
        var report = Report();
        var html = TargetReportHtml.Render(report, lang);

        foreach (var target in report.Targets)
        {
            Assert.Contains($"<td class=\"code\">{target.Code}</td>", html, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(target.TitleJa), html, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(target.TitleEn), html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryTargetHasAChartOfActualAgainstThePlanLine()
    {
        var report = Report();
        var html = TargetReportHtml.Render(report, "ja");

        var charts = Charts(html);
        Assert.Equal(report.Targets.Select(t => (string?)t.Code), charts.Select(c => (string?)c.Attribute("data-target")));
        foreach (var chart in charts)
        {
            Assert.Equal("chart", (string?)chart.Attribute("class"));
            Assert.StartsWith((string)chart.Attribute("data-target")!, chart.Element(Svg + "title")!.Value, StringComparison.Ordinal);
            Assert.Single(chart.Elements(Svg + "polyline"), p => (string?)p.Attribute("class") == "plan");
            Assert.Single(chart.Elements(Svg + "polyline"), p => (string?)p.Attribute("class") == "actual");
            Assert.Single(chart.Elements(Svg + "line"), p => (string?)p.Attribute("class") == "target");
        }
        // One dot per fiscal year of history.
        Assert.Equal(6, charts[0].Elements(Svg + "circle").Count());
    }

    [Fact]
    public void ThePlanLineStopsAtTheTargetOnceItIsReached()
    {
        // 0 + 3/yr from FY2020 reaches 10 in FY2024, six years before the target year.
        var fast = Target("9-9-9", "count", 4, 1, 6, 10) with { AnnualRate = 3 };
        var html = TargetReportHtml.Render(Report() with { Targets = [fast] }, "en");

        var chart = Assert.Single(Charts(html));
        var targetY = double.Parse((string)chart.Elements(Svg + "line").Single(l => (string?)l.Attribute("class") == "target").Attribute("y1")!, CultureInfo.InvariantCulture);
        var planYs = ((string)chart.Elements(Svg + "polyline").Single(p => (string?)p.Attribute("class") == "plan").Attribute("points")!)
            .Split(' ').Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(11, planYs.Count);
        Assert.All(planYs, y => Assert.True(y >= targetY, $"plan point at y={y} is above the target line at y={targetY}"));
        Assert.Equal(targetY, planYs[^1]);
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void TheHeadingNamesTheFiscalYearInBothForms(string lang)
    {
        var html = TargetReportHtml.Render(Report(), lang);

        var heading = Regex.Match(html, "<h1>(.*?)</h1>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("FY2025", heading, StringComparison.Ordinal);
        Assert.Contains("令和7年度", heading, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AJapanesePageUsesTheJapaneseStatusWords()
    {
        var html = TargetReportHtml.Render(Report(), "ja");

        Assert.Contains("● 順調", html, StringComparison.Ordinal);
        Assert.Contains("▲ 計画を上回る", html, StringComparison.Ordinal);
        Assert.Contains("▼ 遅れ", html, StringComparison.Ordinal);
        Assert.Contains("見込み 達成", html, StringComparison.Ordinal);
        Assert.Contains("見込み 未達", html, StringComparison.Ordinal);
        Assert.Contains("点検・評価", html, StringComparison.Ordinal);
        Assert.DoesNotContain("on track", html, StringComparison.Ordinal);
        Assert.DoesNotContain("▼ behind", html, StringComparison.Ordinal);
        Assert.DoesNotContain("on course", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEnglishPageUsesTheEnglishStatusWords()
    {
        var html = TargetReportHtml.Render(Report(), "en");

        Assert.Contains("● on track", html, StringComparison.Ordinal);
        Assert.Contains("▲ ahead", html, StringComparison.Ordinal);
        Assert.Contains("▼ behind", html, StringComparison.Ordinal);
        Assert.Contains(">on course<", html, StringComparison.Ordinal);
        Assert.Contains(">not on course<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("順調", html, StringComparison.Ordinal);
        Assert.DoesNotContain("▼ 遅れ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("見込み", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AreasShowOneOrTwoDecimalsAndCountsAreWholeNumbers()
    {
        var html = TargetReportHtml.Render(Report(), "en");

        Assert.Contains(">96.25</td>", html, StringComparison.Ordinal);  // area actual, two decimals
        Assert.Contains(">120.0<br>", html, StringComparison.Ordinal);   // area target, at least one decimal
        Assert.Contains(">7</td>", html, StringComparison.Ordinal);      // count actual, whole number
        Assert.Contains(">+2</td>", html, StringComparison.Ordinal);     // count added this year
        Assert.Contains(">80.2 %</td>", html, StringComparison.Ordinal); // achievement rate
        Assert.Contains(">–</td>", html, StringComparison.Ordinal);      // an unknown rate
    }

    [Fact]
    public void TextFromUsersIsEncodedSoNoScriptRuns()
    {
        const string Attack = "<script>alert('x')</script>";
        var report = Report();
        var hostile = report with
        {
            Targets = [report.Targets[0] with { TitleJa = Attack, TitleEn = Attack, Evaluation = Attack }, .. report.Targets.Skip(1)],
            Pdca = new PdcaRecord([Entry("plan", Attack, Attack)], [Entry("check", Attack, null)], [Entry("act", "<img src=x onerror=alert(1)>", null)]),
        };

        var html = TargetReportHtml.Render(hostile, "ja");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Equal(3, Charts(html).Count);
    }

    [Fact]
    public void ARestatedPublishedReportListsTheFiguresThatChanged()
    {
        var published = new PublicationState(new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero), "みどり自然課", true,
            [new Restatement("1-1-1", 95.5, 96.25, 0.75)]);

        var ja = TargetReportHtml.Render(Report() with { Publication = published }, "ja");
        var en = TargetReportHtml.Render(Report() with { Publication = published }, "en");

        // 16:00 UTC on 30 June is 1 July in Japan.
        Assert.Contains("公表日: 2026年7月1日", ja, StringComparison.Ordinal);
        Assert.Contains("公表値", ja, StringComparison.Ordinal);
        Assert.Contains("<tr><td>1-1-1</td><td class=\"num\">95.5</td><td class=\"num\">96.25</td><td class=\"num\">+0.75</td></tr>", ja, StringComparison.Ordinal);
        Assert.Contains("Restated", en, StringComparison.Ordinal);
        Assert.DoesNotContain("Live report", en, StringComparison.Ordinal);
    }

    [Fact]
    public void APublishedReportWithoutRestatementsHasNoRestatementNote()
    {
        var published = new PublicationState(new DateTimeOffset(2026, 6, 30, 9, 0, 0, TimeSpan.FromHours(9)), null, false, []);

        var html = TargetReportHtml.Render(Report() with { Publication = published }, "en");

        Assert.Contains("Published: 30 June 2026", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Restated", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnpublishedReportSaysItIsLive()
    {
        Assert.Contains("Live report", TargetReportHtml.Render(Report(), "en"), StringComparison.Ordinal);
        Assert.Contains("公表前の速報", TargetReportHtml.Render(Report(), "ja"), StringComparison.Ordinal);
    }

    [Fact]
    public void PdcaEntriesAreListedUnderPlanCheckAndAct()
    {
        var html = TargetReportHtml.Render(Report(), "ja");

        var plan = html.IndexOf("<h3>計画（Plan）</h3>", StringComparison.Ordinal);
        var check = html.IndexOf("<h3>評価（Check）</h3>", StringComparison.Ordinal);
        var act = html.IndexOf("<h3>改善（Act）</h3>", StringComparison.Ordinal);
        Assert.True(plan > 0 && plan < check && check < act, "Plan, Check and Act sections in that order");
        Assert.InRange(html.IndexOf("<li><b>4-3-1</b> 市民団体と連携した観察会を年4回開催する <small>— みどり自然課</small></li>", StringComparison.Ordinal), plan, check);
        Assert.InRange(html.IndexOf("<li><b>4-3-1</b> 会場確保が遅れ、2回にとどまった</li>", StringComparison.Ordinal), check, act);
        Assert.True(html.IndexOf("土日開催を増やし", StringComparison.Ordinal) > act);
        // The Check comment also sits next to its target's chart.
        Assert.Contains("<b>評価:</b> 会場確保が遅れ、2回にとどまった", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void ThePageIsASelfContainedPrintableDocument(string lang)
    {
        var html = TargetReportHtml.Render(Report(), lang);

        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4;", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("Generated by HabitatRegistry", html, StringComparison.Ordinal);
        Assert.Contains("GRS80", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("src=|url\\(|@import", html);
        // Its only links are to the same report in the other language and formats (query-only, same path).
        Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.StartsWith("?fiscalYear=2025&amp;format=", href, StringComparison.Ordinal));
        Assert.Equal(3, Regex.Count(html, "href="));
        foreach (var tag in new[] { "html", "head", "body", "svg", "table", "tr", "section", "figure", "ul", "li" })
            Assert.Equal(Regex.Count(html, $"<{tag}[ >]"), Regex.Count(html, $"</{tag}>"));
    }

    [Fact]
    public void AnUnsupportedLanguageIsRefused() =>
        Assert.Throws<ArgumentException>(() => TargetReportHtml.Render(Report(), "fr"));

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Each chart must be well-formed XML on its own, which also proves the page's SVG is balanced.
    private static List<XElement> Charts(string html) =>
        Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();

    private static PdcaEntry Entry(string stage, string text, string? who) =>
        new(1, stage, "1-1-1", text, who, new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.FromHours(9)));

    // FY2025 of a strategy with baseline FY2020 and target year FY2030: one area target on track,
    // one cumulative count ahead of its plan, one behind it.
    private static TargetReport Report() => new(
        2025,
        new FiscalYearLabels("FY2025", "令和7年度"),
        new DateOnly(2026, 3, 31),
        [
            Target("1-1-1", "area", 96.25, 5.25, 95, 120, baseline: 70) with
            {
                TitleJa = "「緑地保全制度」による保全指定面積", TitleEn = "Area designated under green-space conservation schemes",
                AnnualRate = 5, AchievementRate = 80.208, ProgressVsPlan = 101.3, Status = "on-track",
                ForecastAtTargetYear = 122.5, WillMeetTarget = true,
            },
            Target("2-2-1", "count", 7, 2, 5, 10) with { Status = "ahead", AchievementRate = null, WillMeetTarget = true },
            Target("4-3-1", "count", 6, 2, 10, 20) with
            {
                TitleJa = "自然の保全や再生などの活動への参加体験の機会の提供数", TitleEn = "Hands-on conservation activity opportunities",
                AnnualRate = 2, Status = "behind", ForecastAtTargetYear = 12, WillMeetTarget = false,
                Evaluation = "会場確保が遅れ、2回にとどまった",
            },
        ],
        new PdcaRecord(
            [new PdcaEntry(1, "plan", "4-3-1", "市民団体と連携した観察会を年4回開催する", "みどり自然課", new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.FromHours(9)))],
            [new PdcaEntry(2, "check", "4-3-1", "会場確保が遅れ、2回にとどまった", null, new DateTimeOffset(2026, 5, 20, 9, 0, 0, TimeSpan.FromHours(9)))],
            [new PdcaEntry(3, "act", "4-3-1", "土日開催を増やし、学校との連携を進める", null, new DateTimeOffset(2026, 5, 20, 9, 0, 0, TimeSpan.FromHours(9)))]),
        null);

    // A target with its baseline in FY2020, target year FY2030 and a history that grows steadily to the given actual.
    private static TargetResult Target(string code, string kind, double actual, double added, double planned, double target, double baseline = 0)
    {
        var history = Enumerable.Range(2020, 6)
            .Select(fy => new YearValue(fy, baseline + (actual - baseline) * (fy - 2020) / 5, baseline + (planned - baseline) * (fy - 2020) / 5))
            .ToList();
        return new TargetResult(
            code, $"目標 {code}", $"目標 {code}", $"Target {code}", kind, kind == "area" ? "ha" : "count",
            actual, added, planned, target, 2020, baseline, (target - baseline) / 10, 2030,
            actual / target * 100, actual / planned * 100, "on-track", actual * 2, actual * 2 >= target, history, null);
    }
}
