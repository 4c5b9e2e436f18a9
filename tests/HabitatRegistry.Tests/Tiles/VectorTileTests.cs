using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Tiles;

/// <summary>OGC API – Tiles: Mapbox Vector Tiles of the registers and the network, decoded here and checked against the registry.</summary>
public class VectorTileTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const int Zoom = 14;
    private const string MvtType = "application/vnd.mapbox-vector-tile";

    // The zoom-14 tile over central Tokorozawa, found with the Web Mercator formulas (not the service's).
    private static readonly (int Row, int Column) Home = TileOf(139.45, 35.79, Zoom);

    private static (int Row, int Column) TileOf(double lon, double lat, int zoom)
    {
        var n = Math.Pow(2, zoom);
        return ((int)Math.Floor((1 - Math.Asinh(Math.Tan(lat * Math.PI / 180)) / Math.PI) / 2 * n), (int)Math.Floor((lon + 180) / 360 * n));
    }

    /// <summary>Where a place lies in a tile, in the tile's 4096 units from its north-west corner.</summary>
    private static (double X, double Y) Pixel(double lon, double lat, int zoom, int row, int column)
    {
        var n = Math.Pow(2, zoom);
        return (((lon + 180) / 360 * n - column) * 4096, ((1 - Math.Asinh(Math.Tan(lat * Math.PI / 180)) / Math.PI) / 2 * n - row) * 4096);
    }

    /// <summary>The lon/lat of a point of the home tile given as shares of its width and height from the north-west corner.</summary>
    private static (double Lon, double Lat) InHome(double across, double down)
    {
        var n = Math.Pow(2, Zoom);
        var lon = (Home.Column + across) / n * 360 - 180;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1 - 2 * (Home.Row + down) / n))) * 180 / Math.PI;
        return (lon, lat);
    }

    /// <summary>A lon/lat box over a part of the home tile (shares from its north-west corner).</summary>
    private static string BoxInHome(double left, double top, double right, double bottom)
    {
        var (west, north) = InHome(left, top);
        var (east, south) = InHome(right, bottom);
        return Box(Math.Round(west, 7), Math.Round(south, 7), Math.Round(east, 7), Math.Round(north, 7));
    }

    private static string TileUrl(string collection, int zoom, int row, int column, string query = "") =>
        $"/collections/{collection}/tiles/WebMercatorQuad/{zoom}/{row}/{column}{query}";

    private static string HomeTile(string collection, string query = "") => TileUrl(collection, Zoom, Home.Row, Home.Column, query);

    private async Task<(HttpResponseMessage Response, MvtLayer? Layer)> TileAsync(string url, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        var response = await Client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK) return (response, null);
        Assert.Equal(MvtType, response.Content.Headers.ContentType?.MediaType);
        var layers = MvtReader.Read(await response.Content.ReadAsByteArrayAsync());
        return (response, Assert.Single(layers));
    }

    private async Task<MvtLayer> LayerAsync(string url)
    {
        var (response, layer) = await TileAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return layer!;
    }

    private static string[] Ids(MvtLayer layer) => [.. layer.Features.Select(f => (string)f.Properties["id"]).Order(StringComparer.Ordinal)];

    private static MvtFeature Find(MvtLayer layer, string id) => Assert.Single(layer.Features, f => (string)f.Properties["id"] == id);

    [Fact]
    public async Task EachParcelLiesInTheTilePixelsItsCoordinatesGiveWithItsPropertiesFromTheRegister()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-1", BoxInHome(0.25, 0.25, 0.40, 0.35), "2015-05-01"),
            Designation("D-2", BoxInHome(0.60, 0.60, 0.70, 0.80), "2018-04-01", scheme: "citizen_green_space"),
            Designation("D-FAR", Box(139.60, 35.90, 139.601, 35.901), "2015-05-01")));

        var layer = await LayerAsync(HomeTile("designations"));

        Assert.Equal(("designations", 2, 4096), (layer.Name, layer.Version, layer.Extent));
        Assert.Equal(["D-1", "D-2"], Ids(layer));
        var d1 = Find(layer, "D-1");
        Assert.Equal(3, d1.Type);
        Assert.Equal("special_green_conservation_district", d1.Properties["scheme"]);
        Assert.Equal("緑地 D-1", d1.Properties["name"]);
        Assert.Equal("2015-05-01", d1.Properties["designated_on"]);
        Assert.False(d1.Properties.ContainsKey("lifted_on")); // null: left out, as MVT has no null
        var item = await Client.GetJsonAsync("/collections/designations/items/D-1");
        Assert.Equal((double)item["properties"]!["area_ha"]!, Convert.ToDouble(d1.Properties["area_ha"], CultureInfo.InvariantCulture), 4);
        Assert.Equal("citizen_green_space", Find(layer, "D-2").Properties["scheme"]);

        // The outline's corners and centre, where the Web Mercator formulas put the parcel's coordinates (to a tile unit).
        var ring = Assert.Single(d1.Parts);
        var (west, north) = InHome(0.25, 0.25);
        var (east, south) = InHome(0.40, 0.35);
        var northWest = Pixel(west, north, Zoom, Home.Row, Home.Column);
        var southEast = Pixel(east, south, Zoom, Home.Row, Home.Column);
        Assert.Equal(northWest.X, ring.Min(p => p.X), 1.0);
        Assert.Equal(northWest.Y, ring.Min(p => p.Y), 1.0);
        Assert.Equal(southEast.X, ring.Max(p => p.X), 1.0);
        Assert.Equal(southEast.Y, ring.Max(p => p.Y), 1.0);
        var centre = Pixel((west + east) / 2, (north + south) / 2, Zoom, Home.Row, Home.Column);
        Assert.Equal(centre.X, ring.Skip(1).Average(p => p.X), 1.0);
        Assert.Equal(centre.Y, ring.Skip(1).Average(p => p.Y), 1.0);
        Assert.Equal((1331, 1229), ((int)Math.Round(centre.X), (int)Math.Round(centre.Y))); // 0.325 and 0.30 of 4096

        // The far parcel is in its own tile, and only there.
        var far = TileOf(139.6005, 35.9005, Zoom);
        Assert.Equal(["D-FAR"], Ids(await LayerAsync(TileUrl("designations", Zoom, far.Row, far.Column))));
    }

    [Fact]
    public async Task ABrowserThatAcceptsGzipGetsTheSameTileCompressedUnderAnETagOfItsOwn()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", BoxInHome(0.25, 0.25, 0.40, 0.35), "2015-05-01")));
        using var plain = await Client.GetAsync(HomeTile("designations"));
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var request = new HttpRequestMessage(HttpMethod.Get, HomeTile("designations"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd"); // as Chromium asks
        using var compressed = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag); // caches must not hand one to a client asking for the other
        var body = await compressed.Content.ReadAsByteArrayAsync();
        using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress))
        using (var unpacked = new MemoryStream())
        {
            await gzip.CopyToAsync(unpacked);
            Assert.Equal(bytes, unpacked.ToArray());
        }
        using var again = new HttpRequestMessage(HttpMethod.Get, HomeTile("designations"));
        again.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        again.Headers.TryAddWithoutValidation("If-None-Match", compressed.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(again)).StatusCode);
        using var refused = new HttpRequestMessage(HttpMethod.Get, HomeTile("designations"));
        refused.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0, identity");
        Assert.Empty((await Client.SendAsync(refused)).Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task DatetimeShowsTheLandInForceOnThatDateAsTheItemsDo()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-OLD", BoxInHome(0.1, 0.1, 0.2, 0.2), "2010-04-01", liftedOn: "2015-06-01"),
            Designation("D-FY2015", BoxInHome(0.3, 0.3, 0.4, 0.4), "2015-05-01"),
            Designation("D-LATER", BoxInHome(0.5, 0.5, 0.6, 0.6), "2017-01-01")));

        foreach (var datetime in new[] { "2016-03-31", "2015-06-01", "2010-01-01/2016-03-31", "2017-01-01T00:00:00Z" })
        {
            var query = $"?datetime={Uri.EscapeDataString(datetime)}";
            var items = (await Client.GetJsonAsync($"/collections/designations/items{query}"))["features"]!.AsArray().Select(f => (string)f!["id"]!).Order(StringComparer.Ordinal);
            Assert.Equal(items, Ids(await LayerAsync(HomeTile("designations", query))));
        }
        Assert.Equal(["D-FY2015"], Ids(await LayerAsync(HomeTile("designations", "?datetime=2016-03-31"))));
        Assert.Equal(["D-FY2015", "D-LATER", "D-OLD"], Ids(await LayerAsync(HomeTile("designations"))));
        var (beforeAny, _) = await TileAsync(HomeTile("designations", "?datetime=2009-03-31"));
        Assert.Equal(HttpStatusCode.NoContent, beforeAny.StatusCode);
        await AssertProblemAsync(await Client.GetAsync(HomeTile("designations", "?datetime=2016-02-30")), HttpStatusCode.BadRequest, "datetime=2016-02-30");
        await AssertProblemAsync(await Client.GetAsync(HomeTile("designations", "?datetime=2017-01-01/2016-01-01")), HttpStatusCode.BadRequest, "ends before it starts");
    }

    [Fact]
    public async Task AcquisitionsCarryTheirAcquiringBodyAndWhetherTheyAreTrustLand()
    {
        await Client.ImportOkAsync("acquisitions", Collection(
            Acquisition("A-CITY", BoxInHome(0.1, 0.1, 0.2, 0.2), "2016-01-10"),
            Acquisition("A-TRUST", BoxInHome(0.5, 0.5, 0.6, 0.6), "2016-02-10", acquiredBy: "trust")));

        var layer = await LayerAsync(HomeTile("acquisitions"));

        Assert.Equal("acquisitions", layer.Name);
        Assert.Equal(("city", false, "2016-01-10"), ((string)Find(layer, "A-CITY").Properties["acquired_by"], (bool)Find(layer, "A-CITY").Properties["trust_land"], (string)Find(layer, "A-CITY").Properties["acquired_on"]));
        Assert.Equal(("trust", true), ((string)Find(layer, "A-TRUST").Properties["acquired_by"], (bool)Find(layer, "A-TRUST").Properties["trust_land"]));
    }

    [Fact]
    public async Task AnEmptyTileIs204WithItsETagAndTheTilesetSaysSo()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", BoxInHome(0.25, 0.25, 0.40, 0.35), "2015-05-01")));

        var empty = await Client.GetAsync(TileUrl("designations", Zoom, Home.Row + 3, Home.Column));
        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
        Assert.NotNull(empty.Headers.ETag);
        Assert.Equal((true, TimeSpan.Zero, true), (empty.Headers.CacheControl!.Public, empty.Headers.CacheControl.MaxAge, empty.Headers.CacheControl.MustRevalidate));

        var tileset = await Client.GetJsonAsync("/collections/designations/tiles/WebMercatorQuad?datetime=2016-03-31");
        Assert.Equal("204 No Content", (string)tileset["emptyTiles"]!);
        Assert.Contains("204 No Content", (string)tileset["description"]!, StringComparison.Ordinal);
        Assert.Equal("http://localhost/collections/designations/tiles/WebMercatorQuad/{z}/{y}/{x}?datetime=2016-03-31", (string)tileset["tiles"]![0]!);
        var item = tileset["links"]!.AsArray().Single(l => (string)l!["rel"]! == "item")!;
        Assert.Equal("http://localhost/collections/designations/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?datetime=2016-03-31", (string)item["href"]!);
        Assert.Equal(MvtType, (string)item["type"]!);
        Assert.Equal("String", (string)tileset["vector_layers"]![0]!["fields"]!["scheme"]!);
        Assert.Equal("Number", (string)tileset["vector_layers"]![0]!["fields"]!["area_ha"]!);
        // The bounds are the register's extent, so a map asks for no tile outside it.
        var (west, north) = InHome(0.25, 0.25);
        Assert.Equal(Math.Round(west, 6), (double)tileset["bounds"]![0]!, 5);
        Assert.Equal(Math.Round(north, 6), (double)tileset["bounds"]![3]!, 5);
    }

    [Fact]
    public async Task AnImportChangesTheTileOnTheNextRequestAndIfNoneMatchAnswers304Meanwhile()
    {
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", BoxInHome(0.25, 0.25, 0.40, 0.35), "2015-05-01")));
        var (first, layer) = await TileAsync(HomeTile("designations"));
        var etag = first.Headers.ETag!.Tag;
        Assert.Equal(["D-1"], Ids(layer!));

        var (unchanged, _) = await TileAsync(HomeTile("designations"), etag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(etag, unchanged.Headers.ETag!.Tag);

        // A parcel elsewhere changes the registry but not this tile: still 304.
        await Client.ImportOkAsync("designations", Collection(Designation("D-FAR", Box(139.60, 35.90, 139.601, 35.901), "2015-05-01")));
        Assert.Equal(HttpStatusCode.NotModified, (await TileAsync(HomeTile("designations"), etag)).Response.StatusCode);

        // A corrected boundary: the very next request has it.
        await Client.ImportOkAsync("designations", Collection(Designation("D-1", BoxInHome(0.50, 0.50, 0.60, 0.60), "2015-05-01")));
        var (corrected, moved) = await TileAsync(HomeTile("designations"), etag);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.NotEqual(etag, corrected.Headers.ETag!.Tag);
        Assert.Equal(2048, Find(moved!, "D-1").Points.Min(p => p.X), 1.0);

        // An import by the command line, another process on the same database, is seen as soon.
        var file = Path.Combine(Path.GetTempPath(), $"tiles-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(file, Collection(Designation("D-CLI", BoxInHome(0.05, 0.05, 0.10, 0.10), "2015-05-01")));
        try
        {
            var (exit, output, errors) = await ClientProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "HabitatRegistry.Api.dll"), "import", "designations", file],
                new Dictionary<string, string> { ["HABITAT_DB"] = Registry.ConnectionString }, TimeSpan.FromMinutes(1));
            Assert.True(exit == 0, output + errors);
        }
        finally
        {
            File.Delete(file);
        }
        var (afterCli, withCli) = await TileAsync(HomeTile("designations"), corrected.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, afterCli.StatusCode);
        Assert.Equal(["D-1", "D-CLI"], Ids(withCli!));
    }

    [Fact]
    public async Task AnEditAndAWithdrawalChangeTheTileOnTheNextRequest()
    {
        await Client.ImportOkAsync("designations", Collection(
            Designation("D-1", BoxInHome(0.25, 0.25, 0.40, 0.35), "2015-05-01"),
            Designation("D-2", BoxInHome(0.60, 0.60, 0.70, 0.80), "2015-05-01")));
        var (first, _) = await TileAsync(HomeTile("designations"));
        var etag = first.Headers.ETag!.Tag;

        var patch = new HttpRequestMessage(HttpMethod.Patch, "/collections/designations/items/D-1")
        {
            Content = new StringContent("""{"properties": {"name": "三ヶ島の森"}}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        var patched = await Client.SendAsync(patch);
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());

        var (edited, layer) = await TileAsync(HomeTile("designations"), etag);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("三ヶ島の森", Find(layer!, "D-1").Properties["name"]);
        Assert.Equal(2L, Convert.ToInt64(Find(layer!, "D-1").Properties["version"], CultureInfo.InvariantCulture));

        var withdrawn = await Client.DeleteAsync("/collections/designations/items/D-2");
        Assert.True(withdrawn.IsSuccessStatusCode, await withdrawn.Content.ReadAsStringAsync());
        Assert.Equal(["D-1"], Ids(await LayerAsync(HomeTile("designations"))));
    }

    [Fact]
    public async Task TheNetworksTilesCarryEachPatchsDpcAndEachLinksDistanceAndProbability()
    {
        await Client.ImportOkAsync("habitat-patches", Collection(
            Feature(BoxInHome(0.10, 0.10, 0.30, 0.30), new { patch_id = "HP-A", habitat = "woodland" }),
            Feature(BoxInHome(0.40, 0.10, 0.50, 0.20), new { patch_id = "HP-B", habitat = "wetland" }),
            Feature(BoxInHome(0.70, 0.10, 0.90, 0.30), new { patch_id = "HP-C", habitat = "woodland", quality = 0.5 })));

        var patches = await LayerAsync(HomeTile("network-patches-small-mammals"));
        var items = (await Client.GetJsonAsync("/collections/network-patches-small-mammals/items"))["features"]!.AsArray();
        Assert.Equal("network-patches-small-mammals", patches.Name);
        Assert.Equal(["HP-A", "HP-B", "HP-C"], Ids(patches));
        foreach (var item in items)
        {
            var feature = Find(patches, (string)item!["id"]!);
            Assert.Equal((double)item["properties"]!["dpc"]!, Convert.ToDouble(feature.Properties["dpc"], CultureInfo.InvariantCulture), 9);
            Assert.Equal((int)item["properties"]!["rank"]!, Convert.ToInt32(feature.Properties["rank"], CultureInfo.InvariantCulture));
            Assert.Equal(3, feature.Type);
        }
        var hpA = Find(patches, "HP-A").Parts.Single();
        Assert.Equal(Pixel(InHome(0.10, 0.10).Lon, 0, Zoom, Home.Row, Home.Column).X, hpA.Min(p => p.X), 1.0);

        var links = await LayerAsync(HomeTile("network-links-small-mammals"));
        var linkItems = (await Client.GetJsonAsync("/collections/network-links-small-mammals/items"))["features"]!.AsArray();
        Assert.Equal(linkItems.Select(l => (string)l!["id"]!).Order(StringComparer.Ordinal), Ids(links));
        Assert.NotEmpty(links.Features);
        foreach (var item in linkItems)
        {
            var feature = Find(links, (string)item!["id"]!);
            Assert.Equal(2, feature.Type);
            Assert.Equal((double)item["properties"]!["distance_m"]!, Convert.ToDouble(feature.Properties["distance_m"], CultureInfo.InvariantCulture), 6);
            Assert.Equal((double)item["properties"]!["probability"]!, Convert.ToDouble(feature.Properties["probability"], CultureInfo.InvariantCulture), 9);
        }

        // A profile's change is a change to its network: a threshold shorter than every gap leaves no link at once.
        var name = $"tiles-{Guid.NewGuid():N}"[..16];
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/network/profiles", new { name, titleJa = "試験", titleEn = "Test", d0 = 500, threshold = 2000 })).StatusCode);
        var (before, withLinks) = await TileAsync(HomeTile($"network-links-{name}"));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(Ids(links), Ids(withLinks!));
        var shorter = await Client.PutAsJsonAsync($"/network/profiles/{name}", new { name, titleJa = "試験", titleEn = "Test", d0 = 500, threshold = 1 });
        Assert.True(shorter.IsSuccessStatusCode, await shorter.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await TileAsync(HomeTile($"network-links-{name}"), before.Headers.ETag!.Tag)).Response.StatusCode);
    }

    [Fact]
    public async Task BadTileAddressesAreProblemsAPlannerCanRead()
    {
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/tiles/WebMercatorQuad/14/6444/abc"), HttpStatusCode.BadRequest, "tileCol \\\"abc\\\" is not a whole number");
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/tiles/WebMercatorQuad/1.5/0/0"), HttpStatusCode.BadRequest, "tileMatrix");
        foreach (var (zoom, row, column) in new[] { (25, 0, 0), (-1, 0, 0), (3, 8, 0), (3, 0, 8), (3, -1, 0), (14, 99999999, 0) })
        {
            await AssertProblemAsync(await Client.GetAsync(TileUrl("designations", zoom, row, column)), HttpStatusCode.NotFound, "zoom levels run from 0 to 24");
        }
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/tiles/WebMercatorQuad/99999999999999/0/0"), HttpStatusCode.NotFound, "No such tile");
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/tiles/WorldCRS84Quad/3/0/0"), HttpStatusCode.NotFound, "WebMercatorQuad only");
        await AssertProblemAsync(await Client.GetAsync("/collections/designations/tiles/WorldCRS84Quad"), HttpStatusCode.NotFound, "WebMercatorQuad only");
        await AssertProblemAsync(await Client.GetAsync("/tileMatrixSets/WorldCRS84Quad"), HttpStatusCode.NotFound, "WebMercatorQuad only");
        await AssertProblemAsync(await Client.GetAsync(TileUrl("parcels", 3, 0, 0)), HttpStatusCode.NotFound, "no register called");
        await AssertProblemAsync(await Client.GetAsync("/collections/parcels/tiles"), HttpStatusCode.NotFound, "no register called");
        await AssertProblemAsync(await Client.GetAsync(TileUrl("network-patches-bats", 3, 0, 0)), HttpStatusCode.NotFound, "no species-group profile");
        await AssertProblemAsync(await Client.GetAsync("/collections/network-components-small-mammals/tiles"), HttpStatusCode.NotFound, "the components are served as items");
        await AssertProblemAsync(await Client.GetAsync(TileUrl("designations", 3, 0, 0, "?datetime=yesterday")), HttpStatusCode.BadRequest, "is not a date");
        await AssertProblemAsync(await Client.GetAsync(TileUrl("designations", 3, 0, 0, "?datetime=2016-03-31&datetime=2017-03-31")), HttpStatusCode.BadRequest, "given 2 times");
    }

    [Fact]
    public async Task CollectionsLeadToTheirTilesetsAndTheGridAsOgcApiTilesDescribes()
    {
        var conformance = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core", conformance);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt", conformance);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list", conformance);

        var collection = await Client.GetJsonAsync("/collections/habitat-patches");
        var tilesets = (string)collection["links"]!.AsArray().Single(l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector")!["href"]!;
        var list = await Client.GetJsonAsync(tilesets);
        var tileset = list["tilesets"]!.AsArray().Single()!;
        Assert.Equal(("vector", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"), ((string)tileset["dataType"]!, (string)tileset["tileMatrixSetURI"]!));
        var metadata = await Client.GetJsonAsync((string)tileset["links"]!.AsArray().Single(l => (string)l!["rel"]! == "self")!["href"]!);
        Assert.Equal("habitat-patches", (string)metadata["layers"]![0]!["id"]!);
        var grid = await Client.GetJsonAsync((string)metadata["links"]!.AsArray().Single(l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme")!["href"]!);
        var matrices = grid["tileMatrices"]!.AsArray();
        Assert.Equal(25, matrices.Count);
        Assert.Equal((16384, 16384), ((int)matrices[14]!["matrixWidth"]!, (int)matrices[14]!["matrixHeight"]!));
        Assert.Equal(-20037508.3427892, (double)matrices[0]!["pointOfOrigin"]![0]!, 4);
        Assert.Equal(559082264.029, (double)matrices[0]!["scaleDenominator"]!, 0);

        var network = await Client.GetJsonAsync("/collections");
        string[] Tiled(string prefix) => [.. network["collections"]!.AsArray().Where(c => ((string)c!["id"]!).StartsWith(prefix, StringComparison.Ordinal))
            .Where(c => c!["links"]!.AsArray().Any(l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector")).Select(c => (string)c!["id"]!)];
        Assert.Equal(3, Tiled("network-patches-").Length);
        Assert.Equal(3, Tiled("network-links-").Length);
        Assert.Empty(Tiled("network-components-"));
        Assert.Equal(4, Tiled("").Count(id => !id.StartsWith("network-", StringComparison.Ordinal)));
    }
}
