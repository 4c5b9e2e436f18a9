using HabitatRegistry.Data;
using HabitatRegistry.Features.Registers;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.Network;

/// <summary>A node of the network: a habitat patch (or a protected parcel used as one), weighted by area × quality.</summary>
/// <param name="Source">the register it comes from (habitat-patches, designations, acquisitions) or "candidate"</param>
/// <param name="Geometry">the patch's polygon, when asked for (maps)</param>
public sealed record PatchNode(string Source, string PatchId, double AreaHa, double Quality, Geometry? Geometry = null)
{
    /// <summary>The node attribute of the indices: area in ha × quality.</summary>
    public double Weight => AreaHa * Quality;
}

/// <summary>Two patches whose edge-to-edge distance (m, on the GRS80 ellipsoid) is within the threshold.</summary>
/// <param name="Line">the shortest segment between the two patches, when asked for (maps)</param>
public sealed record PatchLink(int From, int To, double DistanceM, Geometry? Line = null);

/// <summary>The patches and the links between them for one threshold.</summary>
public sealed record PatchGraph(IReadOnlyList<PatchNode> Nodes, IReadOnlyList<PatchLink> Links);

/// <summary>Which records are the network's patches.</summary>
/// <param name="Designations">add designations in force on <paramref name="AsOf"/> as patches of quality 1</param>
/// <param name="Acquisitions">add acquisitions in force on <paramref name="AsOf"/> as patches of quality 1</param>
public sealed record PatchSources(bool Designations, bool Acquisitions, DateOnly AsOf);

/// <summary>A polygon that would become habitat, for scenarios.</summary>
public sealed record Candidate(string Id, Geometry Geometry, double Quality);

/// <summary>
/// Builds the graph in PostGIS: the chosen patches go into a temporary table with a GiST index, and links
/// are found by an index join (a bounding-box expansion by the threshold, then ST_DWithin on the
/// ellipsoid), never by scanning all pairs. Distances are edge to edge; touching or overlapping
/// patches are at distance 0. The rule is d ≤ threshold (as Graphab).
/// </summary>
public sealed class PatchGraphBuilder(NpgsqlDataSource dataSource, IOptions<HabitatOptions> options)
{
    /// <param name="withGeometry">also read each patch's polygon and each link's shortest segment</param>
    public async Task<PatchGraph> BuildAsync(PatchSources sources, double threshold, IReadOnlyList<Candidate> candidates, bool withGeometry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        await using (var create = new NpgsqlCommand(CollectPatchesSql(sources), connection))
        {
            create.Parameters.Add(new() { Value = sources.AsOf });
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        if (candidates.Count > 0)
        {
            // A candidate adds only the land that is not habitat already: the part outside the existing patches.
            await using var add = new NpgsqlCommand("""
                insert into network_patches (ix, source, patch_id, area_m2, quality, geom)
                select (select count(*) from network_patches)::int + c.ord - 1, 'candidate', c.id,
                       ST_Area(coalesce(ST_Difference(c.geom, (select ST_Union(p.geom) from network_patches p where p.geom && c.geom and ST_Intersects(p.geom, c.geom))), c.geom)::geography),
                       c.quality, c.geom
                from unnest($1::text[], $2::geometry[], $3::float8[]) with ordinality c(id, geom, quality, ord)
                """, connection);
            add.Parameters.Add(new() { Value = candidates.Select(c => c.Id).ToArray() });
            add.Parameters.Add(new() { Value = candidates.Select(c => c.Geometry).ToArray() });
            add.Parameters.Add(new() { Value = candidates.Select(c => c.Quality).ToArray() });
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var index = new NpgsqlCommand(IndexPatchesSql, connection))
        {
            await index.ExecuteNonQueryAsync(cancellationToken);
        }

        var nodes = new List<PatchNode>();
        await using (var read = new NpgsqlCommand($"select source, patch_id, area_m2, quality, {(withGeometry ? "geom" : "null::geometry")} from network_patches order by ix", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                nodes.Add(new(reader.GetString(0), reader.GetString(1), reader.GetDouble(2) / 10_000, reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<Geometry>(4)));
        }

        var (dLon, dLat) = SearchMargins(threshold, options.Value.City.Latitude);
        var links = new List<PatchLink>();
        await using (var join = new NpgsqlCommand(LinksSql(withGeometry), connection) { CommandTimeout = 600 })
        {
            join.Parameters.Add(new() { Value = threshold });
            join.Parameters.Add(new() { Value = dLon });
            join.Parameters.Add(new() { Value = dLat });
            await using var reader = await join.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var distance = reader.GetDouble(2);
                if (distance <= threshold) links.Add(new(reader.GetInt32(0), reader.GetInt32(1), distance, reader.IsDBNull(3) ? null : reader.GetFieldValue<Geometry>(3)));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new PatchGraph(nodes, links);
    }

    /// <summary>The GiST index the link join searches (named, so a test can find it in the plan).</summary>
    internal const string PatchIndex = "network_patches_geom";

    internal const string IndexPatchesSql = $"create index {PatchIndex} on network_patches using gist (geom); analyze network_patches";

    /// <summary>Collects the chosen patches into the transaction's temporary table network_patches ($1 = the as-of date).</summary>
    internal static string CollectPatchesSql(PatchSources sources)
    {
        var patches = RegisterCatalogue.HabitatPatches;
        var parts = new List<string>
        {
            $"select 'habitat-patches' source, {patches.IdProperty} patch_id, area_m2, quality::float8 quality, geom from {patches.Table} where superseded_at is null",
        };
        foreach (var register in new[] { sources.Designations ? RegisterCatalogue.Designations : null, sources.Acquisitions ? RegisterCatalogue.Acquisitions : null })
        {
            if (register is null) continue;
            parts.Add($"""
                select '{register.Name}', {register.IdProperty}, area_m2, 1.0, geom from {register.Table}
                where superseded_at is null and {register.InForceFrom} <= $1 and ({register.InForceTo} is null or {register.InForceTo} > $1)
                """);
        }
        return $"""
            create temp table network_patches on commit drop as
            select (row_number() over (order by source, patch_id) - 1)::int ix, source, patch_id, area_m2, quality, geom::geometry(Geometry, 4326) geom
            from ({string.Join("\nunion all\n", parts)}) s
            """;
    }

    /// <summary>Pairs of patches within the threshold: $1 = the threshold (m), $2 and $3 = <see cref="SearchMargins"/>.</summary>
    internal static string LinksSql(bool withGeometry) => $"""
        select a.ix, b.ix, ST_Distance(a.geom::geography, b.geom::geography), {(withGeometry ? "ST_ShortestLine(a.geom, b.geom)" : "null::geometry")}
        from network_patches a join network_patches b
          on a.ix < b.ix and b.geom && ST_Expand(a.geom, $2, $3) and ST_DWithin(a.geom::geography, b.geom::geography, $1)
        """;

    /// <summary>Degrees of longitude and latitude that surely cover the threshold near the city's latitude (a degree of longitude shrinks northwards).</summary>
    internal static (double Lon, double Lat) SearchMargins(double threshold, double cityLatitude)
    {
        var latitude = Math.Min(89, Math.Abs(cityLatitude) + 2);
        return (threshold / (111_320 * Math.Cos(latitude * Math.PI / 180)) + 1e-6, threshold / 110_000 + 1e-6);
    }
}
