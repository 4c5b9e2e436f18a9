using System.Text.Json.Nodes;
using HabitatRegistry.Features.Registers;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>What a queryable holds, which decides what a filter may compare it with.</summary>
public enum QueryableType { Text, Number, Integer, Boolean, Date, Timestamp, Geometry }

/// <summary>
/// A property a filter may name, and the SQL it stands for. <see cref="Column"/> is written by the server (a column
/// name, or an expression of columns such as <c>area_m2 / 10000</c>), never taken from a request.
/// </summary>
/// <param name="Codes">the values a code field may take, published as the schema's enum</param>
/// <param name="GeometrySchema">geometries: the GeoJSON schema of the geometry type</param>
public sealed record Queryable(
    string Name, string Column, QueryableType Type, string Title, string Description, IReadOnlyList<string>? Codes = null, string? GeometrySchema = null);

/// <summary>The queryables of a collection: the properties its filters may name (OGC API – Features Part 3).</summary>
public sealed class Queryables(string collection, string title, IReadOnlyList<Queryable> properties)
{
    /// <summary>The collection's id, as error messages name it.</summary>
    public string Collection { get; } = collection;

    public string Title { get; } = title;

    public IReadOnlyList<Queryable> Properties { get; } = properties;

    /// <summary>
    /// A register's queryables: its record id, its fields (columns of the same name), version and recorded_at, for land
    /// area_ha (the stored area_m2 in hectares, as the features publish it), and the geometry, named <c>geometry</c> as
    /// QGIS names it. The planner's own properties (the jsonb attributes) are not queryable.
    /// </summary>
    public static Queryables For(RegisterSchema register)
    {
        List<Queryable> properties =
        [
            new(register.IdProperty, register.IdProperty, QueryableType.Text, Titled(register.IdProperty), $"the planner's reference of the {register.RecordNoun}"),
        ];
        foreach (var field in register.Fields)
        {
            var type = field.Kind switch
            {
                FieldKind.Date => QueryableType.Date,
                FieldKind.Number => QueryableType.Number,
                _ => QueryableType.Text,
            };
            properties.Add(new(field.Name, field.Name, type, Titled(field.Name), field.Description, field.Kind == FieldKind.Code ? field.Codes : null));
        }
        if (register.Geometry == RegisterGeometry.Land)
        {
            properties.Add(new("area_ha", $"({RegisterSchema.AreaColumn} / 10000)", QueryableType.Number, "Area (ha)", "the area on the ellipsoid, in hectares"));
        }
        properties.Add(new("version", "version", QueryableType.Integer, "Version", $"the version of the {register.RecordNoun}'s record, from 1"));
        properties.Add(new("recorded_at", "recorded_at", QueryableType.Timestamp, "Recorded at", "when this version was recorded"));
        properties.Add(register.Geometry == RegisterGeometry.Land
            ? new("geometry", "geom", QueryableType.Geometry, "Geometry", "the land, as a MultiPolygon in longitude/latitude", GeometrySchema: "https://geojson.org/schema/MultiPolygon.json")
            : new("geometry", "geom", QueryableType.Geometry, "Geometry", "where it happened, if known: a Point, Polygon or MultiPolygon", GeometrySchema: "https://geojson.org/schema/Geometry.json"));
        return new(register.Name, register.Title, properties);
    }

    /// <summary>
    /// The queryable a filter names: the exact name, else the one name that matches ignoring letter case (QGIS matches
    /// names that way); null when none does, or when the name matches several only ignoring case.
    /// </summary>
    public Queryable? Find(string name) =>
        Properties.FirstOrDefault(p => p.Name == name)
        ?? (Properties.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null);

    /// <summary>The names, for messages.</summary>
    public string Names => string.Join(", ", Properties.Select(p => p.Name));

    /// <summary>
    /// The JSON Schema of the queryables, as /collections/{id}/queryables serves it. Each property has one plain
    /// "type" (QGIS 3.40 ignores a property whose type is a list such as ["string", "null"]); dates and timestamps
    /// say so in "format", code fields list their codes in "enum", and the geometry is only a $ref to its GeoJSON
    /// schema, which is how QGIS recognises it.
    /// </summary>
    /// <param name="id">the schema's $id: the URL it is served at</param>
    public JsonObject ToJsonSchema(string id)
    {
        var schemaProperties = new JsonObject();
        foreach (var property in Properties) schemaProperties[property.Name] = Schema(property);
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = id,
            ["type"] = "object",
            ["title"] = Title,
            ["properties"] = schemaProperties,
            ["additionalProperties"] = false,
        };
    }

    internal static JsonObject Schema(Queryable property)
    {
        var schema = new JsonObject { ["title"] = property.Title, ["description"] = property.Description };
        switch (property.Type)
        {
            case QueryableType.Geometry: schema["$ref"] = property.GeometrySchema; return schema;
            case QueryableType.Date: schema["type"] = "string"; schema["format"] = "date"; break;
            case QueryableType.Timestamp: schema["type"] = "string"; schema["format"] = "date-time"; break;
            case QueryableType.Number: schema["type"] = "number"; break;
            case QueryableType.Integer: schema["type"] = "integer"; break;
            case QueryableType.Boolean: schema["type"] = "boolean"; break;
            default: schema["type"] = "string"; break;
        }
        if (property.Codes is { } codes) schema["enum"] = new JsonArray([.. codes.Select(c => (JsonNode)c)]);
        return schema;
    }

    // parcel_id → "Parcel id": a readable label where the name is all there is.
    private static string Titled(string name) => char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');
}
