using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HabitatRegistry.Features.Reports;

/// <summary>How areas are measured.</summary>
public enum AreaMethod
{
    /// <summary>On the GRS80/WGS84 ellipsoid: PostGIS ST_Area(geography).</summary>
    Ellipsoidal,

    /// <summary>In the city's Japan Plane Rectangular CS zone (0.017–0.019 % smaller in Tokorozawa).</summary>
    Planar,
}

/// <summary>Restricts a register to records whose code field has one of the values (e.g. schemes).</summary>
public sealed record CodeFilter(string Field, IReadOnlyList<string> Values);

/// <summary>
/// The area of the union of a register's records in force at each date, so overlapping records, land under two
/// schemes and boundary corrections count once: each record's area and the pairs of records that overlap are stored
/// when they are imported, so the report only reads them and unions the overlapping groups; <see cref="UnionAreaSeries"/> does the bookkeeping.
/// </summary>
public sealed class AreaCalculator(NpgsqlDataSource dataSource, IOptions<HabitatOptions> options)
{
    private TimeSpan TimeLimit => TimeSpan.FromSeconds(options.Value.ReportTimeLimitSeconds);

    /// <param name="recordedAt">the register as it was recorded at that moment; null: as it is now</param>
    public async Task<IReadOnlyList<AreaAtDate>> ComputeAsync(
        RegisterSchema register, IReadOnlyList<DateOnly> dates, AreaMethod method, int planarSrid,
        CodeFilter? filter = null, DateTimeOffset? recordedAt = null, CancellationToken cancellationToken = default)
    {
        var table = register.Table;
        var area = method == AreaMethod.Planar ? "ST_Area(ST_Transform({0}, $1))" : "ST_Area({0}::geography)";
        var recordArea = method == AreaMethod.Planar ? string.Format(null, area, "r.geom") : $"r.{RegisterSchema.AreaColumn}";
        string Filter(string alias) => filter is null ? "" : $" and {alias}.{register.Field(filter.Field).Name} = any($2)";
        string Versions(string alias) => recordedAt is null ? $"{alias}.superseded_at is null" : RegisterSchema.VersionsAt("$3", $"{alias}.");
        NpgsqlCommand Command(string sql, NpgsqlConnection connection)
        {
            var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)TimeLimit.TotalSeconds + 30 };
            command.Parameters.Add(new() { Value = planarSrid });
            command.Parameters.Add(new() { Value = filter?.Values.ToArray() ?? [] });
            if (recordedAt is { } moment) command.Parameters.Add(new() { Value = moment });
            return command;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // A report that runs away is stopped by the server and answered in words (a 503: see ProblemResponses).
        await using (var limit = new NpgsqlCommand($"set local statement_timeout = '{Math.Max(1, (int)TimeLimit.TotalMilliseconds)}ms'", connection))
        {
            await limit.ExecuteNonQueryAsync(cancellationToken);
        }

        var records = new List<AreaRecord>();
        await using (var command = Command($"""
            select r.id, r.{register.InForceFrom}, r.{register.InForceTo ?? "null::date"}, {recordArea}
            from {table} r where {Versions("r")}{Filter("r")}
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var until = reader.IsDBNull(2) ? (DateOnly?)null : reader.GetFieldValue<DateOnly>(2);
                records.Add(new(reader.GetInt64(0), new(reader.GetFieldValue<DateOnly>(1), until), reader.GetDouble(3)));
            }
        }

        var overlaps = new List<(long, long)>();
        await using (var command = Command($"""
            select o.a, o.b from {register.OverlapsTable} o
            join {table} a on a.id = o.a join {table} b on b.id = o.b
            where {Versions("a")} and {Versions("b")}{Filter("a")}{Filter("b")}
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) overlaps.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        async Task<IReadOnlyList<double>> UnionAreas(IReadOnlyList<long[]> sets, CancellationToken ct)
        {
            var keys = sets.SelectMany((ids, k) => ids.Select(_ => k)).ToArray();
            var ids = sets.SelectMany(ids => ids).ToArray();
            await using var command = new NpgsqlCommand($"""
                select s.k, {string.Format(null, area, "ST_Union(r.geom)")}
                from unnest($2::int[], $3::bigint[]) s(k, id) join {table} r on r.id = s.id
                group by s.k
                """, connection) { CommandTimeout = (int)TimeLimit.TotalSeconds + 30 };
            command.Parameters.Add(new() { Value = planarSrid });
            command.Parameters.Add(new() { Value = keys });
            command.Parameters.Add(new() { Value = ids });
            var areas = new double[sets.Count];
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) areas[reader.GetInt32(0)] = reader.GetDouble(1);
            return areas;
        }

        return await UnionAreaSeries.ComputeAsync(records, overlaps, dates, UnionAreas, cancellationToken);
    }
}
