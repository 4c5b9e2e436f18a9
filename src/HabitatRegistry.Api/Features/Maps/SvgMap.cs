using System.Globalization;
using System.Text;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Maps;

/// <summary>How shapes are drawn, as SVG presentation attributes (so the map looks the same wherever it is embedded).</summary>
/// <param name="Fill">fill colour of polygons and points ("none" for outlines only)</param>
/// <param name="Stroke">colour of outlines, lines and a figure's dots</param>
/// <param name="StrokeWidth">in units of the drawing</param>
/// <param name="FillOpacity">0–1</param>
/// <param name="PointRadius">points are drawn as circles of this radius</param>
/// <param name="CssClass">an extra class for the page's stylesheet, e.g. to highlight one shape</param>
/// <param name="Hatch">colour of diagonal lines drawn over the fill (land that overlaps another layer stays readable), if any</param>
/// <param name="Dash">a stroke-dasharray, if any</param>
public sealed record MapStyle(string Fill = "#2e6b3a", string Stroke = "#1d4526", double StrokeWidth = 1, double FillOpacity = 0.35,
    double PointRadius = 4, string? CssClass = null, string? Hatch = null, string? Dash = null);

/// <summary>A geometry of a page's map, with its style, a tooltip and the page it links to (both optional).</summary>
/// <param name="Geometry">in longitude/latitude (CRS84)</param>
public sealed record MapShape(Geometry Geometry, MapStyle Style, string? Title = null, string? Href = null);

/// <summary>A figure's layer: shapes drawn alike as one path (its data written by <see cref="SvgMap.Append"/>), with the legend's words.</summary>
/// <param name="Key">stable name, written as data-layer (letters, digits, - and _)</param>
/// <param name="Label">the legend's words; empty: not in the legend</param>
/// <param name="Path">the layer's path data</param>
/// <param name="Dots">path data of <see cref="SvgMap.DotData"/>: land too small to draw at the figure's scale, drawn in the stroke colour (or the hatch's)</param>
public sealed record MapLayer(string Key, string Label, MapStyle Style, string Path, string Dots = "");

/// <summary>The words around a figure.</summary>
/// <param name="North">the north arrow's letter, e.g. N or 北</param>
/// <param name="Credit">a data credit line, if any data needs one; "ja / en" goes on two lines</param>
public sealed record MapText(string Title, string North, string? Credit, string? Note = null);

