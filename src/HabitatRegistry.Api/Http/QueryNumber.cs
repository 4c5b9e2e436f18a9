using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HabitatRegistry.Http;

/// <summary>
/// A decimal number in a query string, read the same way everywhere: a point for decimals, no thousands separators,
/// finite. The framework's own reading of doubles allows thousands separators, so 0,5 would be 5.
/// </summary>
public readonly record struct QueryNumber(double Value) : IParsable<QueryNumber>
{
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out QueryNumber result)
    {
        var ok = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);
        result = new(ok ? value : 0);
        return ok;
    }

    public static QueryNumber Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"\"{s}\" is not a number such as 0.5.");

    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
