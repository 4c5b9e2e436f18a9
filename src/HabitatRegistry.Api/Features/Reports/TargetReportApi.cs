using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Targets;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HabitatRegistry.Features.Reports;

/// <summary>The annual check of the targets (PDCA "Check"): live, published, and the act of publishing.</summary>
public static class TargetReportApi
{
    public static void MapTargetReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reports/targets").WithTags("Targets");
        group.MapGet("/", GetLiveReport)
            .IsHeavy()
            .WithName("GetTargetReport")
            .WithSummary("Every target's progress at the end of a fiscal year, from the registers as they stand now")
            .WithDescription("""
                Per target: actual value at 31 March ending the fiscal year (area targets: hectares of the union of the records
                in force; count targets: activities since the baseline, or in the year), what was added in the year, the plan line
                (baseline + annual rate × years, capped at the target), achievement (actual / target) and progress against the
                plan in percent, status (ahead / on-track / behind: ±5 % of the plan line), and the value expected at the target
                year if the last three years' pace goes on. If the year was published, "publication" says whether the figures
                have been restated since. format=json (default), csv or html (a printable page; also chosen by a browser's
                Accept header, with a map of the land in force at the year's end and what the year added); lang=ja (default) or en.
                """)
            .Produces<TargetReport>(contentType: MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/published", GetPublishedReport)
            .WithName("GetPublishedTargetReport")
            .WithSummary("The report of a fiscal year exactly as it was published (later corrections do not change it)")
            .Produces<TargetReport>(contentType: MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Html)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/published", Publish)
            .IsHeavy()
            .RequireAuthorization(AccessControl.Administer)
            .WithName("PublishTargetReport")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Publish a fiscal year's report: freezes its numbers and PDCA comments as they are now");
    }

