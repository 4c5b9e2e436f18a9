namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>
/// A filter that cannot be read or run, said in words a planner understands: where (the character position, counted
/// from 1) and what was expected there. It is the only exception the CQL2 code throws for bad input, so the caller can
/// answer every one with a 400 problem detail carrying <see cref="Exception.Message"/>.
/// </summary>
public sealed class Cql2Exception : Exception
{
    public Cql2Exception()
    {
    }

    public Cql2Exception(string message) : base(message)
    {
    }

    public Cql2Exception(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The 0-based index into the filter text where the problem is; null when unknown (CQL2 JSON has no positions).</summary>
    public int? Position { get; private init; }

    /// <summary>
    /// A problem at a position of the filter text (0-based; negative when there is none), said as
    /// <c>At position 23 ("… AND"): expected a value after AND.</c>; the text in brackets is the context, when given.
    /// </summary>
    internal static Cql2Exception At(int position, string problem, string? context = null)
    {
        var sentence = problem.EndsWith('.') ? problem : problem + ".";
        if (position < 0) return new(char.ToUpperInvariant(sentence[0]) + sentence[1..]);
        var where = context is null ? $"At position {position + 1}" : $"At position {position + 1} (\"{context}\")";
        return new($"{where}: {sentence}") { Position = position };
    }
}
