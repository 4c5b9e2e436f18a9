using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class HabitatPatchesAndProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "habitat_patches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    habitat = table.Column<string>(type: "text", nullable: false),
                    quality = table.Column<decimal>(type: "numeric", nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false, computedColumnSql: "ST_Area(geom::geography)", stored: true),
                    patch_id = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    geom = table.Column<Geometry>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: true),
                    import_id = table.Column<long>(type: "bigint", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changes = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_habitat_patches", x => x.id);
                    table.CheckConstraint("ck_habitat_patches_quality", "quality >= 0 and quality <= 1");
                    table.ForeignKey(
                        name: "fk_habitat_patches_import_runs_import_id",
                        column: x => x.import_id,
                        principalTable: "import_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "network_profiles",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false),
                    title_ja = table.Column<string>(type: "text", nullable: false),
                    title_en = table.Column<string>(type: "text", nullable: false),
                    d0 = table.Column<double>(type: "double precision", nullable: false),
                    p0 = table.Column<double>(type: "double precision", nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_network_profiles", x => x.name);
                });

            migrationBuilder.InsertData(
                table: "network_profiles",
                columns: new[] { "name", "d0", "p0", "threshold", "title_en", "title_ja" },
                values: new object[,]
                {
                    { "amphibians", 250.0, 0.5, 500.0, "Amphibians", "両生類" },
                    { "small-mammals", 1000.0, 0.5, 2000.0, "Small mammals", "小型哺乳類" },
                    { "woodland-birds", 3000.0, 0.5, 6000.0, "Woodland birds", "樹林性鳥類" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_habitat_patches_geom",
                table: "habitat_patches",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_habitat_patches_import_id",
                table: "habitat_patches",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_habitat_patches_patch_id",
                table: "habitat_patches",
                column: "patch_id",
                unique: true,
                filter: "superseded_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_habitat_patches_patch_id_version",
                table: "habitat_patches",
                columns: new[] { "patch_id", "version" },
                unique: true);

            // Overlapping patches, kept by every import as for the land registers (see StoredAreasAndOverlaps).
            migrationBuilder.Sql("""
                create table habitat_patches_overlaps (
                    a bigint not null references habitat_patches (id) on delete cascade,
                    b bigint not null references habitat_patches (id) on delete cascade,
                    primary key (a, b),
                    check (a < b));
                create index ix_habitat_patches_overlaps_b on habitat_patches_overlaps (b);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop table habitat_patches_overlaps;");

            migrationBuilder.DropTable(
                name: "habitat_patches");

            migrationBuilder.DropTable(
                name: "network_profiles");
        }
    }
}
