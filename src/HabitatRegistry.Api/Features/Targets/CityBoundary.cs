using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.Targets;

/// <summary>
/// The city's boundary, drawn on the annual report's map (one row; loaded with the <c>city-boundary</c> command).
/// Without it the map shows the registers' extent.
/// </summary>
public sealed class CityBoundary
{
    /// <summary>Always 1: the registry is one city's.</summary>
    public int Id { get; set; } = 1;

    /// <summary>In lon/lat (EPSG:4326), as the registers.</summary>
    public required MultiPolygon Geom { get; set; }

    /// <summary>The credit the boundary's source asks for, printed under the map (e.g. MLIT's N03 data).</summary>
    public string? Credit { get; set; }

    public DateTimeOffset LoadedAt { get; set; }
    public string? LoadedBy { get; set; }

    /// <summary>
    /// Stores the polygons of a GeoJSON FeatureCollection, Feature or geometry in lon/lat as the boundary (their union),
    /// replacing any earlier one. Returns the area in hectares, or a sentence saying what is wrong.
    /// </summary>
    public static async Task<(double? AreaHa, string? Problem)> StoreAsync(NpgsqlDataSource dataSource, string geoJson, string? credit, string loadedBy, CancellationToken cancellationToken)
    {
        // PostGIS reads the GeoJSON: a boundary is one small file, loaded once, by whoever runs the service.
        await using var command = dataSource.CreateCommand("""
            with doc as (select $1::jsonb j),
            parts as (
              select ST_GeomFromGeoJSON(f -> 'geometry') g from doc, jsonb_array_elements(case when j ->> 'type' = 'FeatureCollection' then j -> 'features' else '[]' end) f
              union all select ST_GeomFromGeoJSON(j -> 'geometry') from doc where j ->> 'type' = 'Feature'
              union all select ST_GeomFromGeoJSON(j) from doc where j ->> 'type' in ('Polygon', 'MultiPolygon')),
            city as (select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_SetSRID(g, 4326))), 3)) g from parts where ST_Dimension(g) = 2)
            insert into city_boundary (id, geom, credit, loaded_at, loaded_by)
            select 1, g, $2, now(), $3 from city where g is not null and not ST_IsEmpty(g)
              and ST_XMin(g) >= -180 and ST_XMax(g) <= 180 and ST_YMin(g) >= -90 and ST_YMax(g) <= 90
            on conflict (id) do update set geom = excluded.geom, credit = excluded.credit, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by
            returning ST_Area(geom::geography) / 10000
            """);
        command.Parameters.Add(new() { Value = geoJson, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(credit) ? DBNull.Value : credit.Trim() });
        command.Parameters.Add(new() { Value = loadedBy });
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) is double area
                ? (area, null)
                : (null, "it holds no polygon in longitude/latitude (a FeatureCollection, Feature, Polygon or MultiPolygon in EPSG:4326 is needed)");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidTextRepresentation or PostgresErrorCodes.InternalError or PostgresErrorCodes.InvalidParameterValue)
        {
            return (null, $"it is not GeoJSON that PostGIS can read ({e.MessageText})");
        }
    }
}

internal sealed class CityBoundaryConfiguration : IEntityTypeConfiguration<CityBoundary>
{
    public void Configure(EntityTypeBuilder<CityBoundary> builder)
    {
        builder.ToTable("city_boundary", t => t.HasCheckConstraint("ck_city_boundary_one_row", "id = 1"));
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Geom).HasColumnType("geometry(MultiPolygon,4326)");
        builder.Property(b => b.LoadedAt).HasDefaultValueSql("now()");
    }
}
