using System.Text;
using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Maps;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Targets;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.Reports;

/// <summary>The land a report's map shows, already drawn as path data of <see cref="Frame"/> (so a figure in each language costs only its words).</summary>
/// <param name="Land">per category (scheme:CODE, public, trust) in legend order: its records in force at the year's end</param>
/// <param name="Added">the records that came into force during the year (in force at its end, not at the year before's)</param>
public sealed record LandMapData(int FiscalYear, SvgMap Frame, IReadOnlyList<LandMapLayer> Land, LandMapLayer Added, string Boundary, string? Credit);

/// <summary>A category's land: the outlines of its records in one path, and the marks of those smaller than a dot.</summary>
public sealed record LandMapLayer(string Category, string Path, string DotData);

/// <summary>
/// The annual report's map: designations by scheme, public acquisitions and trust land in force at the end of the
/// fiscal year, what was added during it, and the city boundary. One streamed query: PostGIS simplifies each record
/// to half a unit of the figure and transforms it to the plane zone, and each category's records are written into
/// one path (filled nonzero, overlapping records look as their union without one being computed), so the work and the
/// SVG grow with the records and their points, not with how they overlap.
/// </summary>
public sealed class LandMap(NpgsqlDataSource dataSource, IOptions<HabitatOptions> options)
{
    private static readonly string[] SchemeColours = ["#2e7d32", "#66bb6a", "#aed581", "#ffd54f", "#8d6e63", "#4db6ac", "#9575cd", "#f48fb1", "#bdbdbd"];

    public async Task<LandMapData> LoadAsync(int fiscalYear, CancellationToken cancellationToken)
    {
        var zone = options.Value.City.PlaneZoneEpsg;
        var (end, before) = (new FiscalYear(fiscalYear).End, new FiscalYear(fiscalYear - 1).End);
        var frame = SvgMap.ForFigure(await ExtentAsync(zone, end, cancellationToken));
        var tolerance = frame.MetresPerUnit / 2;
        // Metres per degree at the city's latitude (GRS80, to a part in a thousand: enough to tell a dot from a shape).
        var latitude = options.Value.City.Latitude * Math.PI / 180;
        var (perDegreeX, perDegreeY) = (111_412.84 * Math.Cos(latitude), 111_132.95 - 559.82 * Math.Cos(2 * latitude));

        // Land smaller than a dot (two units of the figure, half a millimetre on A4, where a shape cannot be told from
        // a square) both ways is a dot: the centre of its box, no geometry work. Shapes are simplified in lon/lat before
        // the transform, which then has fewer points to move.
        var (d, a) = (RegisterCatalogue.Designations, RegisterCatalogue.Acquisitions);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new($"""
            with records as (
              select 'scheme:' || scheme category, not {InForce(d, "$2")} added, geom from {d.Table} where superseded_at is null and {InForce(d, "$1")}
              union all
              select case when acquired_by = 'trust' then 'trust' else 'public' end, not {InForce(a, "$2")}, geom from {a.Table} where superseded_at is null and {InForce(a, "$1")}),
            boxed as (select category, added, geom, Box2D(geom) b from records),
            drawn as (
              select category, added, case when dot then ST_Transform(ST_SetSRID(ST_MakePoint((ST_XMin(b) + ST_XMax(b)) / 2, (ST_YMin(b) + ST_YMax(b)) / 2), 4326), $3) end dot,
                case when not dot then ST_Transform(ST_SimplifyPreserveTopology(geom, $4), $3) end shape
              from (select *, (ST_XMax(b) - ST_XMin(b)) * $5 < $7 and (ST_YMax(b) - ST_YMin(b)) * $6 < $7 dot from boxed) r)
            select category, added, ST_X(dot), ST_Y(dot), shape from drawn
            """)
        {
            Parameters =
            {
                new() { Value = end }, new() { Value = before }, new() { Value = zone }, new() { Value = tolerance / Math.Max(perDegreeX, perDegreeY) },
                new() { Value = perDegreeX }, new() { Value = perDegreeY }, new() { Value = frame.MetresPerUnit * SvgMap.DotSize },
            },
        });
        batch.BatchCommands.Add(new("select ST_SimplifyPreserveTopology(ST_Transform(geom, $1), $2), credit from city_boundary")
        {
            Parameters = { new() { Value = zone }, new() { Value = tolerance } },
        });

