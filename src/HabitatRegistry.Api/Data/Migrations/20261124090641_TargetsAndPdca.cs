using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class TargetsAndPdca : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pdca_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    fiscal_year = table.Column<int>(type: "integer", nullable: false),
                    stage = table.Column<string>(type: "text", nullable: false),
                    target_code = table.Column<string>(type: "text", nullable: true),
                    text = table.Column<string>(type: "text", nullable: false),
                    who = table.Column<string>(type: "text", nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pdca_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "published_target_reports",
                columns: table => new
                {
                    fiscal_year = table.Column<int>(type: "integer", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "text", nullable: true),
                    report = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_published_target_reports", x => x.fiscal_year);
                });

            migrationBuilder.CreateTable(
                name: "targets",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    title_ja = table.Column<string>(type: "text", nullable: false),
                    title_en = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    register = table.Column<string>(type: "text", nullable: false),
                    schemes = table.Column<string[]>(type: "text[]", nullable: true),
                    acquired_by = table.Column<string[]>(type: "text[]", nullable: true),
                    activity_kinds = table.Column<string[]>(type: "text[]", nullable: true),
                    cumulative = table.Column<bool>(type: "boolean", nullable: false),
                    unit = table.Column<string>(type: "text", nullable: false),
                    baseline_fiscal_year = table.Column<int>(type: "integer", nullable: false),
                    baseline_value = table.Column<double>(type: "double precision", nullable: false),
                    annual_rate = table.Column<double>(type: "double precision", nullable: false),
                    target_fiscal_year = table.Column<int>(type: "integer", nullable: false),
                    target_value = table.Column<double>(type: "double precision", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_targets", x => x.code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pdca_entries_fiscal_year_stage",
                table: "pdca_entries",
                columns: new[] { "fiscal_year", "stage" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pdca_entries");

            migrationBuilder.DropTable(
                name: "published_target_reports");

            migrationBuilder.DropTable(
                name: "targets");
        }
    }
}
