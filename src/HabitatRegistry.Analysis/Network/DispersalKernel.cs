using System.Globalization;

namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// How likely a disperser crosses a given distance: p(d) = exp(−k·d) with k = −ln(p0)/d0, so that p(d0) = p0
/// (d0 is the median dispersal distance when p0 = 0.5, the product's default; Graphab's examples use p0 = 0.05).
/// </summary>
public sealed record DispersalKernel
{
    /// <param name="distance">d0 in metres: the distance at which a disperser still arrives with probability <paramref name="probability"/>.</param>
    /// <param name="probability">p0, strictly between 0 and 1.</param>
    public DispersalKernel(double distance, double probability = 0.5)
    {
        if (!double.IsFinite(distance) || distance <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The dispersal distance d0 must be a positive number of metres (how far dispersers get with probability p0, e.g. 1000 for small mammals); got {distance}."), nameof(distance));
        }
        if (!double.IsFinite(probability) || probability <= 0 || probability >= 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The probability p0 of reaching the dispersal distance d0 must lie strictly between 0 and 1 (0.5: half of the dispersers get that far); got {probability}."), nameof(probability));
        }
        Distance = distance;
        Probability = probability;
        Decay = -Math.Log(probability) / distance;
    }

    /// <summary>d0, metres.</summary>
    public double Distance { get; }

    /// <summary>p0, the probability at d0.</summary>
    public double Probability { get; }

    /// <summary>k = −ln(p0)/d0, per metre.</summary>
    public double Decay { get; }

    /// <summary>The probability of crossing <paramref name="distance"/> metres, exp(−k·d).</summary>
    public double ProbabilityAt(double distance) => Math.Exp(-Decay * distance);
}
