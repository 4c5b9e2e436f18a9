using System.IO.Compression;
using System.Security.Cryptography;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.Registers;
using Microsoft.Extensions.Caching.Memory;

namespace HabitatRegistry.Features.Tiles;

/// <summary>
/// A tile as served: its bytes (none when nothing reaches into it) and its ETag, a hash of the bytes; and the same
/// gzip-compressed, with an ETag of its own, for clients that accept it (every browser does: a tile's half the bytes).
/// </summary>
public sealed record VectorTile(byte[] Bytes, string ETag, byte[] Gzip, string GzipETag)
{
    public static VectorTile Of(byte[] bytes)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
        if (bytes.Length == 0) return new(bytes, $"\"{hash}\"", bytes, $"\"{hash}\"");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(bytes);
        return new(bytes, $"\"{hash}\"", compressed.ToArray(), $"\"{hash}-gzip\"");
    }
}

/// <summary>
/// Tiles already cut, in memory of a bounded size (least recently used go first), for the registry's current generation
/// only (<see cref="RegistryGeneration"/>): a tile cut before a change is never served after it.
/// </summary>
public sealed class TileCache(RegistryGeneration registryGeneration)
{
    /// <summary>At most this many bytes of tiles (and network features) are kept.</summary>
    public const long SizeLimit = 128L * 1024 * 1024;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit, CompactionPercentage = 0.25 });

    // One network computation at a time for tiles: a map asks for a dozen tiles at once, and all but the first find it kept.
    private readonly SemaphoreSlim networkComputation = new(1, 1);

    private sealed record TileKey(long Generation, string Collection, int Zoom, int Row, int Column, string? Datetime);

    private sealed record FeaturesKey(long Generation, string Collection);

    /// <summary>The registry's generation: raised by every committed change to what the tiles show.</summary>
    public Task<long> GenerationAsync(CancellationToken cancellationToken) => registryGeneration.CurrentAsync(cancellationToken);

    /// <summary>The tile kept for this generation, if it was cut already.</summary>
    public VectorTile? Kept(long generation, string collection, int zoom, int row, int column, string? datetime) =>
        cache.TryGetValue(new TileKey(generation, collection, zoom, row, column, datetime), out VectorTile? kept) ? kept : null;

    /// <summary>
    /// The tile kept for this generation, or the one <paramref name="cut"/> makes (kept for the next request); null when
    /// <paramref name="cut"/> could not make it (it has said why), and nothing is kept.
    /// </summary>
    public async Task<VectorTile?> TileAsync(long generation, string collection, int zoom, int row, int column, string? datetime,
        Func<CancellationToken, Task<byte[]?>> cut, CancellationToken cancellationToken)
    {
        if (Kept(generation, collection, zoom, row, column, datetime) is { } kept) return kept;
        if (await cut(cancellationToken) is not { } bytes) return null;
        var tile = VectorTile.Of(bytes);
        // Old generations' tiles are never asked for again: they expire as the least recently used.
        cache.Set(new TileKey(generation, collection, zoom, row, column, datetime), tile, new MemoryCacheEntryOptions { Size = tile.Bytes.Length + tile.Gzip.Length + 256 });
        return tile;
    }

    /// <summary>The features of a network collection for this generation, computed once for all its tiles.</summary>
    public async Task<(IReadOnlyList<ComputedFeature>? Features, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> NetworkFeaturesAsync(
        long generation, string collection, string kind, string profile, NetworkAnalysis analysis, CancellationToken cancellationToken)
    {
        var key = new FeaturesKey(generation, collection);
        if (cache.TryGetValue(key, out List<ComputedFeature>? kept)) return (kept, null);
        await networkComputation.WaitAsync(cancellationToken);
        try
        {
            if (cache.TryGetValue(key, out kept)) return (kept, null);
            var (features, problem) = await NetworkCollections.FeaturesAsync(kind, profile, analysis, cancellationToken);
            if (features is null) return (null, problem);
            // Its outline's coordinates and a few hundred bytes of properties a feature.
            cache.Set(key, features, new MemoryCacheEntryOptions { Size = features.Sum(f => 16L * f.Geometry.NumPoints + 256) + 256 });
            return (features, null);
        }
        finally
        {
            networkComputation.Release();
        }
    }
}
