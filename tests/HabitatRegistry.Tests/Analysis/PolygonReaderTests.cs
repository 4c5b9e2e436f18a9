using System.Text.Json;
using HabitatRegistry.Analysis.Geometry;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.Analysis;

public class PolygonReaderTests
{
    private static PolygonReadResult Read(string geometryJson, bool repair = false, Func<double, double, (double, double)>? toLonLat = null) =>
        PolygonReader.Read(JsonDocument.Parse(geometryJson).RootElement, new PolygonReadOptions(toLonLat, repair));

    private static void AssertGeometry(string expectedWkt, PolygonReadResult result)
    {
        Assert.Empty(result.Problems);
        var expected = new WKTReader().Read(expectedWkt);
        Assert.True(expected.EqualsTopologically(result.Geometry!), $"expected {expected} but read {result.Geometry}");
    }

    [Fact]
    public void APolygonIsReadAsAMultiPolygonInLonLat()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[139.4,35.7],[139.5,35.7],[139.5,35.8],[139.4,35.7]]]}""");
        AssertGeometry("MULTIPOLYGON(((139.4 35.7, 139.5 35.7, 139.5 35.8, 139.4 35.7)))", result);
        Assert.Equal(4326, result.Geometry!.SRID);
    }

    [Fact]
    public void ClockwiseRingsAreAcceptedAndStoredCounterclockwiseWithClockwiseHoles()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.4],[0.2,0.2]]]}""");
        AssertGeometry("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0), (0.2 0.2, 0.2 0.4, 0.4 0.4, 0.4 0.2, 0.2 0.2)))", result);
        var polygon = (Polygon)result.Geometry!.GetGeometryN(0);
        Assert.True(Orientation.IsCCW(polygon.Shell.CoordinateSequence));
        Assert.False(Orientation.IsCCW(polygon.Holes[0].CoordinateSequence));
    }

    [Fact]
    public void TheWholeWorldOrAnyShapeSpanningDegreesIsNotAParcel()
    {
        // The whole world's ring has edges PostGIS cannot even measure on the ellipsoid (antipodal edges).
        foreach (var ring in new[] { "[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]", "[[139,35],[139.1,35],[139.1,41],[139,35]]" })
        {
            var problem = Assert.Single(Read($$"""{"type":"Polygon","coordinates":[{{ring}}]}""").Problems);
            Assert.Contains("far more than a parcel or a habitat patch", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HeightsAreDroppedWithANote()
    {
        var result = Read("""{"type":"MultiPolygon","coordinates":[[[[0,0,12.5],[1,0,12],[1,1,13],[0,0,12.5]]],[[[3,3,1],[4,3,1],[4,4,1],[3,3,1]]]]}""");
        AssertGeometry("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((3 3, 4 3, 4 4, 3 3)))", result);
        Assert.Contains(result.Notes, n => n.Contains("Z values", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnclosedRingIsRefusedNamingWhereItStartsAndEnds()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""");
        var problem = Assert.Single(result.Problems);
        Assert.Contains("outer ring is not closed", problem, StringComparison.Ordinal);
        Assert.Contains("0, 1 (lon, lat)", problem, StringComparison.Ordinal);
        Assert.Null(result.Geometry);
    }

    [Fact]
    public void AnUnclosedRingIsClosedWhenRepairIsAsked()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""", repair: true);
        AssertGeometry("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)))", result);
        Assert.Contains(result.Notes, n => n.Contains("closed it", StringComparison.Ordinal));
    }

    [Fact]
    public void ARingOfThreePositionsIsTooShort()
    {
        var problem = Assert.Single(Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""").Problems);
        Assert.Contains("only 3 positions", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ASelfIntersectionIsRefusedWithWhereItCrosses()
    {
        var problem = Assert.Single(Read("""{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}""").Problems);
        Assert.Contains("crosses itself near 1, 1 (lon, lat)", problem, StringComparison.Ordinal);
        Assert.Contains("?repair=true", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ASelfIntersectionIsFixedIntoTwoTrianglesWhenRepairIsAsked()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}""", repair: true);
        AssertGeometry("MULTIPOLYGON(((0 0, 1 1, 0 2, 0 0)), ((1 1, 2 2, 2 0, 1 1)))", result);
        Assert.Contains(result.Notes, n => n.StartsWith("repaired", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[139.4,35.7]}""", "is a Point")]
    [InlineData("""{"type":"LineString","coordinates":[[139.4,35.7],[139.5,35.7]]}""", "is a LineString")]
    [InlineData("""{"type":"Polygon","coordinates":[[["a","b"],[1,0],[1,1],[0,0]]]}""", "not [longitude, latitude]")]
    [InlineData("""{"type":"Polygon","coordinates":[]}""", "has no rings")]
    [InlineData("null", "has no geometry")]
    public void GeometriesThatAreNotPolygonsAreRefusedInWords(string json, string expected) =>
        Assert.Contains(Read(json).Problems, p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void CoordinatesOutsideLonLatRangesAreFlaggedAsProjected()
    {
        var result = Read("""{"type":"Polygon","coordinates":[[[-34952.3,-22369.0],[-34900,-22369],[-34900,-22300],[-34952.3,-22369.0]]]}""");
        Assert.Equal((-34952.3, -22369.0), result.OutOfRange);
        Assert.Null(result.Geometry);
    }

    [Fact]
    public void ProjectedCoordinatesAreConvertedWhenTheSystemIsGiven()
    {
        var zone9 = CoordinateSystems.Find("EPSG:6677")!.ToLonLat();
        var result = Read("""{"type":"Polygon","coordinates":[[[0,0],[100,0],[100,100],[0,0]]]}""", toLonLat: zone9);
        Assert.Empty(result.Problems);
        var first = result.Geometry!.Coordinates[0];
        Assert.Equal(139 + 50 / 60.0, first.X, 9);
        Assert.Equal(36, first.Y, 9);
    }
}
