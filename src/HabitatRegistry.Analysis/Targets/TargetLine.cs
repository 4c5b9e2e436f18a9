namespace HabitatRegistry.Analysis.Targets;

/// <summary>Where a target is judged against its plan line.</summary>
public enum TargetStatus
{
    /// <summary>More than 5 % beyond the plan line.</summary>
    Ahead,

    /// <summary>Within ±5 % of the plan line.</summary>
    OnTrack,

    /// <summary>More than 5 % short of the plan line.</summary>
    Behind,
}

/// <summary>
/// A numeric target of the strategy: from a baseline value in a baseline fiscal year, an annual rate,
/// towards a target value in a target fiscal year (an area or a count, whichever the target measures).
/// </summary>
public sealed record TargetLine(int BaselineFiscalYear, double BaselineValue, double AnnualRate, int TargetFiscalYear, double TargetValue)
{
    /// <summary>The share of the plan line within which a target counts as on track.</summary>
    public const double Tolerance = 0.05;

    private bool Rising => AnnualRate >= 0;

    /// <summary>The plan line: baseline + rate × years since the baseline, capped at the target value.</summary>
    public double PlannedAt(int fiscalYear)
    {
        var value = BaselineValue + AnnualRate * (fiscalYear - BaselineFiscalYear);
        return Rising ? Math.Min(value, TargetValue) : Math.Max(value, TargetValue);
    }

    /// <summary>Ahead, on track or behind the plan line (for a falling target, less is ahead).</summary>
    public TargetStatus StatusOf(double actual, double planned)
    {
        var margin = Math.Abs(planned) * Tolerance;
        var beyond = Rising ? actual - planned : planned - actual;
        // A plan line at zero has no ±5 % band: any progress beyond it is ahead.
        if (beyond > margin || (margin == 0 && beyond > 0)) return TargetStatus.Ahead;
        return beyond < -margin ? TargetStatus.Behind : TargetStatus.OnTrack;
    }

    /// <summary>Whether a value at the target year meets the target.</summary>
    public bool IsMetBy(double value) => Rising ? value >= TargetValue - 1e-9 : value <= TargetValue + 1e-9;

    /// <summary>
    /// The value expected at the target year if the recent pace goes on: the average annual change over
    /// the last (up to) three fiscal years since the baseline, carried on from <paramref name="fiscalYear"/>.
    /// After the target year the forecast is the actual value. <paramref name="actualAt"/> gives the
    /// cumulative actual value of a fiscal year.
    /// </summary>
    public double ForecastAtTargetYear(int fiscalYear, Func<int, double> actualAt)
    {
        var actual = actualAt(fiscalYear);
        if (fiscalYear >= TargetFiscalYear) return actual;
        var years = Math.Min(3, fiscalYear - BaselineFiscalYear);
        // In the baseline year itself there is no pace yet: the plan's own rate is the best guess.
        var pace = years <= 0 ? AnnualRate : (actual - actualAt(fiscalYear - years)) / years;
        return actual + pace * (TargetFiscalYear - fiscalYear);
    }
}
