using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

internal static class RegisterRecordConfiguration
{
    /// <summary>The columns and indexes every register shares, named after its <see cref="RegisterSchema"/>.</summary>
    public static void ConfigureRegisterRecord<T>(this EntityTypeBuilder<T> builder, RegisterSchema register) where T : RegisterRecord
    {
        builder.ToTable(register.Table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RecordId).HasColumnName(register.IdProperty).IsRequired();
        var geometry = builder.Property(r => r.Geometry).HasColumnName("geom");
        if (register.Geometry == RegisterGeometry.Land)
        {
            geometry.HasColumnType("geometry(MultiPolygon,4326)").IsRequired();
            // Measured once when the version is stored (versions never change), not on every report.
            builder.Property<double>(RegisterSchema.AreaColumn).HasComputedColumnSql("ST_Area(geom::geography)", stored: true);
        }
        else
        {
            geometry.HasColumnType("geometry(Geometry,4326)");
        }
        builder.Property(r => r.Attributes).HasColumnType("jsonb");
        builder.Property(r => r.RecordedAt).HasDefaultValueSql("now()");
        builder.HasIndex(r => r.Geometry).HasMethod("gist");
        // At most one current version per record; old versions stay for history.
        builder.HasIndex(r => r.RecordId).IsUnique().HasFilter("superseded_at is null");
        builder.HasIndex(r => new { r.RecordId, r.Version }).IsUnique();
        builder.HasOne<ImportRun>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}
