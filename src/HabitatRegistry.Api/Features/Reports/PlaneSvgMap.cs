using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Reports;

/// <summary>How a layer's shapes are drawn. Written as attributes on the SVG, so the figure looks the same wherever it is shown.</summary>
/// <param name="Hatch">colour of diagonal lines drawn over the fill (land that overlaps another layer stays readable), if any</param>
public sealed record SvgShapeStyle(string Fill, string Stroke, double StrokeWidth, string? Hatch = null, double FillOpacity = 1, string? Dash = null);

/// <summary>Shapes drawn alike, with the legend's words for them; each polygon becomes one &lt;path&gt;.</summary>
/// <param name="Key">stable name, written as data-layer (letters, digits, - and _)</param>
/// <param name="Label">the legend's words; empty: not in the legend</param>
/// <param name="Dots">points drawn as marks <see cref="PlaneSvgMap.DotSize"/> units wide (land too small to draw at the figure's scale), all in one path</param>
public sealed record SvgMapLayer(string Key, string Label, SvgShapeStyle Style, IReadOnlyList<Geometry> Shapes, Geometry? Dots = null);

/// <summary>The words around the map.</summary>
/// <param name="North">the north arrow's letter, e.g. N or 北</param>
/// <param name="Credit">a data credit line, if any data needs one</param>
public sealed record SvgMapText(string Title, string North, string? Credit, string? Note = null);

