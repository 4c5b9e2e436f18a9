using System.Text.Json;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Targets;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Targets;
using HabitatRegistry.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HabitatRegistry.Features.Reports;

/// <summary>
/// Works out every target's figures for a fiscal year from the registers as they stand: area targets with
/// the union accounting of <see cref="AreaCalculator"/>, counts from activities (or from sites in force).
/// Nothing is cached, so a report asked for right after an import already includes it.
/// </summary>
public sealed class TargetReportBuilder(HabitatDb db, NpgsqlDataSource dataSource, AreaCalculator areas, IOptions<HabitatOptions> options)
{
    /// <summary>The live report of a fiscal year, with how far it now differs from the published one.</summary>
    public async Task<TargetReport> BuildAsync(int fiscalYear, string lang, CancellationToken cancellationToken)
    {
        // A target whose baseline year is later than the report's did not exist yet.
        var targets = (await db.Targets.AsNoTracking().ToListAsync(cancellationToken))
            .Where(t => t.BaselineFiscalYear <= fiscalYear)
            .OrderBy(t => t.Code, TargetCodeOrder.Instance)
            .ToList();
        var actuals = await ActualsAsync(targets, fiscalYear, cancellationToken);
        var pdca = await PdcaApi.LoadAsync(db, fiscalYear, cancellationToken);
        var results = targets.Select(t => Result(t, fiscalYear, actuals[t.Code], pdca, lang)).ToList();
        var report = new TargetReport(fiscalYear, Labels(fiscalYear), new FiscalYear(fiscalYear).End, results, pdca, null);
        return report with { Publication = await PublicationAsync(report, cancellationToken) };
    }

    /// <summary>
    /// The report as it was published, in the language asked for, with the map frozen with it when <paramref name="withMap"/>
    /// (null for a year published before maps); null when the year is not published. One read either way.
    /// </summary>
    public async Task<(TargetReport Report, string? Map)?> PublishedAsync(int fiscalYear, string lang, bool withMap, CancellationToken cancellationToken)
    {
        var published = await db.PublishedReports.AsNoTracking().Where(p => p.FiscalYear == fiscalYear)
            .Select(p => new { p.Report, Map = !withMap ? null : lang == "en" ? p.MapSvgEn : p.MapSvgJa })
            .SingleOrDefaultAsync(cancellationToken);
        return published is null ? null : (InLanguage(PublishedReport.Read(published.Report), lang), published.Map);
    }

    public static FiscalYearLabels Labels(int fiscalYear) => new($"FY{fiscalYear}", JapaneseEra.FiscalYearLabel(fiscalYear));

    public static TargetReport InLanguage(TargetReport report, string lang) =>
        report with { Targets = [.. report.Targets.Select(t => t with { Title = lang == "en" ? t.TitleEn : t.TitleJa })] };

    private static TargetResult Result(Target target, int fiscalYear, Func<int, double> actualAt, PdcaRecord pdca, string lang)
    {
        var line = target.Line;
        var isArea = target.Kind == "area";
        double Round(double value) => Math.Round(value, isArea ? 4 : 2);
        var actual = actualAt(fiscalYear);
        var planned = line.PlannedAt(fiscalYear);
        // Activities are counted in the year they were held; land and sites by the net change over the year.
        var added = target.Register == RegisterCatalogue.Activities.Name
            ? (target.Cumulative ? actual - actualAt(fiscalYear - 1) : actual)
            : actual - actualAt(fiscalYear - 1);
        var forecast = Round(line.ForecastAtTargetYear(fiscalYear, actualAt));
        var evaluation = string.Join("\n", pdca.Check.Where(e => e.TargetCode == target.Code).Select(e => e.Text));
        var history = Enumerable.Range(target.BaselineFiscalYear, fiscalYear - target.BaselineFiscalYear + 1)
            .Select(y => new YearValue(y, actualAt(y), Round(line.PlannedAt(y))))
            .ToList();
        return new TargetResult(
            target.Code, lang == "en" ? target.TitleEn : target.TitleJa, target.TitleJa, target.TitleEn, target.Kind, target.Unit,
            actual, Round(added), Round(planned), target.TargetValue,
            target.BaselineFiscalYear, target.BaselineValue, target.AnnualRate, target.TargetFiscalYear,
            Percent(actual, target.TargetValue), Percent(actual, planned),
            line.StatusOf(actual, planned) switch { TargetStatus.Ahead => "ahead", TargetStatus.Behind => "behind", _ => "on-track" },
            forecast, line.IsMetBy(forecast), history, evaluation.Length == 0 ? null : evaluation);
    }

    private static double? Percent(double value, double of) => of == 0 ? null : Math.Round(value / of * 100, 1);

