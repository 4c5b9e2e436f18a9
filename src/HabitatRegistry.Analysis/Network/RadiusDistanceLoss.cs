namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// dPC's connector over distances with the new distances below a removed patch k searched only up to D_k + radius:
/// the patches settled within it count exactly, and below the others the loss is estimated with a bound
/// (docs/network-algorithm.md, "A search radius").
/// </summary>
internal sealed class RadiusDistanceLoss : ConnectorLoss
{
    private readonly ConfinedSearch _confined;
    private readonly double _decay;
    private readonly double _radius;
    private readonly double _limit;
    private readonly bool[] _exactPrefix; // for the patches of the last search: it and its dominators below k settled

    public RadiusDistanceLoss(ShortestPathSearch tree, double decay, double radius, double limit) : base(tree)
    {
        _confined = new ConfinedSearch(tree);
        _decay = decay;
        _radius = radius;
        _limit = limit;
        _exactPrefix = new bool[tree.Attributes.Length];
    }

    /// <summary>
    /// Patches settled within the radius whose dominators below k all were count exactly. Below any other patch y the
    /// detour Δ can only shrink (D′_j ≤ D′_y + D_j − D_y), so y's subtree loses at most (1 − e^{−decay·Δ}) × its mass,
    /// Δ being the detour of y's dominator (all its mass when that is k): half of that is taken, and the other half is
    /// the bound.
    /// </summary>
    public override (double Loss, double Bound) Without(int removed)
    {
        var distance = Tree.Distance;
        var value = Tree.Value;
        var attributes = Tree.Attributes;
        var dominator = Tree.Dominator;
        var firstChild = Tree.FirstChild;
        var nextSibling = Tree.NextSibling;
        var mass = Tree.Mass;
        var without = _confined.DistanceWithout;
        var region = _confined.Region;
        var exactPrefix = _exactPrefix;
        var limit = Math.Min(distance[removed] + _radius, _limit);
        var count = _confined.Run(removed, limit, limit);
        // Top down through k's subtree within the limit (the region is in breadth-first order, dominators first).
        double loss = 0, bound = 0;
        for (var i = 0; i < count; i++)
        {
            var y = region[i];
            var parent = dominator[y];
            exactPrefix[y] = false;
            if (parent != removed && !exactPrefix[parent]) continue; // inside a block already bounded
            if (!double.IsPositiveInfinity(without[y]))
            {
                exactPrefix[y] = true;
                loss += attributes[y] * LostOverDistance(_decay, distance[y], without[y], value[y]);
                for (var c = firstChild[y]; c >= 0; c = nextSibling[c])
                {
                    if (distance[c] <= limit) continue; // in the region: handled in its turn
                    var block = Block(without[y] - distance[y], mass[c]);
                    loss += block;
                    bound += block;
                }
            }
            else
            {
                var block = Block(parent == removed ? double.PositiveInfinity : without[parent] - distance[parent], mass[y]);
                loss += block;
                bound += block;
            }
        }
        // Children of k beyond the limit altogether.
        for (var c = firstChild[removed]; c >= 0; c = nextSibling[c])
        {
            if (distance[c] > limit)
            {
                loss += mass[c] / 2;
                bound += mass[c] / 2;
            }
        }
        return (loss, bound);
    }

    // Half the most a subtree of the given mass can lose when its root's detour is at most `detour`.
    private double Block(double detour, double mass) =>
        double.IsPositiveInfinity(detour) ? mass / 2
        : -mass * ExpMinusOne(-_decay * detour) / 2;
}