/// <summary>
/// Draws polygons given in a projected system (metres, y to the north, e.g. a Japan Plane Rectangular CS zone) as one
/// self-contained SVG figure: the map in a frame, a scale bar, a north arrow (grid north), the legend and a credit line.
/// All text is escaped; the caller simplifies the shapes to <see cref="MetresPerUnit"/> (detail finer than a unit cannot be seen).
/// </summary>
public sealed class PlaneSvgMap
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double Pad = 8, LegendRow = 17, LegendColumns = 2;

    private readonly Envelope extent;

    /// <param name="extent">what the map shows, in the projected system's metres (widened a little, never cut)</param>
    /// <param name="width">the figure's width in SVG units (it scales to the page; 1 unit ≈ 0.27 mm on A4 at 680)</param>
    public PlaneSvgMap(Envelope extent, double width = 680)
    {
        if (extent.IsNull) extent = new Envelope(0, 1000, 0, 1000);
        var side = Math.Max(Math.Max(extent.Width, extent.Height), 100) * 0.03;
        this.extent = new Envelope(extent.MinX - side, extent.MaxX + side, extent.MinY - side, extent.MaxY + side);
        Width = width;
        MetresPerUnit = Math.Max(this.extent.Width / (width - 2 * Pad), this.extent.Height / (width * 0.9));
        MapHeight = this.extent.Height / MetresPerUnit;
    }

    /// <summary>The side of a dot, in units: the mark drawn for land too small to show its shape.</summary>
    public const int DotSize = 2;

    public double Width { get; }

    /// <summary>The map frame's height in SVG units (the legend goes below it).</summary>
    public double MapHeight { get; }

    /// <summary>Ground metres per SVG unit: simplify to about half of this.</summary>
    public double MetresPerUnit { get; }

    /// <summary>The whole figure as an &lt;svg&gt; element.</summary>
    public string Render(IReadOnlyList<SvgMapLayer> layers, SvgMapText text)
    {
        var legend = layers.Where(l => l.Label.Length > 0).ToList();
        var legendTop = Pad + MapHeight + 10;
        var legendHeight = Math.Ceiling(legend.Count / LegendColumns) * LegendRow;
        // A credit in two languages ("… / …") goes on a line each: one line would run off an A4 page.
        var credit = text.Credit?.Split(" / ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var height = legendTop + legendHeight + (text.Note is null ? 0 : 14) + credit.Length * 13 + 4;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 {Width:0.#} {height:0.#}\" width=\"{Width:0.#}\" height=\"{height:0.#}\" role=\"img\" font-family=\"'Noto Sans CJK JP', sans-serif\">\n")
            .Append(Inv, $"<title>{Xml(text.Title)}</title>\n<defs>\n");
        foreach (var layer in layers.Where(l => l.Style.Hatch is not null))
        {
            svg.Append(Inv, $"<pattern id=\"map-hatch-{Id(layer.Key)}\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\">")
                .Append(Inv, $"<rect width=\"5\" height=\"5\" fill=\"{Xml(layer.Style.Fill)}\" fill-opacity=\"{layer.Style.FillOpacity:0.##}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"{Xml(layer.Style.Hatch!)}\" stroke-width=\"2\"/></pattern>\n");
        }
        svg.Append(Inv, $"<clipPath id=\"map-frame\"><rect x=\"{Pad}\" y=\"{Pad}\" width=\"{Width - 2 * Pad:0.#}\" height=\"{MapHeight:0.#}\"/></clipPath>\n</defs>\n")
            .Append(Inv, $"<rect class=\"map-frame\" x=\"{Pad}\" y=\"{Pad}\" width=\"{Width - 2 * Pad:0.#}\" height=\"{MapHeight:0.#}\" fill=\"#fff\" stroke=\"#444\" stroke-width=\"0.8\"/>\n")
            .Append("<g clip-path=\"url(#map-frame)\" stroke-linejoin=\"round\">\n");
        foreach (var layer in layers)
        {
            svg.Append(Inv, $"<g data-layer=\"{Id(layer.Key)}\" {Paint(layer)}>\n");
            foreach (var shape in layer.Shapes)
            {
                var d = PathData(shape);
                if (d.Length > 0) svg.Append(Inv, $"<path d=\"{d}\"/>\n");
            }
            if (layer.Dots is { IsEmpty: false } dots)
            {
                var colour = layer.Style.Hatch ?? (layer.Style.Fill == "none" ? layer.Style.Stroke : layer.Style.Fill);
                svg.Append(Inv, $"<path class=\"dots\" fill=\"none\" stroke=\"{Xml(colour)}\" stroke-width=\"{DotSize}\" d=\"{DotData(dots)}\"/>\n");
            }
            svg.Append("</g>\n");
        }
        svg.Append("</g>\n");
        ScaleBar(svg);
        NorthArrow(svg, text.North);

        for (var i = 0; i < legend.Count; i++)
        {
            var x = Pad + i % LegendColumns * (Width - 2 * Pad) / LegendColumns;
            var y = legendTop + Math.Floor(i / LegendColumns) * LegendRow;
            svg.Append(Inv, $"<g class=\"legend-item\" data-layer=\"{Id(legend[i].Key)}\"><rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"22\" height=\"12\" {Paint(legend[i])}/>")
                .Append(Inv, $"<text x=\"{x + 28:0.#}\" y=\"{y + 10:0.#}\" font-size=\"11\" fill=\"#111\">{Xml(legend[i].Label)}</text></g>\n");
        }
        var line = legendTop + legendHeight + 10;
        if (text.Note is not null)
        {
            svg.Append(Inv, $"<text class=\"note\" x=\"{Pad}\" y=\"{line:0.#}\" font-size=\"9.5\" fill=\"#333\">{Xml(text.Note)}</text>\n");
            line += 14;
        }
        foreach (var part in credit)
        {
            svg.Append(Inv, $"<text class=\"credit\" x=\"{Pad}\" y=\"{line:0.#}\" font-size=\"9.5\" fill=\"#333\">{Xml(part)}</text>\n");
            line += 13;
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static string Paint(SvgMapLayer layer)
    {
        var s = layer.Style;
        var fill = s.Hatch is not null ? $"url(#map-hatch-{Id(layer.Key)})" : Xml(s.Fill);
        var opacity = s.Hatch is null && s.FillOpacity < 1 && s.Fill != "none" ? string.Create(Inv, $" fill-opacity=\"{s.FillOpacity:0.##}\"") : "";
        var dash = s.Dash is null ? "" : $" stroke-dasharray=\"{Xml(s.Dash)}\"";
        return string.Create(Inv, $"fill=\"{fill}\"{opacity} fill-rule=\"evenodd\" stroke=\"{Xml(s.Stroke)}\" stroke-width=\"{s.StrokeWidth:0.##}\"{dash}");
    }

    /// <summary>A polygon's rings as SVG path data in tenths of a unit, relative moves (short), y down.</summary>
    public string PathData(Geometry geometry)
    {
        var d = new StringBuilder();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon polygon || polygon.IsEmpty) continue;
            Ring(d, polygon.ExteriorRing.Coordinates);
            foreach (var hole in polygon.InteriorRings) Ring(d, hole.Coordinates);
        }
        return d.ToString();
    }

    /// <summary>Each point as a square mark of <see cref="DotSize"/> (a stroked line that long), in whole units, each place once.</summary>
    private string DotData(Geometry points)
    {
        var places = points.Coordinates
            .Select(c => ((long)Math.Floor(Pad + (c.X - extent.MinX) / MetresPerUnit), (long)Math.Floor(Pad + (extent.MaxY - c.Y) / MetresPerUnit)))
            .Distinct().Order();
        var d = new StringBuilder();
        foreach (var (x, y) in places) d.Append(Inv, $"M{x - DotSize / 2} {y}h{DotSize}");
        return d.ToString();
    }

    private void Ring(StringBuilder d, Coordinate[] ring)
    {
        // Whole tenths of a unit: finer is below what print or a screen shows.
        long X(Coordinate c) => (long)Math.Round((Pad + (c.X - extent.MinX) / MetresPerUnit) * 10);
        long Y(Coordinate c) => (long)Math.Round((Pad + (extent.MaxY - c.Y) / MetresPerUnit) * 10);
        if (ring.Length == 0) return;
        var (x, y) = (X(ring[0]), Y(ring[0]));
        d.Append(Inv, $"M{Tenths(x)} {Tenths(y)}");
        var moved = false;
        for (var i = 1; i < ring.Length; i++)
        {
            var (nx, ny) = (X(ring[i]), Y(ring[i]));
            if (nx == x && ny == y) continue;
            var (dx, dy) = (nx - x, ny - y);
            // A minus sign separates numbers by itself.
            d.Append(!moved ? "l" : dx < 0 ? "" : " ").Append(Tenths(dx)).Append(dy < 0 ? "" : " ").Append(Tenths(dy));
            (x, y, moved) = (nx, ny, true);
        }
        // Land smaller than a tenth of a unit still shows as a dot (its stroke) rather than vanishing.
        d.Append(moved ? "z" : "h0.1z");
    }

    private static string Tenths(long value) => value % 10 == 0
        ? (value / 10).ToString(Inv)
        : (value / 10.0).ToString("0.0", Inv);

    private void ScaleBar(StringBuilder svg)
    {
        var mapWidth = (Width - 2 * Pad) * MetresPerUnit;
        double[] lengths = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
        var metres = lengths.LastOrDefault(l => l <= mapWidth / 5, lengths[0]);
        var length = metres / MetresPerUnit;
        var (x, y) = (Pad + 12, Pad + MapHeight - 14);
        var label = metres >= 1000 ? $"{metres / 1000:0.#} km" : $"{metres:0} m";
        svg.Append(Inv, $"<g class=\"scale-bar\" data-metres=\"{metres:0}\">")
            .Append(Inv, $"<rect x=\"{x - 4}\" y=\"{y - 14}\" width=\"{length + 40:0.#}\" height=\"22\" fill=\"#fff\" fill-opacity=\"0.8\"/>")
            .Append(Inv, $"<rect x=\"{x}\" y=\"{y}\" width=\"{length / 2:0.#}\" height=\"4\" fill=\"#222\"/><rect x=\"{x + length / 2:0.#}\" y=\"{y}\" width=\"{length / 2:0.#}\" height=\"4\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"0.6\"/>")
            .Append(Inv, $"<text x=\"{x}\" y=\"{y - 3}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111\">0</text><text x=\"{x + length:0.#}\" y=\"{y - 3}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111\">{label}</text></g>\n");
    }

    private void NorthArrow(StringBuilder svg, string north)
    {
        var (x, y) = (Width - Pad - 20, Pad + 10);
        svg.Append(Inv, $"<g class=\"north-arrow\"><path d=\"M{x} {y}l7 24-7-6-7 6z\" fill=\"#222\" stroke=\"#222\" stroke-width=\"0.6\"/>")
            .Append(Inv, $"<text x=\"{x}\" y=\"{y + 36}\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#111\">{Xml(north)}</text></g>\n");
    }

    /// <summary>A layer key as an id part: letters, digits, - and _ only.</summary>
    private static string Id(string key) => new([.. key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    /// <summary>Text as XML character data or an attribute value: markup escaped, characters XML cannot hold dropped.</summary>
    public static string Xml(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (v < 0x20 && v is not (0x9 or 0xA or 0xD) || v is 0xFFFE or 0xFFFF) continue;
            s.Append(v switch { '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '"' => "&quot;", '\'' => "&#39;", _ => rune.ToString() });
        }
        return s.ToString();
    }
}
