using System.Text.Json;
using HabitatRegistry.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace HabitatRegistry.Http;

/// <summary>
/// For load balancers and service managers, open to them whatever the city's reading rules: /health/live (the process
/// answers) and /health/ready (the database answers, PostGIS is there and the schema is current).
/// </summary>
internal static class Health
{
    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseReadiness>("database", tags: ["ready"]);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var reads = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().WithMetadata(reads);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .AllowAnonymous().WithMetadata(reads);
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy) context.Response.Headers.RetryAfter = DatabaseFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = MediaTypes.Json;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, Json.Web));
    }
}

/// <summary>Ready: the database answers within a few seconds, PostGIS is installed, and no migration is waiting.</summary>
internal sealed class DatabaseReadiness(NpgsqlDataSource dataSource, IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using (var command = dataSource.CreateCommand("select postgis_lib_version()"))
            {
                await command.ExecuteScalarAsync(limit.Token);
            }
            await using var scope = scopes.CreateAsyncScope();
            var pending = (await scope.ServiceProvider.GetRequiredService<HabitatDb>().Database.GetPendingMigrationsAsync(limit.Token)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("The database answers, with PostGIS and the current schema.")
                : HealthCheckResult.Unhealthy($"The database schema is not current: {pending.Count} migration(s) to apply (run the migrate command).");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e is PostgresException { SqlState: PostgresErrorCodes.UndefinedFunction }
                ? "The database has no PostGIS: create extension postgis."
                : "The database does not answer.");
        }
    }
}
