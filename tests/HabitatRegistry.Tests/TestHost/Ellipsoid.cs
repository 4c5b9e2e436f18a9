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

    /// <summary>Length in m of the meridian arc between two latitudes (Simpson's rule on the radius of curvature).</summary>
    public static double MeridianArc(double fromLatitude, double toLatitude)
    {
        const int steps = 1000;
        double Radius(double degrees)
        {
            var s = Math.Sin(degrees * Math.PI / 180);
            return A * (1 - E2) / Math.Pow(1 - E2 * s * s, 1.5);
        }
        var h = (toLatitude - fromLatitude) / steps;
        var sum = Radius(fromLatitude) + Radius(toLatitude);
        for (var i = 1; i < steps; i++) sum += (i % 2 == 1 ? 4 : 2) * Radius(fromLatitude + i * h);
        return Math.Abs(sum * h / 3 * Math.PI / 180);
    }

    private static double Zone(double latitudeDegrees)
    {
        var s = Math.Sin(latitudeDegrees * Math.PI / 180);
        return s / (2 * (1 - E2 * s * s)) + Math.Log((1 + E * s) / (1 - E * s)) / (4 * E);
    }
}
