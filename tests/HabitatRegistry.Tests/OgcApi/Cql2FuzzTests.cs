using System.Text;
using HabitatRegistry.Features.OgcApi.Filtering;
using HabitatRegistry.Features.Registers;
using Npgsql;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>
/// Random and mutated filters: reading and translating any text throws nothing but <see cref="Cql2Exception"/>, and every
/// filter that translates runs on PostGIS, failing at most with the documented overflow of ^ (SQLSTATE 22003).
/// </summary>
public class Cql2FuzzTests(Cql2ThingsFixture things) : IClassFixture<Cql2ThingsFixture>
{
    private const int Cases = 6_000;

    private static readonly Queryables Designations = Queryables.For(RegisterCatalogue.Designations);

    private static readonly string[] Seeds =
    [
        "((scheme = 'x') AND (\"designated_on\" <= DATE('2012-12-31')))",
        "(name LIKE '%緑%')",
        "\"reported_area_m2\" NOT BETWEEN 1 AND 5",
        "scheme NOT IN ('x','y')",
        "(scheme IS NOT NULL)",
        "(NOT ((flag = TRUE)))",
        "((scheme = 'x') OR (count > 5))",
        "(CASEI(name) LIKE CASEI('%green%'))",
        "(\"recorded_at\" >= TIMESTAMP('2024-01-01T00:00:00.000Z'))",
        "S_INTERSECTS(geometry,BBOX(139.40,35.77,139.43,35.80))",
        "S_INTERSECTS(geometry,POINT(139.45 35.79))",
        "((count + 1) > 2) AND count < 1e+20 AND count > ( - (3))",
        "T_DURING(INTERVAL(designated_on, designated_on), INTERVAL('2015-01-01', '..'))",
        "S_CROSSES(geometry, GEOMETRYCOLLECTION(POINT(1 2), POLYGON((0 0, 3 0, 3 3, 0 3, 0 0)), LINESTRING(0 0, 5 5)))",
        "count ^ 2 div 3 % 4 / 5 > -1 AND name = 'it''s \\\\ \\'ok\\''",
        "T_INTERSECTS(designated_on, INTERVAL(DATE('2020-01-01'), '..')) OR S_WITHIN(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))",
    ];

    private static readonly string[] Words =
    [
        "(", ")", ",", "=", "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "^", "'", "\"", "'x'", "''", "'..'", "'2020-01-01'",
        "'2024-01-01T00:00:00Z'", "1", "-2.5", "1e+20", "1e400", ".5", "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE",
        "FALSE", "DIV", "name", "scheme", "count", "flag", "geometry", "designated_on", "recorded_at", "\"name\"", "foo", "CASEI(",
        "ACCENTI(", "DATE(", "TIMESTAMP(", "INTERVAL(", "BBOX(", "POINT(", "POINT Z(", "LINESTRING(", "POLYGON((", "MULTIPOINT(",
        "GEOMETRYCOLLECTION(", "S_INTERSECTS(", "S_DISJOINT(", "S_EQUALS(", "T_AFTER(", "T_DURING(", "T_MEETS(", "A_EQUALS(", "near(",
        "\\", "\\'", "\0", "\ud800", "緑", "ß", " ", "\t", "..", "Z", "e",
    ];