        var layers = new Dictionary<string, LayerBuilder>();
        var added = new LayerBuilder();
        var boundary = new StringBuilder();
        string? credit = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // Streamed: each record goes into its category's path as it arrives.
            while (await reader.ReadAsync(cancellationToken))
            {
                var category = reader.GetString(0);
                if (!layers.TryGetValue(category, out var layer)) layers[category] = layer = new LayerBuilder();
                var shape = reader.IsDBNull(4) ? null : reader.GetFieldValue<Geometry>(4);
                var dot = shape is null ? new Coordinate(reader.GetDouble(2), reader.GetDouble(3)) : null;
                layer.Add(frame, shape, dot);
                if (reader.GetBoolean(1)) added.Add(frame, shape, dot);
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                frame.Append(boundary, reader.GetFieldValue<Geometry>(0));
                credit = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }
        var ordered = RegisterCatalogue.Schemes.Keys.Select(s => $"scheme:{s}").Append("public").Append("trust")
            .Where(layers.ContainsKey).Select(c => layers[c].Build(c, frame)).ToList();
        return new LandMapData(fiscalYear, frame, ordered, added.Build("added", frame), boundary.ToString(), credit);
    }

    private sealed class LayerBuilder
    {
        private readonly StringBuilder path = new();
        private readonly List<Coordinate> dots = [];

        public void Add(SvgMap frame, Geometry? shape, Coordinate? dot)
        {
            if (dot is not null) dots.Add(dot);
            if (shape is not null) frame.Append(path, shape);
        }

        public LandMapLayer Build(string category, SvgMap frame) => new(category, path.ToString(), frame.DotData(dots));
    }

    private static string InForce(RegisterSchema register, string date) =>
        $"({register.InForceFrom} <= {date} and ({register.InForceTo} is null or {register.InForceTo} > {date}))";

    /// <summary>The boundary's extent, widened to any land in force outside it; the land's alone when no boundary is stored.</summary>
    private async Task<Envelope> ExtentAsync(int zone, DateOnly end, CancellationToken cancellationToken)
    {
        var (d, a) = (RegisterCatalogue.Designations, RegisterCatalogue.Acquisitions);
        // The lon/lat box of the land (index-friendly), then that box in the plane zone: a few metres loose, never tight.
        await using var command = dataSource.CreateCommand($"""
            with boxes as (
              select ST_Extent(geom)::geometry b from {d.Table} where superseded_at is null and {InForce(d, "$2")}
              union all select ST_Extent(geom)::geometry from {a.Table} where superseded_at is null and {InForce(a, "$2")}
              union all select ST_Extent(geom)::geometry from city_boundary)
            select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) from (select ST_Extent(ST_Transform(ST_SetSRID(b, 4326), $1)) e from boxes where b is not null) s
            """);
        command.Parameters.Add(new() { Value = zone });
        command.Parameters.Add(new() { Value = end });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return new Envelope();
        return new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
    }

    /// <summary>The figure in the report's language.</summary>
    public static string Render(LandMapData data, string lang)
    {
        var ja = lang == "ja";
        var year = TargetReportBuilder.Labels(data.FiscalYear);
        var layers = new List<MapLayer>();
        foreach (var land in data.Land)
        {
            var style = land.Category switch
            {
                "public" => new MapStyle("none", "#1f5fa8", 0.8, FillOpacity: 1, Hatch: "#1f5fa8"),
                "trust" => new MapStyle("none", "#b35900", 0.8, FillOpacity: 1, Hatch: "#b35900"),
                _ => new MapStyle(SchemeColours[SchemeIndex(land.Category) % SchemeColours.Length], "#2b3d2b", 0.6, FillOpacity: 0.9),
            };
            var label = land.Category switch
            {
                "public" => ja ? "公有地（市・県・国が取得）" : "Public land (acquired by the city, prefecture or state)",
                "trust" => ja ? "トラスト地（公有地に含めない）" : "Trust land (not counted as public)",
                _ => SchemeName(land.Category[7..], ja),
            };
            layers.Add(new(land.Category.Replace(':', '-'), label, style, land.Path, land.DotData));
        }
        layers.Add(new("added", ja ? $"{year.Ja}に追加された区域" : $"Added in {year.En}", new MapStyle("none", "#d81b60", 2.2, FillOpacity: 1), data.Added.Path, data.Added.DotData));
        // Last, so that dense land never hides it.
        layers.Add(new("boundary", data.Boundary.Length == 0 ? "" : ja ? "市境界" : "City boundary", new MapStyle("none", "#333", 1.2, FillOpacity: 1, Dash: "6 3"), data.Boundary));
        var title = ja ? $"緑地の指定・公有地化の状況（{year.Ja}末）" : $"Land designated and acquired at the end of {year.En}";
        var note = data.Boundary.Length > 0 ? null
            : ja ? "市境界が登録されていないため、登録された区域の範囲を表示しています。" : "No city boundary is stored: the map shows the extent of the registered land.";
        return data.Frame.Figure(layers, new MapText(title, ja ? "北" : "N", data.Credit, note));
    }

    private static int SchemeIndex(string category) => RegisterCatalogue.Schemes.Keys.ToList().IndexOf(category[7..]);

    private static string SchemeName(string scheme, bool ja) =>
        (ja ? RegisterCatalogue.Schemes : RegisterCatalogue.SchemesEn).GetValueOrDefault(scheme) ?? scheme;
}
