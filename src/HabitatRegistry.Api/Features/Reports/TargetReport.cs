namespace HabitatRegistry.Features.Reports;

/// <summary>The annual check of every target of the strategy (the "Check" of the PDCA cycle) for one fiscal year.</summary>
public sealed record TargetReport(
    int FiscalYear,
    FiscalYearLabels Labels,
    DateOnly AsOf,
    IReadOnlyList<TargetResult> Targets,
    PdcaRecord Pdca,
    PublicationState? Publication);

/// <summary>A fiscal year in both forms: "FY2025" and "令和7年度".</summary>
public sealed record FiscalYearLabels(string En, string Ja);

/// <summary>One target's figures at the end of the fiscal year.</summary>
/// <param name="Code">the strategy's code, e.g. 1-1-1</param>
/// <param name="Status">ahead, on-track or behind (actual within ±5 % of the plan line is on-track)</param>
/// <param name="History">actual and planned value for each fiscal year from the baseline to the report's year</param>
/// <param name="Evaluation">the evaluation comment recorded for this target and year (Check), if any</param>
/// <param name="Title">the title in the report's language</param>
/// <param name="Actual">the value at the end of the fiscal year: hectares of the union of the records in force, or a count</param>
/// <param name="AddedThisYear">the net change over the year (area, sites), or the activities held in the year</param>
/// <param name="Planned">the plan line at the fiscal year: baseline + annual rate × years since the baseline, capped at the target</param>
/// <param name="AchievementRate">actual / target, in percent</param>
/// <param name="ProgressVsPlan">actual / planned, in percent</param>
/// <param name="ForecastAtTargetYear">the value at the target year if the average change of the last (up to) three years goes on</param>
public sealed record TargetResult(
    string Code,
    string Title,
    string TitleJa,
    string TitleEn,
    string Kind,
    string Unit,
    double Actual,
    double AddedThisYear,
    double Planned,
    double Target,
    int BaselineFiscalYear,
    double BaselineValue,
    double AnnualRate,
    int TargetFiscalYear,
    double? AchievementRate,
    double? ProgressVsPlan,
    string Status,
    double? ForecastAtTargetYear,
    bool? WillMeetTarget,
    IReadOnlyList<YearValue> History,
    string? Evaluation);

/// <summary>A fiscal year's actual value and the plan line's.</summary>
public sealed record YearValue(int FiscalYear, double Actual, double Planned);

/// <summary>Plan, Check and Act entries recorded for a fiscal year.</summary>
public sealed record PdcaRecord(IReadOnlyList<PdcaEntry> Plan, IReadOnlyList<PdcaEntry> Check, IReadOnlyList<PdcaEntry> Act);

/// <param name="Who">who does it, or who wrote it, as the entry says</param>
/// <param name="Author">who recorded the entry: the key's name or the token's subject</param>
public sealed record PdcaEntry(long Id, string Stage, string? TargetCode, string Text, string? Who, DateTimeOffset RecordedAt, string? Author = null);

/// <summary>Whether the year was published, and how far the live figures now differ from the published ones.</summary>
/// <param name="PublishedBy">who published it: the key's name or the token's subject</param>
/// <param name="Note">the publisher's own note (?by=), e.g. the office in charge</param>
public sealed record PublicationState(DateTimeOffset PublishedAt, string? PublishedBy, bool Restated, IReadOnlyList<Restatement> Restatements, string? Note = null);

public sealed record Restatement(string Code, double PublishedActual, double Actual, double Difference);
