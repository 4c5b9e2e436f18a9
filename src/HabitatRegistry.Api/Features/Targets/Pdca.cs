using System.Security.Claims;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Reports;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Targets;

/// <summary>One entry in a fiscal year's PDCA record: a planned action (plan), an evaluation (check) or an improvement decision (act).</summary>
public sealed class PdcaNote
{
    public long Id { get; set; }
    public int FiscalYear { get; set; }
    public required string Stage { get; set; }
    public string? TargetCode { get; set; }
    public required string Text { get; set; }

    /// <summary>Who does it (plan), or who wrote the evaluation or decision.</summary>
    public string? Who { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Who recorded (or last rewrote) the entry: the key's name or the token's subject.</summary>
    public string? Author { get; set; }

    public PdcaEntry ToEntry() => new(Id, Stage, TargetCode, Text, Who, RecordedAt, Author);
}

/// <summary>An entry as it is sent to <c>/pdca/{fiscalYear}</c>.</summary>
/// <param name="Stage">plan (a planned action), check (an evaluation, usually of one target) or act (an improvement decision)</param>
/// <param name="TargetCode">the target it is about, e.g. 1-1-1 (optional for plan and act)</param>
/// <param name="Text">what is planned, the evaluation, or the decision</param>
/// <param name="Who">who does it, or who wrote it</param>
public sealed record PdcaEntryRequest(string? Stage, string? TargetCode, string? Text, string? Who);

internal sealed class PdcaNoteConfiguration : IEntityTypeConfiguration<PdcaNote>
{
    public void Configure(EntityTypeBuilder<PdcaNote> builder)
    {
        builder.ToTable("pdca_entries");
        builder.Property(e => e.RecordedAt).HasDefaultValueSql("now()");
        builder.HasIndex(e => new { e.FiscalYear, e.Stage });
    }
}

/// <summary>The PDCA cycle on record: Plan, Check and Act entries per fiscal year.</summary>
public static class PdcaApi
{
    private static readonly string[] Stages = ["plan", "check", "act"];

    public static void MapPdca(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/pdca/{fiscalYear:int}").WithTags("Targets");
        group.MapGet("/", GetRecord).WithName("GetPdcaRecord").WithSummary("The Plan, Check and Act entries of a fiscal year");
        group.MapPost("/", AddEntry).WithName("AddPdcaEntry")
            .WithSummary("Record a planned action (plan), an evaluation of a target (check) or an improvement decision (act)")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPut("/{id:long}", ChangeEntry).WithName("ChangePdcaEntry").WithSummary("Rewrite an entry")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id:long}", DeleteEntry).WithName("DeletePdcaEntry").WithSummary("Remove an entry (a published report keeps it)")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<Ok<PdcaRecord>> GetRecord(int fiscalYear, HabitatDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(db, fiscalYear, cancellationToken));

    /// <summary>A fiscal year's entries by stage, oldest first.</summary>
    public static async Task<PdcaRecord> LoadAsync(HabitatDb db, int fiscalYear, CancellationToken cancellationToken)
    {
        var notes = await db.PdcaEntries.AsNoTracking().Where(e => e.FiscalYear == fiscalYear).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        List<PdcaEntry> Of(string stage) => [.. notes.Where(n => n.Stage == stage).Select(n => n.ToEntry())];
        return new PdcaRecord(Of("plan"), Of("check"), Of("act"));
    }

    internal static async Task<Results<Created<PdcaEntry>, ProblemHttpResult>> AddEntry(
        int fiscalYear, PdcaEntryRequest request, ClaimsPrincipal user, HabitatDb db, CancellationToken cancellationToken)
    {
        if (await InvalidAsync(fiscalYear, request, db, cancellationToken) is { } problem) return problem;
        var note = new PdcaNote
        {
            FiscalYear = fiscalYear, Stage = request.Stage!, TargetCode = request.TargetCode, Text = request.Text!.Trim(), Who = request.Who, Author = user.ActorName(),
        };
        db.PdcaEntries.Add(note);
        await db.SaveChangesAsync(cancellationToken); // reads back the id and recorded_at the database gave it
        return TypedResults.Created($"/pdca/{fiscalYear}/{note.Id}", note.ToEntry());
    }

    internal static async Task<Results<Ok<PdcaEntry>, ProblemHttpResult>> ChangeEntry(
        int fiscalYear, long id, PdcaEntryRequest request, ClaimsPrincipal user, HabitatDb db, CancellationToken cancellationToken)
    {
        var note = await db.PdcaEntries.SingleOrDefaultAsync(e => e.Id == id && e.FiscalYear == fiscalYear, cancellationToken);
        if (note is null) return NoSuchEntry(fiscalYear, id);
        if (await InvalidAsync(fiscalYear, request, db, cancellationToken) is { } problem) return problem;
        (note.Stage, note.TargetCode, note.Text, note.Who, note.Author) = (request.Stage!, request.TargetCode, request.Text!.Trim(), request.Who, user.ActorName());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(note.ToEntry());
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteEntry(int fiscalYear, long id, HabitatDb db, CancellationToken cancellationToken)
    {
        var deleted = await db.PdcaEntries.Where(e => e.Id == id && e.FiscalYear == fiscalYear).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NoSuchEntry(fiscalYear, id) : TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> InvalidAsync(int fiscalYear, PdcaEntryRequest request, HabitatDb db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!FiscalYear.IsPlausible(fiscalYear)) errors["fiscalYear"] = [$"{fiscalYear} is not a fiscal year; write the Gregorian year it starts in, e.g. 2025 for 令和7年度."];
        if (!Stages.Contains(request.Stage))
            errors["stage"] = [$"stage must be plan (a planned action), check (an evaluation) or act (an improvement decision){(request.Stage is null ? "" : $", not \"{ClientText.Shown(request.Stage)}\"")}."];
        if (string.IsNullOrWhiteSpace(request.Text)) errors["text"] = ["Write what is planned, the evaluation, or the decision."];
        else if (ClientText.Problem(request.Text, ClientText.TextLength) is { } textProblem) errors["text"] = [$"The text {textProblem}."];
        if (ClientText.Problem(request.Who, ClientText.NameLength) is { } whoProblem) errors["who"] = [$"\"who\" {whoProblem}."];
        if (request.TargetCode is { } code && (ClientText.Problem(code, 40) is not null || !await db.Targets.AnyAsync(t => t.Code == code, cancellationToken)))
            errors["targetCode"] = [$"There is no target \"{ClientText.Shown(code)}\"; GET /targets lists them."];
        if (errors.Count == 0) return null;
        return Problems.Invalid("The PDCA entry cannot be stored; nothing was changed.", string.Join(" ", errors.Values.SelectMany(v => v)), errors);
    }

    private static ProblemHttpResult NoSuchEntry(int fiscalYear, long id) =>
        Problems.Of(StatusCodes.Status404NotFound, "No such PDCA entry.", $"FY{fiscalYear} has no PDCA entry {id}; GET /pdca/{fiscalYear} lists them.");
}
