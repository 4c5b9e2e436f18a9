using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

/// <summary>Land designated under a conservation scheme (特別緑地保全地区, 市民緑地, OECM …).</summary>
public sealed class Designation : RegisterRecord
{
    public string? Name { get; set; }
    public required string Scheme { get; set; }
    public DateOnly DesignatedOn { get; set; }
    public DateOnly? LiftedOn { get; set; }
    public string? NoticeNo { get; set; }
    public string? LegalBasis { get; set; }
    public decimal? ReportedAreaM2 { get; set; }
}

internal sealed class DesignationConfiguration : IEntityTypeConfiguration<Designation>
{
    public void Configure(EntityTypeBuilder<Designation> builder)
    {
        builder.ToTable(t => t.HasCheckConstraint("ck_designations_lifted_after_designated",
            "lifted_on is null or lifted_on > designated_on"));
        builder.ConfigureRegisterRecord(RegisterCatalogue.Designations);
    }
}
