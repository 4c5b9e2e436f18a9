using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// A parsed CQL2 filter, the same whether it came as text or JSON. Nothing here is checked against the queryables yet:
/// <see cref="Cql2Sql"/> does that as it translates. <see cref="Position"/> is the 0-based index of the node in the
/// filter text (negative for CQL2 JSON), so errors found later can still say where.
/// </summary>
public abstract record Cql2Expression(int Position);

public enum LogicalOperator { And, Or }

public enum ComparisonOperator { Equal, NotEqual, Less, Greater, LessOrEqual, GreaterOrEqual }

public enum ArithmeticOperator { Add, Subtract, Multiply, Divide, Modulo, IntegerDivide, Power }

public enum SpatialFunction { Intersects, Equals, Disjoint, Touches, Within, Overlaps, Crosses, Contains }

public enum TemporalFunction
{
    After, Before, Contains, Disjoint, During, Equals, FinishedBy, Finishes, Intersects, Meets, MetBy, OverlappedBy, Overlaps,
    StartedBy, Starts,
}

/// <summary>AND or OR over two or more operands, kept flat so a long list of conditions is not a deep tree.</summary>
public sealed record Logical(int Position, LogicalOperator Operator, IReadOnlyList<Cql2Expression> Operands) : Cql2Expression(Position);

public sealed record Not(int Position, Cql2Expression Operand) : Cql2Expression(Position);

public sealed record Comparison(int Position, ComparisonOperator Operator, Cql2Expression Left, Cql2Expression Right) : Cql2Expression(Position);

public sealed record Like(int Position, Cql2Expression Value, Cql2Expression Pattern, bool Negated) : Cql2Expression(Position);

public sealed record Between(int Position, Cql2Expression Value, Cql2Expression Low, Cql2Expression High, bool Negated) : Cql2Expression(Position);

public sealed record In(int Position, Cql2Expression Value, IReadOnlyList<Cql2Expression> List, bool Negated) : Cql2Expression(Position);

public sealed record IsNull(int Position, Cql2Expression Value, bool Negated) : Cql2Expression(Position);

public sealed record Spatial(int Position, SpatialFunction Function, Cql2Expression Left, Cql2Expression Right) : Cql2Expression(Position);

public sealed record Temporal(int Position, TemporalFunction Function, Cql2Expression Left, Cql2Expression Right) : Cql2Expression(Position);

/// <summary>A property by the name the client wrote; <see cref="Cql2Sql"/> looks it up in the queryables.</summary>
public sealed record Property(int Position, string Name) : Cql2Expression(Position);

/// <summary>
/// A string, number (<see cref="decimal"/>, or <see cref="double"/> beyond decimal's range), boolean, date
/// (<see cref="DateOnly"/>) or timestamp (<see cref="DateTime"/> in UTC).
/// </summary>
public sealed record Literal(int Position, object Value) : Cql2Expression(Position);

/// <summary>A geometry literal as written: axis order and coordinate reference system are the caller's to interpret.</summary>
public sealed record GeometryLiteral(int Position, Geometry Geometry) : Cql2Expression(Position);

/// <summary>INTERVAL(start, end); each end is a date or timestamp, a property, or <see cref="OpenEnd"/>.</summary>
public sealed record Interval(int Position, Cql2Expression Start, Cql2Expression End) : Cql2Expression(Position);

/// <summary>'..': an interval end without a bound.</summary>
public sealed record OpenEnd(int Position) : Cql2Expression(Position);

/// <summary>CASEI(…): the text folded so comparisons ignore letter case.</summary>
public sealed record CaseInsensitive(int Position, Cql2Expression Value) : Cql2Expression(Position);

public sealed record Arithmetic(int Position, ArithmeticOperator Operator, Cql2Expression Left, Cql2Expression Right) : Cql2Expression(Position);

/// <summary>Unary minus on something that is not a number literal (those are read as negative numbers).</summary>
public sealed record Negation(int Position, Cql2Expression Operand) : Cql2Expression(Position);
