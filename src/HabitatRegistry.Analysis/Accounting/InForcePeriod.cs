namespace HabitatRegistry.Analysis.Accounting;

/// <summary>
/// When a record is legally in force: from <see cref="From"/> (designated or acquired on) until the day
/// before <see cref="Until"/> (lifted or disposed of on); an open end means still in force.
/// </summary>
public readonly record struct InForcePeriod(DateOnly From, DateOnly? Until)
{
    /// <summary>True when the record is in force at the end of <paramref name="date"/>.</summary>
    public bool IsInForceOn(DateOnly date) => From <= date && (Until is null || Until > date);
}
