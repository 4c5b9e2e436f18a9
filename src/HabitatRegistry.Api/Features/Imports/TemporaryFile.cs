namespace HabitatRegistry.Features.Imports;

/// <summary>A file of the upload on its way in (the upload itself, or a CSV or shapefile turned into GeoJSON), gone when closed.</summary>
internal static class TemporaryFile
{
    public static FileStream Create() => new(Path.Combine(Path.GetTempPath(), $"habitat-upload-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    /// <summary>Copies a stream into a new temporary file, at most <paramref name="maxBytes"/>; null (and nothing left behind) when it is longer.</summary>
    public static async Task<FileStream?> SpoolAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var file = Create();
        try
        {
            var chunk = new byte[1 << 16];
            int n;
            while ((n = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (file.Length + n > maxBytes)
                {
                    await file.DisposeAsync();
                    return null;
                }
                await file.WriteAsync(chunk.AsMemory(0, n), cancellationToken);
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
