using HabitatRegistry.Features.OgcApi.Filtering;
using static HabitatRegistry.Tests.OgcApi.Cql2Text;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>CQL2 text read into trees, one group of cases per requirements class declared, from the requirements of OGC 21-065r2.</summary>
public class Cql2ParserTests
{
    // Basic CQL2: logical operators with OR below AND below NOT, comparisons, IS [NOT] NULL, literals.
    [Theory]
    [InlineData("a = 1 OR b = 2 AND c = 3", "or(=(a, 1), and(=(b, 2), =(c, 3)))")]
    [InlineData("(a = 1 OR b = 2) AND c = 3", "and(or(=(a, 1), =(b, 2)), =(c, 3))")]
    [InlineData("NOT a = 1 AND b = 2", "and(not(=(a, 1)), =(b, 2))")]
    [InlineData("NOT (a = 1 AND b = 2)", "not(and(=(a, 1), =(b, 2)))")]
    [InlineData("a = 1 AND b = 2 AND c = 3 OR d = 4 OR e = 5", "or(and(=(a, 1), =(b, 2), =(c, 3)), =(d, 4), =(e, 5))")]
    [InlineData("a <> 'x'", "<>(a, 'x')")]
    [InlineData("a < 1", "<(a, 1)")]
    [InlineData("a > 1", ">(a, 1)")]
    [InlineData("a <= 1", "<=(a, 1)")]
    [InlineData("a >= 1", ">=(a, 1)")]
    [InlineData("a IS NULL", "isnull(a)")]
    [InlineData("a IS NOT NULL", "isnotnull(a)")]
    [InlineData("geometry IS NOT NULL", "isnotnull(geometry)")]
    [InlineData("flag = TRUE", "=(flag, true)")]
    [InlineData("flag <> false", "<>(flag, false)")]
    [InlineData("TRUE", "true")]
    [InlineData("a = 1 and not b is null or c = 2", "or(and(=(a, 1), not(isnull(b))), =(c, 2))")]
    [InlineData("updated >= date('1970-01-01')", ">=(updated, date:1970-01-01)")]
    public void LogicalOperatorsAndComparisonsFollowTheBnfPrecedenceAndKeywordsIgnoreCase(string filter, string tree) =>
        Assert.Equal(tree, Tree(filter));

    [Theory]
    [InlineData("\"designated_on\" = 1", "designated_on")]
    [InlineData("\"a name with \"\"quotes\"\" and spaces\" = 1", "a name with \"quotes\" and spaces")]
    [InlineData("\"DATE\" = 1", "DATE")]
    [InlineData("名前 = 1", "名前")]
    [InlineData("layer:ids = 1", "layer:ids")]
    [InlineData("_private.part2 = 1", "_private.part2")]
    public void PropertyNamesAreBareOrDoubleQuotedWithDoubledQuotes(string filter, string name) =>
        Assert.Equal($"=({name}, 1)", Tree(filter));

