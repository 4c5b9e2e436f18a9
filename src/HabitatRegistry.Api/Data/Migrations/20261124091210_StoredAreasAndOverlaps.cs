using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class StoredAreasAndOverlaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "area_m2",
                table: "designations",
                type: "double precision",
                nullable: false,
                computedColumnSql: "ST_Area(geom::geography)",
                stored: true);

            migrationBuilder.AddColumn<double>(
                name: "area_m2",
                table: "acquisitions",
                type: "double precision",
                nullable: false,
                computedColumnSql: "ST_Area(geom::geography)",
                stored: true);

            // Pairs of versions whose interiors overlap (RecordImporter adds them as it imports), filled
            // here for the parcels already stored. Deleting a version deletes its pairs.
            foreach (var table in new[] { "designations", "acquisitions" })
            {
                migrationBuilder.Sql($"""
                    create table {table}_overlaps (
                        a bigint not null references {table} (id) on delete cascade,
                        b bigint not null references {table} (id) on delete cascade,
                        primary key (a, b),
                        check (a < b));
                    create index ix_{table}_overlaps_b on {table}_overlaps (b);
                    insert into {table}_overlaps (a, b)
                    select x.id, y.id from {table} x
                    join {table} y on x.id < y.id and x.geom && y.geom and ST_Relate(x.geom, y.geom, 'T********')
                    where x.superseded_at is null and y.superseded_at is null;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop table designations_overlaps; drop table acquisitions_overlaps;");

            migrationBuilder.DropColumn(
                name: "area_m2",
                table: "designations");

            migrationBuilder.DropColumn(
                name: "area_m2",
                table: "acquisitions");
        }
    }
}