    /// <summary>For each target, its actual value in any fiscal year from the one before the baseline to the report's.</summary>
    private async Task<Dictionary<string, Func<int, double>>> ActualsAsync(IReadOnlyList<Target> targets, int fiscalYear, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Func<int, double>>();
        IEnumerable<int> Years(Target t) => Enumerable.Range(t.BaselineFiscalYear - 1, fiscalYear - t.BaselineFiscalYear + 2);

        // Land: one union computation per register and selection, shared by targets that count the same land.
        foreach (var group in targets.Where(t => t.Register != RegisterCatalogue.Activities.Name)
                     .GroupBy(t => (t.Register, t.Kind, Selection: t.Selection is { } s ? $"{s.Field}={string.Join(',', s.Values.Order())}" : "")))
        {
            var schema = group.First().Schema;
            var filter = group.First().Selection is { } selection ? new CodeFilter(selection.Field, selection.Values) : null;
            var dates = group.SelectMany(Years).Distinct().Order().Select(y => new FiscalYear(y).End).ToList();
            var byYear = new Dictionary<int, double>();
            if (group.Key.Kind == "area")
            {
                var series = await areas.ComputeAsync(schema, dates, AreaMethod.Ellipsoidal, options.Value.City.PlaneZoneEpsg, filter, cancellationToken: cancellationToken);
                foreach (var at in series) byYear[FiscalYear.Containing(at.AsOf).Year] = Math.Round(at.AreaM2 / 10_000, 4);
            }
            else
            {
                foreach (var (date, count) in await SitesInForceAsync(schema, dates, filter, cancellationToken)) byYear[FiscalYear.Containing(date).Year] = count;
            }
            foreach (var target in group) result[target.Code] = year => byYear.GetValueOrDefault(year);
        }

        // Activities: counts by kind and fiscal year (a few thousand rows at most), added up per target here.
        if (targets.Any(t => t.Register == RegisterCatalogue.Activities.Name))
        {
            var counts = await ActivityCountsAsync(cancellationToken);
            foreach (var target in targets.Where(t => t.Register == RegisterCatalogue.Activities.Name))
            {
                var kinds = target.ActivityKinds ?? [];
                double HeldIn(int year) => kinds.Sum(k => counts.GetValueOrDefault((k, year)));
                result[target.Code] = target.Cumulative
                    // The baseline value already counts everything up to the end of the baseline year.
                    ? year => year <= target.BaselineFiscalYear
                        ? target.BaselineValue
                        : target.BaselineValue + Enumerable.Range(target.BaselineFiscalYear + 1, year - target.BaselineFiscalYear).Sum(HeldIn)
                    : HeldIn;
            }
        }
        return result;
    }

    private async Task<Dictionary<(string Kind, int FiscalYear), int>> ActivityCountsAsync(CancellationToken cancellationToken)
    {
        var activities = RegisterCatalogue.Activities;
        // held_on − 3 months falls in the calendar year the fiscal year starts in (April–March).
        await using var command = dataSource.CreateCommand($"""
            select kind, extract(year from {activities.InForceFrom} - interval '3 months')::int, count(*)::int
            from {activities.Table} where superseded_at is null
              and {activities.InForceFrom} between make_date({FiscalYear.Earliest}, 4, 1) and make_date({FiscalYear.Latest + 1}, 3, 31) -- an older slip cannot break every report
            group by 1, 2
            """);
        var counts = new Dictionary<(string, int), int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt32(2);
        return counts;
    }

    private async Task<List<(DateOnly Date, int Count)>> SitesInForceAsync(RegisterSchema register, IReadOnlyList<DateOnly> dates, CodeFilter? filter, CancellationToken cancellationToken)
    {
        var selection = filter is null ? "" : $" and r.{register.Field(filter.Field).Name} = any($2)";
        await using var command = dataSource.CreateCommand($"""
            select d, count(r.id)::int from unnest($1::date[]) d
            left join {register.Table} r on r.superseded_at is null and r.{register.InForceFrom} <= d
              and (r.{register.InForceTo} is null or r.{register.InForceTo} > d){selection}
            group by d order by d
            """);
        command.Parameters.Add(new() { Value = dates.ToArray() });
        command.Parameters.Add(new() { Value = filter?.Values.ToArray() ?? [] });
        var counts = new List<(DateOnly, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts.Add((reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1)));
        return counts;
    }

    private async Task<PublicationState?> PublicationAsync(TargetReport live, CancellationToken cancellationToken)
    {
        var published = await db.PublishedReports.AsNoTracking().SingleOrDefaultAsync(p => p.FiscalYear == live.FiscalYear, cancellationToken);
        if (published is null) return null;
        var snapshot = published.Read();
        var restatements = live.Targets
            .Join(snapshot.Targets, t => t.Code, t => t.Code, (now, then) => new Restatement(now.Code, then.Actual, now.Actual, Math.Round(now.Actual - then.Actual, 4)))
            .Where(r => r.Difference != 0)
            .ToList();
        return new PublicationState(published.PublishedAt, published.PublishedBy, restatements.Count > 0, restatements, published.Note);
    }
}
