using HabitatRegistry.Features.OgcApi.Filtering;
using HabitatRegistry.Tests.TestHost;
using Npgsql;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>
/// A table of things with the kinds of column QGIS filters on (text, code, boolean, integer, numeric, date,
/// timestamp, geometry), in a schema of its own on the real PostGIS, with rows whose answers are known.
/// </summary>
public sealed class Cql2ThingsFixture : IAsyncLifetime
{
    private readonly string schema = $"test_{Guid.NewGuid():N}"[..20];

    public string ConnectionString { get; private set; } = "";

    public static Queryables Queryables { get; } = new("things", "Things",
    [
        new("id", "id", QueryableType.Text, "Id", "the thing's id"),
        new("name", "name", QueryableType.Text, "Name", "its name"),
        new("scheme", "scheme", QueryableType.Text, "Scheme", "a code", Codes: ["x", "y", "z"]),
        new("flag", "flag", QueryableType.Boolean, "Flag", "yes or no"),
        new("count", "count", QueryableType.Integer, "Count", "how many"),
        new("reported_area_m2", "reported_area_m2", QueryableType.Number, "Reported area m2", "an area"),
        new("designated_on", "designated_on", QueryableType.Date, "Designated on", "a date"),
        new("recorded_at", "recorded_at", QueryableType.Timestamp, "Recorded at", "a moment"),
        new("geometry", "geom", QueryableType.Geometry, "Geometry", "where", GeometrySchema: "https://geojson.org/schema/Geometry.json"),
    ]);

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(RegistryFixture.ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create schema {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(RegistryFixture.ServerConnectionString) { SearchPath = $"{schema},public" }.ConnectionString;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var seed = new NpgsqlCommand("""
            create table things (id text primary key, name text, scheme text, flag boolean, count integer, reported_area_m2 numeric,
                designated_on date, recorded_at timestamptz, geom geometry(Geometry, 4326));
            insert into things values
              ('t1', 'Green hill 緑', 'x', true, 10, 3, '2010-04-01', '2024-06-01T00:00:00Z', 'SRID=4326;POINT(139.41 35.78)'),
              ('t2', 'GREEN valley', 'y', false, 1, 7, '2015-01-01', '2023-12-31T23:59:59Z', 'SRID=4326;POLYGON((139.44 35.78, 139.46 35.78, 139.46 35.80, 139.44 35.80, 139.44 35.78))'),
              ('t3', E'a\\b', null, null, null, null, null, '2024-01-01T00:00:00Z', null),
              ('t4', '100% natural', 'z', false, 8, 1, '2012-12-31', '2025-01-01T00:00:00Z', 'SRID=4326;POINT(140 36)'),
              ('t5', 'Straße', 'x', true, 6, 5, '2013-01-01', '2024-01-01T00:00:00.001Z', 'SRID=4326;LINESTRING(139.39 35.76, 139.42 35.79)');
            """, connection);
        await seed.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
        await using var admin = new NpgsqlConnection(RegistryFixture.ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The ids of the things the filter selects, translated and run on PostGIS.</summary>
    public async Task<string[]> IdsAsync(string filter)
    {
        var (sql, values) = Cql2Text.Sql(filter, Queryables);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id from things where {sql} order by id", connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return [.. ids];
    }
}

/// <summary>The filters QGIS 3.40.6 sent (captured from the real client), parsed, translated and run on PostGIS.</summary>
public class Cql2QgisTests(Cql2ThingsFixture things) : IClassFixture<Cql2ThingsFixture>
{
    [Theory]
    [InlineData("((scheme = 'x') AND (\"designated_on\" <= DATE('2012-12-31')))", "t1")]
    [InlineData("(name LIKE '%緑%')", "t1")]
    [InlineData("\"reported_area_m2\" BETWEEN 1 AND 5", "t1 t4 t5")]
    [InlineData("\"reported_area_m2\" NOT BETWEEN 1 AND 5", "t2")]
    [InlineData("scheme IN ('x','y')", "t1 t2 t5")]
    [InlineData("scheme NOT IN ('x')", "t2 t4")]
    [InlineData("(scheme IS NULL)", "t3")]
    [InlineData("(scheme IS NOT NULL)", "t1 t2 t4 t5")]
    [InlineData("(NOT ((flag = TRUE)))", "t2 t4")]
    [InlineData("((scheme = 'x') OR (count > 5))", "t1 t4 t5")]
    [InlineData("(scheme <> 'x')", "t2 t4")]
    [InlineData("(CASEI(name) LIKE CASEI('%green%'))", "t1 t2")]
    [InlineData("(\"recorded_at\" >= TIMESTAMP('2024-01-01T00:00:00.000Z'))", "t1 t3 t4 t5")]
    [InlineData("S_INTERSECTS(geometry,BBOX(139.40,35.77,139.43,35.80))", "t1 t5")]
    [InlineData("S_INTERSECTS(geometry,POINT(139.45 35.79))", "t2")]
    [InlineData("(count > ( - (3)))", "t1 t2 t4 t5")]
    [InlineData("((count + 1) > 2)", "t1 t4 t5")]
    [InlineData("(count < 1e+20)", "t1 t2 t4 t5")]
    [InlineData("((scheme = 'x')) AND ((count > 2))", "t1 t5")]
    public async Task WhatQgisSendsSelectsTheRightThings(string filter, string ids) =>
        Assert.Equal(ids.Split(' '), await things.IdsAsync(filter));

    [Fact]
    public void QgisIsTrueIsRefusedWithWhatToWriteInstead()
    {
        var error = Assert.Throws<Cql2Exception>(() => Cql2Text.Sql("(flag IS TRUE)", Cql2ThingsFixture.Queryables));
        Assert.Equal("At position 10: CQL2 has IS NULL and IS NOT NULL but no IS TRUE: write = TRUE instead.", error.Message);
    }

    // QGIS doubles every backslash in a string (a\b → 'a\\b'); reading \\ as one backslash gives back what the planner
    // typed, both for = and for LIKE, where a backslash then escapes % and _ as QGIS's own LIKE does.
    [Theory]
    [InlineData("(name = 'a\\\\b')", "t3")]
    [InlineData("(name LIKE '%\\\\\\\\%')", "t3")]
    [InlineData("(name LIKE '100\\\\%%')", "t4")]
    [InlineData("(name LIKE '100\\%%')", "t4")]
    [InlineData("(name LIKE '1_0%')", "t4")]
    [InlineData("(name LIKE '1\\\\_0%')", "")]
    public async Task BackslashesAsQgisDoublesThemMatchTheTextTheyStandFor(string filter, string ids) =>
        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), await things.IdsAsync(filter));

    [Theory]
    [InlineData("(\"NAME\" = 'Straße')", "t5")]
    [InlineData("(Designated_On < DATE('2011-01-01'))", "t1")]
    public async Task PropertyNamesMatchIgnoringLetterCaseAsQgisMatchesThem(string filter, string ids) =>
        Assert.Equal(ids.Split(' '), await things.IdsAsync(filter));

    [Theory]
    [InlineData("CASEI(name) = CASEI('STRASSE')", "t5")]
    [InlineData("CASEI(name) = CASEI('straße')", "t5")]
    [InlineData("CASEI(name) = CASEI('STRAẞE')", "t5")]
    [InlineData("CASEI(name) LIKE CASEI('%VALLEY')", "t2")]
    [InlineData("CASEI(name) IN (CASEI('green HILL 緑'), CASEI('nothing'))", "t1")]
    public async Task CaseiFoldsCaseFullySoSharpSMatchesSs(string filter, string ids) =>
        Assert.Equal(ids.Split(' '), await things.IdsAsync(filter));

    // A row with nulls (t3) is never selected by a comparison, a negation of one, LIKE, BETWEEN, IN or arithmetic.
    [Theory]
    [InlineData("NOT (count > 100)", "t1 t2 t4 t5")]
    [InlineData("NOT (name LIKE 'zzz%') AND NOT (scheme LIKE 'zzz%')", "t1 t2 t4 t5")]
    [InlineData("count + 0 = count", "t1 t2 t4 t5")]
    [InlineData("flag = TRUE OR flag = FALSE", "t1 t2 t4 t5")]
    [InlineData("flag IS NULL", "t3")]
    [InlineData("flag", "t1 t5")]
    [InlineData("NOT S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))", "t1 t2 t4 t5")]
    [InlineData("geometry IS NULL", "t3")]
    [InlineData("scheme = 'x' OR NOT (count < 100)", "t1 t5")]
    public async Task NullsAreNeitherTrueNorFalse(string filter, string ids) =>
        Assert.Equal(ids.Split(' '), await things.IdsAsync(filter));

    [Theory]
    [InlineData("count / 4 = 2.5", "t1")]
    [InlineData("count % 3 = 1", "t1 t2")]
    [InlineData("count div 3 = 2", "t4 t5")]
    [InlineData("count ^ 2 > 50", "t1 t4")]
    [InlineData("-count < -7", "t1 t4")]
    [InlineData("count * 2 - 1 = 19", "t1")]
    [InlineData("reported_area_m2 / count > 1", "t2")]
    [InlineData("count / 0 > 0 OR count / 0 <= 0", "")]
    [InlineData("count % 0 = 0 OR count div 0 = 0", "")]
    [InlineData("(0 - count) ^ 0.5 > 0", "")]
    [InlineData("1e300 * 1e300 > count", "t1 t2 t4 t5")]
    public async Task ArithmeticIsExactAndHasNoValueWhereMathsHasNone(string filter, string ids) =>
        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), await things.IdsAsync(filter));

    [Fact]
    public async Task APowerTooLargeForPostgresqlIsADataExceptionTheCallerCanAnswerWith400()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => things.IdsAsync("count ^ 1000000 > 1"));
        Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, error.SqlState);
    }

    [Theory]
    [InlineData("'x' = scheme", "t1 t5")]
    [InlineData("DATE('2013-01-01') <= designated_on", "t2 t5")]
    [InlineData("1 = 1", "t1 t2 t3 t4 t5")]
    [InlineData("count > reported_area_m2", "t1 t4 t5")]
    [InlineData("3 BETWEEN count AND reported_area_m2", "t2")]
    [InlineData("S_INTERSECTS(POINT(139.45 35.79), geometry)", "t2")]
    [InlineData("S_INTERSECTS(POINT(0 0), BBOX(-1, -1, 1, 1))", "t1 t2 t3 t4 t5")]
    public async Task LiteralsAndPropertiesCompareOnEitherSide(string filter, string ids) =>
        Assert.Equal(ids.Split(' '), await things.IdsAsync(filter));
}
