using HabitatRegistry.Analysis.Targets;
using HabitatRegistry.Features.Registers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Targets;

/// <summary>A numeric target of the biodiversity strategy and what it counts.</summary>
public sealed class Target
{
    /// <summary>A target with only its code, for <see cref="TargetDefinition.ApplyTo"/> to fill in.</summary>
    public static Target Blank(string code) => new() { Code = code, TitleJa = "", TitleEn = "", Kind = "", Register = "", Unit = "" };

    public required string Code { get; set; }
    public required string TitleJa { get; set; }
    public required string TitleEn { get; set; }

    /// <summary>area (hectares of the union of a register's records) or count.</summary>
    public required string Kind { get; set; }

    /// <summary>The register it counts: designations, acquisitions or activities.</summary>
    public required string Register { get; set; }

    public string[]? Schemes { get; set; }
    public string[]? AcquiredBy { get; set; }
    public string[]? ActivityKinds { get; set; }

    /// <summary>For activity counts: add up activities since the baseline (true) or count each year on its own.</summary>
    public bool Cumulative { get; set; }

    public required string Unit { get; set; }
    public int BaselineFiscalYear { get; set; }
    public double BaselineValue { get; set; }
    public double AnnualRate { get; set; }
    public int TargetFiscalYear { get; set; }
    public double TargetValue { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who last created or changed it: the key's name, the token's subject, or "… (command line)".</summary>
    public string? UpdatedBy { get; set; }

    public TargetLine Line => new(BaselineFiscalYear, BaselineValue, AnnualRate, TargetFiscalYear, TargetValue);

    /// <summary>The register field and values a target is limited to (scheme, acquired_by or kind), if any.</summary>
    public (string Field, string[] Values)? Selection => Register switch
    {
        "designations" when Schemes is { Length: > 0 } => ("scheme", Schemes),
        "acquisitions" when AcquiredBy is { Length: > 0 } => ("acquired_by", AcquiredBy),
        "activities" when ActivityKinds is { Length: > 0 } => ("kind", ActivityKinds),
        _ => null,
    };

    public RegisterSchema Schema => RegisterCatalogue.Find(Register)!;
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> builder)
    {
        builder.ToTable("targets");
        builder.HasKey(t => t.Code);
        builder.Ignore(t => t.Line);
        builder.Ignore(t => t.Selection);
        builder.Ignore(t => t.Schema);
        builder.Property(t => t.UpdatedAt).HasDefaultValueSql("now()");
    }
}
