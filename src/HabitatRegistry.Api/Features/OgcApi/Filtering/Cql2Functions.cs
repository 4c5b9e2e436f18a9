using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// What follows a name and "(" in CQL2 text: the literal constructors (DATE, TIMESTAMP, INTERVAL, BBOX), CASEI and the
/// spatial and temporal functions. Any other name is refused by name, with the list of those there are.
/// </summary>
internal static class Cql2Functions
{
    private static readonly Dictionary<string, SpatialFunction> SpatialFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["S_INTERSECTS"] = SpatialFunction.Intersects, ["S_EQUALS"] = SpatialFunction.Equals, ["S_DISJOINT"] = SpatialFunction.Disjoint,
        ["S_TOUCHES"] = SpatialFunction.Touches, ["S_WITHIN"] = SpatialFunction.Within, ["S_OVERLAPS"] = SpatialFunction.Overlaps,
        ["S_CROSSES"] = SpatialFunction.Crosses, ["S_CONTAINS"] = SpatialFunction.Contains,
    };

    private static readonly Dictionary<string, TemporalFunction> TemporalFunctions =
        Enum.GetValues<TemporalFunction>().ToDictionary(f => "T_" + f.ToString().ToUpperInvariant(), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ArrayFunctions = new(StringComparer.OrdinalIgnoreCase) { "A_EQUALS", "A_CONTAINS", "A_CONTAINEDBY", "A_OVERLAPS" };

    private static readonly TokenListParser<Cql2Token, Token<Cql2Token>> Comma = Token.EqualTo(Cql2Token.Comma);

    private static readonly TokenListParser<Cql2Token, (Cql2Expression Left, Cql2Expression Right)> TwoArguments =
        Cql2Parser.InParentheses(
            from left in Cql2Parser.Expression
            from comma in Comma
            from right in Cql2Parser.Expression
            select (left, right));

    private static readonly TokenListParser<Cql2Token, Token<Cql2Token>> QuotedText = Cql2Parser.InParentheses(Token.EqualTo(Cql2Token.String));

    /// <summary>The parser for the arguments of the function <paramref name="name"/>, which has just been read.</summary>
    public static TokenListParser<Cql2Token, Cql2Expression> Arguments(Token<Cql2Token> name)
    {
        var at = name.Position.Absolute;
        var word = name.ToStringValue().ToUpperInvariant();
        if (SpatialFunctions.TryGetValue(word, out var spatial)) return TwoArguments.Select(a => (Cql2Expression)new Spatial(at, spatial, a.Left, a.Right));
        if (TemporalFunctions.TryGetValue(word, out var temporal)) return TwoArguments.Select(a => (Cql2Expression)new Temporal(at, temporal, a.Left, a.Right));
        return word switch
        {
            "DATE" => QuotedText.Select(text => (Cql2Expression)new Literal(at, Cql2Literals.Date(Cql2Literals.Unquote(text.ToStringValue()))
                ?? throw Cql2Exception.At(text.Position.Absolute, $"{text.ToStringValue()} is not a date: write {Cql2Literals.DateHelp}"))),
            "TIMESTAMP" => QuotedText.Select(text => (Cql2Expression)new Literal(at, Cql2Literals.Timestamp(Cql2Literals.Unquote(text.ToStringValue()))
                ?? throw Cql2Exception.At(text.Position.Absolute, $"{text.ToStringValue()} is not a timestamp: write {Cql2Literals.TimestampHelp}"))),
            "INTERVAL" => TwoArguments.Select(a => (Cql2Expression)new Interval(at, IntervalEnd(a.Left), IntervalEnd(a.Right))),
            "CASEI" => Cql2Parser.InParentheses(Cql2Parser.Expression).Select(value => (Cql2Expression)new CaseInsensitive(at, value)),
            "BBOX" => WktParser.BboxArguments(at).Select(box => (Cql2Expression)new GeometryLiteral(at, box)),
            "ACCENTI" => throw Cql2Exception.At(at, "ACCENTI (accent-insensitive comparison) is not supported here; CASEI (case-insensitive comparison) is"),
            _ when ArrayFunctions.Contains(word) => throw Cql2Exception.At(at, $"{word} compares arrays, and no queryable here is an array"),
            _ => throw Cql2Exception.At(at, $"there is no function {Analysis.Text.ClientText.Shown(name.ToStringValue())}; "
                + "the functions are CASEI, DATE, TIMESTAMP, INTERVAL, BBOX, S_INTERSECTS, S_EQUALS, S_DISJOINT, S_TOUCHES, S_WITHIN, S_OVERLAPS, "
                + "S_CROSSES, S_CONTAINS and T_AFTER, T_BEFORE, T_CONTAINS, T_DISJOINT, T_DURING, T_EQUALS, T_FINISHEDBY, T_FINISHES, T_INTERSECTS, "
                + "T_MEETS, T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS"),
        };
    }

    /// <summary>
    /// An interval end: '..' (open), a date or timestamp string, or a property. CQL2's own examples write the strings in
    /// double quotes, which the BNF reads as property names; a "quoted name" that is a date or timestamp is read as one.
    /// </summary>
    public static Cql2Expression IntervalEnd(Cql2Expression end) => end switch
    {
        Literal { Value: string text } literal => Instant(literal.Position, text)
            ?? throw Cql2Exception.At(literal.Position, $"'{text}' is not an interval end: write '..' (open) or a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DDThh:mm:ssZ'"),
        Property property => Instant(property.Position, property.Name) ?? property,
        _ => end,
    };

    private static Cql2Expression? Instant(int at, string text) =>
        text == ".." ? new OpenEnd(at)
        : Cql2Literals.Date(text) is { } date ? new Literal(at, date)
        : Cql2Literals.Timestamp(text) is { } moment ? new Literal(at, moment)
        : null;
}
