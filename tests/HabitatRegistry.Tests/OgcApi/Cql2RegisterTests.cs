using System.Text.Json.Nodes;
using HabitatRegistry.Features.OgcApi.Filtering;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Tests.TestHost;
using Npgsql;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>The registry's own schema (migrated as in production) with designations and activities imported through the API once.</summary>
public sealed class Cql2RegisterFixture : RegistryFixture
{
    private readonly Lazy<Task> seeded;

    public Cql2RegisterFixture() => seeded = new(SeedAsync);

    public Task SeededAsync() => seeded.Value;

    private async Task SeedAsync()
    {
        using var client = ClientWithKey(AdminKey);
        static JsonObject Designation(string id, string wkt, string designatedOn, string? liftedOn, string scheme, string name, decimal? reportedArea) =>
            Feature(wkt, new { parcel_id = id, scheme, designated_on = designatedOn, lifted_on = liftedOn, name, reported_area_m2 = reportedArea });
        await client.ImportOkAsync("designations", Collection(
            Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2010-04-01", null, "special_green_conservation_district", "緑地 D-1", 1200),
            Designation("D-2", Box(139.42, 35.79, 139.421, 35.791), "2015-06-01", "2020-03-31", "citizen_green_space", "Green Park", 500),
            Designation("D-3", Box(139.50, 35.80, 139.502, 35.802), "2020-04-01", null, "preserved_woodland", "GREEN woods", null)));
        // A correction: D-1's current version is 2.
        await client.ImportOkAsync("designations", Collection(
            Designation("D-1", Box(139.40, 35.78, 139.401, 35.781), "2010-04-01", null, "special_green_conservation_district", "緑地 D-1 (改)", 1200)));
        var noPlace = new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = null,
            ["properties"] = new JsonObject { ["activity_id"] = "A-2", ["held_on"] = "2025-07-01", ["kind"] = "workshop", ["title"] = "Workshop" },
        };
        await client.ImportOkAsync("activities", Collection(
            Feature("POINT(139.41 35.785)", new { activity_id = "A-1", held_on = "2025-06-01", kind = "lecture", title = "Lecture", participants = 24 }),
            noPlace));
    }

    /// <summary>The ids of a register's current records that the filter selects, translated with the register's queryables and run on PostGIS.</summary>
    public async Task<string[]> IdsAsync(RegisterSchema register, string filter)
    {
        await SeededAsync();
        var (sql, values) = Cql2Text.Sql(filter, Queryables.For(register));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select {register.IdProperty} from {register.Table} where superseded_at is null and {sql} order by 1", connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return [.. ids];
    }
}

/// <summary>Filters on the registers' queryables, run on the tables the registry keeps.</summary>
public class Cql2RegisterTests(Cql2RegisterFixture registry) : IClassFixture<Cql2RegisterFixture>
{
    private Task<string[]> DesignationsAsync(string filter) => registry.IdsAsync(RegisterCatalogue.Designations, filter);