    [Theory]
    [InlineData(20261201)]
    [InlineData(20261202)]
    [InlineData(20261203)]
    public async Task AnyTextIsReadOrRefusedWithACql2ExceptionAndWhatTranslatesRuns(int seed)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        var translated = 0;
        for (var i = 0; i < Cases; i++)
        {
            var filter = (i % 4) switch
            {
                0 => Mutated(random, Seeds[random.Next(Seeds.Length)]),
                1 => $"{Seeds[random.Next(Seeds.Length)]} {(random.Next(2) == 0 ? "AND" : "OR NOT")} {Seeds[random.Next(Seeds.Length)]}",
                2 => string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Words[random.Next(Words.Length)] + (random.Next(3) == 0 ? "" : " "))),
                _ => new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => (char)random.Next(0, 0x3100))]),
            };
            try
            {
                Cql2Text.Sql(filter, Designations);
            }
            catch (Cql2Exception)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{Escaped(filter)} → {e.GetType().Name}: {e.Message}");
            }
            try
            {
                await things.IdsAsync(filter);
                translated++;
            }
            catch (Cql2Exception)
            {
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{Escaped(filter)} on PostGIS → {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.True(translated > Cases / 5, $"only {translated} of {Cases} filters translated: the fuzzing hardly reaches the SQL");
    }

    private static readonly string[] JsonSeeds =
    [
        """{"op": "and", "args": [{"op": "=", "args": [{"property": "scheme"}, "x"]}, {"op": "<=", "args": [{"property": "designated_on"}, {"date": "2012-12-31"}]}]}""",
        """{"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 0]]]}]}""",
        """{"op": "t_during", "args": [{"interval": [{"property": "designated_on"}, ".."]}, {"interval": ["2015-01-01", "2020-01-01"]}]}""",
        """{"op": "not", "args": [{"op": "in", "args": [{"op": "casei", "args": [{"property": "name"}]}, ["x", "y"]]}]}""",
        """{"op": ">", "args": [{"op": "^", "args": [{"property": "count"}, 2]}, {"bbox": [1, 2, 3, 4]}]}""",
    ];

    [Theory]
    [InlineData(20261211)]
    [InlineData(20261212)]
    public async Task AnyJsonIsReadOrRefusedWithACql2ExceptionAndWhatTranslatesRuns(int seed)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        for (var i = 0; i < Cases / 2; i++)
        {
            var json = Mutated(random, JsonSeeds[random.Next(JsonSeeds.Length)]);
            try
            {
                var values = new List<object?>();
                var sql = Cql2Sql.Where(Cql2JsonParser.Parse(json), Cql2ThingsFixture.Queryables, v =>
                {
                    values.Add(v);
                    return $"${values.Count}";
                }, g => "ST_GeomFromText('POINT(0 0)', 4326)");
                await using var connection = new NpgsqlConnection(things.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"select count(*) from things where {sql}", connection);
                foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
                await command.ExecuteScalarAsync();
            }
            catch (Cql2Exception)
            {
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{Escaped(json)} → {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task EverySeedIsAFilterThatRuns()
    {
        foreach (var seed in Seeds) await things.IdsAsync(seed);
    }

    [Fact]
    public void DeepNestingOfEveryKindIsRefusedWithoutExhaustingTheStack()
    {
        foreach (var (open, inner, close) in new[]
        {
            ("(", "a = 1", ")"), ("NOT ", "a = 1", ""), ("-", "count", " > 1"), ("CASEI(", "name", ") = 'x'"), ("- (", "count", ") > 1"),
            ("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(", "POINT(1 2)", "))"), ("T_AFTER(INTERVAL(", "'..'", ", '..'), DATE('2020-01-01'))"),
        })
        {
            var filter = string.Concat(Enumerable.Repeat(open, 5_000)) + inner + string.Concat(Enumerable.Repeat(close, 5_000));
            Assert.Throws<Cql2Exception>(() => Cql2Text.Sql(filter[..Math.Min(filter.Length, Cql2Parser.MaxLength)], Designations));
        }
    }

    private static string Mutated(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        for (var edits = random.Next(1, 3); edits > 0 && text.Length > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0: text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at)); break;
                case 1: text.Insert(at, Words[random.Next(Words.Length)]); break;
                case 2: text[at] = seed[random.Next(seed.Length)]; break;
                case 3: text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 12), text.Length - at))); break;
                default: text.Length = at; break;
            }
        }
        return text.ToString();
    }

    private static string Escaped(string text) =>
        string.Concat(text.Select(c => c is < ' ' or (>= '\ud800' and <= '\udfff') ? $"\\u{(int)c:x4}" : c.ToString()));
}
