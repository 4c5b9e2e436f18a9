using System.Globalization;
using System.Text.RegularExpressions;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace HabitatRegistry.Analysis.Geometry;

/// <summary>A coordinate reference system that uploads may be in, with the way back to lon/lat.</summary>
public sealed record KnownCrs(int Epsg, string Name, bool IsGeographic, string? Wkt)
{
    public string Code => $"EPSG:{Epsg}";

    /// <summary>Converts (x, y) in this system to (longitude, latitude) in degrees.</summary>
    public Func<double, double, (double Lon, double Lat)> ToLonLat()
    {
        if (IsGeographic || Wkt is null) return (x, y) => (x, y);
        var source = new CoordinateSystemFactory().CreateFromWkt(Wkt);
        var transform = new CoordinateTransformationFactory()
            .CreateFromCoordinateSystems(source, CoordinateSystems.LonLat.Value).MathTransform;
        return (x, y) => transform.Transform(x, y);
    }
}

/// <summary>
/// The coordinate systems Japanese planners' files come in: JGD2011/JGD2000 lon/lat, the 19 zones of the
/// Japan Plane Rectangular CS, and UTM zones 51–56. JGD2011 and WGS 84 differ by centimetres, so they
/// are treated as one datum. Built from the zones' published parameters, so no EPSG database is needed.
/// </summary>
public static partial class CoordinateSystems
{
    // Origins of the Japan Plane Rectangular CS zones I–XIX: latitude, longitude (degrees, minutes).
    private static readonly (double Lat, int LonDeg, int LonMin)[] PlaneZoneOrigins =
    [
        (33, 129, 30), (33, 131, 0), (36, 132, 10), (33, 133, 30), (36, 134, 20), (36, 136, 0),
        (36, 137, 10), (36, 138, 30), (36, 139, 50), (40, 140, 50), (44, 140, 15), (44, 142, 15),
        (44, 144, 15), (26, 142, 0), (26, 127, 30), (26, 124, 0), (26, 131, 0), (20, 136, 0), (26, 154, 0),
    ];

    private static readonly string[] Roman =
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"];

    private static readonly Dictionary<int, KnownCrs> Catalogue = Build();

    // Lon/lat on the same GRS80 datum as the projected systems, so no datum shift is applied.
    internal static readonly Lazy<CoordinateSystem> LonLat = new(() => new CoordinateSystemFactory().CreateFromWkt(
        """GEOGCS["JGD2011",DATUM["JGD2011",SPHEROID["GRS 1980",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"""));

    /// <summary>Every system an upload may name.</summary>
    public static IEnumerable<KnownCrs> All => Catalogue.Values.OrderBy(c => c.Epsg);

    /// <summary>JGD2011 / Japan Plane Rectangular CS zone (1–19).</summary>
    public static KnownCrs PlaneRectangularZone(int zone) => Catalogue[6668 + zone];

