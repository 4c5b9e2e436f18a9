using System.Globalization;
using System.Text.RegularExpressions;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// A coordinate reference system features can be served in, written in and filtered by (OGC API – Features Part 2).
/// Coordinates follow the system's official axis order: EPSG:4326 and JGD2011 (6668) are latitude first, the plane
/// rectangular zones northing (X) first; CRS84 and Web Mercator are east first. Storage is lon/lat (EPSG:4326 as
/// PostGIS holds it, i.e. CRS84 order), and PostGIS does every transformation.
/// </summary>
/// <param name="NorthFirst">the first coordinate is the northing or latitude</param>
public sealed record CrsReference(string Uri, int Srid, bool NorthFirst, string Name)
{
    /// <summary>The Content-Crs header: the URI in angle brackets.</summary>
    public string Header => $"<{Uri}>";

    public bool IsStorage => Uri == CrsReferences.Crs84;

    /// <summary>
    /// SQL for a stored geometry (an expression in EPSG:4326, lon/lat) in this system, in its axis order. Rings go the way
    /// RFC 7946 has them in CRS84 (exterior counter-clockwise in lon/lat), so every system lists a ring's vertices in the
    /// same order; the writer leaves them so (<see cref="Http.Json.GeoJsonRingsAsGiven"/>).
    /// </summary>
    public string FromStorage(string geometry) =>
        IsStorage ? geometry
        : NorthFirst ? $"ST_FlipCoordinates(ST_Transform(ST_ForcePolygonCCW({geometry}), {Srid}))"
        : $"ST_Transform(ST_ForcePolygonCCW({geometry}), {Srid})";

    /// <summary>
    /// What is wrong with a position given in this system, in its axis order; null when PostGIS can transform it. A plane
    /// zone covers a few hundred kilometres, so ±2,000 km is generous; Web Mercator ends at ±20,037,508 m.
    /// </summary>
    public string? Outside(double first, double second)
    {
        if (!double.IsFinite(first) || !double.IsFinite(second)) return "a coordinate is not a finite number";
        var (limit1, limit2, what) = (Srid, NorthFirst) switch
        {
            (4326 or 6668, false) => (180.0, 90.0, "longitude within ±180 and latitude within ±90"),
            (4326 or 6668, true) => (90.0, 180.0, "latitude within ±90 and longitude within ±180"),
            (3857, _) => (20_037_508.3428, 20_037_508.3428, "x and y within ±20,037,508 m"),
            _ => (2_000_000.0, 2_000_000.0, "X and Y within ±2,000 km of the zone's origin"),
        };
        return Math.Abs(first) <= limit1 && Math.Abs(second) <= limit2 ? null : $"({first}, {second}) is not in {Name}: it takes {what}";
    }

    /// <summary>SQL for a geometry whose coordinates are in this system and its axis order (an expression without SRID) in storage.</summary>
    public string ToStorage(string geometry) =>
        IsStorage ? $"ST_SetSRID({geometry}, 4326)"
        : NorthFirst ? $"ST_Transform(ST_FlipCoordinates(ST_SetSRID({geometry}, {Srid})), 4326)"
        : $"ST_Transform(ST_SetSRID({geometry}, {Srid}), 4326)";
}

public static partial class CrsReferences
{
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    public static readonly CrsReference Storage = new(Crs84, 4326, false, "WGS 84 longitude/latitude (CRS84)");

    private const string Epsg = "http://www.opengis.net/def/crs/EPSG/0/";

    /// <summary>
    /// The systems offered for every register: lon/lat, EPSG:4326 (lat/lon), JGD2011 (lat/lon), the 19 zones of the
    /// Japan Plane Rectangular CS on JGD2011 (where lengths and areas are true in a city), and Web Mercator.
    /// </summary>
    public static readonly IReadOnlyList<CrsReference> Offered =
    [
        Storage,
        new($"{Epsg}4326", 4326, true, "WGS 84 latitude/longitude (EPSG:4326)"),
        new($"{Epsg}6668", 6668, true, "JGD2011 latitude/longitude (EPSG:6668)"),
        .. Enumerable.Range(1, 19).Select(zone => new CrsReference($"{Epsg}{6668 + zone}", 6668 + zone, true,
            $"JGD2011 / Japan Plane Rectangular CS zone {zone} (EPSG:{6668 + zone}), X northing then Y easting")),
        new($"{Epsg}3857", 3857, false, "WGS 84 / Pseudo-Mercator (EPSG:3857)"),
    ];

    public static IReadOnlyList<string> OfferedUris { get; } = [.. Offered.Select(c => c.Uri)];

    /// <summary>
    /// A system by the ways clients write one: its URI (also in angle brackets, as a Content-Crs header), a safe CURIE
    /// <c>[EPSG:6677]</c>, <c>EPSG:6677</c>, <c>urn:ogc:def:crs:EPSG::6677</c>, or <c>CRS84</c>; null when it is not offered.
    /// </summary>
    public static CrsReference? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var given = text.Trim().TrimStart('<', '[').TrimEnd('>', ']');
        if (given.Equals(Crs84, StringComparison.OrdinalIgnoreCase) || given.Equals("CRS84", StringComparison.OrdinalIgnoreCase)
            || given.Equals("OGC:CRS84", StringComparison.OrdinalIgnoreCase) || given.Equals("urn:ogc:def:crs:OGC:1.3:CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return Storage;
        }
        if (EpsgCode().Match(given) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return null;
        return Offered.FirstOrDefault(c => c.Srid == code && !c.IsStorage);
    }

    /// <summary>The sentence a client gets for a system that is not offered.</summary>
    public static string NotOffered(string parameter, string given) =>
        $"{parameter}={given} is not a coordinate system this service offers. Use one of the collection's \"crs\" URIs: CRS84 ({Crs84}), "
        + $"{Epsg}4326, {Epsg}6668, {Epsg}6669 to {Epsg}6687 (the plane rectangular zones I–XIX) or {Epsg}3857.";

    [GeneratedRegex(@"^(?:http://www\.opengis\.net/def/crs/EPSG/0/|urn:ogc:def:crs:EPSG:[\d.]*:|EPSG:)(\d{4,5})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();
}
