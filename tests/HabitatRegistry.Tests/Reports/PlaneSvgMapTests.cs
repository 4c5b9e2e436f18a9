using System.Xml.Linq;
using HabitatRegistry.Features.Reports;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.Reports;

public class PlaneSvgMapTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly WKTReader Wkt = new();

    // 1,000 m square frame: the map widens it by 3 % a side, so 1,060 m over 664 units.
    private static PlaneSvgMap Frame() => new(new Envelope(0, 1000, 0, 1000));

    private static SvgMapLayer Layer(string key, string label, params string[] wkt) =>
        new(key, label, new SvgShapeStyle("#2e7d32", "#222", 0.6), [.. wkt.Select(w => Wkt.Read(w))]);

    [Fact]
    public void APolygonWithAHoleIsOnePathOfTwoRingsWithNorthUp()
    {
        var map = Frame();
        var d = map.PathData(Wkt.Read("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0), (400 400, 600 400, 600 600, 400 600, 400 400))"));

        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.Equal(2, d.Count(c => c == 'z'));
        // The south-west corner: x at the left margin, y low on the figure (SVG's y runs down).
        var start = d[1..d.IndexOf('l')].Split(' ').Select(double.Parse).ToArray();
        Assert.Equal(8 + 30 / map.MetresPerUnit, start[0], 0.1);
        Assert.Equal(8 + 1030 / map.MetresPerUnit, start[1], 0.1);
    }

    [Fact]
    public void EveryTextFromDataIsEscapedAndTheFigureIsWellFormedXml()
    {
        var svg = Frame().Render(
            [Layer("scheme-a", "<script>alert(1)</script> & \"quoted\" \u0001", "POLYGON ((100 100, 300 100, 300 300, 100 100))")],
            new SvgMapText("Title </svg><svg>", "N", "Credit ' & <b>", "Note \uFFFE"));

        var root = XElement.Parse(svg);
        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Equal("Title </svg><svg>", root.Element(Svg + "title")!.Value);
        var texts = root.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("<script>alert(1)</script> & \"quoted\" ", texts);
        Assert.Contains("Credit ' & <b>", texts);
        Assert.Contains("Note ", texts);
    }

    [Fact]
    public void DotsAreOneMarkAPlaceInOnePath()
    {
        var layer = Layer("trust", "Trust", "POLYGON ((100 100, 300 100, 300 300, 100 100))") with
        {
            Dots = Wkt.Read("MULTIPOINT ((500 500), (500.3 499.7), (900 100))"),
        };
        var root = XElement.Parse(Frame().Render([layer], new SvgMapText("t", "N", null)));

        var dots = root.Descendants(Svg + "path").Single(p => (string?)p.Attribute("class") == "dots");
        Assert.Equal(2, ((string)dots.Attribute("d")!).Count(c => c == 'M')); // the first two fall in one unit
        Assert.Single(root.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "legend-item");
    }
}
