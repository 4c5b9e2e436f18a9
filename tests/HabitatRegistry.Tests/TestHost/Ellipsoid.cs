namespace HabitatRegistry.Tests.TestHost;

/// <summary>
/// Independent reference areas on the GRS80 ellipsoid, from the closed form of the area between two
/// parallels (authalic latitude), so tests do not check PostGIS against itself.
/// </summary>
public static class Ellipsoid
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257222101;
    private static readonly double E2 = F * (2 - F);
    private static readonly double E = Math.Sqrt(E2);
    private static readonly double B = A * (1 - F);

    /// <summary>Area in m² of the quadrangle between two meridians and two parallels.</summary>
    public static double QuadrangleArea(double west, double south, double east, double north) =>
        (east - west) * Math.PI / 180 * B * B * (Zone(north) - Zone(south));

    private static double Zone(double latitudeDegrees)
    {
        var s = Math.Sin(latitudeDegrees * Math.PI / 180);
        return s / (2 * (1 - E2 * s * s)) + Math.Log((1 + E * s) / (1 - E * s)) / (4 * E);
    }
}
