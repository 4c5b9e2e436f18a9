using System.Text.Json.Nodes;
using HabitatRegistry.Features.OgcApi.Filtering;
using HabitatRegistry.Features.Registers;
using static HabitatRegistry.Tests.OgcApi.Cql2Text;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>The SQL a filter becomes, and the filters refused before any SQL is made.</summary>
public class Cql2SqlTests
{
    private static readonly Queryables Designations = Queryables.For(RegisterCatalogue.Designations);

    [Fact]
    public void EveryLiteralIsAParameterAndNoTextOfTheFilterReachesTheSql()
    {
        var (sql, values) = Sql("name = 'x''; drop table designations; --' AND reported_area_m2 > 5 AND designated_on < DATE('2020-01-01')", Designations);

        Assert.Equal("((name = $1) and (reported_area_m2 > $2) and (designated_on < $3))", sql);
        Assert.Equal(["x'; drop table designations; --", 5m, new DateOnly(2020, 1, 1)], values);
    }

    [Fact]
    public void ColumnsComeFromTheQueryablesNotFromTheNameWritten()
    {
        var (sql, _) = Sql("\"AREA_HA\" > 1 AND Geometry IS NOT NULL", Designations);
        Assert.Equal("(((area_m2 / 10000) > $1) and (geom is not null))", sql);
    }

    [Fact]
    public void AnExactNameIsPreferredToOneThatMatchesIgnoringCase()
    {
        var queryables = new Queryables("things", "Things",
        [
            new("Name", "upper_name", QueryableType.Text, "Name", "one"),
            new("name", "lower_name", QueryableType.Text, "name", "another"),
        ]);
        Assert.Equal("(lower_name = $1)", Sql("name = 'a'", queryables).Sql);
        Assert.Equal("(upper_name = $1)", Sql("Name = 'a'", queryables).Sql);
        Assert.Equal("At position 1: \"NAME\" could be Name or name, which differ only in letter case: write the name exactly.", Error("NAME = 'a'", queryables));
    }

    [Fact]
    public void AnUnknownPropertyIsNamedWithTheQueryablesThereAre() => Assert.Equal(
        "At position 18: \"foo\" is not a property you can filter designations on; the queryables are: parcel_id, scheme, designated_on, lifted_on, name, notice_no, legal_basis, reported_area_m2, area_ha, version, recorded_at, geometry.",
        Error("scheme = 'x' AND foo = 1", Designations));

    [Fact]
    public void ThePlannersOwnAttributesAreNotQueryable() =>
        Assert.Contains("\"attributes\" is not a property you can filter designations on", Error("attributes IS NULL", Designations), StringComparison.Ordinal);

    [Fact]
    public void SpatialFunctionsTestBoundingBoxesFirstSoTheIndexIsUsed()
    {
        var (sql, values) = Sql("S_INTERSECTS(geometry, POINT(139.45 35.79))", Designations);
        Assert.Equal("(geom && ST_GeomFromText($1, 4326) and ST_Intersects(geom, ST_GeomFromText($1, 4326)))", sql);
        Assert.Equal(["POINT (139.45 35.79)"], values);
        Assert.Equal("ST_Disjoint(geom, ST_GeomFromText($1, 4326))", Sql("S_DISJOINT(geometry, POINT(1 2))", Designations).Sql);
    }

    [Fact]
    public void GeometryLiteralsReachTheCallerAsWrittenForItsCrsAndAxisOrder()
    {
        var seen = new List<string>();
        Cql2Sql.Where(Cql2Parser.Parse("S_INTERSECTS(geometry, POINT(35.79 139.45)) OR S_WITHIN(geometry, BBOX(1, 2, 3, 4))"), Designations, _ => "$1", g =>
        {
            seen.Add(g.AsText());
            return "g";
        });
        Assert.Equal(["POINT (35.79 139.45)", "POLYGON ((1 2, 1 4, 3 4, 3 2, 1 2))"], seen);
    }

    [Fact]
    public void CaseiFoldsBothSidesWithIcusFullCaseMappings() => Assert.Equal(
        "(lower(upper(lower(name collate \"und-x-icu\"))) = lower(upper(lower($1 collate \"und-x-icu\"))))",
        Sql("CASEI(name) = CASEI('STRASSE')", Designations).Sql);

