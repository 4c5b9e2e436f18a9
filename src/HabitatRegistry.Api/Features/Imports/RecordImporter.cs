using System.Text.Json.Serialization;
using HabitatRegistry.Features.Audit;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Http;
using Npgsql;
using NpgsqlTypes;

namespace HabitatRegistry.Features.Imports;

/// <summary>What an import did (or, in a dry run, would do) to the register.</summary>
public sealed record ImportReport(
    string Register,
    bool DryRun,
    long? ImportId,
    int Features,
    int Created,
    int Updated,
    int Unchanged,
    string? SourceCrs,
    IReadOnlyList<RecordChange> Changes,
    bool ChangesTruncated,
    IReadOnlyList<string> Warnings) : IAuditedOutcome
{
    [JsonIgnore]
    public string? AuditDetail => DryRun || Created + Updated == 0 ? null : $"{Created} created, {Updated} updated, {Unchanged} unchanged (import {ImportId})";
}

/// <summary>A record the import created or gave a new version (status created, updated, or restored after a withdrawal), and which of its properties changed.</summary>
public sealed record RecordChange(string RecordId, string Status, int Version, IReadOnlyList<string> Changed);

/// <summary>Who sent an upload and how, recorded with the versions it creates.</summary>
/// <param name="Author">the signed-in name (a key's name, a token's subject), or "… (command line)"</param>
/// <param name="Note">the sender's own note (?by=)</param>
/// <param name="OnlyNew">records must not exist yet (creating one record); otherwise the import stops with <see cref="RecordExistsException"/></param>
/// <param name="OnlyCurrent">records must exist and be current (replacing one record); otherwise it stops with <see cref="RecordMissingException"/></param>
/// <param name="AtVersion">the current version must be this one (a change based on what was read); otherwise it stops with <see cref="RecordVersionException"/></param>
public sealed record ImportSource(string? FileName, string Author, string? Note, bool DryRun, bool OnlyNew = false, bool OnlyCurrent = false, int? AtVersion = null);

/// <summary>An import of new records only found one that exists (or existed and was withdrawn); nothing was stored.</summary>
public sealed class RecordExistsException(string recordId) : Exception($"The record {recordId} exists already.")
{
    public string RecordId { get; } = recordId;
}

/// <summary>A change to a current record found none (never recorded, or withdrawn); nothing was stored.</summary>
public sealed class RecordMissingException(string recordId) : Exception($"There is no current record {recordId}.")
{
    public string RecordId { get; } = recordId;
}

/// <summary>A change based on one version of a record found another one current; nothing was stored.</summary>
public sealed class RecordVersionException(string recordId, int current) : Exception($"The record {recordId} is at version {current}.")
{
    public string RecordId { get; } = recordId;

    public int Current { get; } = current;
}

/// <summary>
/// Stores checked rows as new versions, all or nothing: rows are streamed with binary COPY into a staging
/// table, compared with the current versions in one statement, and only records that changed get a new
/// version. Re-sending a file therefore changes nothing. Serves every register: parcels, activities and habitat patches.
/// </summary>
public sealed class RecordImporter(NpgsqlDataSource dataSource, ILogger<RecordImporter> logger)
{
    private const int ListedChanges = 1000;
    private const int AnalyzeAfter = 1000;

