using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

/// <summary>One accepted upload: who sent which file when, and what it changed. Versions point to it.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }
    public required string Register { get; set; }
    public string? FileName { get; set; }
    public string? SubmittedBy { get; set; }
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
