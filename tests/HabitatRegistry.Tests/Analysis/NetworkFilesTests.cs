using HabitatRegistry.Analysis.Network;

namespace HabitatRegistry.Tests.Analysis;

/// <summary>Conefor-style node and distance files, and Graphab's CSV exports.</summary>
public class NetworkFilesTests
{
    private static string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"network-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WrittenFilesReadBackAsTheSameNetwork()
    {
        NodeRecord[] nodes = [new(7, 10), new(8, 1.5e-3), new(9, 0.25)];
        DistanceRecord[] distances = [new(7, 8, 1000), new(8, 9, 1000), new(7, 9, 2500.125)];
        var (nodeFile, distanceFile) = (TempFile(""), TempFile(""));

        NetworkFiles.WriteNodes(nodeFile, nodes);
        NetworkFiles.WriteDistances(distanceFile, distances);

        Assert.Equal(nodes, NetworkFiles.ReadNodes(nodeFile));
        Assert.Equal(distances, NetworkFiles.ReadDistances(distanceFile));
        var graph = NetworkFiles.BuildGraph(NetworkFiles.ReadNodes(nodeFile), NetworkFiles.ReadDistances(distanceFile), 1000);
        Assert.Equal(2, graph.LinkCount);
    }

    [Fact]
    public void GraphabsCsvColumnsAreFoundByName()
    {
        var patches = TempFile("Id,Area,Capacity\n1,5,50\n2,6,60\n");
        var links = TempFile("\"ID1\",\"ID2\",\"Dist\",\"DistM\"\n\"1\",\"2\",\"12.5\",\"12.5\"\n");

        Assert.Equal([new NodeRecord(1, 50), new NodeRecord(2, 60)], NetworkFiles.ReadNodes(patches));
        Assert.Equal([new DistanceRecord(1, 2, 12.5)], NetworkFiles.ReadDistances(links));
    }

    [Theory]
    [InlineData("1 10\n2\n", "line 2")]
    [InlineData("1 10\nx 3\n", "line 2: the patch id \"x\"")]
    [InlineData("1 10\n\n3 -1\n", "line 3: the attribute -1 is negative")]
    public void ABadLineNamesTheFileAndLine(string text, string message)
    {
        var path = TempFile(text);

        var error = Assert.Throws<InvalidDataException>(() => NetworkFiles.ReadNodes(path));

        Assert.Contains($"{path}, {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APairGivenTwiceWithDifferentDistancesIsRefused()
    {
        NodeRecord[] nodes = [new(1, 1), new(2, 1)];

        var error = Assert.Throws<InvalidDataException>(() => NetworkFiles.BuildGraph(nodes, [new(1, 2, 5), new(2, 1, 6)], 10));

        Assert.Contains("two distances", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, NetworkFiles.BuildGraph(nodes, [new(1, 2, 5), new(2, 1, 5)], 10).LinkCount);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    public void AThresholdThatIsNotADistanceIsRefused(double threshold)
    {
        NodeRecord[] nodes = [new(1, 1), new(2, 1)];

        var error = Assert.Throws<ArgumentException>(() => NetworkFiles.BuildGraph(nodes, [new(1, 2, 5)], threshold));

        Assert.Contains("threshold must be a distance", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, NetworkFiles.BuildGraph(nodes, [new(1, 2, 5)], 4.99).LinkCount); // d ≤ threshold only
    }
}
