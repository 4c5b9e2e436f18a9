using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

/// <summary>Land brought into ownership by a public body (or a trust, recorded but not public).</summary>
public sealed class Acquisition : RegisterRecord
{
    public string? Name { get; set; }
    public DateOnly AcquiredOn { get; set; }
    public required string AcquiredBy { get; set; }
    public DateOnly? DisposedOn { get; set; }
    public string? Method { get; set; }
    public string? Funding { get; set; }
}

internal sealed class AcquisitionConfiguration : IEntityTypeConfiguration<Acquisition>
{
    public void Configure(EntityTypeBuilder<Acquisition> builder)
    {
        builder.ToTable(t => t.HasCheckConstraint("ck_acquisitions_disposed_after_acquired",
            "disposed_on is null or disposed_on > acquired_on"));
        builder.ConfigureRegisterRecord(RegisterCatalogue.Acquisitions);
    }
}
