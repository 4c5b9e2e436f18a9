using System.Globalization;
using HabitatRegistry.Analysis.Network;
using HabitatRegistry.Tests.TestHost;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>
/// Graphab's own 152-patch test suite (shared/data/connectivity, GPL-3: read at run time, never copied here), graph
/// "comp_euclid_1000_nointra": links with Dist ≤ 1000 m, d0 = 1000 m, p0 = 0.05, β = 1.
/// </summary>
public class GraphabOracleTests
{
    private const string Suffix = "graph_comp_euclid_1000_nointra";
    private const double Relative = 1e-9;

    /// <summary>HABITAT_CONNECTIVITY_DATA if set, else &lt;repository&gt;/../shared/data/connectivity.</summary>
    private static string DataFile(string name)
    {
        var folder = Environment.GetEnvironmentVariable("HABITAT_CONNECTIVITY_DATA") is { Length: > 0 } set
            ? set
            : Path.GetFullPath(Parcels.RepoFile(Path.Combine("..", "shared", "data", "connectivity")));
        var path = Path.Combine(folder, name);
        Assert.True(File.Exists(path),
            $"Graphab's reference data is missing: looked for {path}. Set HABITAT_CONNECTIVITY_DATA to the folder holding graphab_patches.csv and graphab_links.csv (shared/data/connectivity).");
        return path;
    }

    private static (NetworkIndices Result, List<Dictionary<string, string>> Rows) Run()
    {
        var patches = DataFile("graphab_patches.csv");
        var nodes = NetworkFiles.ReadNodes(patches);
        var graph = NetworkFiles.BuildGraph(nodes, NetworkFiles.ReadDistances(DataFile("graphab_links.csv")), 1000);
        var result = ConnectivityIndices.Compute(graph, new DispersalKernel(1000, 0.05), 13998.903636200004 * 13999.781617000233);
        var lines = File.ReadAllLines(patches);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(nodes.Select(n => n.Id.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r["Id"]));
        return (result, rows);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Relative * Math.Abs(expected),
            $"{what}: Graphab {expected.ToString("R", CultureInfo.InvariantCulture)}, here {actual.ToString("R", CultureInfo.InvariantCulture)}");

    [Fact]
    public void GlobalIndicesMatchGraphab()
    {
        var (result, _) = Run();

        Assert.Equal(378, result.Links);
        Assert.Equal(19, result.Components);
        AssertClose(9.581715576493942E-5, result.Pc, "PC");
        AssertClose(1.6148035259804173E-4, result.Iic, "IIC");
        AssertClose(993.4060078810077, result.Harary, "H");
        AssertClose(0.3245421246977966, result.Ccp, "CCP");
    }

    [Fact]
    public void EveryPatchsDpcSplitBetweennessAndFluxMatchGraphab()
    {
        var (result, rows) = Run();

        (string Column, Func<PatchIndices, double> Value)[] columns =
        [
            ($"d_dPC_d1000_p0.05_beta1|PCIntra_{Suffix}", p => p.DPcIntra / 100),
            ($"d_dPC_d1000_p0.05_beta1|PCFlux_{Suffix}", p => p.DPcFlux / 100),
            ($"d_dPC_d1000_p0.05_beta1|PCCon_{Suffix}", p => p.DPcConnector / 100),
            ($"BC_d1000_p0.05_beta1_{Suffix}", p => p.BcPc),
            ($"F_d1000_p0.05_beta1_{Suffix}", p => p.Flux),
        ];
        for (var i = 0; i < rows.Count; i++)
        {
            foreach (var (column, value) in columns)
            {
                AssertClose(double.Parse(rows[i][column], CultureInfo.InvariantCulture), value(result.Patches[i]), $"patch {rows[i]["Id"]}, {column}");
            }
        }
        var top = result.Patches[rows.FindIndex(r => r["Id"] == "116")];
        ConnectivityIndicesTests.AssertPrinted("25.1432", top.DPc);
        ConnectivityIndicesTests.AssertPrinted("3.1660", top.DPcConnector);
        ConnectivityIndicesTests.AssertPrinted("20.3784", result.Patches[rows.FindIndex(r => r["Id"] == "126")].DPc);
    }
}