    [Fact]
    public void AnIntervalEndThatIsAPropertyIsOpenWhenNullAndAnInstantIsItsOwnStartAndEnd() => Assert.Equal(
        "(coalesce(designated_on, '-infinity'::date) <= $1 and coalesce(lifted_on, 'infinity'::date) >= $1)",
        Sql("T_INTERSECTS(INTERVAL(designated_on, lifted_on), DATE('2021-04-01'))", Designations).Sql);

    [Fact]
    public void SevenHundredConditionsBecomeOneFlatList()
    {
        var (sql, values) = Sql(string.Join(" OR ", Enumerable.Repeat("version=1", 700)), Designations);
        Assert.Equal(700, values.Count);
        Assert.StartsWith("((version = $1) or (version = $2)", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("designated_on = 5", "At position 17: designated_on is a date and 5 is a number: they cannot be compared; write a date as DATE('YYYY-MM-DD'), e.g. DATE('2021-04-01').")]
    [InlineData("designated_on <= '2012-12-31'", "At position 18: designated_on is a date and '2012-12-31' is a text: they cannot be compared; write a date as DATE('YYYY-MM-DD'), e.g. DATE('2021-04-01').")]
    [InlineData("recorded_at > DATE('2024-01-01')", "At position 15: recorded_at is a timestamp and DATE('2024-01-01') is a date: they cannot be compared; write a date as DATE('YYYY-MM-DD'), e.g. DATE('2021-04-01').")]
    [InlineData("reported_area_m2 LIKE '1%'", "At position 1: LIKE takes a text, and reported_area_m2 is a number.")]
    [InlineData("name LIKE scheme", "At position 11: LIKE takes a 'pattern' in quotes (or CASEI('pattern')), with % for any characters and _ for one.")]
    [InlineData("name LIKE 'a\\\\'", "At position 11: the LIKE pattern ends with the escape character \\, which escapes nothing: write \\\\\\\\ for a backslash.")]
    [InlineData("name BETWEEN 1 AND 5", "At position 14: name is a text and 1 is a number: they cannot be compared.")]
    [InlineData("scheme IN ('x', 2)", "At position 17: scheme is a text and 2 is a number: they cannot be compared.")]
    [InlineData("name + 1 > 2", "At position 1: + takes a number, and name is a text.")]
    [InlineData("-scheme = 1", "At position 2: a minus sign takes a number, and scheme is a text.")]
    [InlineData("CASEI(version) = CASEI('1')", "At position 7: CASEI takes a text, and version is a number.")]
    [InlineData("S_INTERSECTS(geometry, 5)", "At position 24: S_INTERSECTS takes a geometry, and 5 is a number.")]
    [InlineData("geometry = POINT(1 2)", "At position 1: geometry is a geometry: compare geometries with S_EQUALS, S_INTERSECTS and the other S_ functions.")]
    [InlineData("T_AFTER(name, DATE('2020-01-01'))", "At position 9: T_AFTER takes dates, timestamps and intervals, and name is a text.")]
    [InlineData("T_DURING(designated_on, INTERVAL('2020-01-01', '..'))", "At position 10: T_DURING compares intervals, and designated_on is an instant: use T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS or T_INTERSECTS, or an INTERVAL.")]
    [InlineData("T_AFTER(recorded_at, DATE('2020-01-01'))", "At position 1: T_AFTER compares recorded_at (a timestamp) with DATE('2020-01-01') (a date): compare dates with dates and timestamps with timestamps.")]
    [InlineData("T_AFTER(designated_on, INTERVAL('2020-01-01', '2019-01-01'))", "At position 24: the INTERVAL ends before it starts.")]
    [InlineData("T_AFTER(designated_on, INTERVAL('2020-01-01', '2021-01-01T00:00:00Z'))", "At position 24: an INTERVAL runs from a date to a date or from a timestamp to a timestamp, not from one to the other.")]
    [InlineData("INTERVAL('2020-01-01', '..') IS NULL", "At position 1: an INTERVAL can only be compared by a temporal function such as T_INTERSECTS(a, INTERVAL(…)).")]
    [InlineData("TRUE > FALSE", "At position 6: TRUE and FALSE have no order: compare TRUE with = or <>.")]
    [InlineData("scheme", "At position 1: scheme is a text, not a condition: compare it with something (e.g. count > 5) or test it (e.g. name IS NULL).")]
    [InlineData("( - (3))", "At position 3: -3 is a number, not a condition: compare it with something (e.g. count > 5) or test it (e.g. name IS NULL).")]
    [InlineData("scheme = 'x' AND version + 1", "At position 26: the calculation is a number, not a condition: compare it with something (e.g. count > 5) or test it (e.g. name IS NULL).")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))", "At position 24: the Polygon is not valid: Self-intersection at or near (0.5 0.5).")]
    public void AFilterWhoseTypesDoNotFitIsRefusedInWords(string filter, string message) => Assert.Equal(message, Error(filter, Designations));

