using HabitatRegistry.Features.Registers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Network;

/// <summary>A patch of habitat: a node of the ecological network, weighted by area × quality.</summary>
public sealed class HabitatPatch : RegisterRecord
{
    public required string Habitat { get; set; }
    public decimal Quality { get; set; } = 1;
    public string? Name { get; set; }
}

internal sealed class HabitatPatchConfiguration : IEntityTypeConfiguration<HabitatPatch>
{
    public void Configure(EntityTypeBuilder<HabitatPatch> builder)
    {
        builder.ConfigureRegisterRecord(RegisterCatalogue.HabitatPatches);
        builder.ToTable(t => t.HasCheckConstraint("ck_habitat_patches_quality", "quality >= 0 and quality <= 1"));
    }
}
