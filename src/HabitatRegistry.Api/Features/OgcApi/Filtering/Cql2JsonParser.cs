using System.Text.Json;
using HabitatRegistry.Analysis.Text;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// Reads CQL2 JSON (the schema cql2.json of OGC 21-065r2) into the same <see cref="Cql2Expression"/> as CQL2 text, so
/// one translation serves both. JSON has no character positions: errors name the place by its path in the document
/// (args[1].args[0]), and the nodes carry position -1. Operator names are read ignoring case ("isNull", "t_metBy").
/// </summary>
public static class Cql2JsonParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4 * Cql2Parser.MaxDepth };

    private const int None = -1;

    /// <summary>The filter, or a <see cref="Cql2Exception"/> saying where in the document it stops making sense.</summary>
    public static Cql2Expression Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > Cql2Parser.MaxLength) throw new Cql2Exception($"The filter is {json.Length:N0} characters long; at most {Cql2Parser.MaxLength:N0} are read.");
        // Before JsonDocument, which cannot take half a surrogate pair.
        if (ClientText.Problem(json, Cql2Parser.MaxLength) is { } problem) throw new Cql2Exception($"The filter {problem}.");
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            return Read(document.RootElement, "the filter");
        }
        catch (JsonException e)
        {
            throw new Cql2Exception($"The filter is not JSON: {e.Message}", e);
        }
    }

    private static Cql2Exception Error(string path, string problem) => new($"At {path}: {problem}.");

    private static Cql2Expression Read(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => new Literal(None, Text(value, path)),
        JsonValueKind.Number => new Literal(None, Cql2Literals.Number(value.GetRawText()) ?? throw Error(path, $"{value.GetRawText()} is too large a number")),
        JsonValueKind.True => new Literal(None, true),
        JsonValueKind.False => new Literal(None, false),
        JsonValueKind.Object => Object(value, path),
        JsonValueKind.Array => throw Error(path, "a list stands only as the second argument of \"in\""),
        _ => throw Error(path, "null is not a value in CQL2; test for it with {\"op\": \"isNull\", \"args\": [...]}"),
    };

    private static string Text(JsonElement value, string path) =>
        ClientText.StringOf(value) is { } text && ClientText.Problem(text, Cql2Parser.MaxLength) is null ? text
            : throw Error(path, "the text holds a NUL, a control or a broken character");

    private static Cql2Expression Object(JsonElement value, string path)
    {
        if (value.TryGetProperty("op", out var op)) return Operation(op, value, path);
        if (value.TryGetProperty("property", out var property)) return new Property(None, Text(property, $"{path}.property"));
        if (value.TryGetProperty("date", out var date))
        {
            return new Literal(None, Cql2Literals.Date(Text(date, $"{path}.date")) ?? throw Error($"{path}.date", "not a date: write \"YYYY-MM-DD\""));
        }
        if (value.TryGetProperty("timestamp", out var timestamp))
        {
            return new Literal(None, Cql2Literals.Timestamp(Text(timestamp, $"{path}.timestamp")) ?? throw Error($"{path}.timestamp", "not a timestamp: write \"YYYY-MM-DDThh:mm:ssZ\""));
        }
        if (value.TryGetProperty("interval", out var interval))
        {
            var ends = Arguments(interval, $"{path}.interval", 2);
            return new Interval(None, Cql2Functions.IntervalEnd(ends[0]), Cql2Functions.IntervalEnd(ends[1]));
        }
        if (value.TryGetProperty("bbox", out var bbox)) return new GeometryLiteral(None, WktParser.Bbox(None, Numbers(bbox, $"{path}.bbox")));
        if (value.TryGetProperty("type", out _)) return new GeometryLiteral(None, GeoJson(value, path));
        throw Error(path, "expected an object with \"op\", \"property\", \"date\", \"timestamp\", \"interval\", \"bbox\" or a GeoJSON geometry");
    }

    private static Cql2Expression Operation(JsonElement op, JsonElement value, string path)
    {
        var name = op.ValueKind == JsonValueKind.String ? Text(op, $"{path}.op").ToLowerInvariant() : throw Error($"{path}.op", "the operator must be a text");
        if (!value.TryGetProperty("args", out var args)) throw Error(path, $"\"{ClientText.Shown(name)}\" needs its \"args\"");
        var at = $"{path}.args";
        switch (name)
        {
            case "and" or "or":
                var operands = Arguments(args, at, 2, int.MaxValue);
                return new Logical(None, name == "and" ? LogicalOperator.And : LogicalOperator.Or, operands);
            case "not": return new Not(None, Arguments(args, at, 1)[0]);
            case "like":
                var like = Arguments(args, at, 2);
                return new Like(None, like[0], like[1], Negated: false);
            case "between":
                var between = Arguments(args, at, 3);
                return new Between(None, between[0], between[1], between[2], Negated: false);
            case "in":
                if (args.ValueKind != JsonValueKind.Array || args.GetArrayLength() != 2 || args[1].ValueKind != JsonValueKind.Array)
                {
                    throw Error(at, "\"in\" takes two arguments: a value and a list of values");
                }
                return new In(None, Read(args[0], $"{at}[0]"), Arguments(args[1], $"{at}[1]", 1, int.MaxValue), Negated: false);
            case "isnull": return new IsNull(None, Arguments(args, at, 1)[0], Negated: false);
            case "casei": return new CaseInsensitive(None, Arguments(args, at, 1)[0]);
            case "accenti": throw Error(path, "accenti (accent-insensitive comparison) is not supported here; casei (case-insensitive comparison) is");
        }
        if (Comparisons.TryGetValue(name, out var comparison))
        {
            var sides = Arguments(args, at, 2);
            return new Comparison(None, comparison, sides[0], sides[1]);
        }
        if (Calculations.TryGetValue(name, out var calculation))
        {
            var operand = Arguments(args, at, 2);
            return new Arithmetic(None, calculation, operand[0], operand[1]);
        }
        if (SpatialFunctions.TryGetValue(name, out var spatial))
        {
            var geometries = Arguments(args, at, 2);
            return new Spatial(None, spatial, geometries[0], geometries[1]);
        }
        if (TemporalFunctions.TryGetValue(name, out var temporal))
        {
            var times = Arguments(args, at, 2);
            return new Temporal(None, temporal, times[0], times[1]);
        }
        throw Error($"{path}.op", name.StartsWith("a_", StringComparison.Ordinal)
            ? $"{name} compares arrays, and no queryable here is an array"
            : $"there is no operator or function \"{ClientText.Shown(name)}\"");
    }

    private static readonly Dictionary<string, ComparisonOperator> Comparisons = new()
    {
        ["="] = ComparisonOperator.Equal, ["<>"] = ComparisonOperator.NotEqual, ["<"] = ComparisonOperator.Less,
        [">"] = ComparisonOperator.Greater, ["<="] = ComparisonOperator.LessOrEqual, [">="] = ComparisonOperator.GreaterOrEqual,
    };

    private static readonly Dictionary<string, ArithmeticOperator> Calculations = new()
    {
        ["+"] = ArithmeticOperator.Add, ["-"] = ArithmeticOperator.Subtract, ["*"] = ArithmeticOperator.Multiply, ["/"] = ArithmeticOperator.Divide,
        ["%"] = ArithmeticOperator.Modulo, ["div"] = ArithmeticOperator.IntegerDivide, ["^"] = ArithmeticOperator.Power,
    };

    private static readonly Dictionary<string, SpatialFunction> SpatialFunctions =
        Enum.GetValues<SpatialFunction>().ToDictionary(f => "s_" + f.ToString().ToLowerInvariant());

    private static readonly Dictionary<string, TemporalFunction> TemporalFunctions =
        Enum.GetValues<TemporalFunction>().ToDictionary(f => "t_" + f.ToString().ToLowerInvariant());

    private static Cql2Expression[] Arguments(JsonElement args, string path, int count) => Arguments(args, path, count, count);

    private static Cql2Expression[] Arguments(JsonElement args, string path, int least, int most)
    {
        var length = args.ValueKind == JsonValueKind.Array ? args.GetArrayLength() : -1;
        if (length < least || length > most)
        {
            throw Error(path, least == most ? $"expected a list of {least}" : $"expected a list of at least {least}");
        }
        return [.. args.EnumerateArray().Select((item, i) => Read(item, $"{path}[{i}]"))];
    }

    private static double[] Numbers(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array) throw Error(path, "expected a list of numbers");
        return [.. array.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw Error($"{path}[{i}]", "expected a number"))];
    }

    private static Coordinate Position(JsonElement position, string path) => Numbers(position, path) switch
    {
        [var x, var y] => new Coordinate(x, y),
        [var x, var y, var z, ..] => new CoordinateZ(x, y, z),
        _ => throw Error(path, "a position is two or three numbers"),
    };

    private static (int, Coordinate[]) Positions(JsonElement positions, string path) =>
        positions.ValueKind == JsonValueKind.Array
            ? (None, [.. positions.EnumerateArray().Select((p, i) => Position(p, $"{path}[{i}]"))])
            : throw Error(path, "expected a list of positions");

    private static T[] Each<T>(JsonElement array, string path, Func<JsonElement, string, T> read) =>
        array.ValueKind == JsonValueKind.Array && array.GetArrayLength() > 0
            ? [.. array.EnumerateArray().Select((item, i) => read(item, $"{path}[{i}]"))]
            : throw Error(path, "expected a list that is not empty");

    private static Geometry GeoJson(JsonElement geometry, string path)
    {
        var type = geometry.GetProperty("type");
        var kind = type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        if (kind == "GeometryCollection")
        {
            return geometry.TryGetProperty("geometries", out var parts)
                ? WktParser.Factory.CreateGeometryCollection(Each(parts, $"{path}.geometries", GeoJson))
                : throw Error(path, "a GeometryCollection needs its \"geometries\"");
        }
        if (!geometry.TryGetProperty("coordinates", out var coordinates)) throw Error(path, $"a GeoJSON geometry needs \"type\" and \"coordinates\"");
        var at = $"{path}.coordinates";
        var factory = WktParser.Factory;
        return kind switch
        {
            "Point" => factory.CreatePoint(Position(coordinates, at)),
            "LineString" => WktParser.Line(Positions(coordinates, at)),
            "Polygon" => WktParser.Polygon(Each(coordinates, at, Positions)),
            "MultiPoint" => factory.CreateMultiPointFromCoords(Each(coordinates, at, Position)),
            "MultiLineString" => factory.CreateMultiLineString(Each(coordinates, at, (line, p) => WktParser.Line(Positions(line, p)))),
            "MultiPolygon" => factory.CreateMultiPolygon(Each(coordinates, at, (polygon, p) => WktParser.Polygon(Each(polygon, p, Positions)))),
            _ => throw Error($"{path}.type", "expected Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection"),
        };
    }
}
