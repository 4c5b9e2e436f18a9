using System.Threading.RateLimiting;
using HabitatRegistry.Data;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HabitatRegistry.Http;

/// <summary>Marks an endpoint whose requests can take seconds of processor time or database work.</summary>
internal sealed class HeavyRequest;

/// <summary>Marks an endpoint that takes uploads (imports), which run a few at a time so the memory they use stays bounded.</summary>
internal sealed class UploadRequest;

/// <summary>
/// Heavy requests (the network's indices and scenarios, network collections, pages of more than 1,000 features, the
/// reports) go through one concurrency limiter: a few at a time, a short queue, then 503 with Retry-After. The rest of
/// the processors stay for reading the registers, which stays fast while heavy requests run.
/// </summary>
internal static class HeavyRequests
{
    /// <summary>A page larger than this is heavy.</summary>
    public const int LightPage = 1000;

    /// <summary>A body of at most this many bytes, its length declared, is read at once like any small request.</summary>
    public const long SmallBody = 1 << 20;

    public static RouteHandlerBuilder IsHeavy(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new HeavyRequest());

    public static RouteHandlerBuilder TakesUploads(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new UploadRequest());

    public static void AddHeavyRequestLimits(this IServiceCollection services) => services.AddRateLimiter(limits =>
    {
        limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var heavy = context.RequestServices.GetRequiredService<IOptions<HabitatOptions>>().Value.HeavyRequests;
            // An upload's body waits in the network while it queues, not in memory. A small body (one activity, one
            // record as JSON) is no upload: ten planners saving at once all get an answer, not a 503.
            if (context.GetEndpoint()?.Metadata.GetMetadata<UploadRequest>() is not null && !HttpMethods.IsGet(context.Request.Method)
                && context.Request.ContentLength is not <= SmallBody)
            {
                return RateLimitPartition.GetConcurrencyLimiter("upload", _ =>
                    new ConcurrencyLimiterOptions { PermitLimit = heavy.UploadsAtOnce, QueueLimit = heavy.Queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });
            }
            return IsHeavy(context)
                ? RateLimitPartition.GetConcurrencyLimiter("heavy", _ =>
                    new ConcurrencyLimiterOptions { PermitLimit = heavy.AtOnce, QueueLimit = heavy.Queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
                : RateLimitPartition.GetNoLimiter("light");
        });
        limits.OnRejected = (rejected, _) =>
        {
            rejected.HttpContext.Response.Headers.RetryAfter = "10";
            return new ValueTask(Problems.Of(StatusCodes.Status503ServiceUnavailable, "The registry is busy with heavy requests.",
                "As many network computations, large pages and reports as the registry takes at once are running or waiting. Try again in 10 seconds.")
                .ExecuteAsync(rejected.HttpContext));
        };
    });

    private static bool IsHeavy(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<HeavyRequest>() is not null) return true;
        // The items of a collection: heavy when they are computed (the network's) or many.
        if (context.GetRouteValue("collectionId") is not string collection || !context.Request.Path.Value!.Contains("/items", StringComparison.Ordinal)) return false;
        return collection.StartsWith("network-", StringComparison.Ordinal)
            || (int.TryParse(context.Request.Query["limit"], out var limit) && limit > LightPage);
    }
}

/// <summary>How many heavy requests run at once, and how many may wait.</summary>
public sealed class HeavyRequestOptions
{
    /// <summary>Heavy requests running at once; by default one processor fewer than the machine has (at least one), the last one for reading.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int AtOnce { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Uploads read at once (each holds at most one feature in memory, and a file on disk).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int UploadsAtOnce { get; set; } = 4;

    /// <summary>
    /// Heavy requests (and uploads) waiting their turn; more are answered 503 at once. Short: a heavy request may take up
    /// to the time limit, and a client is better told to come back than kept waiting for minutes.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000)]
    public int Queue { get; set; } = 2;
}
