namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// The temporal functions of CQL2 (T_AFTER … T_STARTS) as comparisons of start and end instants, following the
/// definitions of the W3C/OGC Time Ontology that CQL2 cites. Intervals are closed at both ends, as in CQL2 (ISO 8601);
/// an instant is an interval whose start is its end. Open ends ('..') are PostgreSQL's ±infinity, and so is a null
/// property at an interval's end: INTERVAL(designated_on, lifted_on) is still open when lifted_on is null. A null instant
/// property stays null, and so does the predicate.
/// </summary>
internal static class TemporalSql
{
    /// <summary>An operand: its start and end as SQL (null for an open end), its granularity if known, and whether it is an instant.</summary>
    private sealed record Operand(Cql2Expression Expression, string? Start, string? End, Cql2Type? Granularity, bool IsInstant);

    private static readonly HashSet<TemporalFunction> ForInstants =
        [TemporalFunction.After, TemporalFunction.Before, TemporalFunction.Disjoint, TemporalFunction.Equals, TemporalFunction.Intersects];

    public static string Relate(Temporal temporal, Func<Cql2Expression, TypedSql> translate)
    {
        var name = "T_" + temporal.Function.ToString().ToUpperInvariant();
        var a = OperandOf(temporal.Left, translate, name);
        var b = OperandOf(temporal.Right, translate, name);
        if (!ForInstants.Contains(temporal.Function) && (a.IsInstant || b.IsInstant))
        {
            var instant = a.IsInstant ? a : b;
            throw Cql2Exception.At(instant.Expression.Position,
                $"{name} compares intervals, and {Describe.What(instant.Expression)} is an instant: use T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS or T_INTERSECTS, or an INTERVAL");
        }
        if (a.Granularity is { } first && b.Granularity is { } second && first != second)
        {
            throw Cql2Exception.At(temporal.Position,
                $"{name} compares {Describe.What(a.Expression)} ({Describe.Type(first)}) with {Describe.What(b.Expression)} ({Describe.Type(second)}): compare dates with dates and timestamps with timestamps");
        }
        var type = (a.Granularity ?? b.Granularity) == Cql2Type.Timestamp ? "timestamptz" : "date";
        var (s1, e1, s2, e2) = (Start(a, type), End(a, type), Start(b, type), End(b, type));
        return "(" + (temporal.Function switch
        {
            TemporalFunction.After => $"{s1} > {e2}",
            TemporalFunction.Before => $"{e1} < {s2}",
            TemporalFunction.Disjoint => $"{e1} < {s2} or {s1} > {e2}",
            TemporalFunction.Equals => $"{s1} = {s2} and {e1} = {e2}",
            TemporalFunction.Intersects => $"{s1} <= {e2} and {e1} >= {s2}",
            TemporalFunction.Contains => $"{s1} < {s2} and {e1} > {e2}",
            TemporalFunction.During => $"{s1} > {s2} and {e1} < {e2}",
            TemporalFunction.FinishedBy => $"{s1} < {s2} and {e1} = {e2}",
            TemporalFunction.Finishes => $"{s1} > {s2} and {e1} = {e2}",
            TemporalFunction.Meets => $"{e1} = {s2}",
            TemporalFunction.MetBy => $"{s1} = {e2}",
            TemporalFunction.OverlappedBy => $"{s1} > {s2} and {s1} < {e2} and {e1} > {e2}",
            TemporalFunction.Overlaps => $"{s1} < {s2} and {e1} > {s2} and {e1} < {e2}",
            TemporalFunction.StartedBy => $"{s1} = {s2} and {e1} > {e2}",
            _ => $"{s1} = {s2} and {e1} < {e2}", // Starts
        }) + ")";
    }

    private static string Start(Operand operand, string type) => Bound(operand.Start, operand.IsInstant, "-infinity", type);

    private static string End(Operand operand, string type) => Bound(operand.End, operand.IsInstant, "infinity", type);

    private static string Bound(string? sql, bool isInstant, string open, string type) =>
        sql is null ? $"'{open}'::{type}" : isInstant ? sql : $"coalesce({sql}, '{open}'::{type})";

    private static Operand OperandOf(Cql2Expression expression, Func<Cql2Expression, TypedSql> translate, string name)
    {
        if (expression is not Interval interval)
        {
            var instant = Instant(expression, translate, name);
            return new(expression, instant.Text, instant.Text, instant.Type, IsInstant: true);
        }
        var start = interval.Start is OpenEnd ? null : (TypedSql?)Instant(interval.Start, translate, "INTERVAL");
        var end = interval.End is OpenEnd ? null : (TypedSql?)Instant(interval.End, translate, "INTERVAL");
        if (start is { } s && end is { } e && s.Type != e.Type)
        {
            throw Cql2Exception.At(interval.Position, "an INTERVAL runs from a date to a date or from a timestamp to a timestamp, not from one to the other");
        }
        if (interval.Start is Literal { Value: IComparable from } && interval.End is Literal { Value: { } until } && from.CompareTo(until) > 0)
        {
            throw Cql2Exception.At(interval.Position, "the INTERVAL ends before it starts");
        }
        return new(expression, start?.Text, end?.Text, start?.Type ?? end?.Type, IsInstant: false);
    }

    private static TypedSql Instant(Cql2Expression expression, Func<Cql2Expression, TypedSql> translate, string usedBy)
    {
        var sql = translate(expression);
        return sql.Type is Cql2Type.Date or Cql2Type.Timestamp ? sql
            : throw Cql2Exception.At(expression.Position, $"{usedBy} takes dates, timestamps and intervals, and {Describe.What(expression)} is {Describe.Type(sql.Type)}");
    }
}
