using System.Globalization;
using System.Text.RegularExpressions;
using HabitatRegistry.Features.Maps;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.Maps;

public partial class SvgMapTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly MapStyle Style = new();

    private static MapShape Shape(string wkt, string? title = null, string? href = null) => new(Wkt.Read(wkt), Style, title, href);

    private static List<(double X, double Y)> Points(string svg) =>
        [.. Coordinates().Matches(svg).Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    [Fact]
    public void APolygonWithAHoleIsOnePathOfTwoRingsFilledEvenOdd()
    {
        var svg = SvgMap.Render([Shape("POLYGON((139.40 35.78, 139.42 35.78, 139.42 35.80, 139.40 35.80, 139.40 35.78), (139.405 35.785, 139.41 35.785, 139.41 35.79, 139.405 35.785))")], 400, 300);

        Assert.Equal(1, Regex.Count(svg, "<path "));
        Assert.Equal(2, Regex.Count(Regex.Match(svg, @" d=""([^""]+)""").Groups[1].Value, "M"));
        Assert.Contains("fill-rule=\"evenodd\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryShapeIsFittedInsideTheDrawingKeepingItsShapeInWebMercator()
    {
        // A square of 0.02° at 35.8°N is 1/cos(35.8°) ≈ 1.23 times as tall as wide in Web Mercator.
        var svg = SvgMap.Render([Shape("POLYGON((139.40 35.79, 139.42 35.79, 139.42 35.81, 139.40 35.81, 139.40 35.79))"), Shape("LINESTRING(139.41 35.80, 139.415 35.805)")], 400, 300);
        var square = Points(Regex.Match(svg, "<path [^>]+>").Value);

        Assert.All(Points(svg), p => { Assert.InRange(p.X, 0, 400); Assert.InRange(p.Y, 0, 300); });
        var ratio = (square.Max(p => p.Y) - square.Min(p => p.Y)) / (square.Max(p => p.X) - square.Min(p => p.X));
        Assert.InRange(ratio, 1.20, 1.26);
        Assert.Contains("fill=\"none\"", svg, StringComparison.Ordinal); // the line is not filled
    }

    [Fact]
    public void APointAloneIsACircleInTheMiddle()
    {
        var svg = SvgMap.Render([Shape("POINT(139.45 35.80)")], 200, 100);

        Assert.Equal(1, Regex.Count(svg, "<path "));
        Assert.Contains("a4,4 0 1,0 8,0", svg, StringComparison.Ordinal);
        var start = Points(svg).Single();
        Assert.Equal((96, 50), (start.X, start.Y));
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

    [GeneratedRegex(@"[ML](-?[\d.]+),(-?[\d.]+)")]
    private static partial Regex Coordinates();
}
