using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HabitatRegistry.Data;

internal static class DatabaseSetup
{
    /// <summary>Options, the Npgsql data source (for COPY and hand-written SQL) and the EF Core context on one pool.</summary>
    public static void AddHabitatDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HabitatOptions>()
            .BindConfiguration(HabitatOptions.Section)
            .PostConfigure<IConfiguration>((options, config) => options.ConnectionString ??= config["HABITAT_DB"])
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HabitatOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            // PostgreSQL's JIT costs 0.2–0.5 s per spatial query here and gains nothing on them.
            dataSource.ConnectionStringBuilder.Options = $"{dataSource.ConnectionStringBuilder.Options} -c jit=off".Trim();
            dataSource.UseNetTopologySuite();
            return dataSource.Build();
        });
        builder.Services.AddDbContext<HabitatDb>((sp, db) =>
            db.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.UseNetTopologySuite())
              .UseSnakeCaseNamingConvention()
              // A failed command is logged where it is handled: a key taken by another request becomes a 409 (KeyedWrites),
              // anything else reaches the exception handler, which logs it as the error it is. Logged here too, every
              // expected conflict would read as a server error.
              .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug))));
    }
}
