using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Registers;

internal static class RegisterRecordConfiguration
{
    /// <summary>The columns and indexes every register shares.</summary>
    public static void ConfigureRegisterRecord<T>(this EntityTypeBuilder<T> builder) where T : RegisterRecord
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ParcelId).IsRequired();
        builder.Property(r => r.Geometry).HasColumnName("geom").HasColumnType("geometry(MultiPolygon,4326)");
        builder.Property(r => r.Attributes).HasColumnType("jsonb");
        builder.Property(r => r.RecordedAt).HasDefaultValueSql("now()");
        builder.HasIndex(r => r.Geometry).HasMethod("gist");
        // At most one current version per parcel; old versions stay for history.
        builder.HasIndex(r => r.ParcelId).IsUnique().HasFilter("superseded_at is null");
        builder.HasIndex(r => new { r.ParcelId, r.Version }).IsUnique();
        builder.HasOne<ImportRun>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}
