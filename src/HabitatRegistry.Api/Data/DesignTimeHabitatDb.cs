using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HabitatRegistry.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a database or the web host.</summary>
internal sealed class DesignTimeHabitatDb : IDesignTimeDbContextFactory<HabitatDb>
{
    public HabitatDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<HabitatDb>()
        .UseNpgsql("Host=localhost", npgsql => npgsql.UseNetTopologySuite())
        .UseSnakeCaseNamingConvention()
        .Options);
}
