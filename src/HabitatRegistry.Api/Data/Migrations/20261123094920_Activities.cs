using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class Activities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activities",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    held_on = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    organiser = table.Column<string>(type: "text", nullable: true),
                    participants = table.Column<decimal>(type: "numeric", nullable: true),
                    activity_id = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    geom = table.Column<Geometry>(type: "geometry(Geometry,4326)", nullable: true),
                    attributes = table.Column<string>(type: "jsonb", nullable: true),
                    import_id = table.Column<long>(type: "bigint", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changes = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activities", x => x.id);
                    table.ForeignKey(
                        name: "fk_activities_import_runs_import_id",
                        column: x => x.import_id,
                        principalTable: "import_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_activities_activity_id",
                table: "activities",
                column: "activity_id",
                unique: true,
                filter: "superseded_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_activities_activity_id_version",
                table: "activities",
                columns: new[] { "activity_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_activities_geom",
                table: "activities",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_activities_import_id",
                table: "activities",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_activities_kind_held_on",
                table: "activities",
                columns: new[] { "kind", "held_on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activities");
        }
    }
}