    [Theory]
    [InlineData("'Via dell''Avvento'", "Via dell'Avvento")]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"'a\\b'", @"a\b")]
    [InlineData(@"'tab\there'", "tab\there")]
    [InlineData(@"'\a\b\t\n\v\f\r'", "\a\b\t\n\v\f\r")]
    [InlineData(@"'100\%'", @"100\%")]
    [InlineData(@"'100\\%'", @"100\%")]
    [InlineData("''", "")]
    [InlineData("'緑地'", "緑地")]
    public void StringsUnescapeDoubledQuotesAndBackslashesAndKeepLikeEscapes(string literal, string text) =>
        Assert.Equal($"=(s, '{text}')", Tree($"s = {literal}"));

    [Theory]
    [InlineData("1", "1")]
    [InlineData("-100", "-100")]
    [InlineData("3.14159", "3.14159")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("1e+20", "100000000000000000000")]
    [InlineData("1E-3", "0.001")]
    [InlineData("-2.5e2", "-250")]
    [InlineData("+7", "7")]
    [InlineData("1e300", "double:1E+300")]
    [InlineData("1e-40", "double:1E-40")]
    public void NumbersAreReadExactlyWhereDecimalCanHoldThem(string literal, string value) =>
        Assert.Equal($"=(n, {value})", Tree($"n = {literal}"));

    [Fact]
    public void AMinusAfterANameIsASubtraction() =>
        Assert.Equal(">(subtract(balance, 150.0), 0)", Tree("balance-150.0 > 0"));

    // Advanced comparison operators: LIKE, BETWEEN and IN, each with NOT.
    [Theory]
    [InlineData("name LIKE 'Smith%'", "like(name, 'Smith%')")]
    [InlineData("name NOT LIKE '_mith'", "notlike(name, '_mith')")]
    [InlineData("depth BETWEEN 100.0 and 150.0", "between(depth, 100.0, 150.0)")]
    [InlineData("depth NOT BETWEEN 1 AND 5 AND x = 1", "and(notbetween(depth, 1, 5), =(x, 1))")]
    [InlineData("cityName IN ('Toronto','Frankfurt','Tokyo','New York')", "in(cityName, ['Toronto', 'Frankfurt', 'Tokyo', 'New York'])")]
    [InlineData("category NOT IN (1,2,3,4)", "notin(category, [1, 2, 3, 4])")]
    [InlineData("a BETWEEN b - 1 AND b + 1", "between(a, subtract(b, 1), add(b, 1))")]
    public void LikeBetweenAndInTakeTheirOwnNot(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    // Case-insensitive comparison.
    [Theory]
    [InlineData("CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))", "in(casei(road_class), [casei('Οδος'), casei('Straße')])")]
    [InlineData("casei(name) LIKE CaseI('%green%')", "like(casei(name), casei('%green%'))")]
    [InlineData("CASEI(name) = CASEI('PLANET')", "=(casei(name), casei('PLANET'))")]
    public void CaseiWrapsTextOnEitherSide(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    // Basic spatial functions, spatial functions and their literals, as written (no axis swapping, no CRS).
    [Theory]
    [InlineData("S_INTERSECTS(geometry,POINT(36.319836 32.288087))", "s_intersects(geometry, POINT (36.319836 32.288087))")]
    [InlineData("S_INTERSECTS(geometry, BBOX(160.6,-55.95,-170,-25.89))",
        "s_intersects(geometry, MULTIPOLYGON (((160.6 -55.95, 160.6 -25.89, 180 -25.89, 180 -55.95, 160.6 -55.95)), ((-180 -55.95, -180 -25.89, -170 -25.89, -170 -55.95, -180 -55.95))))")]
    [InlineData("S_INTERSECTS(geometry, BBOX(1, 2, 3, 4))", "s_intersects(geometry, POLYGON ((1 2, 1 4, 3 4, 3 2, 1 2)))")]
    [InlineData("S_INTERSECTS(geometry, BBOX(1, 2, -10, 3, 4, 10))", "s_intersects(geometry, POLYGON ((1 2, 1 4, 3 4, 3 2, 1 2)))")]
    [InlineData("S_EQUALS(geometry, POINT Z (1 2 3))", "s_equals(geometry, POINT Z(1 2 3))")]
    [InlineData("S_DISJOINT(geometry, LINESTRING(0 0, 1 1, 2 0))", "s_disjoint(geometry, LINESTRING (0 0, 1 1, 2 0))")]
    [InlineData("S_TOUCHES(geometry, POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1)))",
        "s_touches(geometry, POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1)))")]
    [InlineData("S_WITHIN(geometry, MULTIPOINT((1 2), (3 4)))", "s_within(geometry, MULTIPOINT ((1 2), (3 4)))")]
    [InlineData("S_WITHIN(geometry, MULTIPOINT(1 2, 3 4))", "s_within(geometry, MULTIPOINT ((1 2), (3 4)))")]
    [InlineData("S_OVERLAPS(geometry, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))", "s_overlaps(geometry, MULTILINESTRING ((0 0, 1 1), (2 2, 3 3)))")]
    [InlineData("S_CROSSES(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))",
        "s_crosses(geometry, MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))")]
    [InlineData("S_CONTAINS(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))", "s_contains(geometry, GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1)))")]
    [InlineData("s_intersects(point(1 2), geometry)", "s_intersects(POINT (1 2), geometry)")]
    public void SpatialFunctionsTakeWktAndBboxLiterals(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    [Fact]
    public void APropertyMayBeCalledLikeAGeometryTypeWhenNoParenthesisFollows() =>
        Assert.Equal("and(=(point, 1), =(polygon, 'x'))", Tree("point = 1 AND polygon = 'x'"));

    // Temporal functions and their literals.
    [Theory]
    [InlineData("T_INTERSECTS(event_time, INTERVAL('1969-07-16T05:32:00Z', '1969-07-24T16:50:35Z'))",
        "t_intersects(event_time, interval(timestamp:1969-07-16T05:32:00Z, timestamp:1969-07-24T16:50:35Z))")]
    [InlineData("T_INTERSECTS(event_time, INTERVAL(\"1969-07-16T05:32:00Z\", \"1969-07-24T16:50:35Z\"))",
        "t_intersects(event_time, interval(timestamp:1969-07-16T05:32:00Z, timestamp:1969-07-24T16:50:35Z))")]
    [InlineData("T_DURING(INTERVAL(touchdown, liftOff), INTERVAL('2019-09-09', '..'))", "t_during(interval(touchdown, liftOff), interval(date:2019-09-09, ..))")]
    [InlineData("T_AFTER(held_on, DATE('2020-01-01'))", "t_after(held_on, date:2020-01-01)")]
    [InlineData("T_BEFORE(recorded_at, TIMESTAMP('2024-01-01T09:00:00+09:00'))", "t_before(recorded_at, timestamp:2024-01-01T00:00:00Z)")]
    [InlineData("t_contains(INTERVAL('..', '2020-01-01'), INTERVAL(a, b))", "t_contains(interval(.., date:2020-01-01), interval(a, b))")]
    [InlineData("T_DISJOINT(a, b)", "t_disjoint(a, b)")]
    [InlineData("T_EQUALS(a, b)", "t_equals(a, b)")]
    [InlineData("T_FINISHEDBY(a, b)", "t_finishedby(a, b)")]
    [InlineData("T_FINISHES(a, b)", "t_finishes(a, b)")]
    [InlineData("T_MEETS(a, b)", "t_meets(a, b)")]
    [InlineData("T_METBY(a, b)", "t_metby(a, b)")]
    [InlineData("T_OVERLAPPEDBY(a, b)", "t_overlappedby(a, b)")]
    [InlineData("T_OVERLAPS(a, b)", "t_overlaps(a, b)")]
    [InlineData("T_STARTEDBY(a, b)", "t_startedby(a, b)")]
    [InlineData("T_STARTS(a, b)", "t_starts(a, b)")]
    public void TemporalFunctionsTakeInstantsAndIntervalsWithOpenEnds(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    [Theory]
    [InlineData("TIMESTAMP('2024-01-01T00:00:00.000Z')", "timestamp:2024-01-01T00:00:00Z")]
    [InlineData("TIMESTAMP('1969-07-20T20:17:40.1234567Z')", "timestamp:1969-07-20T20:17:40.1234567Z")]
    [InlineData("timestamp('1969-07-20t20:17:40z')", "timestamp:1969-07-20T20:17:40Z")]
    [InlineData("DATE('2024-02-29')", "date:2024-02-29")]
    public void DatesAndTimestampsAreReadInUtc(string literal, string value) => Assert.Equal($"=(t, {value})", Tree($"t = {literal}"));

    // Arithmetic: + - below * / % div below ^ below unary minus.
    [Theory]
    [InlineData("a + b * c > 1", ">(add(a, multiply(b, c)), 1)")]
    [InlineData("(a + b) * c > 1", ">(multiply(add(a, b), c), 1)")]
    [InlineData("a - b - c > 1", ">(subtract(subtract(a, b), c), 1)")]
    [InlineData("a / b % c div d > 1", ">(integerdivide(modulo(divide(a, b), c), d), 1)")]
    [InlineData("a * b ^ 2 > 1", ">(multiply(a, power(b, 2)), 1)")]
    [InlineData("-a ^ 2 > 1", ">(power(neg(a), 2), 1)")]
    [InlineData("( - (3)) < a", "<(-3, a)")]
    [InlineData("- - a > 1", ">(neg(neg(a)), 1)")]
    [InlineData("((count + 1) > 2)", ">(add(count, 1), 2)")]
    public void ArithmeticFollowsTheBnfPrecedence(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    // Property-property: literals on the left, properties on the right, and either on both sides.
    [Theory]
    [InlineData("'x' = scheme", "=('x', scheme)")]
    [InlineData("DATE('2020-01-01') < designated_on", "<(date:2020-01-01, designated_on)")]
    [InlineData("lifted_on > designated_on", ">(lifted_on, designated_on)")]
    [InlineData("5 BETWEEN low AND high", "between(5, low, high)")]
    [InlineData("'x' IN (a, b)", "in('x', [a, b])")]
    [InlineData("1 = 1", "=(1, 1)")]
    public void LiteralsAndPropertiesStandOnEitherSide(string filter, string tree) => Assert.Equal(tree, Tree(filter));

    [Fact]
    public void ParenthesesNestedToTheLimitAreRead()
    {
        var filter = new string('(', Cql2Parser.MaxDepth) + "a = 1" + new string(')', Cql2Parser.MaxDepth);
        Assert.Equal("=(a, 1)", Tree(filter));
    }

    [Fact]
    public void NineHundredConditionsInARowAreNotTooDeep()
    {
        var filter = string.Join(" OR ", Enumerable.Repeat("a = 1", 900));
        Assert.Equal(900, Assert.IsType<Logical>(Cql2Parser.Parse(filter)).Operands.Count);
    }

    [Theory]
    [InlineData("scheme = 'x' AND", "At position 17 (\"scheme = 'x' AND\"): expected a condition after AND, but the filter ends there.")]
    [InlineData("scheme = = 'x'", "At position 10 (\"scheme = =\"): expected a value after =, not =.")]
    [InlineData("scheme NOT = 'x'", "At position 12 (\"scheme NOT =\"): expected `LIKE`, `BETWEEN` or `IN` after NOT, not =.")]
    [InlineData("(scheme = 'x'", "At position 14 (\"(scheme = 'x'\"): expected `)` after a 'text', but the filter ends there.")]
    [InlineData("scheme = 'x' scheme", "At position 14 (\"scheme = 'x' scheme\"): expected an operator (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL), AND, OR or the end of the filter after a 'text', not the name scheme.")]
    [InlineData("(flag IS TRUE)", "At position 10: CQL2 has IS NULL and IS NOT NULL but no IS TRUE: write = TRUE instead.")]
    [InlineData("flag IS NOT FALSE", "At position 13: CQL2 has IS NULL and IS NOT NULL but no IS FALSE: write <> FALSE instead.")]
    [InlineData("name = 'open", "At position 8: this 'text' is not closed: end it with ' (inside it, write '' or \\' for a quote and \\\\ for a backslash).")]
    [InlineData("name LIKE 'a\\'", "At position 11: this 'text' is not closed: end it with ' (inside it, write '' or \\' for a quote and \\\\ for a backslash).")]
    [InlineData("\"name = 1", "At position 1: this \"name\" is not closed: end it with \" (write \"\" for a quote inside it).")]
    [InlineData("a = 1 ]", "At position 7: \"]\" is not part of CQL2 (a name starts with a letter, _ or :, or is written in \"double quotes\").")]
    [InlineData("a = 2e", "At position 5: \"2e\" is not a number (e.g. 12, 0.5, 1e+20).")]
    [InlineData("d = DATE('2020-02-30')", "At position 10: '2020-02-30' is not a date: write DATE('YYYY-MM-DD'), e.g. DATE('2021-04-01').")]
    [InlineData("t = TIMESTAMP('2020-01-01T00:00:00')", "At position 15: '2020-01-01T00:00:00' is not a timestamp: write TIMESTAMP('YYYY-MM-DDThh:mm:ssZ'), e.g. TIMESTAMP('2024-01-01T00:00:00Z').")]
    [InlineData("T_AFTER(a, INTERVAL('2020-01-01', 'soon'))", "At position 35: 'soon' is not an interval end: write '..' (open) or a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DDThh:mm:ssZ'.")]
    [InlineData("near(geometry, 5)", "At position 1: there is no function near; the functions are CASEI, DATE, TIMESTAMP, INTERVAL, BBOX, S_INTERSECTS, S_EQUALS, S_DISJOINT, S_TOUCHES, S_WITHIN, S_OVERLAPS, S_CROSSES, S_CONTAINS and T_AFTER, T_BEFORE, T_CONTAINS, T_DISJOINT, T_DURING, T_EQUALS, T_FINISHEDBY, T_FINISHES, T_INTERSECTS, T_MEETS, T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS.")]
    [InlineData("ACCENTI(name) = ACCENTI('papá')", "At position 1: ACCENTI (accent-insensitive comparison) is not supported here; CASEI (case-insensitive comparison) is.")]
    [InlineData("A_CONTAINS(ids, ('a', 'b'))", "At position 1: A_CONTAINS compares arrays, and no queryable here is an array.")]
    [InlineData("S_INTERSECTS(geometry, BBOX(1, 2, 3))", "At position 24: BBOX takes 4 numbers (west, south, east, north) or 6 with heights, not 3.")]
    [InlineData("S_INTERSECTS(geometry, BBOX(1, 4, 3, 2))", "At position 24: the BBOX's southern edge (4) is north of its northern edge (2).")]
    [InlineData("S_INTERSECTS(geometry, LINESTRING(1 2))", "At position 34: a line needs at least two points.")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))", "At position 32: a polygon's ring needs at least four points, the last the same as the first.")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))", "At position 32: a polygon's ring must end at the point it starts from.")]
    [InlineData("S_INTERSECTS(geometry, POINT(1e400 0))", "At position 30: 1e400 is too large for a coordinate.")]
    [InlineData("n = 1e400", "At position 5: 1e400 is too large a number.")]
    [InlineData("S_INTERSECTS(geometry)", "At position 22 (\"S_INTERSECTS(geometry)\"): expected `,` after the name geometry, not ).")]
    public void AFilterThatCannotBeReadSaysWhereAndWhatWasExpected(string filter, string message) =>
        Assert.Equal(message, Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse(filter)).Message);

    [Fact]
    public void TheErrorPositionIsTheCharacterIndex()
    {
        var error = Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse("scheme = 'x' AND"));
        Assert.Equal(16, error.Position);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyFilterIsRefused(string filter) =>
        Assert.Equal("The filter is empty: write a condition, e.g. scheme = 'citizen_green_space'.", Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse(filter)).Message);

    [Fact]
    public void AFilterLongerThanTheLimitIsRefusedBeforeItIsRead()
    {
        var filter = "a = '" + new string('x', Cql2Parser.MaxLength) + "'";
        Assert.Equal($"The filter is {filter.Length:N0} characters long; at most 10,000 are read.", Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse(filter)).Message);
    }

    [Fact]
    public void AFilterWithANulCharacterIsRefused() =>
        Assert.StartsWith("The filter holds a NUL character", Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse("a = 'x\0'")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(51, "(", "a = 1", ")")]
    [InlineData(5_000, "(", "a = 1", ")")]
    [InlineData(51, "NOT ", "a = 1", "")]
    [InlineData(4_000, "NOT ", "a = 1", "")]
    [InlineData(3_000, "-", "a", " > 1")]
    [InlineData(2_000, "CASEI(", "a", ") = 'x'")]
    [InlineData(1_500, "NOT (", "a = 1", ")")]
    public void NestingDeeperThanTheLimitIsRefusedWithoutExhaustingTheStack(int levels, string open, string inner, string close)
    {
        var filter = string.Concat(Enumerable.Repeat(open, levels)) + inner + string.Concat(Enumerable.Repeat(close, levels));
        if (filter.Length > Cql2Parser.MaxLength) filter = filter[..Cql2Parser.MaxLength];
        var error = Assert.Throws<Cql2Exception>(() => Cql2Parser.Parse(filter));
        Assert.Contains("nests more than 50 levels deep", error.Message, StringComparison.Ordinal);
    }
}