    private static string[] Ids(string ids) => ids.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task EveryQueryableOfEveryRegisterIsAColumnOrExpressionOfItsTable()
    {
        await registry.SeededAsync();
        await using var connection = new NpgsqlConnection(registry.ConnectionString);
        await connection.OpenAsync();
        foreach (var register in RegisterCatalogue.All)
        {
            var columns = string.Join(", ", Queryables.For(register).Properties.Select(p => p.Column));
            await using var command = new NpgsqlCommand($"select {columns} from {register.Table} limit 1", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData("scheme = 'citizen_green_space'", "D-2")]
    [InlineData("scheme IN ('preserved_woodland', 'citizen_green_space')", "D-2 D-3")]
    [InlineData("name LIKE '%緑%'", "D-1")]
    [InlineData("CASEI(name) LIKE CASEI('%green%')", "D-2 D-3")]
    [InlineData("reported_area_m2 BETWEEN 400 AND 600", "D-2")]
    [InlineData("reported_area_m2 IS NULL", "D-3")]
    [InlineData("lifted_on IS NOT NULL", "D-2")]
    [InlineData("DESIGNATED_ON < DATE('2012-01-01')", "D-1")]
    [InlineData("designated_on >= DATE('2015-06-01') AND designated_on < DATE('2020-04-01')", "D-2")]
    [InlineData("area_ha > 2", "D-3")]
    [InlineData("area_ha BETWEEN 0.5 AND 2", "D-1 D-2")]
    [InlineData("version = 2", "D-1")]
    [InlineData("recorded_at > TIMESTAMP('2000-01-01T00:00:00Z')", "D-1 D-2 D-3")]
    [InlineData("parcel_id <> 'D-1'", "D-2 D-3")]
    [InlineData("lifted_on > designated_on", "D-2")]
    public async Task ComparisonsOnTheRegisterColumnsSelectTheRightParcels(string filter, string ids) =>
        Assert.Equal(Ids(ids), await DesignationsAsync(filter));

    // D-1 2010-04-01 → open; D-2 2015-06-01 → 2020-03-31; D-3 2020-04-01 → open. Intervals are closed at both ends.
    [Theory]
    [InlineData("T_INTERSECTS(INTERVAL(designated_on, lifted_on), INTERVAL('2021-01-01', '2021-12-31'))", "D-1 D-3")]
    [InlineData("T_INTERSECTS(INTERVAL(designated_on, lifted_on), INTERVAL('2020-03-31', '2020-03-31'))", "D-1 D-2")]
    [InlineData("T_DISJOINT(INTERVAL(designated_on, lifted_on), INTERVAL('2020-04-01', '2020-12-31'))", "D-2")]
    [InlineData("T_DURING(INTERVAL(designated_on, lifted_on), INTERVAL('2015-01-01', '2021-01-01'))", "D-2")]
    [InlineData("T_CONTAINS(INTERVAL(designated_on, lifted_on), INTERVAL('2012-01-01', '2013-01-01'))", "D-1")]
    [InlineData("T_MEETS(INTERVAL(designated_on, lifted_on), INTERVAL('2020-03-31', '..'))", "D-2")]
    [InlineData("T_METBY(INTERVAL(designated_on, lifted_on), INTERVAL('..', '2020-04-01'))", "D-3")]
    [InlineData("T_STARTS(INTERVAL(designated_on, lifted_on), INTERVAL('2015-06-01', '2030-01-01'))", "D-2")]
    [InlineData("T_STARTEDBY(INTERVAL(designated_on, lifted_on), INTERVAL('2015-06-01', '2016-01-01'))", "D-2")]
    [InlineData("T_FINISHES(INTERVAL(designated_on, lifted_on), INTERVAL('2014-01-01', '2020-03-31'))", "D-2")]
    [InlineData("T_FINISHEDBY(INTERVAL(designated_on, lifted_on), INTERVAL('2016-01-01', '2020-03-31'))", "D-2")]
    [InlineData("T_FINISHEDBY(INTERVAL(designated_on, lifted_on), INTERVAL('2016-01-01', '..'))", "D-1")]
    [InlineData("T_OVERLAPS(INTERVAL(designated_on, lifted_on), INTERVAL('2019-01-01', '2021-01-01'))", "D-2")]
    [InlineData("T_OVERLAPPEDBY(INTERVAL(designated_on, lifted_on), INTERVAL('2012-01-01', '2016-01-01'))", "D-2")]
    [InlineData("T_EQUALS(INTERVAL(designated_on, lifted_on), INTERVAL('2020-04-01', '..'))", "D-3")]
    [InlineData("T_BEFORE(designated_on, DATE('2015-06-01'))", "D-1")]
    [InlineData("T_AFTER(designated_on, DATE('2015-06-01'))", "D-3")]
    [InlineData("T_EQUALS(designated_on, DATE('2015-06-01'))", "D-2")]
    [InlineData("T_INTERSECTS(designated_on, INTERVAL('2015-01-01', '2020-12-31'))", "D-2 D-3")]
    [InlineData("T_BEFORE(INTERVAL(designated_on, lifted_on), DATE('2020-04-01'))", "D-2")]
    [InlineData("T_AFTER(recorded_at, TIMESTAMP('2000-01-01T00:00:00Z'))", "D-1 D-2 D-3")]
    [InlineData("T_INTERSECTS(recorded_at, INTERVAL('..', '2000-01-01T00:00:00Z'))", "")]
    [InlineData("T_DURING(INTERVAL('2016-01-01', '2017-01-01'), INTERVAL(designated_on, lifted_on))", "D-1 D-2")]
    public async Task TemporalFunctionsTreatTheInForcePeriodAsAClosedIntervalOpenWhileNotLifted(string filter, string ids) =>
        Assert.Equal(Ids(ids), await DesignationsAsync(filter));

    // D-1 [139.400, 139.401] × [35.780, 35.781], D-2 [139.420, 139.421] × [35.790, 35.791], D-3 [139.500, 139.502] × [35.800, 35.802].
    [Theory]
    [InlineData("S_INTERSECTS(geometry, BBOX(139.39, 35.77, 139.43, 35.80))", "D-1 D-2")]
    [InlineData("S_INTERSECTS(geometry, POINT(139.5005 35.8005))", "D-3")]
    [InlineData("S_WITHIN(geometry, BBOX(139.3, 35.7, 139.6, 35.9))", "D-1 D-2 D-3")]
    [InlineData("S_WITHIN(geometry, BBOX(139.3, 35.7, 139.501, 35.9))", "D-1 D-2")]
    [InlineData("S_CONTAINS(geometry, POINT(139.5005 35.8005))", "D-3")]
    [InlineData("S_CONTAINS(geometry, LINESTRING(139.4202 35.7902, 139.4208 35.7908))", "D-2")]
    [InlineData("S_DISJOINT(geometry, BBOX(139.39, 35.77, 139.41, 35.79))", "D-2 D-3")]
    [InlineData("S_TOUCHES(geometry, POINT(139.40 35.78))", "D-1")]
    [InlineData("S_TOUCHES(geometry, POLYGON((139.401 35.780, 139.402 35.780, 139.402 35.781, 139.401 35.781, 139.401 35.780)))", "D-1")]
    [InlineData("S_EQUALS(geometry, POLYGON((139.42 35.79, 139.421 35.79, 139.421 35.791, 139.42 35.791, 139.42 35.79)))", "D-2")]
    [InlineData("S_OVERLAPS(geometry, BBOX(139.4005, 35.7805, 139.41, 35.79))", "D-1")]
    [InlineData("S_CROSSES(geometry, LINESTRING(139.49 35.801, 139.51 35.801))", "D-3")]
    [InlineData("S_CROSSES(LINESTRING(139.49 35.801, 139.51 35.801), geometry)", "D-3")]
    [InlineData("S_INTERSECTS(geometry, MULTIPOINT((139.4005 35.7805), (139.5005 35.8005)))", "D-1 D-3")]
    [InlineData("S_INTERSECTS(geometry, MULTILINESTRING((139.39 35.7805, 139.41 35.7805), (139.0 35.0, 139.1 35.1)))", "D-1")]
    [InlineData("S_INTERSECTS(geometry, MULTIPOLYGON(((139.4205 35.7905, 139.43 35.7905, 139.43 35.80, 139.4205 35.7905))))", "D-2")]
    [InlineData("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(139.5005 35.8005), POLYGON((139.3 35.7, 139.41 35.7, 139.41 35.785, 139.3 35.785, 139.3 35.7)), POLYGON((139.35 35.7, 139.405 35.7, 139.405 35.7805, 139.35 35.7805, 139.35 35.7))))", "D-1 D-3")]
    [InlineData("S_WITHIN(geometry, GEOMETRYCOLLECTION(POLYGON((139.3 35.7, 139.41 35.7, 139.41 35.785, 139.3 35.785, 139.3 35.7)), POLYGON((139.35 35.7, 139.405 35.7, 139.405 35.7805, 139.35 35.7805, 139.35 35.7))))", "D-1")]
    [InlineData("S_INTERSECTS(geometry, POINT Z (139.5005 35.8005 12))", "D-3")]
    [InlineData("S_INTERSECTS(geometry, BBOX(139.39, 35.77, 0, 139.43, 35.80, 100))", "D-1 D-2")]
    public async Task SpatialFunctionsRelateTheParcelsToGeometryLiterals(string filter, string ids) =>
        Assert.Equal(Ids(ids), await DesignationsAsync(filter));

    [Theory]
    [InlineData("geometry IS NULL", "A-2")]
    [InlineData("S_INTERSECTS(geometry, BBOX(139.3, 35.7, 139.6, 35.9))", "A-1")]
    [InlineData("NOT S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))", "A-1")]
    [InlineData("participants IS NULL", "A-2")]
    [InlineData("kind = 'workshop' AND held_on = DATE('2025-07-01')", "A-2")]
    [InlineData("T_AFTER(held_on, DATE('2025-06-01'))", "A-2")]
    public async Task ActivitiesWithoutAPlaceAreNeverInsideOrOutsideAnything(string filter, string ids) =>
        Assert.Equal(Ids(ids), await registry.IdsAsync(RegisterCatalogue.Activities, filter));
}
