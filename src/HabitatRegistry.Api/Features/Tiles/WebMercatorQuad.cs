using HabitatRegistry.Features.OgcApi;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Tiles;

/// <summary>One tile matrix of a tile matrix set (OGC Two Dimensional Tile Matrix Set 2.0).</summary>
public sealed record TileMatrix(string Id, double ScaleDenominator, double CellSize, string CornerOfOrigin, double[] PointOfOrigin,
    int TileWidth, int TileHeight, long MatrixWidth, long MatrixHeight);

/// <summary>A tile matrix set as OGC 2D TMS 2.0 writes it in JSON.</summary>
public sealed record TileMatrixSet(string Id, string Title, string Uri, string Crs, IReadOnlyList<string> OrderedAxes, string WellKnownScaleSet,
    IReadOnlyList<TileMatrix> TileMatrices, IReadOnlyList<OgcLink>? Links = null);

/// <summary>
/// The Web Mercator tile grid every web map uses (OGC WebMercatorQuad, Google Maps compatible): zoom z has 2^z × 2^z
/// tiles of 256 pixels, rows counted from the north. The one grid the registry's vector tiles are cut on.
/// </summary>
public static class WebMercatorQuad
{
    public const string Id = "WebMercatorQuad";
    public const string Uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
    public const string Crs = "http://www.opengis.net/def/crs/EPSG/0/3857";

    /// <summary>The deepest tile matrix of the set; MapLibre asks for deeper zooms from the data's own maxzoom anyway.</summary>
    public const int MaxZoom = 24;

    /// <summary>Half the width of the world in EPSG:3857 metres.</summary>
    private const double HalfWorld = 20037508.3427892;

    // The standardised rendering pixel of WMTS and 2D TMS: 0.28 mm.
    private const double PixelSize = 0.00028;

    public static TileMatrixSet Definition { get; } = new(Id, "Google Maps Compatible for the World", Uri, Crs, ["X", "Y"],
        "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        [.. Enumerable.Range(0, MaxZoom + 1).Select(z =>
        {
            var cellSize = 2 * HalfWorld / 256 / Math.Pow(2, z);
            return new TileMatrix($"{z}", cellSize / PixelSize, cellSize, "topLeft", [-HalfWorld, HalfWorld], 256, 256, 1L << z, 1L << z);
        })]);

    /// <summary>Whether a tile is in the set: a zoom of the set, and a row and column within its matrix.</summary>
    public static bool Contains(int zoom, int row, int column) =>
        zoom is >= 0 and <= MaxZoom && row >= 0 && column >= 0 && row < 1L << zoom && column < 1L << zoom;

    /// <summary>A tile's bounds in longitude/latitude, widened by <paramref name="margin"/> (a share of the tile's width) on every side.</summary>
    public static Envelope LonLatBounds(int zoom, int row, int column, double margin = 0)
    {
        var n = Math.Pow(2, zoom);
        static double Latitude(double y, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
        return new Envelope((column - margin) / n * 360 - 180, (column + 1 + margin) / n * 360 - 180,
            Latitude(row + 1 + margin, n), Latitude(row - margin, n));
    }
}
