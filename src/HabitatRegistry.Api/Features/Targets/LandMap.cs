using HabitatRegistry.Analysis.Accounting;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Reports;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HabitatRegistry.Features.Targets;

/// <summary>The land a report's map shows, in the city's plane zone, simplified to the figure's resolution.</summary>
/// <param name="Land">per category (scheme:CODE, public, trust): the polygons of the union of its records in force at the year's end</param>
/// <param name="Dots">per category (and "added"): the centres of land smaller than a unit of the figure, as a MultiPoint</param>
/// <param name="Added">the polygons of the land whose records came into force during the year (in force at its end, not at the year before's)</param>
public sealed record LandMapData(int FiscalYear, PlaneSvgMap Frame, IReadOnlyList<(string Category, IReadOnlyList<Geometry> Shapes)> Land,
    IReadOnlyList<Geometry> Added, IReadOnlyList<Geometry> Boundary, string? Credit, IReadOnlyDictionary<string, Geometry> Dots);

/// <summary>
/// The annual report's map: designations by scheme, public acquisitions and trust land in force at the end of the
/// fiscal year, what was added during it, and the city boundary. PostGIS transforms to the plane zone, simplifies to
/// half a unit of the figure and unions overlapping records per category, so the SVG grows with what can be seen.
/// </summary>
public sealed class LandMap(NpgsqlDataSource dataSource, IOptions<HabitatOptions> options)
{
    private static readonly string[] SchemeColours = ["#2e7d32", "#66bb6a", "#aed581", "#ffd54f", "#8d6e63", "#4db6ac", "#9575cd", "#f48fb1", "#bdbdbd"];

