using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

/// <summary>One accepted change to a register (an upload, or a withdrawal): who made it, from which file, when, and what it changed. Versions point to it.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }
    public required string Register { get; set; }
    public string? FileName { get; set; }
    /// <summary>Who made it: the key's name or the token's subject; "… (command line)" for the command line. Null only for changes made before keys were needed.</summary>
    public string? Author { get; set; }

    /// <summary>The sender's own note (?by=, --by).</summary>
    public string? Note { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? SourceCrs { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("import_runs");
        builder.Property(r => r.ReceivedAt).HasDefaultValueSql("now()");
    }
}
