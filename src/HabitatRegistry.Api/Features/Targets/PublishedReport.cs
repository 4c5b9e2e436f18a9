using System.Text.Json;
using HabitatRegistry.Features.Reports;
using HabitatRegistry.Http;
using Microsoft.EntityFrameworkCore;

// The entity stays in this namespace when the report moved to Reports: its name is in the migrations' model snapshot.
namespace HabitatRegistry.Features.Targets;

/// <summary>A fiscal year's report as it was published: frozen numbers and comments.</summary>
public sealed class PublishedReport
{
    public int FiscalYear { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    /// <summary>Who published it: the key's name or the token's subject.</summary>
    public string? PublishedBy { get; set; }

    /// <summary>The publisher's own note (?by=), e.g. the office in charge.</summary>
    public string? Note { get; set; }

    /// <summary>The whole report as JSON, exactly as published.</summary>
    public required string Report { get; set; }

    /// <summary>The map of the land in force as it was drawn when published (SVG), in Japanese; null for editions published before maps.</summary>
    public string? MapSvgJa { get; set; }

    /// <summary>The same map in English.</summary>
    public string? MapSvgEn { get; set; }

    public TargetReport Read() => Read(Report);

    /// <summary>A report as published (its JSON).</summary>
    public static TargetReport Read(string report) => JsonSerializer.Deserialize<TargetReport>(report, Json.Web)!;
}

internal sealed class PublishedReportConfiguration : IEntityTypeConfiguration<PublishedReport>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PublishedReport> builder)
    {
        builder.ToTable("published_target_reports");
        builder.HasKey(p => p.FiscalYear);
        builder.Property(p => p.FiscalYear).ValueGeneratedNever();
        builder.Property(p => p.Report).HasColumnType("jsonb");
    }
}
