using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeysAuditAndWithdrawals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "submitted_by",
                table: "import_runs",
                newName: "note");

            migrationBuilder.AddColumn<string>(
                name: "note",
                table: "published_target_reports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "author",
                table: "pdca_entries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "author",
                table: "import_runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "withdrawal_reason",
                table: "habitat_patches",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "withdrawal_reason",
                table: "designations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "withdrawal_reason",
                table: "activities",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "withdrawal_reason",
                table: "acquisitions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.CheckConstraint("ck_api_keys_role", "role in ('viewer', 'editor', 'admin')");
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    actor = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "text", nullable: false),
                    request = table.Column<string>(type: "text", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_name",
                table: "api_keys",
                column: "name",
                unique: true,
                filter: "revoked_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_actor",
                table: "audit_events",
                column: "actor");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_at",
                table: "audit_events",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropColumn(
                name: "note",
                table: "published_target_reports");

            migrationBuilder.DropColumn(
                name: "author",
                table: "pdca_entries");

            migrationBuilder.DropColumn(
                name: "author",
                table: "import_runs");

            migrationBuilder.DropColumn(
                name: "withdrawal_reason",
                table: "habitat_patches");

            migrationBuilder.DropColumn(
                name: "withdrawal_reason",
                table: "designations");

            migrationBuilder.DropColumn(
                name: "withdrawal_reason",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "withdrawal_reason",
                table: "acquisitions");

            migrationBuilder.RenameColumn(
                name: "note",
                table: "import_runs",
                newName: "submitted_by");
        }
    }
}
