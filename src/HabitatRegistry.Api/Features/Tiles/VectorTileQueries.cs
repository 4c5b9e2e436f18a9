using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using Npgsql;
using NpgsqlTypes;

namespace HabitatRegistry.Features.Tiles;

/// <summary>
/// The SQL that cuts a tile: PostGIS selects what reaches into it (GiST index), moves it onto the tile's 4096-unit grid,
/// simplifying what is finer than a unit and clipping 64 units beyond the edge (ST_AsMVTGeom), and encodes the layer (ST_AsMVT).
/// </summary>
public static class VectorTileQueries
{
    /// <summary>Units across a tile (the grid geometries are snapped to).</summary>
    public const int Extent = 4096;

    /// <summary>Units drawn beyond each edge, so that lines and outlines join up across tiles.</summary>
    public const int Buffer = 64;

    /// <summary>The margin ST_TileEnvelope takes, as a share of the tile's width.</summary>
    public const double Margin = (double)Buffer / Extent;

    /// <summary>The properties a register's tiles carry, with their types as TileJSON names them: what a map labels, colours and filters by.</summary>
    public static IReadOnlyList<(string Name, string Type, string Sql)> Properties(RegisterSchema register)
    {
        var properties = new List<(string, string, string)> { ("id", "String", register.IdProperty) };
        foreach (var field in register.Fields)
        {
            properties.Add(field.Kind switch
            {
                // Vector tiles have no dates: the ISO text compares and sorts as the dates do.
                FieldKind.Date => (field.Name, "String", $"to_char({field.Name}, 'YYYY-MM-DD')"),
                FieldKind.Number => (field.Name, "Number", $"{field.Name}::float8"),
                _ => (field.Name, "String", field.Name),
            });
        }
        // Trust land is recorded but is not public ownership: a map shows it apart.
        if (register == RegisterCatalogue.Acquisitions) properties.Add(("trust_land", "Boolean", "acquired_by = 'trust'"));
        if (register.Geometry == RegisterGeometry.Land) properties.Add(("area_ha", "Number", $"round(({RegisterSchema.AreaColumn} / 10000)::numeric, 4)::float8"));
        properties.Add(("version", "Number", "version"));
        return properties;
    }

    /// <summary>A register's tile: its records that pass <paramref name="filter"/> (current versions, in force on the datetime asked).</summary>
    public static NpgsqlCommand RegisterTile(NpgsqlDataSource dataSource, RegisterSchema register, FeatureFilter filter, int zoom, int row, int column)
    {
        var tile = filter.Tile(zoom, row, column, Margin);
        var columns = string.Join(", ", Properties(register).Select(p => $"{p.Sql} as \"{p.Name}\""));
        // The layer's name comes from the catalogue, never from the request. The table's own key identifies the feature
        // (one per version), so a map can keep state per feature.
        var command = dataSource.CreateCommand($"""
            select ST_AsMVT(t, '{register.Name}', {Extent}, 'geom', 'fid') from (
              select id as fid, {columns}, ST_AsMVTGeom(ST_Transform(geom, 3857), {tile}, {Extent}, {Buffer}, true) as geom
              from {register.Table} where {filter.Where}
            ) t where geom is not null
            """);
        filter.AddParameters(command);
        return command;
    }

    /// <summary>
    /// A tile of features computed in .NET (the network's): their lon/lat geometries (WKB) and properties (JSON objects)
    /// go in as arrays, and PostGIS cuts and encodes them as it does the registers'.
    /// </summary>
    public static NpgsqlCommand ComputedTile(NpgsqlDataSource dataSource, string layer, IReadOnlyList<ComputedFeature> features, int zoom, int row, int column)
    {
        var writer = new NetTopologySuite.IO.WKBWriter();
        var command = dataSource.CreateCommand($"""
            select ST_AsMVT(t, $1, {Extent}, 'geom', 'fid') from (
              select f.fid, f.properties, ST_AsMVTGeom(ST_Transform(ST_GeomFromWKB(f.shape, 4326), 3857), ST_TileEnvelope($2, $3, $4), {Extent}, {Buffer}, true) as geom
              from unnest($5::bytea[], $6::jsonb[]) with ordinality f(shape, properties, fid)
            ) t where geom is not null
            """);
        command.Parameters.Add(new() { Value = layer });
        command.Parameters.Add(new() { Value = zoom });
        command.Parameters.Add(new() { Value = column });
        command.Parameters.Add(new() { Value = row });
        command.Parameters.Add(new() { Value = features.Select(f => writer.Write(f.Geometry)).ToArray() });
        command.Parameters.Add(new() { Value = features.Select(Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return command;
    }

    private static string Json(ComputedFeature feature)
    {
        var properties = new Dictionary<string, object?> { ["id"] = feature.Id };
        foreach (var (name, value) in feature.Properties) properties[name] = value;
        return System.Text.Json.JsonSerializer.Serialize(properties, Http.Json.Web);
    }
}
