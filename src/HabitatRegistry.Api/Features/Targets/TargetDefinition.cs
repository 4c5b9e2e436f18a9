using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Features.Registers;

namespace HabitatRegistry.Features.Targets;

/// <summary>A target as it is sent and returned by <c>/targets</c>.</summary>
/// <param name="Code">the strategy's code, e.g. 1-1-1</param>
/// <param name="Kind">area or count</param>
/// <param name="Register">designations or acquisitions (area, or a count of sites in force); activities (count)</param>
/// <param name="Schemes">designations only: count only these schemes (all when absent)</param>
/// <param name="AcquiredBy">acquisitions only: count only land owned by these bodies, e.g. city, prefecture, national (public ownership excludes trust)</param>
/// <param name="ActivityKinds">activities only: the kinds of activity that count</param>
/// <param name="Cumulative">activities only: the baseline value plus every activity since the baseline year (true), or each year's activities on their own (false)</param>
/// <param name="Unit">ha for area, count for counts</param>
public sealed record TargetDefinition(
    string? Code,
    string? TitleJa,
    string? TitleEn,
    string? Kind,
    string? Register,
    IReadOnlyList<string>? Schemes,
    IReadOnlyList<string>? AcquiredBy,
    IReadOnlyList<string>? ActivityKinds,
    bool? Cumulative,
    string? Unit,
    int? BaselineFiscalYear,
    double? BaselineValue,
    double? AnnualRate,
    int? TargetFiscalYear,
    double? TargetValue)
{
    public static TargetDefinition From(Target t) => new(
        t.Code, t.TitleJa, t.TitleEn, t.Kind, t.Register, t.Schemes, t.AcquiredBy, t.ActivityKinds,
        t.Register == RegisterCatalogue.Activities.Name ? t.Cumulative : null, t.Unit,
        t.BaselineFiscalYear, t.BaselineValue, t.AnnualRate, t.TargetFiscalYear, t.TargetValue);

    /// <summary>Checks the definition; every problem is a sentence keyed by the field it is about.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list)) problems[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(Code)) Add("code", "A target needs its code from the strategy, e.g. \"1-1-1\".");
        else if (Code.Length > 40 || ClientText.Problem(Code, 40) is not null || Code.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '\\'))
            Add("code", $"\"{ClientText.Shown(Code)}\" cannot be a target code: use the strategy's numbering, e.g. 1-1-1 or 3-2-2/3, without spaces.");
        if (string.IsNullOrWhiteSpace(TitleJa)) Add("titleJa", "A target needs its Japanese title as the strategy writes it.");
        else if (ClientText.Problem(TitleJa, ClientText.NameLength) is { } ja) Add("titleJa", $"The Japanese title {ja}.");
        if (string.IsNullOrWhiteSpace(TitleEn)) Add("titleEn", "A target needs an English title (it is shown in the English report).");
        else if (ClientText.Problem(TitleEn, ClientText.NameLength) is { } en) Add("titleEn", $"The English title {en}.");

        var register = RegisterCatalogue.Find(Register);
        if (Kind is not ("area" or "count")) Add("kind", $"kind must be \"area\" (hectares of protected land) or \"count\" (activities or sites){(Kind is null ? "" : $", not \"{ClientText.Shown(Kind)}\"")}.");
        if (register is null) Add("register", $"register must be one of {RegisterCatalogue.Names}{(Register is null ? "" : $", not \"{ClientText.Shown(Register)}\"")}.");
        else if (!register.IsDated)
            Add("register", $"{register.Name} have no dates, so they cannot be counted per fiscal year; targets count designations, acquisitions or activities.");
        else if (Kind == "area" && register.Geometry != RegisterGeometry.Land)
            Add("register", $"An area target measures land: use designations or acquisitions, not {register.Name}.");

        CheckCodes("schemes", Schemes, "designations", [.. RegisterCatalogue.Schemes.Keys]);
        CheckCodes("acquiredBy", AcquiredBy, "acquisitions", RegisterCatalogue.AcquiringBodies);
        CheckCodes("activityKinds", ActivityKinds, "activities", [.. RegisterCatalogue.ActivityKinds.Keys]);
        if (register == RegisterCatalogue.Activities && ActivityKinds is not { Count: > 0 })
            Add("activityKinds", "Say which kinds of activity the target counts, e.g. [\"lecture\"].");
        if (Cumulative is not null && register is not null && register != RegisterCatalogue.Activities)
            Add("cumulative", "cumulative is for activity counts only: land (and sites in force) is always counted as it stands at the end of the year.");

        var unit = Kind == "area" ? "ha" : "count";
        if (Kind is "area" or "count" && Unit != unit) Add("unit", $"The unit of a{(Kind == "area" ? "n area" : " count")} target is \"{unit}\"{(Unit is null ? "" : $", not \"{ClientText.Shown(Unit)}\"")}.");

        if (BaselineFiscalYear is null) Add("baselineFiscalYear", "Give the baseline fiscal year (the year the baseline value was measured), e.g. 2020.");
        if (TargetFiscalYear is null) Add("targetFiscalYear", "Give the target fiscal year, e.g. 2030.");
        if (BaselineFiscalYear is { } from && TargetFiscalYear is { } to)
        {
            if (!FiscalYear.IsPlausible(from) || !FiscalYear.IsPlausible(to))
                Add(FiscalYear.IsPlausible(from) ? "targetFiscalYear" : "baselineFiscalYear", $"Fiscal years are written as the Gregorian year they start in, e.g. 2025 for 令和7年度 ({FiscalYear.PlausibleRange}).");
            else if (to <= from) Add("targetFiscalYear", $"The target fiscal year ({to}) must come after the baseline year ({from}).");
        }
        if (BaselineValue is null) Add("baselineValue", "Give the value at the baseline year (0 for a count that starts from nothing).");
        if (AnnualRate is null) Add("annualRate", "Give the planned change per year (e.g. 5 for +5 ha a year).");
        if (TargetValue is null) Add("targetValue", "Give the value to reach by the target year.");
        foreach (var (field, value) in new[] { ("baselineValue", BaselineValue), ("annualRate", AnnualRate), ("targetValue", TargetValue) })
        {
            if (value is { } v && (!double.IsFinite(v) || Math.Abs(v) > 1e9)) Add(field, $"{v} is not a usable number.");
        }
        if (BaselineValue is { } b && TargetValue is { } goal && AnnualRate is { } rate && rate != 0 && Math.Sign(goal - b) != Math.Sign(rate) && goal != b)
            Add("annualRate", $"An annual rate of {rate} moves away from the target ({b} → {goal}); check the sign.");
        return problems.ToDictionary(p => p.Key, p => p.Value.ToArray());

        void CheckCodes(string field, IReadOnlyList<string>? values, string owner, IReadOnlyList<string> known)
        {
            if (values is null) return;
            if (register is not null && register.Name != owner) Add(field, $"{field} limits {owner} only; this target counts {register.Name}.");
            foreach (var value in values.Where(v => !known.Contains(v)))
                Add(field, $"\"{ClientText.Shown(value)}\" is not one of {string.Join(", ", known)}.");
        }
    }

    /// <summary>Copies a valid definition onto the stored target.</summary>
    public void ApplyTo(Target target)
    {
        target.TitleJa = TitleJa!.Trim();
        target.TitleEn = TitleEn!.Trim();
        target.Kind = Kind!;
        target.Register = RegisterCatalogue.Find(Register)!.Name;
        target.Schemes = Schemes is { Count: > 0 } ? [.. Schemes.Distinct()] : null;
        target.AcquiredBy = AcquiredBy is { Count: > 0 } ? [.. AcquiredBy.Distinct()] : null;
        target.ActivityKinds = ActivityKinds is { Count: > 0 } ? [.. ActivityKinds.Distinct()] : null;
        target.Cumulative = Cumulative ?? false;
        target.Unit = Unit!;
        target.BaselineFiscalYear = BaselineFiscalYear!.Value;
        target.BaselineValue = BaselineValue!.Value;
        target.AnnualRate = AnnualRate!.Value;
        target.TargetFiscalYear = TargetFiscalYear!.Value;
        target.TargetValue = TargetValue!.Value;
    }
}