    [Fact]
    public void ArithmeticNestedDeeperThanTheLimitIsRefused()
    {
        var filter = string.Join(" + ", Enumerable.Repeat("1", 60)) + " > version";
        Assert.Contains("nests more than 50 levels deep", Error(filter, Designations), StringComparison.Ordinal);
    }

    [Fact]
    public void TheQueryablesSchemaHasOnePlainTypePerPropertyAndTheGeometryAsAGeoJsonReference()
    {
        var schema = Designations.ToJsonSchema("https://registry.example/collections/designations/queryables");

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string)schema["$schema"]!);
        Assert.Equal("https://registry.example/collections/designations/queryables", (string)schema["$id"]!);
        Assert.Equal("object", (string)schema["type"]!);
        Assert.False((bool)schema["additionalProperties"]!);
        var properties = schema["properties"]!.AsObject();
        Assert.Equal(Designations.Properties.Select(p => p.Name), properties.Select(p => p.Key));
        foreach (var (name, property) in properties.Where(p => p.Key != "geometry"))
        {
            Assert.Equal(System.Text.Json.JsonValueKind.String, property!["type"]!.GetValueKind());
            Assert.False(string.IsNullOrEmpty((string?)property["title"]), name);
            Assert.False(string.IsNullOrEmpty((string?)property["description"]), name);
        }
        Assert.Equal("string", (string)properties["parcel_id"]!["type"]!);
        Assert.Equal(["string", "date"], new[] { (string)properties["designated_on"]!["type"]!, (string)properties["designated_on"]!["format"]! });
        Assert.Equal(["string", "date-time"], new[] { (string)properties["recorded_at"]!["type"]!, (string)properties["recorded_at"]!["format"]! });
        Assert.Equal("number", (string)properties["reported_area_m2"]!["type"]!);
        Assert.Equal("number", (string)properties["area_ha"]!["type"]!);
        Assert.Equal("integer", (string)properties["version"]!["type"]!);
        Assert.Equal(RegisterCatalogue.Schemes.Keys, properties["scheme"]!["enum"]!.AsArray().Select(c => (string)c!));
        Assert.Null(properties["name"]!["enum"]);
        Assert.Equal("https://geojson.org/schema/MultiPolygon.json", (string)properties["geometry"]!["$ref"]!);
        Assert.Null(properties["geometry"]!["type"]); // QGIS reads a property with a "type" as a field, not as the geometry
    }

    [Fact]
    public void ActivitiesHaveAnOptionalGeometryOfAnyTypeAndNoArea()
    {
        var activities = Queryables.For(RegisterCatalogue.Activities);
        var schema = activities.ToJsonSchema("/collections/activities/queryables")["properties"]!;
        Assert.Equal("https://geojson.org/schema/Geometry.json", (string)schema["geometry"]!["$ref"]!);
        Assert.Null(schema["area_ha"]);
        Assert.Equal(["activity_id", "held_on", "kind", "title", "organiser", "participants", "version", "recorded_at", "geometry"], activities.Properties.Select(p => p.Name));
    }

    [Fact]
    public void TheDeclaredConformanceClassesIncludeTheDraftNameQgisLooksFor()
    {
        Assert.Contains("http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions", Cql2Conformance.Classes);
        Assert.Contains("http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators", Cql2Conformance.Classes);
        Assert.DoesNotContain("http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison", Cql2Conformance.Classes);
        Assert.DoesNotContain("http://www.opengis.net/spec/cql2/1.0/conf/array-functions", Cql2Conformance.Classes);
        Assert.DoesNotContain("http://www.opengis.net/spec/cql2/1.0/conf/functions", Cql2Conformance.Classes);
    }
}
