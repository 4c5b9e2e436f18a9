using HabitatRegistry.Analysis.Geometry;

namespace HabitatRegistry.Tests.Analysis;

public class EsriPrjTests
{
    [Theory]
    [InlineData("""PROJCS["JGD_2011_Japan_Zone_9",GEOGCS["GCS_JGD_2011",DATUM["D_JGD_2011",SPHEROID["GRS_1980",6378137.0,298.257222101]]]]""", 6677)]
    [InlineData("""PROJCS["JGD_2000_Japan_Zone_2",GEOGCS["GCS_JGD_2000"]]""", 2444)]
    [InlineData("""PROJCS["JGD2011 / Japan Plane Rectangular CS II",GEOGCS["JGD2011"],AUTHORITY["EPSG","6670"]]""", 6670)]
    [InlineData("""PROJCS["some name",GEOGCS["x"],AUTHORITY["EPSG","6677"]]""", 6677)]
    [InlineData("""GEOGCS["GCS_JGD_2011",DATUM["D_JGD_2011"]]""", 6668)]
    [InlineData("""GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]""", 4326)]
    [InlineData("""PROJCS["WGS_1984_UTM_Zone_54N",GEOGCS["GCS_WGS_1984"]]""", 32654)]
    [InlineData("""PROJCS["JGD_2011_UTM_Zone_53N",GEOGCS["GCS_JGD_2011"]]""", 6690)]
    public void APrjIsRecognisedByItsAuthorityOrItsName(string wkt, int epsg) =>
        Assert.Equal(epsg, CoordinateSystems.FromWkt(wkt)!.Epsg);

    [Fact]
    public void AnUnknownPrjIsNotGuessed() =>
        Assert.Null(CoordinateSystems.FromWkt("""PROJCS["Tokyo_Japan_Zone_9_old_datum_county_grid",GEOGCS["GCS_Tokyo"]]""".Replace("Zone_9", "Grid", StringComparison.Ordinal)));
}
