using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace HabitatRegistry.Analysis.Geometry;

/// <summary>How to read a record's geometry: the boundary of land, or where an activity happened.</summary>
/// <param name="ToLonLat">Converts file coordinates to lon/lat; null when the file is already lon/lat.</param>
/// <param name="Repair">Close unclosed rings and fix invalid polygons instead of rejecting them.</param>
/// <param name="PointOrNone">Also accept a Point, or no geometry at all (for records of where something happened).</param>
public sealed record PolygonReadOptions(Func<double, double, (double Lon, double Lat)>? ToLonLat = null, bool Repair = false, bool PointOrNone = false);

/// <summary>The outcome of reading one geometry: what can be stored, or the reasons it cannot.</summary>
public sealed class PolygonReadResult
{
    /// <summary>A MultiPolygon; or a Point, or null, when the options allow them.</summary>
    public NetTopologySuite.Geometries.Geometry? Geometry { get; internal set; }

    /// <summary>Why the geometry cannot be stored, in words a planner can act on.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>What was changed on the way in (Z dropped, rings closed, repairs).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>A coordinate outside lon/lat ranges, when the file looks projected.</summary>
    public (double X, double Y)? OutOfRange { get; internal set; }
}

/// <summary>
/// Reads GeoJSON Polygon/MultiPolygon geometries into lon/lat MultiPolygons with SRID 4326, checking them
/// the way a planner needs: which ring, which point, and what to do about it. Generic GeoJSON readers stop
/// at the first exception with a parser's message; this one reports every problem of every feature.
/// </summary>
public static class PolygonReader
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static PolygonReadResult Read(JsonElement geometry, PolygonReadOptions options)
    {
        var result = new PolygonReadResult();
        if (geometry.ValueKind != JsonValueKind.Object)
        {
            if (!options.PointOrNone) result.Problems.Add("it has no geometry");
            return result;
        }
        var type = geometry.TryGetProperty("type", out var t) ? Text.ClientText.StringOf(t) : null;
        var allowed = options.PointOrNone
            ? "only a Point, Polygon or MultiPolygon (or none) can be recorded"
            : "only a Polygon or MultiPolygon (the land's boundary) can be recorded";
        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            result.Problems.Add(type is "GeometryCollection"
                ? $"its geometry is a GeometryCollection; {allowed}"
                : "its geometry has no \"coordinates\" array");
            return result;
        }
        var reader = new Reader(options, result);
        if (type == "Point" && options.PointOrNone)
        {
            result.Geometry = reader.Point(coordinates);
            return result;
        }
        var polygons = type switch
        {
            "Polygon" => reader.Polygon(coordinates, null) is { } p ? [p] : [],
            "MultiPolygon" => coordinates.EnumerateArray().Select((c, i) => reader.Polygon(c, i + 1)).ToList(),
            _ => null,
        };
        if (polygons is null)
        {
            result.Problems.Add($"its geometry is a {type ?? "geometry without a type"}; {allowed}");
            return result;
        }
        if (result.Problems.Count > 0 || result.OutOfRange is not null) return result;
        if (polygons.Count == 0 || polygons.Any(p => p is null))
        {
            result.Problems.Add("its geometry is empty");
            return result;
        }
        var multi = Factory.CreateMultiPolygon(polygons.Select(p => p!).ToArray());
        // Land in a city is small: a shape that spans degrees is a slip (or the whole world, whose edges PostGIS cannot even measure).
        var extent = multi.EnvelopeInternal;
        if (extent.Width > MaxSpanDegrees || extent.Height > MaxSpanDegrees)
        {
            result.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"its boundary spans {extent.Width:0.##}° of longitude by {extent.Height:0.##}° of latitude, far more than a parcel or a habitat patch; check its coordinates"));
            return result;
        }
        result.Geometry = CheckValidity(multi, options.Repair, result) is { } valid ? WithRfc7946Winding(valid) : null;
        if (result.Geometry is { } land && ApproximateSquareMetres(land) is var area and < MinSquareMetres)
        {
            // Also a guard for PostGIS, whose ellipsoidal area of a sliver of a few square millimetres can come out negative.
            result.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"its area is about {area:0.######} m², too small for a parcel or a habitat patch; check its coordinates and the coordinate system they are in"));
            result.Geometry = null;
        }
        return result;
    }

    /// <summary>The least area a polygon may have: a square metre. Anything smaller is a slip, such as lon/lat read as metres.</summary>
    public const double MinSquareMetres = 1;

    // Good to a few per cent for a parcel-sized polygon: enough to tell land from a slip.
    private static double ApproximateSquareMetres(NetTopologySuite.Geometries.Geometry lonLat)
    {
        const double metresPerDegree = 111_320;
        return lonLat.Area * metresPerDegree * metresPerDegree * Math.Cos(lonLat.EnvelopeInternal.Centre.Y * Math.PI / 180);
    }

    /// <summary>The most a polygon may span, in degrees of longitude or latitude (about 500 km): more than any city's land.</summary>
    public const double MaxSpanDegrees = 5;

    /// <summary>Outer rings counterclockwise, holes clockwise (RFC 7946), so identical land is stored identically.</summary>
    public static MultiPolygon WithRfc7946Winding(MultiPolygon multi)
    {
        static LinearRing Orient(LinearRing ring, bool ccw) =>
            Orientation.IsCCW(ring.CoordinateSequence) == ccw ? ring : (LinearRing)ring.Reverse();
        var polygons = multi.Geometries.Cast<Polygon>()
            .Select(p => Factory.CreatePolygon(Orient(p.Shell, true), p.Holes.Select(h => Orient(h, false)).ToArray()))
            .ToArray();
        return Factory.CreateMultiPolygon(polygons);
    }

    private static MultiPolygon? CheckValidity(MultiPolygon multi, bool repair, PolygonReadResult result)
    {
        var error = new IsValidOp(multi).ValidationError;
        if (error is null) return multi;
        var where = error.Coordinate is { } c ? $" near {Position(c.X, c.Y)}" : "";
        var what = Describe(error.ErrorType);
        if (!repair)
        {
            result.Problems.Add($"its boundary is invalid: {what}{where}. Fix it in your GIS, or upload again with ?repair=true to have it fixed");
            return null;
        }
        var fixedGeometry = GeometryFixer.Fix(multi);
        var parts = PolygonExtracter.GetPolygons(fixedGeometry).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        if (parts.Length == 0)
        {
            result.Problems.Add($"its boundary is invalid ({what}{where}) and nothing of it is left once fixed");
            return null;
        }
        var repaired = Factory.CreateMultiPolygon(parts);
        var change = multi.Area > 0 ? (repaired.Area - multi.Area) / multi.Area * 100 : 0;
        result.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"repaired: {what}{where}; now {parts.Length} part(s), area changed by {change:+0.00;-0.00;0.00} %"));
        return repaired;
    }

    private static string Describe(TopologyValidationErrors type) => type switch
    {
        TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => "the boundary crosses itself",
        TopologyValidationErrors.HoleOutsideShell => "a hole lies outside its polygon",
        TopologyValidationErrors.NestedHoles => "a hole lies inside another hole",
        TopologyValidationErrors.DisconnectedInteriors => "holes cut the polygon into pieces",
        TopologyValidationErrors.NestedShells => "one part of the multipolygon lies inside another",
        TopologyValidationErrors.DuplicateRings => "a ring is repeated",
        TopologyValidationErrors.TooFewPoints => "a ring has too few distinct points",
        TopologyValidationErrors.RingNotClosed => "a ring is not closed",
        TopologyValidationErrors.InvalidCoordinate => "a coordinate is not a number",
        _ => "the polygon is not valid",
    };

    internal static string Position(double lon, double lat) =>
        string.Create(CultureInfo.InvariantCulture, $"{lon:0.######}, {lat:0.######} (lon, lat)");

    private sealed class Reader(PolygonReadOptions options, PolygonReadResult result)
    {
        private bool zDropped;

        public Point? Point(JsonElement position)
        {
            if (!TryPosition(position, out var x, out var y))
            {
                result.Problems.Add($"its point is not [longitude, latitude]: {Shorten(position.GetRawText())}");
                return null;
            }
            if (options.ToLonLat is null && (Math.Abs(x) > 180 || Math.Abs(y) > 90))
            {
                result.OutOfRange ??= (x, y);
                return null;
            }
            var (lon, lat) = options.ToLonLat is null ? (x, y) : options.ToLonLat(x, y);
            return Factory.CreatePoint(new Coordinate(lon, lat));
        }

        public Polygon? Polygon(JsonElement rings, int? part)
        {
            var label = part is null ? "" : $" of part {part}";
            if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
            {
                result.Problems.Add($"polygon{label} has no rings");
                return null;
            }
            var built = new List<LinearRing>();
            var index = 0;
            foreach (var ring in rings.EnumerateArray())
            {
                index++;
                var name = (index == 1 ? "the outer ring" : $"hole {index - 1}") + label;
                if (Ring(ring, name) is { } r) built.Add(r);
            }
            if (built.Count != rings.GetArrayLength()) return null;
            return Factory.CreatePolygon(built[0], built.Skip(1).ToArray());
        }

        private LinearRing? Ring(JsonElement ring, string name)
        {
            if (ring.ValueKind != JsonValueKind.Array)
            {
                result.Problems.Add($"{name} is not a list of positions");
                return null;
            }
            var coordinates = new List<Coordinate>(ring.GetArrayLength() + 1);
            foreach (var position in ring.EnumerateArray())
            {
                if (!TryPosition(position, out var x, out var y))
                {
                    result.Problems.Add($"{name} has a position that is not [longitude, latitude]: {Shorten(position.GetRawText())}");
                    return null;
                }
                if (options.ToLonLat is null && (Math.Abs(x) > 180 || Math.Abs(y) > 90))
                {
                    result.OutOfRange ??= (x, y);
                    return null;
                }
                var (lon, lat) = options.ToLonLat is null ? (x, y) : options.ToLonLat(x, y);
                coordinates.Add(new Coordinate(lon, lat));
            }
            if (coordinates.Count > 0 && !coordinates[0].Equals2D(coordinates[^1]))
            {
                if (options.Repair)
                {
                    coordinates.Add(coordinates[0].Copy());
                    result.Notes.Add($"{name} was not closed; closed it by repeating its first point");
                }
                else
                {
                    result.Problems.Add($"{name} is not closed: it starts at {Position(coordinates[0].X, coordinates[0].Y)} but ends at "
                        + $"{Position(coordinates[^1].X, coordinates[^1].Y)}; the last position must repeat the first");
                    return null;
                }
            }
            if (coordinates.Count < 4)
            {
                result.Problems.Add($"{name} has only {coordinates.Count} positions; a ring needs at least 4 (three corners and the closing point)");
                return null;
            }
            return Factory.CreateLinearRing(coordinates.ToArray());
        }

        private bool TryPosition(JsonElement position, out double x, out double y)
        {
            x = y = double.NaN;
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2) return false;
            var values = position.EnumerateArray().ToList();
            if (values.Take(2).Any(v => v.ValueKind != JsonValueKind.Number)) return false;
            x = values[0].GetDouble();
            y = values[1].GetDouble();
            if (values.Count > 2 && !zDropped)
            {
                zDropped = true;
                result.Notes.Add("heights (Z values) were dropped: the registry keeps 2D boundaries");
            }
            return double.IsFinite(x) && double.IsFinite(y);
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
