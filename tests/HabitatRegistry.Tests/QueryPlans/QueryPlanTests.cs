using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Tiles;
using HabitatRegistry.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.QueryPlans;

/// <summary>
/// A city-sized registry, imported through the API once: about 4,000 designations and 3,000 habitat patches spread over
/// Tokorozawa's 40 km square, then a small later import of designations (as a week's work adds), then ANALYZE. Enough
/// rows that reading a whole table costs far more than a GiST search, so the plans below are the ones the service gets.
/// </summary>
public sealed class CitySizedRegistryFixture : RegistryFixture
{
    public const double West = 139.25, East = 139.70, South = 35.60, North = 35.95;
    private const int Columns = 64, Rows = 63, Patches = 3000, LaterParcels = 40;

    private readonly Lazy<Task> seeded;

    public CitySizedRegistryFixture() => seeded = new(SeedAsync);

    /// <summary>The id of the later import (its overlaps are the ones the import records).</summary>
    public long LaterImportId { get; private set; }

    public Task SeededAsync() => seeded.Value;

    public NpgsqlDataSource DataSource => App.Services.GetRequiredService<NpgsqlDataSource>();

    private async Task SeedAsync()
    {
        using var client = ClientWithKey(AdminKey);
        var random = new Random(2026);
        double Between(double low, double high) => low + (random.NextDouble() * (high - low));
        var cellWidth = (East - West) / Columns;
        var cellHeight = (North - South) / Rows;

        // One parcel of 50–130 m a side somewhere in each cell of a 64 × 63 grid (cells are ≈ 630 m across).
        string Parcel(double west, double south) => Box(west, south, west + Between(0.0005, 0.0014), south + Between(0.0004, 0.0012));
        var designations = new List<JsonNode>();
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var wkt = Parcel(West + (column * cellWidth) + Between(0, cellWidth / 2), South + (row * cellHeight) + Between(0, cellHeight / 2));
                designations.Add(Designation($"D-{row:D2}-{column:D2}", wkt, $"{2010 + random.Next(16)}-0{1 + random.Next(9)}-01"));
            }
        }
        await client.ImportOkAsync("designations", Collection([.. designations]));

        var patches = new List<JsonNode>();
        for (var i = 0; i < Patches; i++)
        {
            var wkt = Parcel(Between(West, East - 0.002), Between(South, North - 0.002));
            patches.Add(Feature(wkt, new { patch_id = $"P-{i:D4}", habitat = "woodland", quality = Math.Round(Between(0.3, 1), 2) }));
        }
        await client.ImportOkAsync("habitat-patches", Collection([.. patches]));

        // The later import: parcels laid across existing ones, as the overlap join finds them.
        var later = new List<JsonNode>();
        for (var i = 0; i < LaterParcels; i++)
        {
            var (row, column) = (random.Next(Rows), random.Next(Columns));
            later.Add(Designation($"L-{i:D2}", Parcel(West + (column * cellWidth) + (cellWidth / 4), South + (row * cellHeight) + (cellHeight / 4)), "2025-10-01"));
        }
        LaterImportId = (await client.ImportOkAsync("designations", Collection([.. later])))["importId"]!.GetValue<long>();

        await ExecuteAsync("analyze designations; analyze habitat_patches; analyze designations_overlaps");
    }
}

