using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Registers;

/// <summary>
/// One version of a record in a register. A record's versions share <see cref="RecordId"/> (the planner's
/// parcel_id, activity_id or patch_id); the current one has no <see cref="SupersededAt"/>. Corrections and
/// releases add versions, so nothing is ever overwritten. A withdrawal (a record entered by mistake) adds a version
/// that is never current: it is superseded the moment it is recorded, so the record leaves every current view.
/// </summary>
public abstract class RegisterRecord
{
    public long Id { get; set; }
    public required string RecordId { get; set; }
    public int Version { get; set; }
    public Geometry? Geometry { get; set; }

    /// <summary>The planner's other properties, kept as they came (jsonb).</summary>
    public string? Attributes { get; set; }

    public long ImportId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }

    /// <summary>What this version changed against the one before (property names, or "created", "withdrawn", "restored").</summary>
    public string[] Changes { get; set; } = [];

    /// <summary>Why the record was withdrawn, on the version that withdrew it.</summary>
    public string? WithdrawalReason { get; set; }
}
