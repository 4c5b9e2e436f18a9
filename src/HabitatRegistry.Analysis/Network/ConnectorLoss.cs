namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// What the pairs (s, j) of one source s lose when a patch k is removed: Σ_j a_j (v(D_j) − v(D′_j)) over the patches
/// j that k dominates (no other distance changes), the part of dPC_k's (or dIIC_k's) connector that s contributes once
/// multiplied by a_s. One of three ways, chosen when the search is made (<see cref="RemovalSearch"/>):
/// <see cref="ExactDistanceLoss"/>, <see cref="RadiusDistanceLoss"/> and <see cref="LinkCountLoss"/>.
/// docs/network-algorithm.md explains each.
/// </summary>
internal abstract class ConnectorLoss(ShortestPathSearch tree)
{
    protected ShortestPathSearch Tree { get; } = tree;

    /// <summary>Called once per source, after the search and its dominator tree, before the first <see cref="Without"/>.</summary>
    public virtual void Prepare() { }

    /// <summary>
    /// The loss of this source's pairs without <paramref name="removed"/> (which dominates at least one patch), and a
    /// bound on its error (0 where it is exact).
    /// </summary>
    public abstract (double Loss, double Bound) Without(int removed);

    /// <summary>v(before) − v(after) for v = exp(−decay·D), without cancellation when the detour is small.</summary>
    protected static double LostOverDistance(double decay, double before, double after, double valueBefore) =>
        double.IsPositiveInfinity(after) ? valueBefore : -valueBefore * ExpMinusOne(-decay * (after - before));

    /// <summary>exp(x) − 1, accurate for small x (Kahan's method: the rounding errors of u − 1 and ln u cancel).</summary>
    protected static double ExpMinusOne(double x)
    {
        var u = Math.Exp(x);
        if (u == 1) return x;
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }
}
