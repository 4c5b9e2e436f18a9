using System.Security.Claims;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HabitatRegistry.Features.Targets;

/// <summary>The strategy's numeric targets: what each counts, from which baseline, at what rate, to which value.</summary>
public static class TargetsApi
{
    public static void MapTargets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/targets").WithTags("Targets");
        group.MapGet("/", GetTargets).WithName("GetTargets").WithSummary("Every target of the strategy, in code order");
        // Codes such as 3-2-2/3 hold a slash, so the code is the rest of the path.
        group.MapGet("/{**code}", GetTarget).WithName("GetTarget").WithSummary("One target").ProducesProblem(StatusCodes.Status404NotFound);
        // The strategy's numbers are the administrators' to set.
        var admin = group.MapGroup("").RequireAuthorization(AccessControl.Administer);
        admin.MapPost("/", CreateTarget).WithName("CreateTarget").WithSummary("Add a target (409 if its code is taken)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPut("/{**code}", PutTarget).WithName("PutTarget").WithSummary("Create or replace the target with this code")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapDelete("/{**code}", DeleteTarget).WithName("DeleteTarget")
            .WithSummary("Remove a target (published reports keep it as it was)")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<Ok<List<TargetDefinition>>> GetTargets(HabitatDb db, CancellationToken cancellationToken)
    {
        var targets = await db.Targets.AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(targets.OrderBy(t => t.Code, TargetCodeOrder.Instance).Select(TargetDefinition.From).ToList());
    }

    internal static async Task<Results<Ok<TargetDefinition>, ProblemHttpResult>> GetTarget(string code, HabitatDb db, CancellationToken cancellationToken)
    {
        code = Uri.UnescapeDataString(code);
        var target = await db.Targets.AsNoTracking().SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        return target is null ? NoSuchTarget(code) : TypedResults.Ok(TargetDefinition.From(target));
    }

    /// <param name="definition">the target</param>
    /// <param name="user">who is adding it</param>
    /// <param name="db">the registry</param>
    /// <param name="by">a note of your own, kept in the audit trail</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Created<TargetDefinition>, ProblemHttpResult>> CreateTarget(
        TargetDefinition definition, ClaimsPrincipal user, HabitatDb db, string? by = null, CancellationToken cancellationToken = default)
    {
        if (Invalid(definition) is { } problem) return problem;
        var target = Target.Blank(definition.Code!);
        definition.ApplyTo(target);
        target.UpdatedBy = user.ActorName();
        if (!await KeyedWrites.CreateAsync(db, target, cancellationToken))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "That target exists already.",
                $"There is already a target {definition.Code}. Change it with PUT /targets/{definition.Code}, or choose another code.");
        }
        return TypedResults.Created($"/targets/{target.Code}", TargetDefinition.From(target));
    }

    /// <param name="code">the target's code, e.g. 1-1-1</param>
    /// <param name="definition">the whole target (its code, if given, must be the same)</param>
    /// <param name="user">who is changing it</param>
    /// <param name="db">the registry</param>
    /// <param name="by">a note of your own, kept in the audit trail</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<Ok<TargetDefinition>, Created<TargetDefinition>, ProblemHttpResult>> PutTarget(
        string code, TargetDefinition definition, ClaimsPrincipal user, HabitatDb db, string? by = null, CancellationToken cancellationToken = default)
    {
        code = Uri.UnescapeDataString(code);
        if (definition.Code is not null && definition.Code != code)
        {
            return Problems.Invalid("The target cannot be stored.", $"The body is target {definition.Code} but the address is /targets/{code}; a target's code cannot be changed.",
                new Dictionary<string, string[]> { ["code"] = [$"\"{definition.Code}\" is not \"{code}\"."] });
        }
        definition = definition with { Code = code };
        if (Invalid(definition) is { } problem) return problem;
        var (target, created) = await KeyedWrites.CreateOrReplaceAsync(db,
            d => d.Targets.SingleOrDefaultAsync(t => t.Code == code, cancellationToken), () => Target.Blank(code), t =>
            {
                definition.ApplyTo(t);
                t.UpdatedAt = DateTimeOffset.UtcNow;
                t.UpdatedBy = user.ActorName();
            }, cancellationToken);
        return created ? TypedResults.Created($"/targets/{code}", TargetDefinition.From(target)) : TypedResults.Ok(TargetDefinition.From(target));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteTarget(string code, HabitatDb db, CancellationToken cancellationToken)
    {
        code = Uri.UnescapeDataString(code);
        var deleted = await db.Targets.Where(t => t.Code == code).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NoSuchTarget(code) : TypedResults.NoContent();
    }

    private static ProblemHttpResult? Invalid(TargetDefinition definition)
    {
        var errors = definition.Validate();
        if (errors.Count == 0) return null;
        return Problems.Invalid($"Target {definition.Code} cannot be stored; nothing was changed.",
            string.Join(" ", errors.Values.SelectMany(v => v)), errors);
    }

    private static ProblemHttpResult NoSuchTarget(string code) =>
        Problems.Of(StatusCodes.Status404NotFound, "No such target.", $"There is no target \"{code}\". GET /targets lists them.");
}

/// <summary>Orders codes as the strategy numbers them: 1-1-2 before 1-1-10, 3-2-2/3 after 3-2-2.</summary>
public sealed class TargetCodeOrder : IComparer<string>
{
    public static readonly TargetCodeOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Parts(x);
        var b = Parts(y);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = int.TryParse(a[i], out var m) && int.TryParse(b[i], out var n) ? m.CompareTo(n) : string.CompareOrdinal(a[i], b[i]);
            if (order != 0) return order;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static string[] Parts(string? code) => (code ?? "").Split('-', '/');
}