    /// <summary>
    /// Reads, checks and stores an upload in one pass, a feature at a time: the rows that pass stream into the database as
    /// they are read, and if any feature has a problem the transaction is rolled back and nothing is stored. Returns the
    /// report, or null (with the problems in the checked upload) when the upload cannot be stored.
    /// </summary>
    public async Task<(ImportReport? Report, CheckedUpload Checked)> ImportAsync(FeatureUpload features, ImportSource source, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var register = features.Register;
        var upload = new CheckedUpload();
        var sql = ImportSql.For(register);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await Execute(connection, sql.CreateStaging, cancellationToken);
        await CopyRowsAsync(connection, register, sql.Copy, FeatureCollectionReader.Rows(features, upload), cancellationToken);
        if (!upload.IsValid) return (null, upload); // rolled back: nothing is stored

        // One import per register at a time, so two uploads cannot both create version n+1; reads go on.
        await Execute(connection, $"lock table {register.Table} in share row exclusive mode", cancellationToken);
        await Execute(connection, ChangeTime.Take(register), cancellationToken);
        long importId;
        await using (var insertRun = Unbounded(
            "insert into import_runs (register, file_name, author, note, source_crs, created, updated, unchanged) values ($1, $2, $3, $4, $5, 0, 0, 0) returning id",
            connection))
        {
            insertRun.Parameters.Add(new() { Value = register.Name });
            insertRun.Parameters.Add(new() { Value = (object?)source.FileName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insertRun.Parameters.Add(new() { Value = source.Author });
            insertRun.Parameters.Add(new() { Value = (object?)source.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insertRun.Parameters.Add(new() { Value = (object?)upload.SourceCrs ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            importId = (long)(await insertRun.ExecuteScalarAsync(cancellationToken))!;
        }

        await Execute(connection, sql.Compare, cancellationToken);
        if (source.OnlyNew)
        {
            // Decided under the register's lock: of clients creating the same record at once, one wins.
            await using var existing = Unbounded("select record_id from import_staging where status <> 'created' limit 1", connection);
            if (await existing.ExecuteScalarAsync(cancellationToken) is string id) throw new RecordExistsException(id);
        }
        if (source.OnlyCurrent || source.AtVersion is not null)
        {
            // Also under the lock: of clients changing the same version at once, one wins and the others learn it changed.
            await using var state = Unbounded("select record_id, status in ('created', 'restored'), previous_version from import_staging", connection);
            await using var reader = await state.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (source.OnlyCurrent && reader.GetBoolean(1)) throw new RecordMissingException(reader.GetString(0));
                if (source.AtVersion is { } expected && !reader.GetBoolean(1) && reader.GetInt32(2) != expected)
                    throw new RecordVersionException(reader.GetString(0), reader.GetInt32(2));
            }
        }

        var changes = new List<RecordChange>();
        int created = 0, updated = 0, unchanged = 0;
        await using (var apply = Unbounded(sql.Apply, connection))
        {
            apply.Parameters.Add(new() { Value = importId });
            await using var reader = await apply.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var status = reader.GetString(1);
                _ = status switch { "created" => created++, "updated" or "restored" => updated++, _ => unchanged++ };
                if (status != "unchanged" && changes.Count < ListedChanges)
                {
                    changes.Add(new(reader.GetString(0), status, reader.GetInt32(2), reader.GetFieldValue<string[]>(3)));
                }
            }
        }

        // A table that has never been analysed gets a disastrous plan for the overlap join after its first
        // bulk load (minutes instead of a second), and autovacuum comes too late; ANALYZE sees this
        // transaction's own new rows. A dry run would roll both back, so it skips them.
        if (!source.DryRun && created + updated >= AnalyzeAfter)
        {
            await Execute(connection, $"analyze {register.Table}", cancellationToken);
        }
        if (!source.DryRun && sql.RecordOverlaps is not null && created + updated > 0)
        {
            await using var overlaps = Unbounded(sql.RecordOverlaps, connection);
            overlaps.Parameters.Add(new() { Value = importId });
            await overlaps.ExecuteNonQueryAsync(cancellationToken);
        }

        // An upload that changed nothing leaves no trace, so re-sending files does not clutter the history.
        var changedAnything = created + updated > 0;
        await using (var finish = Unbounded(changedAnything
            ? "update import_runs set created = $2, updated = $3, unchanged = $4 where id = $1"
            : "delete from import_runs where id = $1", connection))
        {
            finish.Parameters.Add(new() { Value = importId });
            if (changedAnything)
            {
                foreach (var count in new[] { created, updated, unchanged }) finish.Parameters.Add(new() { Value = count });
            }
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        if (source.DryRun) await transaction.RollbackAsync(cancellationToken);
        else await transaction.CommitAsync(cancellationToken);
        ServiceLog.Imported(logger, source.DryRun || !changedAnything ? null : importId, register.Name, source.Author, upload.FeatureCount,
            created, updated, unchanged, clock.ElapsedMilliseconds, source.DryRun ? " (dry run: nothing stored)" : "");

        return (new ImportReport(register.Name, source.DryRun, source.DryRun || !changedAnything ? null : importId, upload.FeatureCount,
            created, updated, unchanged, upload.SourceCrs, changes, created + updated > changes.Count, upload.Warnings), upload);
    }

    private static async Task CopyRowsAsync(NpgsqlConnection connection, RegisterSchema register, string copy, IEnumerable<RecordRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.Index, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(row.RecordId, NpgsqlDbType.Text, cancellationToken);
            for (var i = 0; i < register.Fields.Count; i++)
            {
                var value = row.Values[i];
                if (value is null) await writer.WriteNullAsync(cancellationToken);
                else await writer.WriteAsync(value, DbType(register.Fields[i].Kind), cancellationToken);
            }
            if (row.Attributes is null) await writer.WriteNullAsync(cancellationToken);
            else await writer.WriteAsync(row.Attributes, NpgsqlDbType.Jsonb, cancellationToken);
            if (row.Geometry is null) await writer.WriteNullAsync(cancellationToken);
            else await writer.WriteAsync(row.Geometry, NpgsqlDbType.Geometry, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static NpgsqlDbType DbType(FieldKind kind) => kind switch
    {
        FieldKind.Date => NpgsqlDbType.Date,
        FieldKind.Number => NpgsqlDbType.Numeric,
        _ => NpgsqlDbType.Text,
    };

    /// <summary>
    /// A command of the import, without the default 30-second limit: a large upload takes minutes, and so may the wait for
    /// another import of the same register. The request's cancellation (the client gone) stops it.
    /// </summary>
    internal static NpgsqlCommand Unbounded(string sql, NpgsqlConnection connection) => new(sql, connection) { CommandTimeout = 0 };

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Unbounded(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The import's SQL for one register, built from the register's fixed column list (never from a request).</summary>
/// <param name="RecordOverlaps">land registers: adds the overlaps of this import's new versions with the current ones ($1 = import id)</param>
internal sealed record ImportSql(string CreateStaging, string Copy, string Compare, string Apply, string? RecordOverlaps)
{
    private static readonly Dictionary<string, ImportSql> Cache = RegisterCatalogue.All.ToDictionary(r => r.Name, Build);

    public static ImportSql For(RegisterSchema register) => Cache[register.Name];

    private static ImportSql Build(RegisterSchema register)
    {
        var table = register.Table;
        var id = register.IdProperty;
        var fields = register.Fields.Select(f => f.Name).ToList();
        var columnTypes = string.Join(", ", register.Fields.Select(f => $"{f.Name} {f.Kind switch { FieldKind.Date => "date", FieldKind.Number => "numeric", _ => "text" }}"));
        var list = string.Join(", ", fields);

        var createStaging = $"""
            create temp table import_staging (
                ord int, record_id text, {columnTypes}, attributes jsonb, geom geometry(Geometry, 4326),
                status text, previous_id bigint, previous_version int, changes text[]
            ) on commit drop
            """;
        var copy = $"copy import_staging (ord, record_id, {list}, attributes, geom) from stdin (format binary)";

        // Names of the properties that differ from the current version. Geometry: identical coordinates
        // first (cheap), then topological equality, so a re-wound or re-started ring is not a change.
        var differences = string.Join(",\n            ", fields.Select(f => $"case when s.{f} is distinct from c.{f} then '{f}' end")
            .Append("case when s.attributes is distinct from c.attributes then 'attributes' end")
            .Append("""
                case when s.geom is null and c.geom is null then null
                     when s.geom is null or c.geom is null then 'geometry'
                     when ST_OrderingEquals(s.geom, c.geom) then null
                     when ST_Equals(s.geom, c.geom) then null else 'geometry' end
                """));
        var compare = $"""
            update import_staging s set previous_id = c.id, previous_version = c.version,
                changes = array_remove(array[
                    {differences}]::text[], null)
            from {table} c
            where c.{id} = s.record_id and c.superseded_at is null;
            -- A record with versions but none current was withdrawn: it comes back as the version after its withdrawal.
            update import_staging s set previous_version = w.version
            from (select {id}, max(version) version from {table}
                  where {id} in (select record_id from import_staging where previous_id is null) group by {id}) w
            where w.{id} = s.record_id and s.previous_id is null;
            update import_staging set status = case
                when previous_id is not null and cardinality(changes) = 0 then 'unchanged'
                when previous_id is not null then 'updated'
                when previous_version is not null then 'restored'
                else 'created' end,
                changes = case when previous_id is null then array[case when previous_version is null then 'created' else 'restored' end] else changes end;
            update {table} c set superseded_at = {ChangeTime.Value}
            from import_staging s where s.previous_id = c.id and s.status = 'updated';
            """;
        var apply = $"""
            with inserted as (
                insert into {table} ({id}, version, {list}, attributes, geom, import_id, changes, recorded_at)
                select record_id, coalesce(previous_version, 0) + 1, {list}, attributes, geom, $1, changes, {ChangeTime.Value}
                from import_staging where status <> 'unchanged'
                order by ord
                returning {id})
            select record_id, status, coalesce(previous_version, 0) + case when status = 'unchanged' then 0 else 1 end, changes
            from import_staging order by ord
            """;
        // The area accounting unions overlapping land records; finding them is the costly part, so each import
        // finds them for what it adds, once, instead of every report finding all of them again.
        var recordOverlaps = register.Geometry != RegisterGeometry.Land ? null : $"""
            insert into {register.OverlapsTable} (a, b)
            select least(n.id, c.id), greatest(n.id, c.id)
            from {table} n join {table} c on c.id <> n.id and c.superseded_at is null
              and n.geom && c.geom and ST_Relate(n.geom, c.geom, 'T********')
            where n.import_id = $1
            on conflict do nothing
            """;
        return new(createStaging, copy, compare, apply, recordOverlaps);
    }
}