    public async Task<LandMapData> LoadAsync(int fiscalYear, CancellationToken cancellationToken)
    {
        var zone = options.Value.City.PlaneZoneEpsg;
        var (end, before) = (new FiscalYear(fiscalYear).End, new FiscalYear(fiscalYear - 1).End);
        var frame = new PlaneSvgMap(await ExtentAsync(zone, end, cancellationToken));
        var tolerance = frame.MetresPerUnit / 2;

        var boundary = new List<Geometry>();
        string? credit = null;
        await using (var command = dataSource.CreateCommand("select (ST_Dump(ST_SimplifyPreserveTopology(ST_Transform(geom, $1), $2))).geom, credit from city_boundary"))
        {
            command.Parameters.Add(new() { Value = zone });
            command.Parameters.Add(new() { Value = tolerance });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                boundary.Add(reader.GetFieldValue<Geometry>(0));
                credit = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        // Overlapping records of a category are unioned (a cluster of touching ones at a time: cheap where, as usual,
        // most parcels stand alone); each connected piece is one polygon, one path. Land smaller than a dot (two units
        // of the figure, half a millimetre on A4, where a shape cannot be told from a square) both ways is a dot: its centre, all of a category's dots transformed at once (PROJ per call is what
        // costs) and drawn as one path. Simplified in lon/lat before the transform, which then has fewer points to move.
        var (d, a) = (RegisterCatalogue.Designations, RegisterCatalogue.Acquisitions);
        await using var land = dataSource.CreateCommand($"""
            with records as (
              select 'scheme:' || scheme category, {InForce(d, "$2")} in_force_before, geom from {d.Table} where superseded_at is null and {InForce(d, "$1")}
              union all
              select case when acquired_by = 'trust' then 'trust' else 'public' end, {InForce(a, "$2")}, geom from {a.Table} where superseded_at is null and {InForce(a, "$1")}),
            drawn as (
              select category, geom, (ST_XMax(geom) - ST_XMin(geom)) * $5 < $7 and (ST_YMax(geom) - ST_YMin(geom)) * $6 < $7 dot from (
                select category, geom from records
                union all select 'added', geom from records where not in_force_before) r),
            clustered as (
              select category, g, ST_ClusterDBSCAN(g, 0, 1) over (partition by category) cluster
              from (select category, ST_Transform(ST_SimplifyPreserveTopology(geom, $4), $3) g from drawn where not dot) s)
            select category, false, (ST_Dump(case when count(*) = 1 then ST_Collect(g) else ST_Union(g) end)).geom from clustered group by category, cluster
            union all
            select category, true, ST_Transform(ST_Collect(ST_Centroid(geom)), $3) from drawn where dot group by category
            """);
        // Metres per degree at the city's latitude (GRS80, to a part in a thousand: enough to tell a dot from a shape).
        var latitude = options.Value.City.Latitude * Math.PI / 180;
        var (perDegreeX, perDegreeY) = (111_412.84 * Math.Cos(latitude), 111_132.95 - 559.82 * Math.Cos(2 * latitude));
        land.Parameters.Add(new() { Value = end });
        land.Parameters.Add(new() { Value = before });
        land.Parameters.Add(new() { Value = zone });
        land.Parameters.Add(new() { Value = tolerance / Math.Max(perDegreeX, perDegreeY) });
        land.Parameters.Add(new() { Value = perDegreeX });
        land.Parameters.Add(new() { Value = perDegreeY });
        land.Parameters.Add(new() { Value = frame.MetresPerUnit * PlaneSvgMap.DotSize });
        var byCategory = new Dictionary<string, List<Geometry>>();
        var dots = new Dictionary<string, Geometry>();
        await using (var reader = await land.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var category = reader.GetString(0);
                if (!byCategory.TryGetValue(category, out var shapes)) byCategory[category] = shapes = [];
                if (reader.GetBoolean(1)) dots[category] = reader.GetFieldValue<Geometry>(2);
                else shapes.Add(reader.GetFieldValue<Geometry>(2));
            }
        }
        var ordered = RegisterCatalogue.Schemes.Keys.Select(s => $"scheme:{s}").Append("public").Append("trust")
            .Where(byCategory.ContainsKey).Select(c => (c, (IReadOnlyList<Geometry>)byCategory[c])).ToList();
        return new LandMapData(fiscalYear, frame, ordered, byCategory.GetValueOrDefault("added") ?? [], boundary, credit, dots);
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
        var layers = new List<SvgMapLayer>();
        foreach (var (category, shapes) in data.Land)
        {
            var style = category switch
            {
                "public" => new SvgShapeStyle("none", "#1f5fa8", 0.8, Hatch: "#1f5fa8"),
                "trust" => new SvgShapeStyle("none", "#b35900", 0.8, Hatch: "#b35900"),
                _ => new SvgShapeStyle(SchemeColours[SchemeIndex(category) % SchemeColours.Length], "#2b3d2b", 0.6, FillOpacity: 0.9),
            };
            var label = category switch
            {
                "public" => ja ? "公有地（市・県・国が取得）" : "Public land (acquired by the city, prefecture or state)",
                "trust" => ja ? "トラスト地（公有地に含めない）" : "Trust land (not counted as public)",
                _ => SchemeName(category[7..], ja),
            };
            layers.Add(new(category.Replace(':', '-'), label, style, shapes, data.Dots.GetValueOrDefault(category)));
        }
        layers.Add(new("added", ja ? $"{year.Ja}に追加された区域" : $"Added in {year.En}", new SvgShapeStyle("none", "#d81b60", 2.2), data.Added, data.Dots.GetValueOrDefault("added")));
        // Last, so that dense land never hides it.
        layers.Add(new("boundary", data.Boundary.Count == 0 ? "" : ja ? "市境界" : "City boundary", new SvgShapeStyle("none", "#333", 1.2, Dash: "6 3"), data.Boundary));
        var title = ja ? $"緑地の指定・公有地化の状況（{year.Ja}末）" : $"Land designated and acquired at the end of {year.En}";
        var note = data.Boundary.Count > 0 ? null
            : ja ? "市境界が登録されていないため、登録された区域の範囲を表示しています。" : "No city boundary is stored: the map shows the extent of the registered land.";
        return data.Frame.Render(layers, new SvgMapText(title, ja ? "北" : "N", data.Credit, note));
    }

    private static int SchemeIndex(string category) => RegisterCatalogue.Schemes.Keys.ToList().IndexOf(category[7..]);

    private static string SchemeName(string scheme, bool ja) =>
        (ja ? RegisterCatalogue.Schemes : RegisterCatalogue.SchemesEn).GetValueOrDefault(scheme) ?? scheme;
}
