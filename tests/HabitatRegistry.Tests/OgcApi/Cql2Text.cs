using System.Globalization;
using HabitatRegistry.Features.OgcApi.Filtering;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.OgcApi;

/// <summary>Helpers for the CQL2 tests: a parsed filter written back in prefix form, and a filter translated with its parameters.</summary>
public static class Cql2Text
{
    /// <summary>The tree of a filter, e.g. or(=(a, 1), and(...)): precedence shows without asserting on records.</summary>
    public static string Tree(string filter) => Show(Cql2Parser.Parse(filter));

    public static string Show(Cql2Expression expression) => expression switch
    {
        Logical l => $"{l.Operator.ToString().ToLowerInvariant()}({string.Join(", ", l.Operands.Select(Show))})",
        Not n => $"not({Show(n.Operand)})",
        Comparison c => $"{Sign(c.Operator)}({Show(c.Left)}, {Show(c.Right)})",
        Like l => $"{(l.Negated ? "notlike" : "like")}({Show(l.Value)}, {Show(l.Pattern)})",
        Between b => $"{(b.Negated ? "notbetween" : "between")}({Show(b.Value)}, {Show(b.Low)}, {Show(b.High)})",
        In i => $"{(i.Negated ? "notin" : "in")}({Show(i.Value)}, [{string.Join(", ", i.List.Select(Show))}])",
        IsNull n => $"{(n.Negated ? "isnotnull" : "isnull")}({Show(n.Value)})",
        Spatial s => $"s_{s.Function.ToString().ToLowerInvariant()}({Show(s.Left)}, {Show(s.Right)})",
        Temporal t => $"t_{t.Function.ToString().ToLowerInvariant()}({Show(t.Left)}, {Show(t.Right)})",
        Property p => p.Name,
        Literal { Value: string text } => $"'{text}'",
        Literal { Value: bool flag } => flag ? "true" : "false",
        Literal { Value: DateOnly date } => $"date:{date:yyyy-MM-dd}",
        Literal { Value: DateTime moment } => $"timestamp:{moment.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}{(moment.Kind == DateTimeKind.Utc ? "Z" : "?")}",
        Literal { Value: decimal number } => number.ToString(CultureInfo.InvariantCulture),
        Literal { Value: double number } => "double:" + number.ToString("R", CultureInfo.InvariantCulture),
        GeometryLiteral g => new WKTWriter(3).Write(g.Geometry),
        Interval i => $"interval({Show(i.Start)}, {Show(i.End)})",
        OpenEnd => "..",
        CaseInsensitive c => $"casei({Show(c.Value)})",
        Arithmetic a => $"{a.Operator.ToString().ToLowerInvariant()}({Show(a.Left)}, {Show(a.Right)})",
        Negation n => $"neg({Show(n.Operand)})",
        _ => throw new ArgumentOutOfRangeException(nameof(expression)),
    };

    private static string Sign(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.Less => "<",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.LessOrEqual => "<=",
        _ => ">=",
    };

    /// <summary>The SQL for a filter and the parameter values in order ($1 first); geometry literals as WKT parameters in EPSG:4326.</summary>
    public static (string Sql, List<object?> Values) Sql(string filter, Queryables queryables)
    {
        var values = new List<object?>();
        string Parameter(object? value)
        {
            values.Add(value);
            return $"${values.Count}";
        }
        var sql = Cql2Sql.Where(Cql2Parser.Parse(filter), queryables, Parameter, g => $"ST_GeomFromText({Parameter(g.AsText())}, 4326)");
        return (sql, values);
    }

    /// <summary>The message of the <see cref="Cql2Exception"/> that reading or translating the filter throws.</summary>
    public static string Error(string filter, Queryables queryables) =>
        Assert.Throws<Cql2Exception>(() => Sql(filter, queryables)).Message;
}
