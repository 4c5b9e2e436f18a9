using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Audit;

/// <summary>One change to the registry: who made it, when, what was asked and what came of it.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The key's name or the token's subject; "… (command line)" for the command line.</summary>
    public required string Actor { get; set; }

    /// <summary>viewer, editor or admin; null for the command line, which works on the database directly.</summary>
    public string? Role { get; set; }

    /// <summary>The operation, as the API documentation names it (ImportRecords, PublishTargetReport …).</summary>
    public required string Action { get; set; }

    /// <summary>What was asked: method, path and query (or the command line's words).</summary>
    public required string Request { get; set; }

    /// <summary>The caller's own note (?by=).</summary>
    public string? Note { get; set; }

    /// <summary>What came of it, e.g. "3 created, 1 updated, 20 unchanged (import 12)".</summary>
    public string? Detail { get; set; }

    /// <summary>The HTTP status answered; null for the command line.</summary>
    public int? Status { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.Property(e => e.At).HasDefaultValueSql("now()");
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => e.Actor);
    }
}
