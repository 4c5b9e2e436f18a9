using System.Globalization;
using HabitatRegistry.Analysis.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// Translates a <see cref="Cql2Expression"/> into a boolean SQL expression for PostgreSQL/PostGIS. Every literal becomes
/// a parameter and every property a column of the queryables, so no text of the request reaches the SQL. Types are
/// checked as it goes: a date is compared with a date, LIKE takes text, arithmetic takes numbers.
/// </summary>
/// <remarks>
/// NULL behaves as in CQL2 and SQL alike: a comparison, LIKE, BETWEEN or IN with a null value is NULL, NOT NULL is NULL,
/// and a row is returned only when the filter is TRUE; so <c>scheme &lt;&gt; 'x'</c> and <c>scheme NOT IN ('x')</c> do
/// not return rows without a scheme. Arithmetic is done in numeric, so only ^ can overflow (PostgreSQL then raises
/// SQLSTATE 22003); division, % and div by zero are NULL.
/// </remarks>
public static class Cql2Sql
{
    /// <summary>The boolean SQL expression for a filter.</summary>
    /// <param name="filter">the parsed filter</param>
    /// <param name="queryables">the properties the filter may name; the only source of column names</param>
    /// <param name="parameter">registers a literal's value and returns its placeholder (e.g. $3)</param>
    /// <param name="geometryInStorageCrs">turns a geometry literal, as written (filter-crs, axis order), into SQL for a geometry in EPSG:4326</param>
    /// <exception cref="Cql2Exception">a property that is not a queryable, or types that do not fit</exception>
    public static string Where(Cql2Expression filter, Queryables queryables, Func<object?, string> parameter, Func<Geometry, string> geometryInStorageCrs)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new Translator(queryables, parameter, geometryInStorageCrs).Translate(filter, 0);
        return sql.Type == Cql2Type.Boolean ? sql.Text : throw NotACondition(filter, sql.Type);
    }

    private static Cql2Exception NotACondition(Cql2Expression expression, Cql2Type type) => Cql2Exception.At(expression.Position,
        $"{Describe.What(expression)} is {Describe.Type(type)}, not a condition: compare it with something (e.g. count > 5) or test it (e.g. name IS NULL)");

    private sealed class Translator(Queryables queryables, Func<object?, string> parameter, Func<Geometry, string> geometryInStorageCrs)
    {
        public TypedSql Translate(Cql2Expression expression, int depth)
        {
            if (++depth > Cql2Parser.MaxDepth)
            {
                throw Cql2Exception.At(expression.Position, $"the filter nests more than {Cql2Parser.MaxDepth} levels deep");
            }
            return expression switch
            {
                Logical logical => new(
                    "(" + string.Join(logical.Operator == LogicalOperator.And ? " and " : " or ", logical.Operands.Select(o => Condition(o, depth))) + ")",
                    Cql2Type.Boolean),
                Not not => new($"(not {Condition(not.Operand, depth)})", Cql2Type.Boolean),
                Comparison comparison => Compare(comparison, depth),
                Like like => Match(like, depth),
                Between between => Range(between, depth),
                In @in => Among(@in, depth),
                IsNull isNull => new($"({Scalar(isNull.Value, depth, allowGeometry: true).Text} is {(isNull.Negated ? "not " : "")}null)", Cql2Type.Boolean),
                Spatial spatial => Relate(spatial, depth),
                Temporal temporal => new(TemporalSql.Relate(temporal, e => Translate(e, depth)), Cql2Type.Boolean),
                Property property => Column(property),
                Literal literal => new(parameter(literal.Value), Cql2TypeOf.Literal(literal)),
                GeometryLiteral geometry => new(geometryInStorageCrs(Checked(geometry)), Cql2Type.Geometry),
                // ICU applies Unicode's full case mappings (ß → SS): lowering, raising and lowering again makes equal exactly the
                // texts that full case folding does (checked over every code point), except that dotless ı also equals i.
                CaseInsensitive casei => new($"lower(upper(lower({Typed(casei.Value, Cql2Type.Text, depth, "CASEI")} collate \"und-x-icu\")))", Cql2Type.Text),
                Arithmetic arithmetic => Calculate(arithmetic, depth),
                Negation negation => new($"(- {Typed(negation.Operand, Cql2Type.Number, depth, "a minus sign")})", Cql2Type.Number),
                Interval or OpenEnd => throw Cql2Exception.At(expression.Position, "an INTERVAL can only be compared by a temporal function such as T_INTERSECTS(a, INTERVAL(…))"),
                _ => throw new ArgumentOutOfRangeException(nameof(expression), expression.GetType().Name, "not a CQL2 expression"),
            };
        }

        private string Condition(Cql2Expression expression, int depth)
        {
            var sql = Translate(expression, depth);
            return sql.Type == Cql2Type.Boolean ? sql.Text : throw NotACondition(expression, sql.Type);
        }

        private string Typed(Cql2Expression expression, Cql2Type type, int depth, string usedBy)
        {
            var sql = Translate(expression, depth);
            return sql.Type == type ? sql.Text
                : throw Cql2Exception.At(expression.Position, $"{usedBy} takes {Describe.Type(type)}, and {Describe.What(expression)} is {Describe.Type(sql.Type)}");
        }

        /// <summary>A value that can be compared: not an interval, and not a geometry unless asked for (IS NULL).</summary>
        private TypedSql Scalar(Cql2Expression expression, int depth, bool allowGeometry = false)
        {
            var sql = Translate(expression, depth);
            if (sql.Type == Cql2Type.Geometry && !allowGeometry)
            {
                throw Cql2Exception.At(expression.Position, $"{Describe.What(expression)} is a geometry: compare geometries with S_EQUALS, S_INTERSECTS and the other S_ functions");
            }
            return sql;
        }

        private TypedSql Column(Property property)
        {
            var queryable = queryables.Find(property.Name);
            if (queryable is not null) return new(queryable.Column, Cql2TypeOf.Queryable(queryable.Type));
            var name = ClientText.Shown(property.Name);
            var similar = queryables.Properties.Where(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name).ToList();
            throw Cql2Exception.At(property.Position, similar.Count > 1
                ? $"\"{name}\" could be {string.Join(" or ", similar)}, which differ only in letter case: write the name exactly"
                : $"\"{name}\" is not a property you can filter {queryables.Collection} on; the queryables are: {queryables.Names}");
        }

        private TypedSql Compare(Comparison comparison, int depth)
        {
            var left = Scalar(comparison.Left, depth);
            var right = Scalar(comparison.Right, depth);
            SameType(comparison.Left, left, comparison.Right, right);
            var ordered = comparison.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual);
            if (ordered && left.Type == Cql2Type.Boolean)
            {
                throw Cql2Exception.At(comparison.Position, $"TRUE and FALSE have no order: compare {Describe.What(comparison.Left)} with = or <>");
            }
            var sign = comparison.Operator switch
            {
                ComparisonOperator.Equal => "=",
                ComparisonOperator.NotEqual => "<>",
                ComparisonOperator.Less => "<",
                ComparisonOperator.Greater => ">",
                ComparisonOperator.LessOrEqual => "<=",
                _ => ">=",
            };
            return new($"({left.Text} {sign} {right.Text})", Cql2Type.Boolean);
        }

        private TypedSql Match(Like like, int depth)
        {
            var value = Typed(like.Value, Cql2Type.Text, depth, "LIKE");
            if (Pattern(like.Pattern) is not { } pattern)
            {
                throw Cql2Exception.At(like.Pattern.Position, "LIKE takes a 'pattern' in quotes (or CASEI('pattern')), with % for any characters and _ for one");
            }
            var escapes = pattern.Length - pattern.TrimEnd('\\').Length;
            if (escapes % 2 == 1)
            {
                throw Cql2Exception.At(like.Pattern.Position, "the LIKE pattern ends with the escape character \\, which escapes nothing: write \\\\\\\\ for a backslash");
            }
            // PostgreSQL's LIKE escapes with a backslash by default, as CQL2 does.
            return new($"({value} {(like.Negated ? "not " : "")}like {Typed(like.Pattern, Cql2Type.Text, depth, "LIKE")})", Cql2Type.Boolean);
        }

        private static string? Pattern(Cql2Expression pattern) => pattern switch
        {
            Literal { Value: string text } => text,
            CaseInsensitive casei => Pattern(casei.Value),
            _ => null,
        };

        private TypedSql Range(Between between, int depth)
        {
            var value = Scalar(between.Value, depth);
            var low = Scalar(between.Low, depth);
            var high = Scalar(between.High, depth);
            SameType(between.Value, value, between.Low, low);
            SameType(between.Value, value, between.High, high);
            if (value.Type == Cql2Type.Boolean) throw Cql2Exception.At(between.Position, "TRUE and FALSE have no order: BETWEEN takes numbers (or dates, timestamps, texts)");
            return new($"({value.Text} {(between.Negated ? "not " : "")}between {low.Text} and {high.Text})", Cql2Type.Boolean);
        }

        private TypedSql Among(In @in, int depth)
        {
            var value = Scalar(@in.Value, depth);
            var items = @in.List.Select(item =>
            {
                var sql = Scalar(item, depth);
                SameType(@in.Value, value, item, sql);
                return sql.Text;
            }).ToList();
            return new($"({value.Text} {(@in.Negated ? "not " : "")}in ({string.Join(", ", items)}))", Cql2Type.Boolean);
        }

        private TypedSql Relate(Spatial spatial, int depth)
        {
            var name = "S_" + spatial.Function.ToString().ToUpperInvariant();
            var a = Typed(spatial.Left, Cql2Type.Geometry, depth, name);
            var b = Typed(spatial.Right, Cql2Type.Geometry, depth, name);
            // The bounding-box test (&&) lets PostgreSQL use the spatial index; disjoint geometries need not overlap.
            return new(spatial.Function == SpatialFunction.Disjoint
                ? $"ST_Disjoint({a}, {b})"
                : $"({a} && {b} and ST_{spatial.Function}({a}, {b}))", Cql2Type.Boolean);
        }

        private TypedSql Calculate(Arithmetic arithmetic, int depth)
        {
            var sign = arithmetic.Operator switch
            {
                ArithmeticOperator.Add => "+",
                ArithmeticOperator.Subtract => "-",
                ArithmeticOperator.Multiply => "*",
                ArithmeticOperator.Divide => "/",
                ArithmeticOperator.Modulo => "%",
                ArithmeticOperator.IntegerDivide => "div",
                _ => "^",
            };
            // numeric throughout: exact, and wide enough that + - * / cannot overflow; "/" is not integer division.
            var a = $"({Typed(arithmetic.Left, Cql2Type.Number, depth, sign)})::numeric";
            var b = $"({Typed(arithmetic.Right, Cql2Type.Number, depth, sign)})::numeric";
            return new(arithmetic.Operator switch
            {
                ArithmeticOperator.Divide => $"({a} / nullif({b}, 0))",
                ArithmeticOperator.Modulo => $"mod({a}, nullif({b}, 0))",
                ArithmeticOperator.IntegerDivide => $"div({a}, nullif({b}, 0))",
                // 0 ^ -1 and (-8) ^ 0.5 have no value: NULL, as a division by zero.
                ArithmeticOperator.Power => $"(case when {a} = 0 and {b} < 0 or {a} < 0 and {b} <> trunc({b}) then null else power({a}, {b}) end)",
                _ => $"({a} {sign} {b})",
            }, Cql2Type.Number);
        }

        private static void SameType(Cql2Expression leftExpression, TypedSql left, Cql2Expression rightExpression, TypedSql right)
        {
            if (left.Type == right.Type) return;
            var hint = (left.Type, right.Type) switch
            {
                (Cql2Type.Date, _) or (_, Cql2Type.Date) => $"; write a date as {Cql2Literals.DateHelp}",
                (Cql2Type.Timestamp, _) or (_, Cql2Type.Timestamp) => $"; write a timestamp as {Cql2Literals.TimestampHelp}",
                _ => "",
            };
            throw Cql2Exception.At(rightExpression.Position,
                $"{Describe.What(leftExpression)} is {Describe.Type(left.Type)} and {Describe.What(rightExpression)} is {Describe.Type(right.Type)}: they cannot be compared{hint}");
        }

        /// <summary>
        /// A geometry literal PostGIS can relate: valid (GEOS fails on self-intersecting rings), and a geometry collection
        /// merged into one geometry (GEOS fails on collections whose parts overlap; the point set is the same).
        /// </summary>
        private static Geometry Checked(GeometryLiteral literal)
        {
            var validity = new IsValidOp(literal.Geometry);
            if (!validity.IsValid)
            {
                var error = validity.ValidationError;
                throw Cql2Exception.At(literal.Position, string.Create(CultureInfo.InvariantCulture,
                    $"the {literal.Geometry.GeometryType} is not valid: {error.Message} at or near ({error.Coordinate.X} {error.Coordinate.Y})"));
            }
            if (literal.Geometry.OgcGeometryType != OgcGeometryType.GeometryCollection) return literal.Geometry;
            try
            {
                return literal.Geometry.Union();
            }
            catch (TopologyException e)
            {
                throw Cql2Exception.At(literal.Position, $"the GEOMETRYCOLLECTION's parts cannot be merged: {e.Message}");
            }
        }
    }
}
