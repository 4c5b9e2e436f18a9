using HabitatRegistry.Analysis.Text;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// Reads CQL2 text (OGC 21-065r2) into a <see cref="Cql2Expression"/>. The grammar is the CQL2 BNF with its precedence
/// (OR below AND below NOT below the predicates; +/- below * / % div below ^ below unary minus), written with
/// Superpower combinators over the tokens of <see cref="Cql2Tokenizer"/>. One expression grammar serves conditions and
/// values alike, so "(count + 1) > 2" and "((a = 1) OR (b = 2))" both read naturally; what may stand where (a
/// condition, a number, a date) is checked by <see cref="Cql2Sql"/> against the queryables.
/// </summary>
public static class Cql2Parser
{
    /// <summary>The longest filter read, in characters.</summary>
    public const int MaxLength = 10_000;

    /// <summary>How deep parentheses, NOT and minus signs may nest: enough for any real filter, too little to exhaust the stack.</summary>
    public const int MaxDepth = 50;

    /// <summary>The filter, or a <see cref="Cql2Exception"/> saying where it stops making sense and what was expected there.</summary>
    public static Cql2Expression Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length > MaxLength) throw new Cql2Exception($"The filter is {filter.Length:N0} characters long; at most {MaxLength:N0} are read.");
        if (ClientText.Problem(filter, MaxLength) is { } problem) throw new Cql2Exception($"The filter {problem}.");
        if (string.IsNullOrWhiteSpace(filter)) throw new Cql2Exception("The filter is empty: write a condition, e.g. scheme = 'citizen_green_space'.");
        var tokens = Cql2Tokenizer.Tokenize(filter);
        CheckNesting(tokens);
        var result = Filter.TryParse(tokens);
        return result.HasValue ? result.Value : throw SyntaxError(filter, tokens, result);
    }

    private static TokenListParser<Cql2Token, Token<Cql2Token>> Is(Cql2Token kind) => Token.EqualTo(kind);

    /// <summary>Any expression: a condition or a value.</summary>
    internal static readonly TokenListParser<Cql2Token, Cql2Expression> Expression = Superpower.Parse.Ref(() => OrExpression!);

    internal static TokenListParser<Cql2Token, T> InParentheses<T>(TokenListParser<Cql2Token, T> inner) =>
        inner.Between(Is(Cql2Token.LeftParen), Is(Cql2Token.RightParen));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Parenthesised = InParentheses(Expression);

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Text =
        Is(Cql2Token.String).Select(t => (Cql2Expression)new Literal(t.Position.Absolute, Cql2Literals.Unquote(t.ToStringValue())));

    private static readonly TokenListParser<Cql2Token, Literal> Number =
        Is(Cql2Token.Number).Select(t => new Literal(t.Position.Absolute,
            Cql2Literals.Number(t.ToStringValue()) ?? throw Cql2Exception.At(t.Position.Absolute, $"{t.ToStringValue()} is too large a number")));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Boolean =
        Is(Cql2Token.True).Or(Is(Cql2Token.False))
            .Select(t => (Cql2Expression)new Literal(t.Position.Absolute, t.Kind == Cql2Token.True));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> PropertyName =
        Is(Cql2Token.Name).Select(t => (Cql2Expression)new Property(t.Position.Absolute, t.ToStringValue()))
            .Or(Is(Cql2Token.QuotedName).Select(t => (Cql2Expression)new Property(t.Position.Absolute, Cql2Literals.UnquoteName(t.ToStringValue()))));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Operand =
        Parenthesised
            .Or(Text)
            .Or(Number.Select(n => (Cql2Expression)n))
            .Or(Boolean)
            .Or(PropertyName)
            .Or(WktParser.Geometry.Select(g => (Cql2Expression)g))
            .Or(Is(Cql2Token.Function).Then(Cql2Functions.Arguments));

    // Unary minus binds tighter than ^, as in the BNF's arithmeticFactor; "-3" is the number -3.
    private static readonly TokenListParser<Cql2Token, Cql2Expression> Unary =
        (from minus in Is(Cql2Token.Minus)
         from operand in Superpower.Parse.Ref(() => Unary!)
         select Negate(minus.Position.Absolute, operand))
        .Or(from plus in Is(Cql2Token.Plus) from number in Number select (Cql2Expression)number)
        .Or(Operand)
        .Named("a value");

    private static readonly TokenListParser<Cql2Token, Cql2Expression> PowerTerm =
        from @base in Unary
        from exponent in Is(Cql2Token.Caret).Then(caret => Unary.Select(e => (caret.Position.Absolute, e))).OptionalOrDefault()
        select exponent.e is null ? @base : new Arithmetic(exponent.Item1, ArithmeticOperator.Power, @base, exponent.e);

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Term = Superpower.Parse.Chain(
        Is(Cql2Token.Times).Or(Is(Cql2Token.Divide)).Or(Is(Cql2Token.Percent)).Or(Is(Cql2Token.Div)),
        PowerTerm,
        (op, left, right) => new Arithmetic(op.Position.Absolute, op.Kind switch
        {
            Cql2Token.Times => ArithmeticOperator.Multiply,
            Cql2Token.Divide => ArithmeticOperator.Divide,
            Cql2Token.Percent => ArithmeticOperator.Modulo,
            _ => ArithmeticOperator.IntegerDivide,
        }, left, right));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Sum = Superpower.Parse.Chain(
        Is(Cql2Token.Plus).Or(Is(Cql2Token.Minus)),
        Term,
        (op, left, right) => new Arithmetic(op.Position.Absolute, op.Kind == Cql2Token.Plus ? ArithmeticOperator.Add : ArithmeticOperator.Subtract, left, right));

    private static TokenListParser<Cql2Token, Cql2Expression> ComparedWith(Cql2Expression left) =>
        from at in Is(Cql2Token.Equal).Or(Is(Cql2Token.NotEqual)).Or(Is(Cql2Token.Less)).Or(Is(Cql2Token.Greater))
            .Or(Is(Cql2Token.LessOrEqual)).Or(Is(Cql2Token.GreaterOrEqual))
        from right in Sum
        select (Cql2Expression)new Comparison(at.Position.Absolute, Comparisons[at.Kind], left, right);

    private static readonly Dictionary<Cql2Token, ComparisonOperator> Comparisons = new()
    {
        [Cql2Token.Equal] = ComparisonOperator.Equal,
        [Cql2Token.NotEqual] = ComparisonOperator.NotEqual,
        [Cql2Token.Less] = ComparisonOperator.Less,
        [Cql2Token.Greater] = ComparisonOperator.Greater,
        [Cql2Token.LessOrEqual] = ComparisonOperator.LessOrEqual,
        [Cql2Token.GreaterOrEqual] = ComparisonOperator.GreaterOrEqual,
    };

    // IS [NOT] NULL. QGIS turns "flag IS TRUE" into CQL2 as it is, which CQL2 does not have: say what to write instead.
    private static TokenListParser<Cql2Token, Cql2Expression> NullTest(Cql2Expression value) =>
        from @is in Is(Cql2Token.Is)
        from not in Is(Cql2Token.Not).OptionalOrDefault()
        from end in Is(Cql2Token.Null).Or(Is(Cql2Token.True)).Or(Is(Cql2Token.False))
        select end.Kind == Cql2Token.Null
            ? (Cql2Expression)new IsNull(@is.Position.Absolute, value, not.HasValue)
            : throw Cql2Exception.At(end.Position.Absolute,
                $"CQL2 has IS NULL and IS NOT NULL but no IS {end.ToStringValue().ToUpperInvariant()}: write {(not.HasValue ? "<>" : "=")} {end.ToStringValue().ToUpperInvariant()} instead");

    // [NOT] LIKE, [NOT] BETWEEN, [NOT] IN: once NOT is read, one of the three must follow.
    private static TokenListParser<Cql2Token, Cql2Expression> Negatable(Cql2Expression value) =>
        from not in Is(Cql2Token.Not).OptionalOrDefault()
        from predicate in LikePattern(value, not.HasValue).Or(Range(value, not.HasValue)).Or(List(value, not.HasValue))
        select predicate;

    private static TokenListParser<Cql2Token, Cql2Expression> LikePattern(Cql2Expression value, bool negated) =>
        from like in Is(Cql2Token.Like)
        from pattern in Sum
        select (Cql2Expression)new Like(like.Position.Absolute, value, pattern, negated);

    private static TokenListParser<Cql2Token, Cql2Expression> Range(Cql2Expression value, bool negated) =>
        from between in Is(Cql2Token.Between)
        from low in Sum
        from and in Is(Cql2Token.And)
        from high in Sum
        select (Cql2Expression)new Between(between.Position.Absolute, value, low, high, negated);

    private static TokenListParser<Cql2Token, Cql2Expression> List(Cql2Expression value, bool negated) =>
        from @in in Is(Cql2Token.In)
        from items in InParentheses(Expression.AtLeastOnceDelimitedBy(Is(Cql2Token.Comma)))
        select (Cql2Expression)new In(@in.Position.Absolute, value, items, negated);

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Predicate =
        from value in Sum
        from predicate in ComparedWith(value).Or(NullTest(value)).Or(Negatable(value)).Select(p => (Cql2Expression?)p).OptionalOrDefault()
        select predicate ?? value;

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Negation =
        (from not in Is(Cql2Token.Not)
         from operand in Superpower.Parse.Ref(() => Negation!)
         select (Cql2Expression)new Not(not.Position.Absolute, operand))
        .Or(Predicate)
        .Named("a condition");

    private static readonly TokenListParser<Cql2Token, Cql2Expression> AndExpression =
        Negation.AtLeastOnceDelimitedBy(Is(Cql2Token.And)).Select(operands => Flat(LogicalOperator.And, operands));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> OrExpression =
        AndExpression.AtLeastOnceDelimitedBy(Is(Cql2Token.Or)).Select(operands => Flat(LogicalOperator.Or, operands));

    private static readonly TokenListParser<Cql2Token, Cql2Expression> Filter = Expression.AtEnd();

    private static Cql2Expression Flat(LogicalOperator op, Cql2Expression[] operands) =>
        operands.Length == 1 ? operands[0] : new Logical(operands[0].Position, op, operands);

    private static Cql2Expression Negate(int at, Cql2Expression operand) => operand switch
    {
        Literal { Value: decimal number } => new Literal(at, -number),
        Literal { Value: double number } => new Literal(at, -number),
        _ => new Negation(at, operand),
    };

    /// <summary>
    /// Refuses filters nested deeper than <see cref="MaxDepth"/> before parsing them, since the parser recurses once per
    /// level: parentheses, and runs of NOT and minus signs before an operand.
    /// </summary>
    private static void CheckNesting(TokenList<Cql2Token> tokens)
    {
        int parentheses = 0, prefixes = 0;
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case Cql2Token.LeftParen: parentheses++; break;
                case Cql2Token.RightParen: parentheses--; break;
                case Cql2Token.Not or Cql2Token.Minus or Cql2Token.Plus: prefixes++; break;
                default: prefixes = 0; break;
            }
            if (parentheses + prefixes > MaxDepth)
            {
                throw Cql2Exception.At(token.Position.Absolute, $"the filter nests more than {MaxDepth} levels deep (each parenthesis, NOT and minus sign counts)");
            }
        }
    }

    private static Cql2Exception SyntaxError(string filter, TokenList<Cql2Token> tokens, TokenListParserResult<Cql2Token, Cql2Expression> result)
    {
        var found = result.Location.IsAtEnd ? (Token<Cql2Token>?)null : result.Location.ConsumeToken().Value;
        var at = found?.Position.Absolute ?? filter.TrimEnd().Length;
        var before = tokens.LastOrDefault(t => t.Position.Absolute < at);
        // Superpower has no expectations when the whole filter was read but something is left over.
        var expected = result.Expectations is { Length: > 0 } expectations ? Alternatives(expectations)
            : "an operator (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL), AND, OR or the end of the filter";
        var after = before.HasValue ? $" after {Shown(before)}" : "";
        var instead = found is { } token ? $", not {Shown(token)}" : ", but the filter ends there";
        var start = Math.Max(0, at - 30);
        var context = (start > 0 ? "… " : "") + filter[start..Math.Min(filter.Length, at + (found?.Span.Length ?? 0))].Trim();
        return Cql2Exception.At(at, $"expected {expected}{after}{instead}", ClientText.Shown(context));
    }

    private static string Shown(Token<Cql2Token> token) => token.Kind switch
    {
        Cql2Token.String => "a 'text'",
        Cql2Token.Number => $"the number {token.ToStringValue()}",
        Cql2Token.Name or Cql2Token.QuotedName => $"the name {ClientText.Shown(token.ToStringValue())}",
        _ => ClientText.Shown(token.ToStringValue()),
    };

    private static string Alternatives(string[] expectations) => expectations.Length == 1
        ? expectations[0]
        : string.Join(", ", expectations[..^1]) + " or " + expectations[^1];
}
