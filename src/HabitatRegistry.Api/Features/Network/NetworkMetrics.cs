namespace HabitatRegistry.Features.Network;

/// <summary>The network's connectivity for one species group, as Conefor and Graphab define the indices (how they are computed: docs/network-algorithm.md).</summary>
/// <param name="LandscapeAreaHa">A_L: the city's area unless the request gave another</param>
/// <param name="PcNum">Σ_i Σ_j a_i a_j p*_ij in ha² (i = j included)</param>
/// <param name="Pc">PCnum / A_L²</param>
/// <param name="EcPcHa">equivalent connected area, √PCnum</param>
/// <param name="Iic">integral index of connectivity: Σ_i Σ_j a_i a_j / (1 + nl_ij) / A_L²</param>
/// <param name="Harary">Σ over pairs of patches that reach each other of 1 / (fewest links between them)</param>
/// <param name="Ccp">class coincidence probability: Σ over components of (their weight / all weight)²</param>
/// <param name="Lcp">landscape coincidence probability: Σ over components of their weight² / A_L²</param>
/// <param name="MinProbability">pairs whose p* is below this counted as not connected; 0 = exact</param>
/// <param name="PcNumError">how much PCnum may lack because of minProbability (it is never too large), ha²; 0 when exact</param>
/// <param name="Patches">every patch, most important (highest dPC) first</param>
public sealed record NetworkMetrics(
    string? Profile, double D0, double P0, double Threshold, double LandscapeAreaHa, double? ConnectorRadius, double MinProbability, double PcNumError,
    int Nodes, int Links, int Components,
    double Pc, double PcNum, double EcPcHa, double Iic, double Harary, double Ccp, double Lcp,
    IReadOnlyList<PatchMetrics> Patches);

/// <summary>One patch's importance to the network, in percent of the whole.</summary>
/// <param name="Rank">1 for the patch whose loss would cost most connectivity (highest dPC)</param>
/// <param name="Weight">the node attribute: area in ha × quality</param>
/// <param name="DPc">loss of PCnum if the patch were lost, % = intra + flux + connector</param>
/// <param name="DPcIntra">the patch's own habitat (a_k²)</param>
/// <param name="DPcFlux">the dispersal flow between it and every other patch it reaches</param>
/// <param name="DPcConnector">its role as a stepping stone on the best paths between other patches</param>
/// <param name="DIic">loss of IICnum if the patch were lost, %</param>
/// <param name="BcPc">betweenness centrality weighted by a_i a_j p*_ij (Graphab's BC)</param>
/// <param name="DPcError">with a connectorRadius or minProbability: by how much dPC may be off, percentage points; 0 when exact</param>
public sealed record PatchMetrics(
    int Rank, string PatchId, string Source, double AreaHa, double Quality, double Weight, int Component,
    double DPc, double DPcIntra, double DPcFlux, double DPcConnector, double DIic, double BcPc, double DPcError);

/// <summary>The dispersal a request asks for: a named profile, or d0, p0 and threshold given directly.</summary>
/// <param name="ConnectorRadius">m: how far beyond a removed patch detours are searched; null = exact</param>
/// <param name="MinProbability">pairs whose p* is below this count as not connected; 0 = exact</param>
public sealed record Dispersal(string? Profile, double D0, double P0, double Threshold, double? ConnectorRadius, double MinProbability = 0);
