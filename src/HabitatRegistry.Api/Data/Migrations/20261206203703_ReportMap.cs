using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportMap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "map_svg_en",
                table: "published_target_reports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "map_svg_ja",
                table: "published_target_reports",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "city_boundary",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    credit = table.Column<string>(type: "text", nullable: true),
                    loaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    loaded_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_city_boundary", x => x.id);
                    table.CheckConstraint("ck_city_boundary_one_row", "id = 1");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "city_boundary");

            migrationBuilder.DropColumn(
                name: "map_svg_en",
                table: "published_target_reports");

            migrationBuilder.DropColumn(
                name: "map_svg_ja",
                table: "published_target_reports");
        }
    }
}
