using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HabitatRegistry.Features.Audit;

/// <summary>A page of the audit trail, newest first.</summary>
public sealed record AuditPage(long NumberMatched, int NumberReturned, int Limit, int Offset, IReadOnlyList<AuditEvent> Events);

/// <summary>"Who changed what, when": every change to the registry, for administrators.</summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", GetAudit)
            .RequireAuthorization(AccessControl.Administer)
            .WithTags("Audit")
            .WithName("GetAuditTrail")
            .WithSummary("Every change to the registry, newest first: who, when, what was asked and what came of it (admin)")
            .WithDescription("""
                Imports, withdrawals, activities, targets, PDCA entries, publications, network profiles and API keys, made through
                the API or the command line. who: the key's name (or token subject) exactly; what: part of the operation's name or of
                the request (e.g. PublishTargetReport, designations, 1-1-1); from/to: dates (YYYY-MM-DD, days in Japan time) or
                RFC 3339 date-times. format=json (default) or csv (UTF-8 with a byte-order mark, for Excel).
                """)
            .Produces<AuditPage>(contentType: MediaTypes.Json)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <param name="db">the registry</param>
    /// <param name="who">only changes by this name (a key's name, or a token's subject)</param>
    /// <param name="what">only changes whose operation or request contains this text, e.g. designations or PublishTargetReport</param>
    /// <param name="from">only changes on or after this date (YYYY-MM-DD, Japan time) or date-time</param>
    /// <param name="to">only changes on or before this date (the whole day, Japan time) or date-time</param>
    /// <param name="limit">changes per page (default 100, at most 10,000)</param>
    /// <param name="offset">changes to skip</param>
    /// <param name="format">json (default) or csv</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<AuditPage>, ContentHttpResult, ProblemHttpResult>> GetAudit(
        HabitatDb db, string? who = null, string? what = null, string? from = null, string? to = null,
        [Range(1, MaxLimit), DefaultValue(DefaultLimit)] int limit = DefaultLimit, [Range(0, int.MaxValue)] int offset = 0,
        string? format = null, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxLimit) return Problems.BadParameter("limit", $"limit={limit}: ask for 1 to {MaxLimit} changes a page, and page through the rest with offset.");
        if (offset < 0) return Problems.BadParameter("offset", $"offset={offset}: the offset cannot be negative.");
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            return Problems.BadParameter("format", $"format={format} is not known; use json or csv.");
        var start = Moments.Parse(from, endOfDay: false);
        if (from is not null && start is null) return Problems.BadParameter("from", $"from={from} is not a date (YYYY-MM-DD) or a date-time (e.g. 2026-04-01T09:00:00+09:00).");
        var end = Moments.Parse(to, endOfDay: true);
        // A date's end is the start of the next day (excluded); a date-time is included.
        var endIncluded = to is not null && to.Contains('T', StringComparison.OrdinalIgnoreCase);
        if (to is not null && end is null) return Problems.BadParameter("to", $"to={to} is not a date (YYYY-MM-DD) or a date-time (e.g. 2026-04-01T17:00:00+09:00).");
        if (start > end) return Problems.BadParameter("to", $"to={to} is before from={from}.");

        var query = db.Set<AuditEvent>().AsNoTracking();
        if (!string.IsNullOrEmpty(who)) query = query.Where(e => e.Actor == who);
        if (!string.IsNullOrEmpty(what))
        {
            var pattern = $"%{what.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)}%";
            query = query.Where(e => EF.Functions.ILike(e.Action, pattern) || EF.Functions.ILike(e.Request, pattern));
        }
        if (start is { } s) query = query.Where(e => e.At >= s);
        if (end is { } t) query = endIncluded ? query.Where(e => e.At <= t) : query.Where(e => e.At < t);

        var matched = await query.LongCountAsync(cancellationToken);
        var events = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        if (!csv) return TypedResults.Ok(new AuditPage(matched, events.Count, limit, offset, events));

        // With a byte-order mark, so Excel reads the Japanese names.
        var text = new StringBuilder("\uFEFFat,actor,role,action,request,note,detail,status\r\n");
        foreach (var e in events)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{e.At.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-ddTHH:mm:ss.fffzzz},{Csv.Text(e.Actor)},{Csv.Text(e.Role)},{Csv.Text(e.Action)},{Csv.Text(e.Request)},{Csv.Text(e.Note)},{Csv.Text(e.Detail)},{e.Status}\r\n");
        }
        return TypedResults.Text(text.ToString(), "text/csv", Encoding.UTF8);
    }

}
