using NetTopologySuite.Geometries;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// The geometry literals of CQL2 text (Well-Known Text as the CQL2 BNF defines it, and BBOX), read from the same tokens
/// as the rest of the filter into NetTopologySuite geometries with coordinates as written.
/// </summary>
internal static class WktParser
{
    internal static readonly GeometryFactory Factory = new();

    private static readonly TokenListParser<Cql2Token, Token<Cql2Token>> Comma = Token.EqualTo(Cql2Token.Comma);

    /// <summary>A signed number.</summary>
    public static readonly TokenListParser<Cql2Token, double> Ordinate =
        from sign in Token.EqualTo(Cql2Token.Minus).Or(Token.EqualTo(Cql2Token.Plus)).OptionalOrDefault()
        from number in Token.EqualTo(Cql2Token.Number)
        select Finite(number, sign.HasValue && sign.Kind == Cql2Token.Minus);

    private static readonly TokenListParser<Cql2Token, Coordinate> Point =
        from x in Ordinate
        from y in Ordinate
        from z in Ordinate.Select(v => (double?)v).OptionalOrDefault()
        select z is { } height ? new CoordinateZ(x, y, height) : new Coordinate(x, y);

    private static TokenListParser<Cql2Token, T[]> List<T>(TokenListParser<Cql2Token, T> item) =>
        item.AtLeastOnceDelimitedBy(Comma).Between(Token.EqualTo(Cql2Token.LeftParen), Token.EqualTo(Cql2Token.RightParen));

    private static readonly TokenListParser<Cql2Token, Coordinate> PointText =
        Point.Between(Token.EqualTo(Cql2Token.LeftParen), Token.EqualTo(Cql2Token.RightParen));

    // The Z of POINT Z (…): a name, or a "function" since a parenthesis follows it.
    private static readonly TokenListParser<Cql2Token, Token<Cql2Token>> ThirdDimension =
        Token.EqualToValueIgnoreCase(Cql2Token.Name, "Z").Or(Token.EqualToValueIgnoreCase(Cql2Token.Function, "Z"));

    // Points in parentheses, with where they start for the messages about too few of them.
    private static readonly TokenListParser<Cql2Token, (int At, Coordinate[] Points)> PointList =
        from open in Token.EqualTo(Cql2Token.LeftParen)
        from points in Point.AtLeastOnceDelimitedBy(Comma)
        from close in Token.EqualTo(Cql2Token.RightParen)
        select (open.Position.Absolute, points);

    /// <summary>POINT(…), POLYGON Z (…), GEOMETRYCOLLECTION(…) …: a token of kind <see cref="Cql2Token.GeometryTag"/> and what follows.</summary>
    public static TokenListParser<Cql2Token, GeometryLiteral> Geometry { get; } =
        from tag in Token.EqualTo(Cql2Token.GeometryTag)
        from z in ThirdDimension.OptionalOrDefault()
        from geometry in Body(tag)
        select new GeometryLiteral(tag.Position.Absolute, geometry);

    private static TokenListParser<Cql2Token, Geometry> Body(Token<Cql2Token> tag) => tag.ToStringValue().ToUpperInvariant() switch
    {
        "POINT" => PointText.Select(p => (Geometry)Factory.CreatePoint(p)),
        "LINESTRING" => PointList.Select(l => (Geometry)Line(l)),
        "POLYGON" => List(PointList).Select(rings => (Geometry)Polygon(rings)),
        // The BNF writes MULTIPOINT((1 2), (3 4)); MULTIPOINT(1 2, 3 4) is common WKT too.
        "MULTIPOINT" => List(PointText.Or(Point)).Select(points => (Geometry)Factory.CreateMultiPointFromCoords(points)),
        "MULTILINESTRING" => List(PointList).Select(lines => (Geometry)Factory.CreateMultiLineString([.. lines.Select(Line)])),
        "MULTIPOLYGON" => List(List(PointList)).Select(polygons => (Geometry)Factory.CreateMultiPolygon([.. polygons.Select(Polygon)])),
        _ => List(Geometry.Select(part => part.Geometry)).Select(parts => (Geometry)Factory.CreateGeometryCollection(parts)),
    };

    /// <summary>A line of two points or more; <paramref name="line"/>.At is where it is written, for the message.</summary>
    internal static LineString Line((int At, Coordinate[] Points) line) => line.Points.Length >= 2
        ? Factory.CreateLineString(line.Points)
        : throw Cql2Exception.At(line.At, "a line needs at least two points");

    /// <summary>A polygon of closed rings of four points or more, the shell first.</summary>
    internal static Polygon Polygon((int At, Coordinate[] Points)[] rings) =>
        Factory.CreatePolygon(Ring(rings[0]), [.. rings.Skip(1).Select(Ring)]);

    private static LinearRing Ring((int At, Coordinate[] Points) ring)
    {
        if (ring.Points.Length < 4) throw Cql2Exception.At(ring.At, "a polygon's ring needs at least four points, the last the same as the first");
        if (!ring.Points[0].Equals2D(ring.Points[^1]))
        {
            throw Cql2Exception.At(ring.At, "a polygon's ring must end at the point it starts from");
        }
        return Factory.CreateLinearRing(ring.Points);
    }

    /// <summary>BBOX(west, south, east, north) or BBOX(west, south, bottom, east, north, top) after the function name.</summary>
    public static TokenListParser<Cql2Token, Geometry> BboxArguments(int at) =>
        List(Ordinate).Select(numbers => Bbox(at, numbers));

    /// <summary>The box of 4 or 6 numbers; west of east means across the antimeridian.</summary>
    internal static Geometry Bbox(int at, double[] numbers)
    {
        var (west, south, east, north) = numbers.Length switch
        {
            4 => (numbers[0], numbers[1], numbers[2], numbers[3]),
            6 => (numbers[0], numbers[1], numbers[3], numbers[4]),
            _ => throw Cql2Exception.At(at, $"BBOX takes 4 numbers (west, south, east, north) or 6 with heights, not {numbers.Length}"),
        };
        if (south > north) throw Cql2Exception.At(at, $"the BBOX's southern edge ({south}) is north of its northern edge ({north})");
        if (west <= east) return Factory.ToGeometry(new Envelope(west, east, south, north));
        // West of east: the box crosses the antimeridian (CQL2's reading), so it is the two boxes either side of it.
        return Factory.CreateMultiPolygon(
        [
            (Polygon)Factory.ToGeometry(new Envelope(west, 180, south, north)),
            (Polygon)Factory.ToGeometry(new Envelope(-180, east, south, north)),
        ]);
    }

    private static double Finite(Token<Cql2Token> number, bool negative) =>
        Cql2Literals.Number(number.ToStringValue()) is { } value
            ? (negative ? -1 : 1) * Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw Cql2Exception.At(number.Position.Absolute, $"{number.ToStringValue()} is too large for a coordinate");
}
