using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HabitatRegistry.Cli;
using HabitatRegistry.Tests.Maps;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Targets;

/// <summary>The annual report's map: land in force at the fiscal year's end by category, what the year added, the boundary.</summary>
public class ReportMapTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // A 0.002° square is about 180 × 220 m: several units of a map of a 10 km city, so drawn as a shape, not a dot.
    private static string Square(double west, double south) => Box(west, south, west + 0.002, south + 0.002);

    private async Task LoadSmallCityAsync()
    {
        var boundary = Path.GetTempFileName();
        await File.WriteAllTextAsync(boundary, Collection(Feature(Box(139.40, 35.75, 139.52, 35.84), new { name = "Test <city> & co" })));
        using var output = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(Registry.App.Services, ["city-boundary", boundary, "--credit", "Source: <MLIT> & \"N03\""], output));
        File.Delete(boundary);

        await Client.ImportOkAsync("designations", Collection(
            Designation("S-1a", Box(139.450, 35.800, 139.453, 35.802), "2020-05-01"),
            Designation("S-1b", Box(139.452, 35.801, 139.455, 35.803), "2021-05-01"),        // overlaps S-1a: one piece
            Designation("S-2", Square(139.470, 35.780), "2025-06-01"),                        // added in FY2025
            Designation("W-1", Square(139.430, 35.770), "2015-04-01", scheme: "preserved_woodland"),
            Designation("W-2", Square(139.490, 35.770), "2015-04-01", "2024-01-10", "preserved_woodland"), // lifted in FY2023
            Designation("C-1", Square(139.500, 35.820), "2026-04-01", scheme: "citizen_green_space"),      // FY2026: not yet
            Designation("S-3", Square(139.480, 35.810), "2025-03-31")));                      // FY2024's last day: not added in FY2025
        await Client.ImportOkAsync("acquisitions", Collection(
            Acquisition("A-1", Square(139.460, 35.790), "2019-07-01"),
            Acquisition("A-2", Square(139.440, 35.820), "2025-12-01", "trust")));             // added in FY2025
    }

    private async Task<XElement> MapAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        var svgs = Regex.Matches(html, "<svg[^>]*class=\"map\".*?</svg>", RegexOptions.Singleline);
        return XElement.Parse(Assert.Single(svgs).Value); // one map, and well-formed XML
    }

    // A layer is one path (and one of dots, if any): its records are its subpaths, one ring each here.
    private static List<List<(double X, double Y)>> Rings(XElement map, string layer)
    {
        var paths = map.Descendants(Svg + "g").Where(g => (string?)g.Attribute("data-layer") == layer && g.Attribute("class") is null)
            .SelectMany(g => g.Elements(Svg + "path")).Where(p => p.Attribute("class") is null).ToList();
        Assert.True(paths.Count <= 1, $"layer {layer} has {paths.Count} paths");
        return [.. paths.SelectMany(p => SvgMapTests.Subpaths((string)p.Attribute("d")!))];
    }

    private static int ShapesIn(XElement map, string layer) => Rings(map, layer).Count;

    private static bool SameRing(List<(double X, double Y)> a, List<(double X, double Y)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Math.Abs(p.First.X - p.Second.X) < 0.01 && Math.Abs(p.First.Y - p.Second.Y) < 0.01);

    private static IEnumerable<string> LegendOf(XElement map) =>
        map.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "legend-item").Select(g => (string)g.Attribute("data-layer")!);

    [Fact]
    public async Task TheMapDrawsEachCategorysLandInForceAtTheYearsEndAndOutlinesWhatTheYearAdded()
    {
        await LoadSmallCityAsync();

        var map = await MapAsync("/reports/targets?fiscalYear=2025&format=html&lang=en");

        Assert.Equal(4, ShapesIn(map, "scheme-special_green_conservation_district")); // S-1a, S-1b (overlapping, in one path), S-2, S-3
        Assert.Equal(1, ShapesIn(map, "scheme-preserved_woodland"));                   // W-2 was lifted
        Assert.Equal(0, ShapesIn(map, "scheme-citizen_green_space"));                  // C-1 is FY2026's
        Assert.Equal(1, ShapesIn(map, "public"));
        Assert.Equal(1, ShapesIn(map, "trust"));
        Assert.Equal(2, ShapesIn(map, "added"));                                       // S-2 and A-2
        // Each added outline is a record's outline drawn in its category: the trust land's one, and one of the scheme's.
        var added = Rings(map, "added");
        Assert.Single(added, r => Rings(map, "trust").Any(t => SameRing(t, r)));
        Assert.Single(added, r => Rings(map, "scheme-special_green_conservation_district").Any(t => SameRing(t, r)));
        Assert.Equal(1, ShapesIn(map, "boundary"));
        Assert.Equal(["scheme-special_green_conservation_district", "scheme-preserved_woodland", "public", "trust", "added", "boundary"], LegendOf(map));
        Assert.Contains("Added in FY2025", map.Value, StringComparison.Ordinal);
        Assert.Contains("Source: <MLIT> & \"N03\"", map.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "credit").Value, StringComparison.Ordinal);
        Assert.NotNull(map.Descendants(Svg + "g").SingleOrDefault(g => (string?)g.Attribute("class") == "scale-bar"));
        Assert.NotNull(map.Descendants(Svg + "g").SingleOrDefault(g => (string?)g.Attribute("class") == "north-arrow"));

        // The year before: S-3 was added then, and the trust land and S-2 were not there yet.
        var before = await MapAsync("/reports/targets?fiscalYear=2024&format=html&lang=ja");
        Assert.Equal(0, ShapesIn(before, "trust"));
        Assert.Equal(1, ShapesIn(before, "added")); // S-3 (W-2 was lifted in FY2023, so it is in neither year)
        Assert.Contains("令和6年度に追加された区域", before.Value, StringComparison.Ordinal);
        Assert.Contains("北", before.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAStoredBoundaryTheMapShowsTheRegistersExtentAndSaysSo()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("S-1", Square(139.45, 35.80), "2020-05-01")));

        var map = await MapAsync("/reports/targets?fiscalYear=2025&format=html&lang=en");

        Assert.Equal(0, ShapesIn(map, "boundary"));
        Assert.DoesNotContain("boundary", LegendOf(map));
        Assert.Contains("No city boundary is stored", map.Value, StringComparison.Ordinal);
        Assert.Equal(1, ShapesIn(map, "scheme-special_green_conservation_district"));
    }

    [Fact]
    public async Task AMalformedBoundaryFileIsRefusedAndNothingIsStored()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"type":"Point","coordinates":[139.4,35.8]}""");
        using var output = new StringWriter();
        Assert.Equal(1, await CommandLine.RunAsync(Registry.App.Services, ["city-boundary", file], output));
        await File.WriteAllTextAsync(file, """{"type":"Feature" """);
        Assert.Equal(1, await CommandLine.RunAsync(Registry.App.Services, ["city-boundary", file], output));
        File.Delete(file);
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select count(*) from city_boundary"));
    }

    [Fact]
    public async Task ThePublishedEditionKeepsItsMapWhileTheLiveReportShowsALaterImport()
    {
        await LoadSmallCityAsync();
        var publish = await Client.PostAsync("/reports/targets/published?fiscalYear=2025", null);
        Assert.Equal(HttpStatusCode.Created, publish.StatusCode);
        var published = (await MapAsync("/reports/targets/published?fiscalYear=2025&format=html&lang=en")).ToString();
        Assert.Equal(2, ShapesIn(XElement.Parse(published), "added"));

        // A parcel recorded later that was designated during FY2025.
        await Client.ImportOkAsync("designations", Collection(Designation("W-3", Square(139.41, 35.76), "2025-09-01", scheme: "preserved_woodland")));

        var live = await MapAsync("/reports/targets?fiscalYear=2025&format=html&lang=en");
        Assert.Equal(3, ShapesIn(live, "added"));
        Assert.Equal(2, ShapesIn(live, "scheme-preserved_woodland"));
        var again = await MapAsync("/reports/targets/published?fiscalYear=2025&format=html&lang=en");
        Assert.Equal(published, again.ToString());
        Assert.Equal(1, ShapesIn(again, "scheme-preserved_woodland"));
        var japanese = await MapAsync("/reports/targets/published?fiscalYear=2025&format=html&lang=ja");
        Assert.Contains("令和7年度に追加された区域", japanese.Value, StringComparison.Ordinal);
    }
}