/// <summary>
/// The heavy spatial work runs in PostGIS, on its GiST indexes: each test EXPLAINs the very statement the service runs
/// (taken from the code that runs it, with a request's parameters) and reads the plan tree. The plans are asserted on their
/// node types and index names, never their costs.
/// </summary>
public sealed class QueryPlanTests(CitySizedRegistryFixture registry) : IClassFixture<CitySizedRegistryFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => registry.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheItemsBboxQueryUsesTheGistIndexOfTheGeometry()
    {
        // GET /collections/designations/items?bbox=139.46,35.78,139.49,35.80 — a neighbourhood of the city, the first page.
        var register = RegisterCatalogue.Designations;
        var filter = new FeatureFilter(register);
        Assert.Null(filter.Bbox("139.46,35.78,139.49,35.80", CrsReferences.Storage));
        var sql = FeatureCollectionResult.PageSql(register, filter, CrsReferences.Storage, OgcItems.DefaultLimit, offset: 0, withCount: true);

        var plan = await ExplainAsync(sql, filter.AddParameters);

        // The features and numberMatched (its InitPlan) each search the index, and neither reads the table through.
        Assert.True(plan.Scans("ix_designations_geom").Count == 2, $"expected the features and their count to search ix_designations_geom:\n{plan}");
        Assert.True(plan.SequentialScans("designations").Count == 0, $"the bbox query reads all of designations:\n{plan}");
    }

    [Fact]
    public async Task TheOverlapJoinOfAnImportSearchesTheGistIndexForEachNewParcel()
    {
        // What RecordImporter runs after storing an import's versions: the pairs of the new parcels with the current ones.
        var sql = ImportSql.For(RegisterCatalogue.Designations).RecordOverlaps!;

        var plan = await ExplainAsync(sql, command => command.Parameters.Add(new() { Value = registry.LaterImportId }));

        // A nested loop over the import's parcels, each looking up what its box touches: never every pair of the register.
        Assert.Contains("Nested Loop", plan.NodeTypes);
        Assert.True(plan.Scans("ix_designations_geom").Count == 1, $"expected the overlap join to search ix_designations_geom:\n{plan}");
        Assert.True(plan.SequentialScans("designations").Count == 0, $"the overlap join reads all of designations:\n{plan}");
    }

    [Fact]
    public async Task TheNetworkLinkQuerySearchesTheGistIndexOfThePatchesWithinTheThreshold()
    {
        // The small-mammals profile's threshold, as a network request for it builds the graph.
        var threshold = await registry.ScalarAsync<double>("select threshold from network_profiles where name = 'small-mammals'");
        var (dLon, dLat) = PatchGraphBuilder.SearchMargins(threshold, registry.App.Services.GetRequiredService<IOptions<HabitatOptions>>().Value.City.Latitude);
        await using var connection = await registry.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var collect = new NpgsqlCommand(PatchGraphBuilder.CollectPatchesSql(new PatchSources(false, false, new DateOnly(2026, 3, 31))), connection))
        {
            collect.Parameters.Add(new() { Value = new DateOnly(2026, 3, 31) });
            await collect.ExecuteNonQueryAsync();
        }
        await using (var index = new NpgsqlCommand(PatchGraphBuilder.IndexPatchesSql, connection)) await index.ExecuteNonQueryAsync();

        var plan = await ExplainAsync(connection, PatchGraphBuilder.LinksSql(withGeometry: false), command =>
        {
            command.Parameters.Add(new() { Value = threshold });
            command.Parameters.Add(new() { Value = dLon });
            command.Parameters.Add(new() { Value = dLat });
        });

        // Each patch (one pass over the table) looks up the patches within its expanded box: no pair is tested that the index rules out.
        Assert.Contains("Nested Loop", plan.NodeTypes);
        Assert.True(plan.Scans(PatchGraphBuilder.PatchIndex).Count == 1, $"expected the link join to search {PatchGraphBuilder.PatchIndex}:\n{plan}");
        Assert.True(plan.SequentialScans("network_patches").Count <= 1, $"the link join reads the patches more than once through:\n{plan}");
    }

    [Fact]
    public async Task TheVectorTileQueryUsesTheGistIndexOfTheGeometry()
    {
        // GET /collections/designations/tiles/WebMercatorQuad/14/6443/14539: a tile of central Tokorozawa at zoom 14 (≈ 2 km across).
        var (zoom, row, column) = (14, 6443, 14539);
        var filter = new FeatureFilter(RegisterCatalogue.Designations);
        await using var command = VectorTileQueries.RegisterTile(registry.DataSource, RegisterCatalogue.Designations, filter, zoom, row, column);

        var plan = await ExplainAsync(command.CommandText, filter.AddParameters);

        Assert.True(plan.Scans("ix_designations_geom").Count == 1, $"expected the tile query to search ix_designations_geom:\n{plan}");
        Assert.True(plan.SequentialScans("designations").Count == 0, $"the tile query reads all of designations:\n{plan}");
    }

    private async Task<QueryPlan> ExplainAsync(string sql, Action<NpgsqlCommand> addParameters)
    {
        await using var connection = await registry.DataSource.OpenConnectionAsync();
        return await ExplainAsync(connection, sql, addParameters);
    }

    /// <summary>The plan PostgreSQL makes for the statement with these parameter values (EXPLAIN without ANALYZE runs nothing).</summary>
    private static async Task<QueryPlan> ExplainAsync(NpgsqlConnection connection, string sql, Action<NpgsqlCommand> addParameters)
    {
        await using var explain = new NpgsqlCommand($"explain (format json) {sql}", connection);
        addParameters(explain);
        var json = (string)(await explain.ExecuteScalarAsync())!;
        using var document = JsonDocument.Parse(json);
        return new QueryPlan(document.RootElement[0].GetProperty("Plan"));
    }
}

/// <summary>A plan tree from EXPLAIN (FORMAT JSON), flattened into its nodes, and printed as an indented tree for failure messages.</summary>
public sealed class QueryPlan
{
    private readonly List<(int Depth, string Type, string? Relation, string? Index)> nodes = [];

    public QueryPlan(JsonElement root) => Walk(root, 0);

    public IEnumerable<string> NodeTypes => nodes.Select(n => n.Type);

    /// <summary>The index searches (Index Scan, Index Only Scan, Bitmap Index Scan) that use this index.</summary>
    public IReadOnlyList<string> Scans(string index) =>
        [.. nodes.Where(n => n.Index == index && n.Type is "Index Scan" or "Index Only Scan" or "Bitmap Index Scan").Select(n => n.Type)];

    /// <summary>The nodes that read this table from end to end.</summary>
    public IReadOnlyList<string> SequentialScans(string table) =>
        [.. nodes.Where(n => n.Relation == table && n.Type is "Seq Scan" or "Parallel Seq Scan").Select(n => n.Type)];

    private void Walk(JsonElement node, int depth)
    {
        string? Text(string name) => node.TryGetProperty(name, out var value) ? value.GetString() : null;
        nodes.Add((depth, Text("Node Type")!, Text("Relation Name"), Text("Index Name")));
        if (!node.TryGetProperty("Plans", out var children)) return;
        foreach (var child in children.EnumerateArray()) Walk(child, depth + 1);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (depth, type, relation, index) in nodes)
        {
            text.Append(' ', depth * 2).Append(type);
            if (relation is not null) text.Append(CultureInfo.InvariantCulture, $" on {relation}");
            if (index is not null) text.Append(CultureInfo.InvariantCulture, $" using {index}");
            text.AppendLine();
        }
        return text.ToString();
    }
}
