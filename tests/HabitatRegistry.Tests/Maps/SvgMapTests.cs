using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HabitatRegistry.Features.Maps;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.Maps;

public partial class SvgMapTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly WKTReader Wkt = new();
    private static readonly MapStyle Style = new();

    private static MapShape Shape(string wkt, string? title = null, string? href = null) => new(Wkt.Read(wkt), Style, title, href);

    /// <summary>Path data as its subpaths' points in drawing units (M/m, l, h, z and arcs' end points), for tests of any map.</summary>
    internal static List<List<(double X, double Y)>> Subpaths(string d)
    {
        var subpaths = new List<List<(double X, double Y)>>();
        var (x, y) = (0.0, 0.0);
        foreach (Match command in PathCommand().Matches(d))
        {
            var c = command.Groups[1].Value[0];
            var n = Number().Matches(command.Groups[2].Value).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
            switch (c)
            {
                case 'M' or 'm':
                    (x, y) = c == 'M' ? (n[0], n[1]) : (x + n[0], y + n[1]);
                    subpaths.Add([(x, y)]);
                    for (var i = 2; i + 1 < n.Length; i += 2) subpaths[^1].Add((x, y) = c == 'M' ? (n[i], n[i + 1]) : (x + n[i], y + n[i + 1]));
                    break;
                case 'l':
                    for (var i = 0; i + 1 < n.Length; i += 2) subpaths[^1].Add((x, y) = (x + n[i], y + n[i + 1]));
                    break;
                case 'h':
                    foreach (var dx in n) subpaths[^1].Add((x += dx, y));
                    break;
                case 'a':
                    for (var i = 0; i + 6 < n.Length; i += 7) subpaths[^1].Add((x, y) = (x + n[i + 5], y + n[i + 6]));
                    break;
                case 'z':
                    (x, y) = subpaths[^1][0];
                    break;
                default:
                    throw new FormatException($"unexpected path command {c} in {d}");
            }
        }
        return subpaths;
    }

    /// <summary>Twice the signed area of a ring on the drawing (y down: positive is clockwise as seen).</summary>
    private static double SignedArea(List<(double X, double Y)> ring) =>
        ring.Zip(ring.Skip(1).Append(ring[0]), (a, b) => a.X * b.Y - b.X * a.Y).Sum();

    private static string PathData(string svg, int index = 0) => Regex.Matches(svg, @" d=""([^""]+)""")[index].Groups[1].Value;

    // The pages' maps: longitude/latitude in Web Mercator, a path a shape.

    [Fact]
    public void APolygonWithAHoleIsOnePathWhoseHoleWindsAgainstItsShell()
    {
        var svg = SvgMap.Render([Shape("POLYGON((139.40 35.78, 139.42 35.78, 139.42 35.80, 139.40 35.80, 139.40 35.78), (139.405 35.785, 139.41 35.785, 139.41 35.79, 139.405 35.785))")], 400, 300);

        Assert.Equal(1, Regex.Count(svg, "<path "));
        var rings = Subpaths(PathData(svg));
        Assert.Equal(2, rings.Count);
        // Filled nonzero (the default): the hole stays empty because it winds the other way.
        Assert.DoesNotContain("fill-rule", svg, StringComparison.Ordinal);
        Assert.True(Math.Sign(SignedArea(rings[0])) == -Math.Sign(SignedArea(rings[1])), "the hole winds as its shell does");
    }

    [Fact]
    public void EveryShapeIsFittedInsideTheDrawingKeepingItsShapeInWebMercator()
    {
        // A square of 0.02° at 35.8°N is 1/cos(35.8°) ≈ 1.23 times as tall as wide in Web Mercator.
        var svg = SvgMap.Render([Shape("POLYGON((139.40 35.79, 139.42 35.79, 139.42 35.81, 139.40 35.81, 139.40 35.79))"), Shape("LINESTRING(139.41 35.80, 139.415 35.805)")], 400, 300);
        var square = Subpaths(PathData(svg)).Single();

        Assert.All(Subpaths(PathData(svg)).Concat(Subpaths(PathData(svg, 1))).SelectMany(p => p), p => { Assert.InRange(p.X, 0, 400); Assert.InRange(p.Y, 0, 300); });
        var ratio = (square.Max(p => p.Y) - square.Min(p => p.Y)) / (square.Max(p => p.X) - square.Min(p => p.X));
        Assert.InRange(ratio, 1.20, 1.26);
        Assert.Contains("fill=\"none\"", svg, StringComparison.Ordinal); // the line is not filled
    }

    [Fact]
    public void APointAloneIsACircleInTheMiddle()
    {
        var svg = SvgMap.Render([Shape("POINT(139.45 35.80)")], 200, 100);

        Assert.Equal(1, Regex.Count(svg, "<path "));
        Assert.Contains("a4 4 0 1 0 8 0", svg, StringComparison.Ordinal);
        Assert.Equal((96, 50), Subpaths(PathData(svg)).Single()[0]);
    }

    [Fact]
    public void NoShapesDrawsAnEmptyFrame()
    {
        var svg = SvgMap.Render([new MapShape(Polygon.Empty, Style)], 200, 100, label: "nothing");

        Assert.DoesNotContain("<path", svg, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"frame\"", svg, StringComparison.Ordinal);
        Assert.Contains("<title>nothing</title>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void TitlesAndLinksAreEscaped()
    {
        var svg = SvgMap.Render([Shape("POINT(139.45 35.80)", "<script>x</script>", "/a?b=1&c=\"><script>")], 200, 100, label: "<b>");

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/a?b=1&amp;c=&quot;&gt;&lt;script&gt;\">", svg, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;script&gt;x&lt;/script&gt;</title>", svg, StringComparison.Ordinal);
    }

    // The report's figure: a projected system's metres, north up, layers of one path each.

    // 2,000 × 1,000 m: the figure widens it by 60 m a side (3 % of the longer), so 2,120 m over the 664 units inside the margins.
    private static SvgMap Figure() => SvgMap.ForFigure(new Envelope(0, 2000, 0, 1000));

    private static MapLayer Layer(SvgMap map, string key, string label, params string[] wkt)
    {
        var d = new System.Text.StringBuilder();
        foreach (var w in wkt) map.Append(d, Wkt.Read(w));
        return new(key, label, new MapStyle("#2e7d32", "#222", 0.6), d.ToString());
    }

    [Fact]
    public void AFiguresPolygonsAreRingsWithNorthUpInTheMargin()
    {
        var map = Figure();
        var d = new System.Text.StringBuilder();
        map.Append(d, Wkt.Read("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0), (400 400, 600 400, 600 600, 400 600, 400 400))"));
        map.Append(d, Wkt.Read("POLYGON ((900 900, 950 900, 950 950, 900 950, 900 900))"));

        var rings = Subpaths(d.ToString());
        Assert.Equal(3, rings.Count);
        Assert.Equal(3, d.ToString().Count(c => c == 'z'));
        // The south-west corner: x at the left margin, y low on the figure (SVG's y runs down); tenths of a unit.
        Assert.Equal(2120 / 664.0, map.MetresPerUnit, 1e-9);
        Assert.Equal(8 + 60 / map.MetresPerUnit, rings[0][0].X, 0.06);
        Assert.Equal(8 + 1060 / map.MetresPerUnit, rings[0][0].Y, 0.06);
        Assert.Equal(map.Height - 8 - 60 / map.MetresPerUnit, rings[0].Max(p => p.Y), 0.06);
        // Shells wind alike whatever their vertex order, holes the other way: one path shows the union of many.
        Assert.Equal(Math.Sign(SignedArea(rings[0])), Math.Sign(SignedArea(rings[2])));
        Assert.Equal(-Math.Sign(SignedArea(rings[0])), Math.Sign(SignedArea(rings[1])));
    }

    [Fact]
    public void EveryTextFromDataIsEscapedAndTheFigureIsWellFormedXml()
    {
        var map = Figure();
        var svg = map.Figure(
            [Layer(map, "scheme-a", "<script>alert(1)</script> & \"quoted\" \u0001", "POLYGON ((100 100, 300 100, 300 300, 100 100))")],
            new MapText("Title </svg><svg>", "N", "Credit ' & <b>", "Note \uFFFE"));

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
        var map = Figure();
        var dots = map.DotData([new Coordinate(500, 500), new Coordinate(500.3, 499.7), new Coordinate(900, 100), new Coordinate(100, 900)]);
        var layer = Layer(map, "trust", "Trust", "POLYGON ((100 100, 300 100, 300 300, 100 100))") with { Dots = dots };
        var root = XElement.Parse(map.Figure([layer], new MapText("t", "N", null)));

        var marks = Subpaths((string)root.Descendants(Svg + "path").Single(p => (string?)p.Attribute("class") == "dots").Attribute("d")!);
        Assert.Equal(3, marks.Count); // the first two fall in one unit
        // Each mark is DotSize long, centred on its place, wherever the relative moves put it.
        Assert.All(marks, m => Assert.Equal(SvgMap.DotSize, m[1].X - m[0].X));
        var corner = marks.MinBy(m => m[0].Y)!; // (100, 900): the north-west
        Assert.Equal(Math.Floor(8 + 160 / map.MetresPerUnit) - 1, corner[0].X);
        Assert.Equal(Math.Floor(8 + 160 / map.MetresPerUnit), corner[0].Y);
        Assert.Single(root.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "legend-item");
    }

    [GeneratedRegex(@"([MmlhazZ])([^MmlhazZ]*)")]
    private static partial Regex PathCommand();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Number();
}
