namespace HabitatRegistry.Analysis.Network;

/// <summary>
/// The connectivity indices of a habitat network (Conefor's and Graphab's definitions; see
/// shared/data/connectivity/README.md). EC is in the unit of the attributes (and A_L must be given in it);
/// d-values are percentages.
/// </summary>
/// <param name="Nodes">Number of patches.</param>
/// <param name="Links">Number of links (NL).</param>
/// <param name="Components">Number of connected components (NC), isolated patches included.</param>
/// <param name="PcNum">Σ_i Σ_j a_i a_j p*_ij, i = j included.</param>
/// <param name="Pc">PCnum / A_L².</param>
/// <param name="EcPc">EC(PC) = √PCnum, in the unit of the attributes.</param>
/// <param name="IicNum">Σ_i Σ_j a_i a_j / (1 + nl_ij) over reachable pairs, i = j included.</param>
/// <param name="Iic">IICnum / A_L².</param>
/// <param name="Harary">Σ over unordered reachable pairs of 1 / nl_ij.</param>
/// <param name="Ccp">Σ over components of (component attribute / total attribute)².</param>
/// <param name="Lcp">Σ over components of (component attribute / A_L)².</param>
/// <param name="Patches">Per patch, in node order.</param>
/// <param name="PcNumError">
/// How much PCnum may lack (it is never too large): pairs beyond the distance where p* falls below
/// <see cref="ConnectivityOptions.MinProbability"/> count as unreachable. 0 when exact.
/// </param>
public sealed record NetworkIndices(
    int Nodes,
    int Links,
    int Components,
    double PcNum,
    double Pc,
    double EcPc,
    double IicNum,
    double Iic,
    double Harary,
    double Ccp,
    double Lcp,
    IReadOnlyList<PatchIndices> Patches,
    double PcNumError = 0);

/// <summary>
/// One patch's indices. dX = 100·(X − X without the patch)/X, split into intra (the patch itself), flux (its
/// exchanges with every other patch) and connector (what it carries between other patches): dX = intra + flux + connector.
/// </summary>
/// <param name="Node">The node index in the graph.</param>
/// <param name="Attribute">a_i.</param>
/// <param name="Component">Component number, 0 for the component of node 0, then in order of first node.</param>
/// <param name="DPc">dPC, percent.</param>
/// <param name="DPcIntra">100·a_k² / PCnum.</param>
/// <param name="DPcFlux">100·2·Σ_{j≠k} a_k a_j p*_kj / PCnum.</param>
/// <param name="DPcConnector">dPC − intra − flux, computed directly (never negative).</param>
/// <param name="DIic">dIIC, percent (binary graph: nl = fewest links).</param>
/// <param name="DIicIntra">100·a_k² / IICnum.</param>
/// <param name="DIicFlux">100·2·Σ_{j≠k} a_k a_j / (1 + nl_kj) / IICnum.</param>
/// <param name="DIicConnector">dIIC − intra − flux.</param>
/// <param name="BcPc">
/// Graphab's betweenness centrality BC with β = 1: Σ over unordered pairs {i, j} of other patches whose shortest path
/// passes through the patch of a_i a_j p*_ij. Where shortest paths tie (touching patches), the path is Dijkstra's
/// from each end with ties going to the predecessor settled first (equal distances settle in node order), and the two
/// directions count half each: this reproduces Graphab's figures.
/// </param>
/// <param name="Flux">Graphab's F with β = 1: Σ_{j≠k} a_j p*_kj.</param>
/// <param name="DPcError">
/// A bound on the error of <see cref="DPc"/>, percentage points: 0 when computed exactly, else what a limited search
/// radius (<see cref="ConnectivityOptions.ConnectorSearchRadius"/>, connector part only) or pairs below
/// <see cref="ConnectivityOptions.MinProbability"/> may have missed.
/// </param>
public sealed record PatchIndices(
    int Node,
    double Attribute,
    int Component,
    double DPc,
    double DPcIntra,
    double DPcFlux,
    double DPcConnector,
    double DIic,
    double DIicIntra,
    double DIicFlux,
    double DIicConnector,
    double BcPc,
    double Flux,
    double DPcError);

/// <summary>How <see cref="ConnectivityIndices"/> works.</summary>
/// <param name="ConnectorSearchRadius">
/// How far (m) beyond a removed patch the new shortest paths of dPC's connector are searched. ∞ (the default) is exact.
/// A finite radius bounds the work per patch in large dense components; each patch then carries a bound on its error
/// (<see cref="PatchIndices.DPcError"/>). dIIC, intra, flux, PC, IIC and BC stay exact.
/// </param>
/// <param name="MaxDegreeOfParallelism">Processors to use (default: all).</param>
/// <param name="MinProbability">
/// Where p still matters: pairs whose p* is below this count as unreachable (Dijkstra stops at −ln(it)/k), which
/// confines every search to a neighbourhood in large landscapes. 0 is exact. Every d-value then carries a bound on
/// its error (<see cref="PatchIndices.DPcError"/>) and PCnum its shortfall (<see cref="NetworkIndices.PcNumError"/>).
/// </param>
public sealed record ConnectivityOptions(double ConnectorSearchRadius = double.PositiveInfinity, int? MaxDegreeOfParallelism = null, double MinProbability = 0);
