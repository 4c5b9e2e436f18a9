namespace HabitatRegistry.Features.Registers;

/// <summary>
/// The moment a change to a register takes effect, one for all its versions: taken once the register is locked, so
/// that changes are stamped in the order they are made (now() is when a transaction began, and a transaction that
/// waited for the lock would stamp its versions before those of the change it waited for), and never before the
/// register's latest version, even if the clock is set back. Views of the register at a moment rely on it: at any
/// moment, a record has at most one version.
/// </summary>
internal static class ChangeTime
{
    /// <summary>SQL that takes the moment for this transaction (run it after locking the register's table).</summary>
    public static string Take(RegisterSchema register) =>
        $"select set_config('habitat.changed_at', greatest(clock_timestamp(), (select max(recorded_at) from {register.Table}))::text, true)";

    /// <summary>SQL for the moment taken.</summary>
    public const string Value = "current_setting('habitat.changed_at')::timestamptz";
}
