using HabitatRegistry.Features.Registers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Activities;

/// <summary>
/// Something the city or its partners did on a date — a lecture, a workshop, a support case, a new
/// "forest where children and wildlife gather" — optionally with where it happened. Counts of them feed the
/// strategy's count targets. Versioned like the land registers.
/// </summary>
public sealed class Activity : RegisterRecord
{
    public DateOnly HeldOn { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? Organiser { get; set; }
    public decimal? Participants { get; set; }
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ConfigureRegisterRecord(RegisterCatalogue.Activities);
        builder.HasIndex(a => new { a.Kind, a.HeldOn });
    }
}
