using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Analysis.Text;

namespace HabitatRegistry.Features.Registers;

public enum FieldKind { Text, Date, Number, Code }

/// <summary>What geometry a register's records have.</summary>
public enum RegisterGeometry
{
    /// <summary>Land (parcels, habitat patches): a Polygon or MultiPolygon on every record, stored as MultiPolygon.</summary>
    Land,

    /// <summary>Where something happened, if known: a Point, Polygon or MultiPolygon, or none.</summary>
    Optional,
}

/// <summary>A feature property that a register stores in a column of the same name.</summary>
/// <param name="Default">the value a missing property takes, with the note the import report gives about it (none when null)</param>
/// <param name="Maximum">numbers: the largest value allowed (e.g. 1 for a quality weight)</param>
/// <param name="MaxLength">text: the most characters kept</param>
public sealed record FieldSpec(string Name, FieldKind Kind, string Description, bool Required = false, IReadOnlyList<string>? Codes = null,
    (object Value, string? Note)? Default = null, decimal? Maximum = null, int MaxLength = ClientText.NameLength);

/// <summary>A feature's properties, read and checked: values in <see cref="RegisterSchema.Fields"/> order.</summary>
public sealed record RecordProperties(string? RecordId, object?[] Values, string? Attributes);

/// <summary>
/// What a register is made of, for the code that is the same for every register: import, versioning,
/// area accounting and OGC API output. Column names come from here, never from a request.
/// </summary>
/// <param name="InForceFrom">the date a record takes effect on; null for registers without dates (habitat patches are mapped as they are now)</param>
/// <param name="InForceTo">the date a record ends on; null for registers of events, which happen on one date</param>
public sealed record RegisterSchema(
    string Name,
    string Title,
    string Description,
    string IdProperty,
    string? InForceFrom,
    string? InForceTo,
    IReadOnlyList<FieldSpec> Fields,
    RegisterGeometry Geometry = RegisterGeometry.Land,
    string RecordNoun = "parcel")
{
    public string Table => Name.Replace('-', '_');

    /// <summary>The title in English, for pages in English: the catalogue writes titles as "English (日本語)".</summary>
    public string TitleEn => Title.IndexOf(" (", StringComparison.Ordinal) is > 0 and var i ? Title[..i] : Title;

    /// <summary>The title in Japanese, for pages in Japanese (the English title where there is no Japanese one).</summary>
    public string TitleJa => Title.IndexOf(" (", StringComparison.Ordinal) is > 0 and var i && Title.EndsWith(')') ? Title[(i + 2)..^1] : Title;

    /// <summary>Registers with dates: a record counts from <see cref="InForceFrom"/> (and until <see cref="InForceTo"/>).</summary>
    public bool IsDated => InForceFrom is not null;

    /// <summary>Land registers: each version's ellipsoidal area in m², a stored generated column.</summary>
    public const string AreaColumn = "area_m2";

    /// <summary>Land registers: pairs of versions whose interiors overlap, kept up to date by every import.</summary>
    public string OverlapsTable => $"{Table}_overlaps";

    /// <summary>
    /// The condition for the versions that were current at a moment (a parameter or expression): recorded by then and not
    /// superseded by then. A withdrawal's version is superseded as it is recorded, so it is current at no moment.
    /// </summary>
    public static string VersionsAt(string moment, string alias = "") =>
        $"{alias}recorded_at <= {moment} and ({alias}superseded_at is null or {alias}superseded_at > {moment})";

    /// <summary>Records of events (activities) happen on a date; other records are in force over a period.</summary>
    public bool IsEvents => IsDated && InForceTo is null;

    public FieldSpec Field(string name) => Fields.Single(f => f.Name == name);

    /// <summary>The most the planner's own properties of one record may take, as JSON.</summary>
    public const int MaxAttributesLength = 100_000;

    /// <summary>
    /// Reads a feature's properties. Problems are added in words a planner understands; unknown properties
    /// are kept as attributes.
    /// </summary>
    public RecordProperties ReadProperties(JsonElement properties, ICollection<string> problems, ICollection<string> notes)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"it has no properties; \"{IdProperty}\" and the other required properties are missing");
            return new(null, new object?[Fields.Count], null);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        var recordId = Find(properties, IdProperty, used) is { } id ? AsText(id) : null;
        if (string.IsNullOrWhiteSpace(recordId)) problems.Add($"\"{IdProperty}\" is missing; every {RecordNoun} needs the planner's reference");
        else if (ClientText.Problem(recordId, ClientText.IdLength) is { } idProblem) problems.Add($"\"{IdProperty}\" {idProblem}");

        var values = new object?[Fields.Count];
        for (var i = 0; i < Fields.Count; i++)
        {
            var field = Fields[i];
            var value = Find(properties, field.Name, used);
            var present = value is { } v && v.ValueKind != JsonValueKind.Null
                && !(v.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetString()));
            if (!present)
            {
                if (field.Required) problems.Add($"\"{field.Name}\" is missing ({field.Description})");
                if (field.Default is { } fallback)
                {
                    values[i] = fallback.Value;
                    if (fallback.Note is not null) notes.Add($"\"{field.Name}\" is missing; {fallback.Note}");
                }
                continue;
            }
            values[i] = ReadValue(field, value!.Value, problems);
        }
        CheckPeriod(values, problems);

        var attributes = new JsonObject();
        foreach (var p in properties.EnumerateObject())
        {
            if (used.Contains(p.Name)) continue;
            if (p.Name.Length > ClientText.IdLength) problems.Add($"the property name \"{ClientText.Shown(p.Name)}\" is {p.Name.Length:N0} characters long; at most {ClientText.IdLength} are kept");
            attributes[p.Name] = JsonNode.Parse(p.Value.GetRawText());
        }
        var kept = attributes.Count > 0 ? attributes.ToJsonString() : null;
        if (kept?.Length > MaxAttributesLength)
        {
            problems.Add($"its other properties take {kept.Length:N0} characters; at most {MaxAttributesLength:N0} are kept with a {RecordNoun}");
        }
        return new(recordId?.Trim(), values, kept);
    }

    private void CheckPeriod(object?[] values, ICollection<string> problems)
    {
        if (InForceFrom is null || InForceTo is null) return;
        var from = values[IndexOf(InForceFrom)] as DateOnly?;
        var until = values[IndexOf(InForceTo)] as DateOnly?;
        if (from is { } f && until is { } u && u <= f)
        {
            problems.Add($"\"{InForceTo}\" ({u:yyyy-MM-dd}) is not after \"{InForceFrom}\" ({f:yyyy-MM-dd}); a {RecordNoun} must be in force for at least a day");
        }
    }

    /// <summary>
    /// A property by its name, in any letter case, or cut to the 10 characters a shapefile's DBF allows
    /// (designated_on → DESIGNATED), since many planners' GeoJSON files started life as shapefiles.
    /// </summary>
    private static JsonElement? Find(JsonElement properties, string name, HashSet<string> used)
    {
        var dbfName = name.Length > 10 ? name[..10] : name;
        JsonProperty? match = null;
        foreach (var p in properties.EnumerateObject())
        {
            if (p.Name == name) { match = p; break; }
            if (match is null && (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || p.Name.Equals(dbfName, StringComparison.OrdinalIgnoreCase))) match = p;
        }
        if (match is not { } found) return null;
        used.Add(found.Name);
        return found.Value;
    }

    public int IndexOf(string field) => Fields.ToList().FindIndex(f => f.Name == field);

    // Japanese Excel rewrites 2025-06-01 as 2025/6/1 when a CSV is opened and saved again.
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/M/d"];

    private static object? ReadValue(FieldSpec field, JsonElement value, ICollection<string> problems)
    {
        switch (field.Kind)
        {
            case FieldKind.Date:
                var text = AsText(value);
                if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    if (FiscalYear.IsPlausible(date)) return date;
                    problems.Add($"\"{field.Name}\" is {date:yyyy-MM-dd}, outside the {FiscalYear.PlausibleRange}; check the year");
                    return null;
                }
                problems.Add($"\"{field.Name}\" is \"{ClientText.Shown(text)}\", which is not a real date; write it as YYYY-MM-DD, e.g. 2021-04-01");
                return null;
            case FieldKind.Number:
                decimal number = 0;
                var isNumber = value.ValueKind switch
                {
                    JsonValueKind.Number => value.TryGetDecimal(out number),
                    JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
                    _ => false,
                };
                if (isNumber && number >= 0 && (field.Maximum is null || number <= field.Maximum)) return number;
                problems.Add(field.Maximum is { } max
                    ? $"\"{field.Name}\" is {ClientText.Shown(value.GetRawText())}, which is not a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}"
                    : $"\"{field.Name}\" is {ClientText.Shown(value.GetRawText())}, which is not a number of zero or more");
                return null;
            case FieldKind.Code:
                var code = AsText(value)?.Trim();
                if (code is not null && field.Codes!.Contains(code)) return code;
                problems.Add($"\"{field.Name}\" is \"{ClientText.Shown(code)}\", which is not one of: {string.Join(", ", field.Codes!)}");
                return null;
            default:
                var given = AsText(value);
                if (given is null)
                {
                    problems.Add($"\"{field.Name}\" is {(value.ValueKind == JsonValueKind.Array ? "a list" : "an object")}; it must be a text");
                    return null;
                }
                if (ClientText.Problem(given, field.MaxLength) is not { } tooLong) return given;
                problems.Add($"\"{field.Name}\" {tooLong}");
                return null;
        }
    }

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
