using System.Globalization;
using HabitatRegistry.Analysis.Text;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>The types of CQL2 values, as the translation checks them.</summary>
internal enum Cql2Type { Text, Number, Boolean, Date, Timestamp, Geometry }

internal readonly record struct TypedSql(string Text, Cql2Type Type);

internal static class Cql2TypeOf
{
    public static Cql2Type Literal(Literal literal) => literal.Value switch
    {
        string => Cql2Type.Text,
        bool => Cql2Type.Boolean,
        DateOnly => Cql2Type.Date,
        DateTime => Cql2Type.Timestamp,
        _ => Cql2Type.Number,
    };

    public static Cql2Type Queryable(QueryableType type) => type switch
    {
        QueryableType.Number or QueryableType.Integer => Cql2Type.Number,
        QueryableType.Boolean => Cql2Type.Boolean,
        QueryableType.Date => Cql2Type.Date,
        QueryableType.Timestamp => Cql2Type.Timestamp,
        QueryableType.Geometry => Cql2Type.Geometry,
        _ => Cql2Type.Text,
    };
}

/// <summary>Words for expressions and types in error messages.</summary>
internal static class Describe
{
    public static string Type(Cql2Type type) => type switch
    {
        Cql2Type.Text => "a text",
        Cql2Type.Number => "a number",
        Cql2Type.Boolean => "TRUE or FALSE",
        Cql2Type.Date => "a date",
        Cql2Type.Timestamp => "a timestamp",
        _ => "a geometry",
    };

    public static string What(Cql2Expression expression) => expression switch
    {
        Property property => ClientText.Shown(property.Name),
        Literal { Value: string text } => $"'{ClientText.Shown(text)}'",
        Literal { Value: bool flag } => flag ? "TRUE" : "FALSE",
        Literal { Value: DateOnly date } => $"DATE('{date:yyyy-MM-dd}')",
        Literal { Value: DateTime moment } => $"TIMESTAMP('{moment:yyyy-MM-ddTHH:mm:ss}Z')",
        Literal literal => Convert.ToString(literal.Value, CultureInfo.InvariantCulture)!,
        GeometryLiteral geometry => $"the {geometry.Geometry.GeometryType}",
        Interval => "the INTERVAL",
        CaseInsensitive casei => $"CASEI({What(casei.Value)})",
        Arithmetic or Negation => "the calculation",
        _ => "the condition",
    };
}