    /// <param name="builder">works the report out</param>
    /// <param name="request">for the Accept header</param>
    /// <param name="fiscalYear">the fiscal year, e.g. 2025 for 令和7年度 (April 2025 – March 2026); default: the last one that has ended</param>
    /// <param name="lang">ja (default) or en</param>
    /// <param name="format">json (default), csv or html</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<TargetReport>, ContentHttpResult, ProblemHttpResult>> GetLiveReport(
        TargetReportBuilder builder, LandMap map, HttpRequest request, int? fiscalYear = null, string? lang = null, string? format = null,
        CancellationToken cancellationToken = default)
    {
        if (Check(request, fiscalYear, lang, format) is not ({ } year, { } language, { } output)) return ProblemFor(fiscalYear, lang, format);
        // Only the page shows the map: JSON and CSV carry the numbers. It is drawn while the numbers are worked out
        // (its own connection), as on a large register it takes about as long.
        var numbers = builder.BuildAsync(year, language, cancellationToken);
        var land = output == Format.Html ? map.LoadAsync(year, cancellationToken) : null;
        await (land is null ? numbers : Task.WhenAll(numbers, land)); // both awaited, whichever fails
        return Write(await numbers, language, output, land is null ? null : LandMap.Render(await land, language));
    }

    /// <param name="builder">reads the snapshot</param>
    /// <param name="request">for the Accept header</param>
    /// <param name="fiscalYear">the fiscal year; default: the last one that has ended</param>
    /// <param name="lang">ja (default) or en</param>
    /// <param name="format">json (default), csv or html</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<TargetReport>, ContentHttpResult, ProblemHttpResult>> GetPublishedReport(
        TargetReportBuilder builder, HttpRequest request, int? fiscalYear = null, string? lang = null, string? format = null,
        CancellationToken cancellationToken = default)
    {
        if (Check(request, fiscalYear, lang, format) is not ({ } year, { } language, { } output)) return ProblemFor(fiscalYear, lang, format);
        var published = await builder.PublishedAsync(year, language, withMap: output == Format.Html, cancellationToken);
        if (published is not var (report, svg))
        {
            return Problems.Of(StatusCodes.Status404NotFound, $"FY{year} has not been published.",
                $"The report of FY{year} ({JapaneseEra.FiscalYearLabel(year)}) has not been published yet. The live report is at /reports/targets?fiscalYear={year}; POST /reports/targets/published?fiscalYear={year} publishes it.");
        }
        return Write(report, language, output, svg);
    }

    /// <param name="builder">works the report out</param>
    /// <param name="user">who publishes it (shown on the report)</param>
    /// <param name="map">draws the map that is frozen with the numbers</param>
    /// <param name="db">stores the snapshot</param>
    /// <param name="fiscalYear">the fiscal year to publish; it must have ended</param>
    /// <param name="logger">the service log</param>
    /// <param name="by">a note shown with the publisher, e.g. the office in charge (みどり自然課)</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Created<TargetReport>, ProblemHttpResult>> Publish(
        TargetReportBuilder builder, LandMap map, ClaimsPrincipal user, HabitatDb db, ILogger<TargetReportBuilder> logger, int? fiscalYear = null, string? by = null,
        CancellationToken cancellationToken = default)
    {
        var year = fiscalYear ?? LastEndedFiscalYear();
        if (!FiscalYear.IsPlausible(year)) return ProblemFor(fiscalYear, null, null);
        var end = new FiscalYear(year).End;
        if (end >= FiscalYear.TodayInJapan())
        {
            return Problems.Of(StatusCodes.Status409Conflict, $"FY{year} has not ended yet.",
                $"FY{year} ({JapaneseEra.FiscalYearLabel(year)}) ends on {end:yyyy-MM-dd}; its report can be published after that. The live report is at /reports/targets?fiscalYear={year}.");
        }
        if (await db.PublishedReports.AnyAsync(p => p.FiscalYear == year, cancellationToken)) return AlreadyPublished(year);

        var report = await builder.BuildAsync(year, "ja", cancellationToken);
        var land = await map.LoadAsync(year, cancellationToken);
        var publishedAt = DateTimeOffset.UtcNow;
        report = report with { Publication = new PublicationState(publishedAt, user.ActorName(), false, [], by) };
        db.PublishedReports.Add(new PublishedReport
        {
            FiscalYear = year, PublishedAt = publishedAt, PublishedBy = user.ActorName(), Note = by, Report = JsonSerializer.Serialize(report, Json.Web),
            MapSvgJa = LandMap.Render(land, "ja"), MapSvgEn = LandMap.Render(land, "en"),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return AlreadyPublished(year); // someone else published it a moment ago
        }
        ServiceLog.Published(logger, year, user.ActorName());
        return TypedResults.Created($"/reports/targets/published?fiscalYear={year}", report);
    }

    private static ProblemHttpResult AlreadyPublished(int year) =>
        Problems.Of(StatusCodes.Status409Conflict, $"FY{year} is already published.",
            $"The report of FY{year} ({JapaneseEra.FiscalYearLabel(year)}) was published before and a published report does not change. It is at /reports/targets/published?fiscalYear={year}; the live report shows any restated figures.");

    private enum Format { Json, Csv, Html }

    private static (int? Year, string? Lang, Format? Format) Check(HttpRequest request, int? fiscalYear, string? lang, string? format)
    {
        var year = fiscalYear ?? LastEndedFiscalYear();
        int? goodYear = FiscalYear.IsPlausible(year) ? year : null;
        var language = lang?.ToLowerInvariant() ?? "ja";
        var output = format?.ToLowerInvariant() switch
        {
            "json" => Format.Json,
            "csv" => Format.Csv,
            "html" => Format.Html,
            // A browser asks for text/html first; API clients get JSON.
            null => request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaTypes.Html, StringComparison.OrdinalIgnoreCase)) ? Format.Html : Format.Json,
            _ => (Format?)null,
        };
        return (goodYear, language is "ja" or "en" ? language : null, output);
    }

    private static ProblemHttpResult ProblemFor(int? fiscalYear, string? lang, string? format)
    {
        if (fiscalYear is { } given && !FiscalYear.IsPlausible(given))
            return Problems.BadParameter("fiscalYear", $"fiscalYear={fiscalYear} is not a fiscal year; write the Gregorian year it starts in, e.g. 2025 for 令和7年度 (April 2025 – March 2026).");
        if (lang is not null && lang.ToLowerInvariant() is not ("ja" or "en"))
            return Problems.BadParameter("lang", $"lang={lang} is not offered; the report is written in Japanese (ja) or English (en).");
        return Problems.BadParameter("format", $"format={format} is not known; use json, csv or html.");
    }

    private static Results<Ok<TargetReport>, ContentHttpResult, ProblemHttpResult> Write(TargetReport report, string lang, Format format, string? mapSvg) => format switch
    {
        Format.Html => TypedResults.Text(TargetReportHtml.Render(report, lang, mapSvg), MediaTypes.Html, Encoding.UTF8),
        Format.Csv => TypedResults.Text(CsvOf(report), "text/csv", Encoding.UTF8),
        _ => TypedResults.Ok(report),
    };

    // With a byte-order mark, so Excel (which Japanese offices open CSV in) reads the Japanese titles.
    private static string CsvOf(TargetReport report)
    {
        var csv = new StringBuilder("\uFEFFfiscal_year,code,title,unit,actual,added_this_year,planned,target,target_fiscal_year,achievement_rate_pct,progress_vs_plan_pct,status,forecast_at_target_year,will_meet_target\r\n");
        foreach (var t in report.Targets)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{report.FiscalYear},{Csv.Text(t.Code)},{Csv.Text(t.Title)},{Csv.Text(t.Unit)},{t.Actual},{t.AddedThisYear},{t.Planned},{t.Target},{t.TargetFiscalYear},{t.AchievementRate},{t.ProgressVsPlan},{Csv.Text(t.Status)},{t.ForecastAtTargetYear},{(t.WillMeetTarget is { } met ? met ? "true" : "false" : "")}\r\n");
        }
        return csv.ToString();
    }

    private static int LastEndedFiscalYear() => FiscalYear.Containing(FiscalYear.TodayInJapan()).Year - 1;
}
