using System.Text;
using HabitatRegistry.Features.OgcApi.Filtering;
using Npgsql;
using static HabitatRegistry.Tests.OgcApi.Cql2Text;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>CQL2 JSON: read into the same trees as CQL2 text, run on PostGIS, and refused in words.</summary>
public class Cql2JsonTests(Cql2ThingsFixture things) : IClassFixture<Cql2ThingsFixture>
{
    [Theory]
    [InlineData("""{"op": "=", "args": [{"property": "city"}, "Toronto"]}""", "city = 'Toronto'")]
    [InlineData("""{"op": "and", "args": [{"op": "<", "args": [{"property": "a"}, 1]}, {"op": "or", "args": [{"op": "isNull", "args": [{"property": "b"}]}, true]}]}""",
        "a < 1 AND (b IS NULL OR TRUE)")]
    [InlineData("""{"op": "not", "args": [{"op": "like", "args": [{"property": "name"}, "Smith%"]}]}""", "NOT name LIKE 'Smith%'")]
    [InlineData("""{"op": "between", "args": [{"property": "depth"}, 100.0, 150.0]}""", "depth BETWEEN 100.0 AND 150.0")]
    [InlineData("""{"op": "in", "args": [{"property": "cityName"}, ["Toronto", "Frankfurt"]]}""", "cityName IN ('Toronto', 'Frankfurt')")]
    [InlineData("""{"op": "like", "args": [{"op": "casei", "args": [{"property": "name"}]}, {"op": "casei", "args": ["%green%"]}]}""", "CASEI(name) LIKE CASEI('%green%')")]
    [InlineData("""{"op": ">=", "args": [{"property": "updated"}, {"date": "1970-01-01"}]}""", "updated >= DATE('1970-01-01')")]
    [InlineData("""{"op": "<", "args": [{"property": "t"}, {"timestamp": "1969-07-20T20:17:40Z"}]}""", "t < TIMESTAMP('1969-07-20T20:17:40Z')")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "Point", "coordinates": [36.319836, 32.288087]}]}""",
        "S_INTERSECTS(geometry, POINT(36.319836 32.288087))")]
    [InlineData("""{"op": "s_within", "args": [{"property": "geometry"}, {"bbox": [160.6, -55.95, -170, -25.89]}]}""", "S_WITHIN(geometry, BBOX(160.6, -55.95, -170, -25.89))")]
    [InlineData("""{"op": "s_crosses", "args": [{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 0]]]}]}""",
        "S_CROSSES(LINESTRING(0 0, 1 1), POLYGON((0 0, 2 0, 2 2, 0 0)))")]
    [InlineData("""{"op": "s_equals", "args": [{"property": "g"}, {"type": "GeometryCollection", "geometries": [{"type": "MultiPoint", "coordinates": [[1, 2], [3, 4, 5]]}, {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]]]}, {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}]}]}""",
        "S_EQUALS(g, GEOMETRYCOLLECTION(MULTIPOINT((1 2), (3 4 5)), MULTILINESTRING((0 0, 1 1)), MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))))")]
    [InlineData("""{"op": "t_during", "args": [{"interval": [{"property": "touchdown"}, {"property": "liftOff"}]}, {"interval": ["1969-07-16T13:32:00Z", ".."]}]}""",
        "T_DURING(INTERVAL(touchdown, liftOff), INTERVAL('1969-07-16T13:32:00Z', '..'))")]
    [InlineData("""{"op": "t_metBy", "args": [{"property": "a"}, {"interval": ["2020-01-01", "2021-01-01"]}]}""", "T_METBY(a, INTERVAL('2020-01-01', '2021-01-01'))")]
    [InlineData("""{"op": ">", "args": [{"op": "-", "args": [{"property": "balance"}, 150.0]}, {"op": "^", "args": [2, {"op": "div", "args": [7, 2]}]}]}""",
        "balance - 150.0 > 2 ^ (7 div 2)")]
    public void JsonIsReadIntoTheSameTreeAsText(string json, string text) =>
        Assert.Equal(Tree(text), Show(Cql2JsonParser.Parse(json)));

    [Theory]
    [InlineData("""{"op": "and", "args": [{"op": "=", "args": [{"property": "scheme"}, "x"]}, {"op": "<=", "args": [{"property": "designated_on"}, {"date": "2012-12-31"}]}]}""", "t1")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [139.40, 35.77, 139.43, 35.80]}]}""", "t1 t5")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "Point", "coordinates": [139.45, 35.79]}]}""", "t2")]
    [InlineData("""{"op": "not", "args": [{"op": "in", "args": [{"property": "scheme"}, ["x"]]}]}""", "t2 t4")]
    [InlineData("""{"op": ">", "args": [{"op": "+", "args": [{"property": "count"}, 1]}, 2]}""", "t1 t4 t5")]
    [InlineData("""{"op": "=", "args": [{"property": "name"}, "a\\b"]}""", "t3")]
    [InlineData("""{"op": "t_after", "args": [{"property": "recorded_at"}, {"timestamp": "2024-01-01T00:00:00Z"}]}""", "t1 t4 t5")]
    public async Task JsonFiltersSelectTheSameThingsAsTheirText(string json, string ids)
    {
        var values = new List<object?>();
        string Parameter(object? value)
        {
            values.Add(value);
            return $"${values.Count}";
        }
        var sql = Cql2Sql.Where(Cql2JsonParser.Parse(json), Cql2ThingsFixture.Queryables, Parameter, g => $"ST_GeomFromText({Parameter(g.AsText())}, 4326)");
        await using var connection = new NpgsqlConnection(things.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select string_agg(id, ' ' order by id) from things where {sql}", connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        Assert.Equal(ids, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("{\"op\": ", "The filter is not JSON:")]
    [InlineData("""{"op": "near", "args": [1]}""", "At the filter.op: there is no operator or function \"near\".")]
    [InlineData("""{"op": "=", "args": [1]}""", "At the filter.args: expected a list of 2.")]
    [InlineData("""{"op": "and", "args": [true]}""", "At the filter.args: expected a list of at least 2.")]
    [InlineData("""{"op": "=", "args": [{"property": "a"}, null]}""", "At the filter.args[1]: null is not a value in CQL2")]
    [InlineData("""{"op": "in", "args": [{"property": "a"}, "x"]}""", "At the filter.args: \"in\" takes two arguments: a value and a list of values.")]
    [InlineData("""{"op": "=", "args": [{"property": "a"}, {"date": "2020-02-30"}]}""", "At the filter.args[1].date: not a date: write \"YYYY-MM-DD\".")]
    [InlineData("""{"op": "=", "args": [{"property": "a"}, "\u0000"]}""", "At the filter.args[1]: the text holds a NUL, a control or a broken character.")]
    [InlineData("""{"op": "=", "args": [{"property": "a"}, "\ud800"]}""", "At the filter.args[1]: the text holds a NUL, a control or a broken character.")]
    [InlineData("""{"op": "a_contains", "args": [{"property": "a"}, [1]]}""", "At the filter.op: a_contains compares arrays, and no queryable here is an array.")]
    [InlineData("""{"op": "accenti", "args": ["x"]}""", "At the filter: accenti (accent-insensitive comparison) is not supported here")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "g"}, {"type": "Circle", "coordinates": [1, 2]}]}""", "At the filter.args[1].type: expected Point, LineString")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "g"}, {"type": "Polygon", "coordinates": []}]}""", "At the filter.args[1].coordinates: expected a list that is not empty.")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "g"}, {"type": "Point", "coordinates": [1]}]}""", "At the filter.args[1].coordinates: a position is two or three numbers.")]
    [InlineData("""{"op": "s_intersects", "args": [{"property": "g"}, {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}]}""", "A polygon's ring must end at the point it starts from.")]
    [InlineData("""[1, 2]""", "At the filter: a list stands only as the second argument of \"in\".")]
    [InlineData("""{"what": 1}""", "At the filter: expected an object with \"op\"")]
    public void JsonThatIsNoFilterIsRefusedWithItsPath(string json, string message) =>
        Assert.StartsWith(message, Assert.Throws<Cql2Exception>(() => Cql2JsonParser.Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void JsonWithHalfASurrogatePairIsRefusedBeforeItIsRead() => Assert.StartsWith("The filter holds a broken character",
        Assert.Throws<Cql2Exception>(() => Cql2JsonParser.Parse("{\"op\": \"=\", \"args\": [{\"property\": \"a\ud800\"}, 1]}")).Message, StringComparison.Ordinal);

    [Fact]
    public void JsonNestedDeeperThanTheLimitIsRefused()
    {
        static string Nots(int levels) => string.Concat(Enumerable.Repeat("""{"op": "not", "args": [""", levels)) + "true" + string.Concat(Enumerable.Repeat("]}", levels));

        Assert.StartsWith("The filter is not JSON:", Assert.Throws<Cql2Exception>(() => Cql2JsonParser.Parse(Nots(120))).Message, StringComparison.Ordinal);
        var sixty = Cql2JsonParser.Parse(Nots(60));
        Assert.Equal("The filter nests more than 50 levels deep.", Assert.Throws<Cql2Exception>(() => Cql2Sql.Where(sixty, Cql2ThingsFixture.Queryables, _ => "$1", _ => "g")).Message);
        Assert.Equal("(not (not $1))", Cql2Sql.Where(Cql2JsonParser.Parse(Nots(2)), Cql2ThingsFixture.Queryables, _ => "$1", _ => "g"));
    }
}