    /// <summary>
    /// Finds a system by the ways people write it: <c>EPSG:6677</c>, <c>6677</c>,
    /// <c>urn:ogc:def:crs:EPSG::6677</c>, <c>http://www.opengis.net/def/crs/EPSG/0/6677</c>, <c>CRS84</c>.
    /// </summary>
    public static KnownCrs? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var text = code.Trim();
        if (text.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase)) return Catalogue[4326];
        var match = EpsgCode().Match(text);
        return match.Success && Catalogue.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out var crs)
            ? crs : null;
    }

    /// <summary>
    /// Recognises the system a shapefile's .prj (ESRI or OGC WKT) describes: by its EPSG authority when it
    /// has one, else by the names ArcGIS and QGIS give the Japanese zones, UTM zones and lon/lat systems.
    /// </summary>
    public static KnownCrs? FromWkt(string? wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt)) return null;
        var text = wkt.Trim();
        if (TopLevelAuthority().Match(text) is { Success: true } authority && Find(authority.Groups[1].Value) is { } byCode) return byCode;
        if (WktName().Match(text) is not { Success: true } named) return null;
        var name = named.Groups[2].Value.Replace('_', ' ');
        var jgd2000 = name.Contains("JGD 2000", StringComparison.OrdinalIgnoreCase) || name.Contains("JGD2000", StringComparison.OrdinalIgnoreCase);
        if (named.Groups[1].Value == "GEOGCS")
        {
            return Catalogue[jgd2000 ? 4612 : name.Contains("JGD", StringComparison.OrdinalIgnoreCase) ? 6668 : 4326];
        }
        if (JapanZone().Match(name) is { Success: true } zone)
        {
            var number = zone.Groups[1].Success ? int.Parse(zone.Groups[1].Value, CultureInfo.InvariantCulture) : Array.IndexOf(Roman, zone.Groups[2].Value) + 1;
            if (number is >= 1 and <= 19) return Catalogue[(jgd2000 ? 2442 : 6668) + number];
        }
        if (UtmZone().Match(name) is { Success: true } utm)
        {
            var number = int.Parse(utm.Groups[1].Value, CultureInfo.InvariantCulture);
            var epsg = name.Contains("JGD", StringComparison.OrdinalIgnoreCase) ? 6637 + number : 32600 + number;
            return Catalogue.GetValueOrDefault(epsg);
        }
        return null;
    }

    /// <summary>
    /// Names the system that coordinates outside lon/lat ranges are most likely in. The city's own plane
    /// zone is preferred when it puts the point near the city; otherwise the guess is less specific.
    /// </summary>
    public static string DescribeLikelyCrs(double x, double y, CityHint city)
    {
        var home = Find($"EPSG:{city.PlaneZoneEpsg}");
        if (Math.Abs(x) < 400_000 && Math.Abs(y) < 700_000 && home is { IsGeographic: false })
        {
            var (lon, lat) = home.ToLonLat()(x, y);
            if (DistanceKm(lon, lat, city.Longitude, city.Latitude) < 100)
            {
                return $"{home.Name} ({home.Code}), which puts it at {lon:F4}° E, {lat:F4}° N, near {city.Name}. "
                    + $"Upload it again with ?crs={home.Code} and it will be reprojected on import";
            }
            return "one of the Japan Plane Rectangular CS zones (EPSG:6669 for zone I … EPSG:6687 for zone XIX). "
                + "Upload it again with ?crs=EPSG:66xx naming the zone it was drawn in";
        }
        if (x is > 100_000 and < 900_000 && y is > 2_000_000 and < 5_500_000)
        {
            var zone = (int)Math.Floor((city.Longitude + 180) / 6) + 1;
            var utm = Catalogue[6637 + zone];
            return $"{utm.Name} ({utm.Code}) or a neighbouring UTM zone. Upload it again with ?crs={utm.Code} if so";
        }
        return "a projected system we cannot recognise. Export it from your GIS as longitude/latitude "
            + "(EPSG:4326 or JGD2011 EPSG:6668), or pass ?crs=EPSG:xxxx";
    }

    private static double DistanceKm(double lon1, double lat1, double lon2, double lat2)
    {
        var dx = (lon1 - lon2) * Math.Cos((lat1 + lat2) / 2 * Math.PI / 180) * 111.32;
        var dy = (lat1 - lat2) * 110.57;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static Dictionary<int, KnownCrs> Build()
    {
        var list = new List<KnownCrs>
        {
            new(4326, "WGS 84 (longitude, latitude)", true, null),
            new(6668, "JGD2011 (longitude, latitude)", true, null),
            new(4612, "JGD2000 (longitude, latitude)", true, null),
        };
        for (var i = 0; i < PlaneZoneOrigins.Length; i++)
        {
            var (lat, deg, min) = PlaneZoneOrigins[i];
            var lon0 = deg + min / 60.0;
            list.Add(new(6669 + i, $"JGD2011 / Japan Plane Rectangular CS {Roman[i]}", false, TransverseMercator("JGD2011", lat, lon0, 0.9999, 0)));
            list.Add(new(2443 + i, $"JGD2000 / Japan Plane Rectangular CS {Roman[i]}", false, TransverseMercator("JGD2000", lat, lon0, 0.9999, 0)));
        }
        for (var zone = 51; zone <= 56; zone++)
        {
            var lon0 = -183 + 6 * zone;
            if (zone <= 55) list.Add(new(6637 + zone, $"JGD2011 / UTM zone {zone}N", false, TransverseMercator("JGD2011", 0, lon0, 0.9996, 500_000)));
            list.Add(new(32600 + zone, $"WGS 84 / UTM zone {zone}N", false, TransverseMercator("WGS 84", 0, lon0, 0.9996, 500_000)));
        }
        return list.ToDictionary(c => c.Epsg);
    }

    private static string TransverseMercator(string datum, double lat0, double lon0, double scale, double falseEasting) =>
        string.Create(CultureInfo.InvariantCulture,
            $"""
            PROJCS["{datum} TM",GEOGCS["{datum}",DATUM["{datum}",SPHEROID["GRS 1980",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",{lat0}],PARAMETER["central_meridian",{lon0:R}],PARAMETER["scale_factor",{scale}],PARAMETER["false_easting",{falseEasting}],PARAMETER["false_northing",0],UNIT["metre",1]]
            """);

    [GeneratedRegex(@"AUTHORITY\[""EPSG"",\s*""(\d+)""\]\s*\]$")]
    private static partial Regex TopLevelAuthority();

    [GeneratedRegex(@"^(PROJCS|GEOGCS)\[""([^""]+)""")]
    private static partial Regex WktName();

    [GeneratedRegex(@"Japan (?:Zone (\d+)|Plane Rectangular CS ([IVX]+))\b", RegexOptions.IgnoreCase)]
    private static partial Regex JapanZone();

    [GeneratedRegex(@"UTM Zone (\d+)N", RegexOptions.IgnoreCase)]
    private static partial Regex UtmZone();

    [GeneratedRegex(@"(?:^|EPSG(?:\D+0)?\D*)(\d{4,5})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();
}

/// <summary>Where the registry's city is, to tell which coordinate system an unlabelled file was drawn in.</summary>
public sealed record CityHint(string Name, double Longitude, double Latitude, int PlaneZoneEpsg);