/// <summary>
/// Maps drawn on the server as inline SVG: no script, no tiles, nothing loaded, so they work offline, under the
/// Content-Security-Policy and in print. An instance fits an extent of a plane (x east, y north: metres of a projected
/// system, or Web Mercator) into a drawing, one scale for both axes and centred, and writes geometries as compact
/// path data (relative moves in tenths of a unit). <see cref="Render"/> draws the pages' maps (longitude/latitude,
/// projected here to Web Mercator); <see cref="Figure"/> the report's map with legend, scale bar and north arrow.
/// All text is escaped.
/// </summary>
/// <example><code>
/// var svg = SvgMap.Render([new MapShape(parcel, new MapStyle()), new MapShape(point, new MapStyle(Fill: "#b00020"), "A-12", "/collections/…")],
///     width: 400, height: 300, label: "Where the parcels are");
/// </code></example>
public sealed class SvgMap
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double Pad = 8, LegendRow = 17, LegendColumns = 2;

    // Web Mercator's limit: beyond it the projection runs off to infinity.
    private const double MaxLatitude = 85.05112878;

    // A single point (or a very small parcel) is shown on a page with this much of its surroundings, in degrees.
    private const double LeastSpan = 0.002;

    private readonly Envelope extent;
    private readonly double left, top;

    /// <summary>Fits <paramref name="extent"/> into the drawing inside <paramref name="margin"/>, centred.</summary>
    /// <param name="extent">what the map shows, in the plane's units (x east, y north); nothing of it is cut</param>
    /// <param name="width">the drawing's width in SVG units</param>
    /// <param name="height">the drawing's height in SVG units</param>
    /// <param name="margin">room left free on every side</param>
    public SvgMap(Envelope extent, double width, double height, double margin = 0)
    {
        if (extent.IsNull) extent = new Envelope(0, 1, 0, 1);
        this.extent = extent;
        (Width, Height) = (width, height);
        MetresPerUnit = Math.Max(Math.Max(extent.Width, 1e-9) / (width - 2 * margin), Math.Max(extent.Height, 1e-9) / (height - 2 * margin));
        left = (width - extent.Width / MetresPerUnit) / 2;
        top = (height - extent.Height / MetresPerUnit) / 2;
    }

    /// <summary>A figure of the given width for an extent of a projected system, widened by 3 % a side, its map at most 0.9 times as tall as wide.</summary>
    public static SvgMap ForFigure(Envelope extent, double width = 680)
    {
        if (extent.IsNull) extent = new Envelope(0, 1000, 0, 1000);
        var side = Math.Max(Math.Max(extent.Width, extent.Height), 100) * 0.03;
        extent = new Envelope(extent.MinX - side, extent.MaxX + side, extent.MinY - side, extent.MaxY + side);
        var metresPerUnit = Math.Max(extent.Width / (width - 2 * Pad), extent.Height / (width * 0.9));
        return new SvgMap(extent, width, extent.Height / metresPerUnit + 2 * Pad, Pad);
    }

    /// <summary>The side of a dot, in units: the mark drawn for land too small to show its shape.</summary>
    public const int DotSize = 2;

    public double Width { get; }

    /// <summary>The map's height in SVG units (a figure's legend goes below it).</summary>
    public double Height { get; }

    /// <summary>The plane's units (metres) per SVG unit: simplify to about half of this.</summary>
    public double MetresPerUnit { get; }

    private double X(double x) => left + (x - extent.MinX) / MetresPerUnit;

    private double Y(double y) => top + (extent.MaxY - y) / MetresPerUnit;

    /// <summary>
    /// Appends a geometry's path data: polygons as closed rings, shells and holes wound opposite ways (so that many
    /// polygons in one path, filled nonzero, show their union, holes kept), lines open, points as circles of
    /// <paramref name="pointRadius"/>.
    /// </summary>
    public void Append(StringBuilder d, Geometry geometry, double pointRadius = 4)
    {
        switch (geometry)
        {
            case Point point when !point.IsEmpty:
                var (x, y) = (X(point.X), Y(point.Y));
                // A circle as two arcs, so that a point is a path like every other shape.
                d.Append(Inv, $"M{x - pointRadius:0.#} {y:0.#}a{pointRadius:0.#} {pointRadius:0.#} 0 1 0 {2 * pointRadius:0.#} 0a{pointRadius:0.#} {pointRadius:0.#} 0 1 0 {-2 * pointRadius:0.#} 0");
                break;
            case Polygon polygon when !polygon.IsEmpty:
                Ring(d, polygon.ExteriorRing.CoordinateSequence, true, ccw: true);
                foreach (var hole in polygon.InteriorRings) Ring(d, hole.CoordinateSequence, true, ccw: false);
                break;
            case LineString line when !line.IsEmpty:
                Ring(d, line.CoordinateSequence, false, ccw: null);
                break;
            case GeometryCollection collection:
                foreach (var part in collection.Geometries) Append(d, part, pointRadius);
                break;
        }
    }

    /// <summary>Path data of a mark <see cref="DotSize"/> wide at each point (a stroked line that long), in whole units, each place once.</summary>
    public string DotData(IReadOnlyCollection<Coordinate> points)
    {
        // Places as one sortable number each (x, then y): a hundred thousand dots sort in a few milliseconds.
        var places = new long[points.Count];
        var n = 0;
        foreach (var c in points) places[n++] = (long)Math.Floor(X(c.X)) << 32 | (uint)(int)Math.Floor(Y(c.Y));
        Array.Sort(places);
        var d = new StringBuilder(places.Length * 8);
        long? last = null;
        var (penX, penY) = (0L, 0L);
        foreach (var place in places)
        {
            if (place == last) continue;
            var (x, y) = (place >> 32, (long)(int)(uint)place);
            // Relative moves from where the last mark ended: short numbers.
            if (last is null) d.Append(Inv, $"M{x - DotSize / 2} {y}h{DotSize}");
            else d.Append(Inv, $"m{x - DotSize / 2 - penX}{(y - penY < 0 ? "" : " ")}{y - penY}h{DotSize}");
            (penX, penY, last) = (x + DotSize / 2, y, place);
        }
        return d.ToString();
    }

    private void Ring(StringBuilder d, CoordinateSequence ring, bool close, bool? ccw)
    {
        if (ring.Count == 0) return;
        // Counter-clockwise on the ground is clockwise on the drawing (y runs down); only the two kinds differing matters.
        var reverse = ccw is { } wanted && ring.Count > 3 && Orientation.IsCCW(ring) != wanted;
        // Whole tenths of a unit: finer is below what print or a screen shows.
        long Tx(int i) => (long)Math.Round(X(ring.GetX(reverse ? ring.Count - 1 - i : i)) * 10);
        long Ty(int i) => (long)Math.Round(Y(ring.GetY(reverse ? ring.Count - 1 - i : i)) * 10);
        var (x, y) = (Tx(0), Ty(0));
        d.Append('M').Append(Tenths(x)).Append(' ').Append(Tenths(y));
        var moved = false;
        for (var i = 1; i < ring.Count; i++)
        {
            var (nx, ny) = (Tx(i), Ty(i));
            if (nx == x && ny == y) continue;
            var (dx, dy) = (nx - x, ny - y);
            // A minus sign separates numbers by itself.
            d.Append(!moved ? "l" : dx < 0 ? "" : " ").Append(Tenths(dx)).Append(dy < 0 ? "" : " ").Append(Tenths(dy));
            (x, y, moved) = (nx, ny, true);
        }
        // Land smaller than a tenth of a unit still shows as a dot (its stroke) rather than vanishing.
        if (close) d.Append(moved ? "z" : "h0.1z");
    }

    private static string Tenths(long value) => value % 10 == 0 ? (value / 10).ToString(Inv) : (value / 10.0).ToString("0.0", Inv);

    /// <summary>A page's map: the shapes (longitude/latitude) in Web Mercator, fitted into an SVG element of the given size in CSS pixels.</summary>
    /// <param name="extent">the area to show, in longitude/latitude; default: all the shapes, with a margin</param>
    /// <param name="label">what the map shows, for screen readers (the SVG's title)</param>
    /// <param name="cssClass">the SVG element's class</param>
    /// <remarks>Each shape is one &lt;path&gt; (all parts and holes of a multi-geometry), inside an &lt;a&gt; when it links somewhere.</remarks>
    public static string Render(IReadOnlyList<MapShape> shapes, int width, int height, Envelope? extent = null, string? label = null, string cssClass = "map")
    {
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{Xml(cssClass)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        if (label is not null) svg.Append(Inv, $"<title>{Xml(label)}</title>");
        svg.Append(Inv, $"<rect class=\"frame\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#f7f7f2\" stroke=\"#999\" stroke-width=\"1\"/>");
        var drawn = shapes.Where(s => s.Geometry is { IsEmpty: false }).Select(s => s with { Geometry = Mercator(s.Geometry) }).ToList();
        if (drawn.Count > 0)
        {
            var map = new SvgMap(WebMercatorExtent(extent, drawn), width, height);
            foreach (var shape in drawn) map.Shape(svg, shape);
        }
        return svg.Append("</svg>").ToString();
    }

    private void Shape(StringBuilder svg, MapShape shape)
    {
        var d = new StringBuilder();
        var style = shape.Style;
        Append(d, shape.Geometry, style.PointRadius);
        if (d.Length == 0) return;
        var (area, onlyPoints) = (shape.Geometry.Dimension == Dimension.Surface, shape.Geometry.Dimension == Dimension.Point);
        // Lines are never filled (a fill would close them); points are filled with the outline colour when the style has no fill.
        var fill = area ? style.Fill : onlyPoints ? (style.Fill == "none" ? style.Stroke : style.Fill) : "none";
        if (shape.Href is not null) svg.Append(Inv, $"<a href=\"{Xml(shape.Href)}\">");
        svg.Append(Inv, $"<path d=\"{d}\" fill=\"{Xml(fill)}\" fill-opacity=\"{(area ? style.FillOpacity : 1):0.##}\" stroke=\"{Xml(style.Stroke)}\" stroke-width=\"{style.StrokeWidth:0.##}\"");
        if (style.CssClass is not null) svg.Append(Inv, $" class=\"{Xml(style.CssClass)}\"");
        svg.Append(shape.Title is null ? "/>" : $"><title>{Xml(shape.Title)}</title></path>");
        if (shape.Href is not null) svg.Append("</a>");
    }

    /// <summary>Longitude/latitude to Web Mercator in degrees of longitude (only the shape matters here, not metres).</summary>
    private static Geometry Mercator(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(new MercatorFilter());
        return copy;
    }

    private static double MercatorY(double latitude)
    {
        var phi = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        return Math.Log(Math.Tan(Math.PI / 4 + phi / 2)) * 180 / Math.PI;
    }

    private sealed class MercatorFilter : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++) seq.SetY(i, MercatorY(seq.GetY(i)));
        }
    }

    private static Envelope WebMercatorExtent(Envelope? lonLat, IEnumerable<MapShape> projected)
    {
        if (lonLat is not null) return new Envelope(lonLat.MinX, lonLat.MaxX, MercatorY(lonLat.MinY), MercatorY(lonLat.MaxY));
        var box = new Envelope();
        foreach (var shape in projected) box.ExpandToInclude(shape.Geometry.EnvelopeInternal);
        // A margin, and room around a point or a sliver.
        var grow = Math.Max(Math.Max(box.Width, box.Height) * 0.05, LeastSpan / 2);
        box.ExpandBy(Math.Max(grow, (LeastSpan - box.Width) / 2), Math.Max(grow, (LeastSpan - box.Height) / 2));
        return box;
    }

    /// <summary>The report's figure: the layers in a frame (first at the bottom), a scale bar, a north arrow (grid north), the legend and a credit line.</summary>
    public string Figure(IReadOnlyList<MapLayer> layers, MapText text)
    {
        var legend = layers.Where(l => l.Label.Length > 0).ToList();
        var (frameWidth, frameHeight) = (Width - 2 * Pad, Height - 2 * Pad);
        var legendTop = Height + 2;
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
        svg.Append(Inv, $"<clipPath id=\"map-frame\"><rect x=\"{Pad}\" y=\"{Pad}\" width=\"{frameWidth:0.#}\" height=\"{frameHeight:0.#}\"/></clipPath>\n</defs>\n")
            .Append(Inv, $"<rect class=\"map-frame\" x=\"{Pad}\" y=\"{Pad}\" width=\"{frameWidth:0.#}\" height=\"{frameHeight:0.#}\" fill=\"#fff\" stroke=\"#444\" stroke-width=\"0.8\"/>\n")
            .Append("<g clip-path=\"url(#map-frame)\" stroke-linejoin=\"round\">\n");
        foreach (var layer in layers)
        {
            svg.Append(Inv, $"<g data-layer=\"{Id(layer.Key)}\" {Paint(layer)}>\n");
            if (layer.Path.Length > 0) svg.Append("<path d=\"").Append(layer.Path).Append("\"/>\n");
            if (layer.Dots.Length > 0)
            {
                var colour = layer.Style.Hatch ?? (layer.Style.Fill == "none" ? layer.Style.Stroke : layer.Style.Fill);
                svg.Append(Inv, $"<path class=\"dots\" fill=\"none\" stroke=\"{Xml(colour)}\" stroke-width=\"{DotSize}\" d=\"").Append(layer.Dots).Append("\"/>\n");
            }
            svg.Append("</g>\n");
        }
        svg.Append("</g>\n");
        ScaleBar(svg);
        NorthArrow(svg, text.North);

        for (var i = 0; i < legend.Count; i++)
        {
            var x = Pad + i % LegendColumns * frameWidth / LegendColumns;
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

    private static string Paint(MapLayer layer)
    {
        var s = layer.Style;
        var fill = s.Hatch is not null ? $"url(#map-hatch-{Id(layer.Key)})" : Xml(s.Fill);
        var opacity = s.Hatch is null && s.FillOpacity < 1 && s.Fill != "none" ? string.Create(Inv, $" fill-opacity=\"{s.FillOpacity:0.##}\"") : "";
        var dash = s.Dash is null ? "" : $" stroke-dasharray=\"{Xml(s.Dash)}\"";
        return string.Create(Inv, $"fill=\"{fill}\"{opacity} stroke=\"{Xml(s.Stroke)}\" stroke-width=\"{s.StrokeWidth:0.##}\"{dash}");
    }

    private void ScaleBar(StringBuilder svg)
    {
        var mapWidth = (Width - 2 * Pad) * MetresPerUnit;
        double[] lengths = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
        var metres = lengths.LastOrDefault(l => l <= mapWidth / 5, lengths[0]);
        var length = metres / MetresPerUnit;
        var (x, y) = (Pad + 12, Height - Pad - 14);
        var label = metres >= 1000 ? $"{metres / 1000:0.#} km" : $"{metres:0} m";
        svg.Append(Inv, $"<g class=\"scale-bar\" data-metres=\"{metres:0}\">")
            .Append(Inv, $"<rect x=\"{x - 4}\" y=\"{y - 14}\" width=\"{length + 40:0.#}\" height=\"22\" fill=\"#fff\" fill-opacity=\"0.8\"/>")
            .Append(Inv, $"<rect x=\"{x}\" y=\"{y:0.#}\" width=\"{length / 2:0.#}\" height=\"4\" fill=\"#222\"/><rect x=\"{x + length / 2:0.#}\" y=\"{y:0.#}\" width=\"{length / 2:0.#}\" height=\"4\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"0.6\"/>")
            .Append(Inv, $"<text x=\"{x}\" y=\"{y - 3:0.#}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111\">0</text><text x=\"{x + length:0.#}\" y=\"{y - 3:0.#}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111\">{label}</text></g>\n");
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
