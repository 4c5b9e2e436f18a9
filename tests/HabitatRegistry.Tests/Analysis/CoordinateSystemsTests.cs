using HabitatRegistry.Analysis.Geometry;

namespace HabitatRegistry.Tests.Analysis;

public class CoordinateSystemsTests
{
    private static readonly CityHint Tokorozawa = new("Tokorozawa", 139.469, 35.799, 6677);

    [Theory]
    [InlineData("EPSG:6677", 6677)]
    [InlineData("6677", 6677)]
    [InlineData("urn:ogc:def:crs:EPSG::6677", 6677)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/2451", 2451)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("EPSG:6691", 6691)]
    public void SystemsAreFoundByTheWaysPeopleWriteThem(string code, int epsg) =>
        Assert.Equal(epsg, CoordinateSystems.Find(code)!.Epsg);

    [Fact]
    public void AnUnknownSystemIsNotGuessed() => Assert.Null(CoordinateSystems.Find("EPSG:3857"));

    [Fact]
    public void TheOriginOfZoneNineIsThirtySixNorthOneThreeNineFiftyEast()
    {
        var (lon, lat) = CoordinateSystems.PlaneRectangularZone(9).ToLonLat()(0, 0);
        Assert.Equal(139 + 50 / 60.0, lon, 9);
        Assert.Equal(36, lat, 9);
    }

    [Fact]
    public void ZoneNineCoordinatesOfTokorozawaCityHallComeBackAsItsLongitudeAndLatitude()
    {
        // Reference: PROJ (pyproj 3.4) transform of 139.46895 E, 35.79945 N to EPSG:6677, easting/northing.
        var (lon, lat) = CoordinateSystems.Find("EPSG:6677")!.ToLonLat()(-32933.904185, -22188.970657);
        Assert.Equal(139.46895, lon, 6);
        Assert.Equal(35.79945, lat, 6);
    }

    [Fact]
    public void AFileInTheCitysPlaneZoneIsRecognisedAsSuch()
    {
        var guess = CoordinateSystems.DescribeLikelyCrs(-34952.32, -22369.02, Tokorozawa);
        Assert.Contains("EPSG:6677", guess, StringComparison.Ordinal);
        Assert.Contains("?crs=EPSG:6677", guess, StringComparison.Ordinal);
    }

    [Fact]
    public void UtmCoordinatesAreRecognisedAsUtm()
    {
        var guess = CoordinateSystems.DescribeLikelyCrs(361_656.33, 3_962_786.27, Tokorozawa);
        Assert.Contains("UTM zone 54N (EPSG:6691)", guess, StringComparison.Ordinal);
    }
}
