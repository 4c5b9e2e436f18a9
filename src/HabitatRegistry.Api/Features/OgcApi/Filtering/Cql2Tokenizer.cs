using Superpower;
using Superpower.Display;
using Superpower.Model;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>The kinds of token in CQL2 text; the names are what an error message shows.</summary>
internal enum Cql2Token
{
    [Token(Example = "(")] LeftParen,
    [Token(Example = ")")] RightParen,
    [Token(Example = ",")] Comma,
    [Token(Example = "=")] Equal,
    [Token(Example = "<>")] NotEqual,
    [Token(Example = "<")] Less,
    [Token(Example = ">")] Greater,
    [Token(Example = "<=")] LessOrEqual,
    [Token(Example = ">=")] GreaterOrEqual,
    [Token(Example = "+")] Plus,
    [Token(Example = "-")] Minus,
    [Token(Example = "*")] Times,
    [Token(Example = "/")] Divide,
    [Token(Example = "%")] Percent,
    [Token(Example = "^")] Caret,
    [Token(Description = "a 'text'")] String,
    [Token(Description = "a number")] Number,
    [Token(Description = "a property name")] Name,
    [Token(Description = "a \"quoted\" property name")] QuotedName,

    /// <summary>A name directly followed by "(": DATE, CASEI, S_INTERSECTS …</summary>
    [Token(Description = "a function")] Function,

    /// <summary>POINT, POLYGON … followed by "(" or "Z (": a WKT geometry.</summary>
    [Token(Description = "a geometry")] GeometryTag,

    [Token(Example = "AND")] And,
    [Token(Example = "OR")] Or,
    [Token(Example = "NOT")] Not,
    [Token(Example = "LIKE")] Like,
    [Token(Example = "BETWEEN")] Between,
    [Token(Example = "IN")] In,
    [Token(Example = "IS")] Is,
    [Token(Example = "NULL")] Null,
    [Token(Example = "TRUE")] True,
    [Token(Example = "FALSE")] False,
    [Token(Example = "DIV")] Div,
}

