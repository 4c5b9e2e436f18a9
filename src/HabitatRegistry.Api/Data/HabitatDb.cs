using HabitatRegistry.Features.Activities;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Targets;
using Microsoft.EntityFrameworkCore;

namespace HabitatRegistry.Data;

/// <summary>The registry's database: PostGIS, schema owned by EF Core migrations.</summary>
public sealed class HabitatDb(DbContextOptions<HabitatDb> options) : DbContext(options)
{
    public DbSet<Designation> Designations => Set<Designation>();
    public DbSet<Acquisition> Acquisitions => Set<Acquisition>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<HabitatPatch> HabitatPatches => Set<HabitatPatch>();
    public DbSet<NetworkProfile> NetworkProfiles => Set<NetworkProfile>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<PdcaNote> PdcaEntries => Set<PdcaNote>();
    public DbSet<PublishedReport> PublishedReports => Set<PublishedReport>();
    public DbSet<CityBoundary> CityBoundary => Set<CityBoundary>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HabitatDb).Assembly);
    }
}
