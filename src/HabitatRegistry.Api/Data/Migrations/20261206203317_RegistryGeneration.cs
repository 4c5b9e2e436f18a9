using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HabitatRegistry.Data.Migrations
{
    /// <summary>
    /// A counter of changes to what maps show (every register change adds an import run; network profiles change the
    /// network), raised by the database itself as each change commits: caches of derived data (vector tiles) ask it once
    /// per request and are never older than the registry, whichever process (service, command line, another instance)
    /// made the change.
    /// </summary>
    public partial class RegistryGeneration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table registry_generation (id int primary key check (id = 1), generation bigint not null);
                insert into registry_generation values (1, 1);

                -- Raised at commit (a deferred trigger), so the new number is seen together with the change and the
                -- row is locked only for the moment before each commit: concurrent imports still run side by side.
                create function raise_registry_generation() returns trigger language plpgsql as $$
                begin
                  update registry_generation set generation = generation + 1 where id = 1;
                  return null;
                end $$;

                create constraint trigger import_runs_raise_generation after insert on import_runs
                  deferrable initially deferred for each row execute function raise_registry_generation();
                create constraint trigger network_profiles_raise_generation after insert or update or delete on network_profiles
                  deferrable initially deferred for each row execute function raise_registry_generation();
                -- Emptying the registers (tests, a city starting again) is a change too.
                create trigger import_runs_truncate_raises_generation after truncate on import_runs
                  for each statement execute function raise_registry_generation();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger import_runs_truncate_raises_generation on import_runs;
                drop trigger network_profiles_raise_generation on network_profiles;
                drop trigger import_runs_raise_generation on import_runs;
                drop function raise_registry_generation();
                drop table registry_generation;
                """);
        }
    }
}
