using System.Globalization;
using System.Text;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Features.Reports;

/// <summary>Protected area of a register per fiscal year, overlaps counted once.</summary>
public sealed record AreaSeriesReport(string Register, string Unit, string Method, IReadOnlyList<FiscalYearArea> Years);

/// <summary>Area in force at the end of a fiscal year (31 March), and what changed during the year.</summary>
public sealed record FiscalYearArea(int FiscalYear, DateOnly AsOf, double AreaHa, double AddedHa, double RemovedHa, int Records);

/// <summary>Area in force at one date.</summary>
public sealed record AreaOnDateReport(string Register, string Unit, string Method, DateOnly AsOf, double AreaHa, int Records);

public static class AreaReportApi
{
    public static void MapAreaReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/area", GetArea)
            .IsHeavy()
            .WithTags("Reports")
            .WithName("GetAreaReport")
            .WithSummary("Protected area per fiscal year (or at one date), overlaps counted once")
            .WithDescription("""
                A record counts in fiscal year N if it is in force at 31 March N+1: designated/acquired on or before
                that date and not lifted/disposed of on or before it. The area is that of the union of those records,
                so overlapping records and the same land under two schemes count once. method=ellipsoidal (default)
                measures on the GRS80 ellipsoid; method=planar in the city's plane-rectangular zone.
                """)
            .Produces<AreaSeriesReport>(contentType: MediaTypes.Json)
            .Produces<AreaOnDateReport>(contentType: MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <param name="register">designations or acquisitions</param>
    /// <param name="calculator">area maths</param>
    /// <param name="options">the city (plane zone)</param>
    /// <param name="from">first fiscal year (default: 15 years before `to`)</param>
    /// <param name="to">last fiscal year (default: the current one)</param>
    /// <param name="asOf">a single date, YYYY-MM-DD, instead of a series</param>
    /// <param name="method">ellipsoidal (default) or planar</param>
    /// <param name="format">json (default) or csv</param>
    /// <param name="asRecordedAt">the register as it was recorded then, instead of now (e.g. before a correction or a withdrawal): a date (the end of that day in Japan) or a date-time</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<AreaSeriesReport>, Ok<AreaOnDateReport>, ContentHttpResult, ProblemHttpResult>> GetArea(
        string register, AreaCalculator calculator, IOptions<HabitatOptions> options,
        int? from = null, int? to = null, string? asOf = null, string? method = null, string? format = null, string? asRecordedAt = null,
        CancellationToken cancellationToken = default)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);
        if (schema.Geometry == RegisterGeometry.Land && !schema.IsDated)
        {
            return Problems.BadParameter("register", $"{schema.Name} have no dates, so they have no area per fiscal year; the area report is for designations and acquisitions. Their network is at /network/metrics.");
        }
        if (schema.Geometry != RegisterGeometry.Land)
        {
            return Problems.BadParameter("register", $"{schema.Name} are not land and have no area; the area report is for designations and acquisitions. Counts of {schema.Name} are in /reports/targets.");
        }
        if (!Enum.TryParse<AreaMethod>(method ?? "ellipsoidal", ignoreCase: true, out var areaMethod) || int.TryParse(method, out _))
        {
            return Problems.BadParameter("method", $"method={method} is not known; use ellipsoidal (on the GRS80 ellipsoid) or planar (in the city's plane-rectangular zone).");
        }
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.BadParameter("format", $"format={format} is not known; use json or csv.");
        }
        var recordedAt = asRecordedAt is null ? null : Moments.RecordedAt(asRecordedAt);
        if (asRecordedAt is not null && recordedAt is null)
        {
            return Problems.BadParameter("asRecordedAt", $"asRecordedAt={asRecordedAt} is not {Moments.RecordedAtHelp}.");
        }
        var methodName = areaMethod.ToString().ToLowerInvariant();
        var srid = options.Value.City.PlaneZoneEpsg;

        if (asOf is not null)
        {
            if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || !FiscalYear.IsPlausible(date))
            {
                return Problems.BadParameter("asOf", $"asOf={asOf} is not a date of {FiscalYear.PlausibleRange}; write it as YYYY-MM-DD, e.g. 2021-03-31.");
            }
            var at = (await calculator.ComputeAsync(schema, [date], areaMethod, srid, recordedAt: recordedAt, cancellationToken: cancellationToken))[0];
            var single = new AreaOnDateReport(schema.Name, "ha", methodName, date, Hectares(at.AreaM2), at.RecordsInForce);
            return csv
                ? TypedResults.Text($"as_of,area_ha,records\n{date:yyyy-MM-dd},{single.AreaHa.ToString(CultureInfo.InvariantCulture)},{single.Records}\n", "text/csv", Encoding.UTF8)
                : TypedResults.Ok(single);
        }

        var current = FiscalYear.Containing(FiscalYear.TodayInJapan()).Year;
        var last = to ?? current;
        var first = from ?? last - 15;
        if (first > last) return Problems.BadParameter("from", $"from={first} is after to={last}; give the first fiscal year first.");
        if (!FiscalYear.IsPlausible(first) || !FiscalYear.IsPlausible(last))
        {
            return Problems.BadParameter(FiscalYear.IsPlausible(first) ? "to" : "from", $"from={first} to={last} is not a range of {FiscalYear.PlausibleRange}.");
        }

        // The year before `from` is computed too, so the first year's added/removed are real.
        var dates = Enumerable.Range(first - 1, last - first + 2).Select(y => new FiscalYear(y).End).ToList();
        var series = await calculator.ComputeAsync(schema, dates, areaMethod, srid, recordedAt: recordedAt, cancellationToken: cancellationToken);
        var years = series.Skip(1)
            .Select(a => new FiscalYearArea(FiscalYear.Containing(a.AsOf).Year, a.AsOf, Hectares(a.AreaM2), Hectares(a.AddedM2), Hectares(a.RemovedM2), a.RecordsInForce))
            .ToList();
        if (!csv) return TypedResults.Ok(new AreaSeriesReport(schema.Name, "ha", methodName, years));

        var text = new StringBuilder("fiscal_year,as_of,area_ha,added_ha,removed_ha,records\n");
        foreach (var y in years)
        {
            text.Append(CultureInfo.InvariantCulture, $"{y.FiscalYear},{y.AsOf:yyyy-MM-dd},{y.AreaHa},{y.AddedHa},{y.RemovedHa},{y.Records}\n");
        }
        return TypedResults.Text(text.ToString(), "text/csv", Encoding.UTF8);
    }

    private static double Hectares(double squareMetres) => Math.Round(squareMetres / 10_000, 4);
}