/// <summary>
/// Splits CQL2 text into tokens. Words are read as names first; keywords (case-insensitive, as CQL2's are) and names
/// followed by "(" are told apart afterwards, so a property may be called <c>point</c> or <c>date</c> and a
/// misspelt function is reported by its name.
/// </summary>
internal static class Cql2Tokenizer
{
    private static readonly Dictionary<string, Cql2Token> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AND"] = Cql2Token.And, ["OR"] = Cql2Token.Or, ["NOT"] = Cql2Token.Not, ["LIKE"] = Cql2Token.Like,
        ["BETWEEN"] = Cql2Token.Between, ["IN"] = Cql2Token.In, ["IS"] = Cql2Token.Is, ["NULL"] = Cql2Token.Null,
        ["TRUE"] = Cql2Token.True, ["FALSE"] = Cql2Token.False, ["DIV"] = Cql2Token.Div,
    };

    internal static readonly HashSet<string> GeometryTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION",
    };

    // 'text' with '' for a quote; a backslash takes the next character with it (\' is a quote too).
    private static readonly TextParser<Unit> StringLiteral =
        Character.EqualTo('\'')
            .IgnoreThen(Span.EqualTo("''").Try().Value(Unit.Value)
                .Or(Character.EqualTo('\\').IgnoreThen(Character.AnyChar).Value(Unit.Value))
                .Or(Character.Except('\'').Value(Unit.Value))
                .IgnoreMany())
            .IgnoreThen(Character.EqualTo('\''))
            .Value(Unit.Value);

    private static readonly TextParser<Unit> QuotedName =
        Character.EqualTo('"')
            .IgnoreThen(Span.EqualTo("\"\"").Try().Value(Unit.Value).Or(Character.Except('"').Value(Unit.Value)).IgnoreMany())
            .IgnoreThen(Character.EqualTo('"'))
            .Value(Unit.Value);

    private static readonly TextParser<TextSpan> Digits = Span.WithAll(char.IsAsciiDigit);

    // Unsigned: a sign is an operator, so "balance-150" is a subtraction. 1, 1., 1.5, .5, each with an optional exponent.
    private static readonly TextParser<TextSpan> Number = Span.MatchedBy(
        Digits.IgnoreThen(Character.EqualTo('.').IgnoreThen(Digits.OptionalOrDefault()).OptionalOrDefault())
            .Or(Character.EqualTo('.').IgnoreThen(Digits))
            .IgnoreThen(Character.In('e', 'E').IgnoreThen(Character.In('+', '-').OptionalOrDefault()).IgnoreThen(Digits).OptionalOrDefault()));

    private static readonly TextParser<TextSpan> Identifier = Span.MatchedBy(
        Character.Matching(IsIdentifierStart, "a letter").IgnoreThen(Character.Matching(IsIdentifierPart, "a letter or digit").IgnoreMany()));

    private static readonly Tokenizer<Cql2Token> Words = new TokenizerBuilder<Cql2Token>()
        .Ignore(Span.WhiteSpace)
        .Match(Span.EqualTo("<>"), Cql2Token.NotEqual)
        .Match(Span.EqualTo("<="), Cql2Token.LessOrEqual)
        .Match(Span.EqualTo(">="), Cql2Token.GreaterOrEqual)
        .Match(Character.EqualTo('<'), Cql2Token.Less)
        .Match(Character.EqualTo('>'), Cql2Token.Greater)
        .Match(Character.EqualTo('='), Cql2Token.Equal)
        .Match(Character.EqualTo('('), Cql2Token.LeftParen)
        .Match(Character.EqualTo(')'), Cql2Token.RightParen)
        .Match(Character.EqualTo(','), Cql2Token.Comma)
        .Match(Character.EqualTo('+'), Cql2Token.Plus)
        .Match(Character.EqualTo('-'), Cql2Token.Minus)
        .Match(Character.EqualTo('*'), Cql2Token.Times)
        .Match(Character.EqualTo('/'), Cql2Token.Divide)
        .Match(Character.EqualTo('%'), Cql2Token.Percent)
        .Match(Character.EqualTo('^'), Cql2Token.Caret)
        .Match(StringLiteral, Cql2Token.String)
        .Match(QuotedName, Cql2Token.QuotedName)
        .Match(Number, Cql2Token.Number, requireDelimiters: true)
        .Match(Identifier, Cql2Token.Name, requireDelimiters: true)
        .Build();

    /// <summary>The tokens of a filter, or a <see cref="Cql2Exception"/> naming the character that starts none.</summary>
    public static TokenList<Cql2Token> Tokenize(string text)
    {
        var result = Words.TryTokenize(text);
        if (!result.HasValue)
        {
            var at = result.ErrorPosition.HasValue ? result.ErrorPosition.Absolute : text.Length;
            throw Cql2Exception.At(at, at < text.Length ? Unreadable(text, at) : "the filter ends in the middle of a word");
        }
        var tokens = result.Value.ToArray();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Kind == Cql2Token.Name) tokens[i] = new Token<Cql2Token>(Classify(tokens, i), tokens[i].Span);
        }
        return new TokenList<Cql2Token>(tokens);
    }

    private static Cql2Token Classify(Token<Cql2Token>[] tokens, int i)
    {
        var word = tokens[i].ToStringValue();
        if (Keywords.TryGetValue(word, out var keyword)) return keyword;
        bool Is(int at, Cql2Token kind) => at < tokens.Length && tokens[at].Kind == kind;
        if (GeometryTags.Contains(word)
            && (Is(i + 1, Cql2Token.LeftParen) || (Is(i + 1, Cql2Token.Name) && tokens[i + 1].Span.EqualsValueIgnoreCase("Z") && Is(i + 2, Cql2Token.LeftParen))))
        {
            return Cql2Token.GeometryTag;
        }
        return Is(i + 1, Cql2Token.LeftParen) ? Cql2Token.Function : Cql2Token.Name;
    }

    private static string Unreadable(string text, int at) => text[at] switch
    {
        '\'' => "this 'text' is not closed: end it with ' (inside it, write '' or \\' for a quote and \\\\ for a backslash)",
        '"' => "this \"name\" is not closed: end it with \" (write \"\" for a quote inside it)",
        _ when char.IsAsciiDigit(text[at]) || text[at] == '.' => $"\"{Near(text, at)}\" is not a number (e.g. 12, 0.5, 1e+20)",
        _ => $"\"{Near(text, at)}\" is not part of CQL2 (a name starts with a letter, _ or :, or is written in \"double quotes\")",
    };

    private static string Near(string text, int at)
    {
        var end = at + 1;
        while (end < text.Length && end - at < 20 && !char.IsWhiteSpace(text[end]) && text[end] is not ('(' or ')' or ',')) end++;
        return text[at..end];
    }

    // The identifierStart and identifierPart rules of the CQL2 BNF; characters beyond U+FFFF arrive as surrogate pairs.
    private static bool IsIdentifierStart(char c) =>
        c is ':' or '_' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z')
            or (>= '\u00C0' and <= '\u00D6') or (>= '\u00D8' and <= '\u00F6') or (>= '\u00F8' and <= '\u02FF')
            or (>= '\u0370' and <= '\u037D') or (>= '\u037F' and <= '\u1FFE') or '\u200C' or '\u200D'
            or (>= '\u2070' and <= '\u218F') or (>= '\u2C00' and <= '\u2FEF') or (>= '\u3001' and <= '\uD7FF')
            or (>= '\uF900' and <= '\uFDCF') or (>= '\uFDF0' and <= '\uFFFD') || char.IsSurrogate(c);

    private static bool IsIdentifierPart(char c) =>
        IsIdentifierStart(c) || c is '.' or (>= '0' and <= '9') or (>= '\u0300' and <= '\u036F') or '\u203F' or '\u2040';
}
