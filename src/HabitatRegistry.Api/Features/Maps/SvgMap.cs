using System.Globalization;
using System.Text;
using HabitatRegistry.Http;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.Maps;

/// <summary>How a shape is drawn, as SVG presentation attributes (so the map looks the same wherever it is embedded).</summary>
/// <param name="Fill">fill colour of polygons and points ("none" for outlines only)</param>
/// <param name="Stroke">colour of outlines and lines</param>
/// <param name="StrokeWidth">in pixels of the drawing</param>
/// <param name="FillOpacity">0–1</param>
/// <param name="PointRadius">points are drawn as circles of this radius, in pixels</param>
/// <param name="CssClass">an extra class for the page's stylesheet, e.g. to highlight one shape</param>
public sealed record MapStyle(string Fill = "#2e6b3a", string Stroke = "#1d4526", double StrokeWidth = 1, double FillOpacity = 0.35,
    double PointRadius = 4, string? CssClass = null);

/// <summary>A geometry to draw, with its style, a tooltip and the page it links to (both optional).</summary>
/// <param name="Geometry">in longitude/latitude (CRS84)</param>
public sealed record MapShape(Geometry Geometry, MapStyle Style, string? Title = null, string? Href = null);

/// <summary>
/// A small map drawn on the server as an inline SVG: no script, no tiles, nothing loaded, so it works offline, under the
/// Content-Security-Policy and in print. Longitude/latitude are projected to Web Mercator (shapes keep their look at
/// the city's latitude) and fitted into the drawing. Each shape is one &lt;path&gt; (all parts and holes of a
/// multi-geometry in one path; points as circles), inside an &lt;a&gt; when it links somewhere.
/// </summary>
/// <example><code>
/// var svg = SvgMap.Render([new MapShape(parcel, new MapStyle()), new MapShape(point, new MapStyle(Fill: "#b00020"), "A-12", "/collections/…")],
///     width: 400, height: 300, label: "Where the parcels are");
/// </code></example>
public static class SvgMap
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Web Mercator's limit: beyond it the projection runs off to infinity.
    private const double MaxLatitude = 85.05112878;

    // A single point (or a very small parcel) is shown with this much of its surroundings, in degrees.
    private const double LeastSpan = 0.002;

    /// <summary>Draws the shapes into an SVG element of the given size in CSS pixels (it scales with the page by its viewBox).</summary>
    /// <param name="extent">the area to show, in longitude/latitude; default: all the shapes, with a margin</param>
    /// <param name="label">what the map shows, for screen readers (the SVG's title)</param>
    /// <param name="cssClass">the SVG element's class</param>
    public static string Render(IReadOnlyList<MapShape> shapes, int width, int height, Envelope? extent = null, string? label = null, string cssClass = "map")
    {
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{HtmlPage.Encode(cssClass)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        if (label is not null) svg.Append(Inv, $"<title>{HtmlPage.Encode(label)}</title>");
        svg.Append(Inv, $"<rect class=\"frame\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#f7f7f2\" stroke=\"#999\" stroke-width=\"1\"/>");
        var drawn = shapes.Where(s => s.Geometry is { IsEmpty: false }).ToList();
        var box = extent ?? Extent(drawn);
        if (box is not null)
        {
            var projection = Fit(box, width, height);
            foreach (var shape in drawn) Shape(svg, shape, projection);
        }
        return svg.Append("</svg>").ToString();
    }

    private static Envelope? Extent(IEnumerable<MapShape> shapes)
    {
        Envelope? box = null;
        foreach (var shape in shapes)
        {
            box ??= new Envelope();
            box.ExpandToInclude(shape.Geometry.EnvelopeInternal);
        }
        if (box is null) return null;
        // A margin, and room around a point or a sliver.
        var grow = Math.Max(Math.Max(box.Width, box.Height) * 0.05, LeastSpan / 2);
        box.ExpandBy(Math.Max(grow, (LeastSpan - box.Width) / 2), Math.Max(grow, (LeastSpan - box.Height) / 2));
        return box;
    }

    private static double MercatorY(double latitude)
    {
        var phi = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        return Math.Log(Math.Tan(Math.PI / 4 + phi / 2)) * 180 / Math.PI;
    }

    /// <summary>Longitude/latitude to pixels: one scale for both axes, the extent centred.</summary>
    private static Func<Coordinate, (double X, double Y)> Fit(Envelope box, int width, int height)
    {
        var (top, bottom) = (MercatorY(box.MaxY), MercatorY(box.MinY));
        var spanX = Math.Max(box.Width, 1e-9);
        var spanY = Math.Max(top - bottom, 1e-9);
        var scale = Math.Min(width / spanX, height / spanY);
        var offsetX = (width - spanX * scale) / 2;
        var offsetY = (height - spanY * scale) / 2;
        return c => (offsetX + (c.X - box.MinX) * scale, offsetY + (top - MercatorY(c.Y)) * scale);
    }

    private static void Shape(StringBuilder svg, MapShape shape, Func<Coordinate, (double X, double Y)> project)
    {
        var path = new StringBuilder();
        var hasArea = false;
        var onlyPoints = true;
        Parts(shape.Geometry, path, project, shape.Style.PointRadius, ref hasArea, ref onlyPoints);
        if (path.Length == 0) return;
        var style = shape.Style;
        // Lines are never filled (a fill would close them); points are filled with the outline colour when the style has no fill.
        var fill = hasArea ? style.Fill : onlyPoints ? (style.Fill == "none" ? style.Stroke : style.Fill) : "none";
        var opacity = hasArea ? style.FillOpacity : 1;
        if (shape.Href is not null) svg.Append(Inv, $"<a href=\"{HtmlPage.Encode(shape.Href)}\">");
        svg.Append(Inv, $"<path d=\"{path}\" fill=\"{HtmlPage.Encode(fill)}\" fill-opacity=\"{opacity:0.##}\" fill-rule=\"evenodd\" stroke=\"{HtmlPage.Encode(style.Stroke)}\" stroke-width=\"{style.StrokeWidth:0.##}\"");
        if (style.CssClass is not null) svg.Append(Inv, $" class=\"{HtmlPage.Encode(style.CssClass)}\"");
        svg.Append(shape.Title is null ? "/>" : $"><title>{HtmlPage.Encode(shape.Title)}</title></path>");
        if (shape.Href is not null) svg.Append("</a>");
    }

    private static void Parts(Geometry geometry, StringBuilder path, Func<Coordinate, (double X, double Y)> project, double radius, ref bool hasArea, ref bool onlyPoints)
    {
        switch (geometry)
        {
            case Point point when !point.IsEmpty:
                var (x, y) = project(point.Coordinate);
                // A circle as two arcs, so a point is a path like every other shape.
                path.Append(Inv, $"M{x - radius:0.#},{y:0.#}a{radius:0.#},{radius:0.#} 0 1,0 {2 * radius:0.#},0a{radius:0.#},{radius:0.#} 0 1,0 {-2 * radius:0.#},0");
                break;
            case Polygon polygon when !polygon.IsEmpty:
                hasArea = true;
                onlyPoints = false;
                Ring(path, polygon.ExteriorRing.Coordinates, project, close: true);
                foreach (var hole in polygon.InteriorRings) Ring(path, hole.Coordinates, project, close: true);
                break;
            case LineString line when !line.IsEmpty:
                onlyPoints = false;
                Ring(path, line.Coordinates, project, close: false);
                break;
            case GeometryCollection collection:
                foreach (var part in collection.Geometries) Parts(part, path, project, radius, ref hasArea, ref onlyPoints);
                break;
        }
    }

    private static void Ring(StringBuilder path, Coordinate[] coordinates, Func<Coordinate, (double X, double Y)> project, bool close)
    {
        (double X, double Y)? last = null;
        foreach (var coordinate in coordinates)
        {
            var (x, y) = project(coordinate);
            // Vertices closer than a tenth of a pixel to the last one drawn add nothing but bytes.
            if (last is { } l && Math.Abs(l.X - x) < 0.1 && Math.Abs(l.Y - y) < 0.1) continue;
            path.Append(last is null ? 'M' : 'L').Append(Inv, $"{x:0.#},{y:0.#}");
            last = (x, y);
        }
        if (close) path.Append('Z');
    }
}
