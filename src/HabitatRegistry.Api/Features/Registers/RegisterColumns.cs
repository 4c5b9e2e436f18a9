using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Http;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.Registers;

/// <summary>The columns a register's feature is read from (SQL kept next to the catalogue) and how it is written as GeoJSON.</summary>
internal static class RegisterColumns
{
    private const string AreaHaColumn = "area_ha";
    private const string AttributesColumn = "attributes";
    private const string GeometryColumn = "geom";
    private const string SupersededAtColumn = "superseded_at";

    internal static readonly HashSet<string> Reserved = ["version", "recorded_at", "area_ha"];

    // Written only in a record's history.
    internal static readonly HashSet<string> HistoryReserved = ["superseded_at", "changes", "import_id", "file_name", "author", "note", "withdrawal_reason"];

    /// <summary>A feature's columns, its geometry in <paramref name="crs"/> (default: as stored, CRS84), then <paramref name="more"/> (", …").</summary>
    public static string Select(RegisterSchema register, CrsReference? crs = null, string more = "") =>
        $"select {register.IdProperty}, version, recorded_at, {AreaHa(register, "")} as {AreaHaColumn}, {string.Join(", ", register.Fields.Select(f => f.Name))}, "
        + $"attributes::text as {AttributesColumn}, {(crs ?? CrsReferences.Storage).FromStorage("geom")} as {GeometryColumn}{more} from {register.Table}";

    /// <summary>Every version of a record, with who made it and what it changed.</summary>
    public static string SelectHistory(RegisterSchema register) =>
        $"select r.{register.IdProperty}, r.version, r.recorded_at, {AreaHa(register, "r.")} as {AreaHaColumn}, {string.Join(", ", register.Fields.Select(f => "r." + f.Name))}, "
        + $"r.attributes::text as {AttributesColumn}, r.geom as {GeometryColumn}, "
        + $"r.{SupersededAtColumn}, r.changes, r.import_id, i.file_name, i.author, i.note, r.withdrawal_reason from {register.Table} r join import_runs i on i.id = r.import_id";

    /// <summary>
    /// A feature's properties as a client sends them back (QGIS sends every field it read), turned into what an import
    /// takes: what the service computes (area_ha, version, recorded_at) is dropped, a planner's property written as
    /// attr_NAME (because its name is taken) gets its name back, an id property repeating the record id is dropped, and
    /// so is a planner's property left empty (null), as if it had never been sent.
    /// </summary>
    public static JsonObject Writable(JsonObject properties, RegisterSchema register, string? recordId)
    {
        var writable = new JsonObject();
        foreach (var (name, value) in properties)
        {
            if (Reserved.Contains(name) || (name == "id" && (value is null || value.ToString() == recordId))) continue;
            if (value is null && name != register.IdProperty && !register.Fields.Any(f => f.Name == name)) continue;
            // Only the computed names are ever taken from a planner's properties (the import reads the others as fields).
            var original = name.StartsWith("attr_", StringComparison.Ordinal) ? name[5..] : null;
            writable[original is not null && Reserved.Contains(original) ? original : name] = value?.DeepClone();
        }
        return writable;
    }

    // The stored ellipsoidal area (computed once per version), not ST_Area per row: a deep page skips its rows without it.
    private static string AreaHa(RegisterSchema register, string alias) =>
        register.Geometry == RegisterGeometry.Land ? $"{alias}{RegisterSchema.AreaColumn} / 10000" : "null::double precision";

    /// <summary>Where a reader of <see cref="Select"/> or <see cref="SelectHistory"/> has each column, looked up by name once per reader.</summary>
    public static RegisterRow Find(NpgsqlDataReader reader, RegisterSchema register)
    {
        // The first column of a name at or after start: the history's columns come after the geometry, whatever the fields are called.
        int Ordinal(string name, int start = 0)
        {
            for (var i = start; i < reader.FieldCount; i++)
                if (reader.GetName(i) == name) return i;
            throw new InvalidOperationException($"The query has no column {name}; read registers with RegisterColumns.Select or SelectHistory.");
        }
        var geometry = Ordinal(GeometryColumn);
        var history = reader.FieldCount > geometry + 1 && reader.GetName(geometry + 1) == SupersededAtColumn // a page's rows may end with its count
            ? new HistoryColumns(geometry + 1, Ordinal("changes", geometry), Ordinal("import_id", geometry), Ordinal("file_name", geometry), Ordinal("author", geometry),
                Ordinal("note", geometry), Ordinal("withdrawal_reason", geometry))
            : null;
        return new RegisterRow(register, Ordinal(register.IdProperty), Ordinal("version"), Ordinal("recorded_at"), Ordinal(AreaHaColumn),
            [.. register.Fields.Select(f => Ordinal(f.Name))], Ordinal(AttributesColumn), geometry, history);
    }
}

/// <summary>The columns of a record's history, after its feature's.</summary>
internal sealed record HistoryColumns(int SupersededAt, int Changes, int ImportId, int FileName, int Author, int Note, int WithdrawalReason);

/// <summary>A register's row in a reader: where each column is (<see cref="RegisterColumns.Find"/>), and the feature it writes.</summary>
internal sealed record RegisterRow(RegisterSchema Register, int Id, int Version, int RecordedAt, int AreaHa, int[] Fields, int Attributes, int Geometry, HistoryColumns? History)
{
    /// <param name="crs">the system the row's geometry was selected in (default: as stored, CRS84)</param>
    public void WriteFeature(Utf8JsonWriter writer, NpgsqlDataReader row, IReadOnlyList<OgcLink>? links = null, CrsReference? crs = null)
    {
        var id = row.GetString(Id);
        var geometry = row.IsDBNull(Geometry) ? null : row.GetFieldValue<Geometry>(Geometry);
        FeatureCollectionWriter.WriteFeature(writer, id, geometry, properties => WriteProperties(properties, row, id), links,
            crs is null || crs.IsStorage ? Json.GeoJson : Json.GeoJsonRingsAsGiven);
    }

    private void WriteProperties(Utf8JsonWriter writer, NpgsqlDataReader row, string id)
    {
        var register = Register;
        writer.WriteString(register.IdProperty, id);
        for (var i = 0; i < register.Fields.Count; i++)
        {
            var field = register.Fields[i];
            var column = Fields[i];
            if (row.IsDBNull(column)) { writer.WriteNull(field.Name); continue; }
            switch (field.Kind)
            {
                case FieldKind.Date: writer.WriteString(field.Name, row.GetFieldValue<DateOnly>(column).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case FieldKind.Number: writer.WriteNumber(field.Name, row.GetDecimal(column)); break;
                default: writer.WriteString(field.Name, row.GetString(column)); break;
            }
        }
        if (register.Geometry == RegisterGeometry.Land) writer.WriteNumber("area_ha", Math.Round(row.GetDouble(AreaHa), 4));
        writer.WriteNumber("version", row.GetInt32(Version));
        writer.WriteString("recorded_at", row.GetFieldValue<DateTimeOffset>(RecordedAt));
        if (History is { } history)
        {
            if (row.IsDBNull(history.SupersededAt)) writer.WriteNull("superseded_at");
            else writer.WriteString("superseded_at", row.GetFieldValue<DateTimeOffset>(history.SupersededAt));
            writer.WritePropertyName("changes");
            JsonSerializer.Serialize(writer, row.GetFieldValue<string[]>(history.Changes));
            writer.WriteNumber("import_id", row.GetInt64(history.ImportId));
            string? Text(int column) => row.IsDBNull(column) ? null : row.GetString(column);
            writer.WriteString("file_name", Text(history.FileName));
            writer.WriteString("author", Text(history.Author));
            writer.WriteString("note", Text(history.Note));
            writer.WriteString("withdrawal_reason", Text(history.WithdrawalReason));
        }
        if (!row.IsDBNull(Attributes))
        {
            // The planner's own properties, flattened so GIS clients see them as columns.
            using var attributes = JsonDocument.Parse(row.GetString(Attributes));
            foreach (var p in attributes.RootElement.EnumerateObject())
            {
                var name = RegisterColumns.Reserved.Contains(p.Name) || (History is not null && RegisterColumns.HistoryReserved.Contains(p.Name)) || p.Name == register.IdProperty || register.Fields.Any(f => f.Name == p.Name) ? $"attr_{p.Name}" : p.Name;
                writer.WritePropertyName(name);
                p.Value.WriteTo(writer);
            }
        }
    }
}
