using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Activities;

/// <summary>Activities uploaded as CSV, the way a planner saves them from Excel.</summary>
public class CsvImportTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private const string Header = "activity_id,held_on,kind,title,organiser,participants,lon,lat";

    static CsvImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Utf8Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private Task<HttpResponseMessage> ImportCsvAsync(string csv) => Client.PostCsvAsync("/imports/activities", Utf8Bytes(csv));

    private async Task<JsonObject> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        return JsonNode.Parse(body)!["errors"]!.AsObject();
    }

    private Task<long> CountAsync(string table) => Registry.ScalarAsync<long>($"select count(*) from {table}");

    [Fact]
    public async Task QuotedValuesKeepTheirCommasLineBreaksAndDoubledQuotes()
    {
        // CRLF and LF line ends mixed, as a file edited in two programs ends up.
        var csv = "activity_id,held_on,kind,title,organiser,participants,note\r\n"
            + "L-1,2025-06-01,lecture,\"講座「野鳥」, 第2回\",みどり自然課,24,\"一行目\r\n二行目 \"\"引用\"\"\"\r\n"
            + "L-2,2025-07-01,lecture,自然講座,,,\n";
        var response = await ImportCsvAsync(csv);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        Assert.Equal("講座「野鳥」, 第2回", await Registry.ScalarAsync<string>("select title from activities where activity_id = 'L-1'"));
        Assert.Equal("一行目\r\n二行目 \"引用\"", await Registry.ScalarAsync<string>("select attributes->>'note' from activities where activity_id = 'L-1'"));
        Assert.Equal(24m, await Registry.ScalarAsync<decimal>("select participants from activities where activity_id = 'L-1'"));
        // Empty cells are absent, not empty text.
        Assert.True(await Registry.ScalarAsync<bool>("select organiser is null and participants is null and attributes is null from activities where activity_id = 'L-2'"));
    }

    [Theory]
    [InlineData("utf-8 with BOM")]
    [InlineData("shift_jis")]
    public async Task ExcelsEncodingsAreReadAsJapaneseText(string encoding)
    {
        var csv = "activity_id,held_on,kind,title,organiser\r\nH-1,2025-06-01,hands_on_event,雑木林の下草刈り体験,三ヶ島里山保全の会\r\n";
        var bytes = encoding == "shift_jis" ? Encoding.GetEncoding(932).GetBytes(csv) : [.. Encoding.UTF8.GetPreamble(), .. Utf8Bytes(csv)];
        Assert.Equal(encoding == "shift_jis", !Utf8.IsValid(bytes));

        var response = await Client.PostCsvAsync("/imports/activities", bytes);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("雑木林の下草刈り体験", await Registry.ScalarAsync<string>("select title from activities where activity_id = 'H-1'"));
        Assert.Equal("三ヶ島里山保全の会", await Registry.ScalarAsync<string>("select organiser from activities where activity_id = 'H-1'"));
    }

    [Fact]
    public async Task LongitudeAndLatitudeColumnsBecomeAPointAndEmptyOnesLeaveNoPlace()
    {
        var csv = "activity_id,held_on,kind,title,Longitude,LATITUDE\n"
            + "F-1,2025-10-10,forest_site,どんぐりの森,139.4062,35.7853\n"
            + "W-1,2025-11-01,workshop,講習会,,\n";
        var response = await ImportCsvAsync(csv);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        Assert.Equal("POINT(139.4062 35.7853)", await Registry.ScalarAsync<string>("select ST_AsText(geom) from activities where activity_id = 'F-1'"));
        Assert.Equal(4326, await Registry.ScalarAsync<int>("select ST_SRID(geom) from activities where activity_id = 'F-1'"));
        Assert.True(await Registry.ScalarAsync<bool>("select geom is null from activities where activity_id = 'W-1'"));
        // The coordinates are the geometry, not properties as well.
        Assert.Equal(0, await Registry.ScalarAsync<long>("select count(*) from activities where attributes is not null"));
    }

    [Fact]
    public async Task BadRowsAreListedByTheLineExcelShowsThemOnAndNothingIsStored()
    {
        // Line 2 holds a line break inside quotes: still one row in Excel, so the next row is line 3.
        var csv = Header + "\r\n"
            + "A-1,2025-06-01,lecture,\"二行の\r\nタイトル\",,,,\r\n"
            + "A-2,2025-06-02,party,講座,,,,\r\n"
            + "A-3,2025-06-03,lecture,講座,,,139.47,\r\n"
            + "A-4,2025-06-04,lecture,講座,,,東経139度,35.8\r\n"
            + "A-5,2025-06-05,lecture,講座,,,,\r\n";
        var response = await ImportCsvAsync(csv);

        var errors = await ErrorsAsync(response);
        Assert.Equal(["line 3", "line 4", "line 5"], errors.Select(e => e.Key).Order());
        Assert.Equal("Activity A-2: \"kind\" is \"party\", which is not one of: lecture, workshop, support_case, hands_on_event, awareness_activity, forest_site, survey, other.",
            (string)errors["line 3"]![0]!);
        Assert.Equal("Activity A-3: \"lat\" is empty but \"lon\" is 139.47; give both for a point, or leave both empty.", (string)errors["line 4"]![0]!);
        Assert.Contains("\"lon\" is \"東経139度\", which is not a number", (string)errors["line 5"]![0]!, StringComparison.Ordinal);
        var detail = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!;
        Assert.StartsWith("Rows with problems: 3 of 5, each listed under \"errors\" by its line", detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("activities"));
        Assert.Equal(0, await CountAsync("import_runs"));
    }

    [Theory]
    [InlineData("L-2,2025-06-02,lecture,講座, 入門編,みどり自然課,20,,", 9)]
    [InlineData("L-2,2025-06-02,lecture", 3)]
    public async Task ARowWithMoreOrFewerCellsThanTheHeaderIsNamedByItsLine(string row, int cells)
    {
        var response = await ImportCsvAsync($"{Header}\nL-1,2025-06-01,lecture,講座,,,,\n{row}\n");

        var errors = await ErrorsAsync(response);
        Assert.Equal(["line 3"], errors.Select(e => e.Key));
        Assert.StartsWith($"Line 3 has {cells} cells but the header (line 1) has 8 columns.", (string)errors["line 3"]![0]!, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("activities"));
    }

    [Fact]
    public async Task ARowThatCannotBeReadDoesNotHideTheProblemsOfTheOthers()
    {
        var response = await ImportCsvAsync($"{Header}\nL-1,2025-06-01,party,講座,,,,\nL-2,2025-06-02\nL-3,2025-06-03,lecture,講座,,,139.4,\n");

        var errors = await ErrorsAsync(response);
        Assert.Equal(["line 2", "line 3", "line 4"], errors.Select(e => e.Key).Order());
        Assert.Contains("Rows with problems: 3 of 3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlankRowsAndRowsOfEmptyCellsAreSkippedButStillCountAsLines()
    {
        var response = await ImportCsvAsync($"{Header}\n\nL-1,2025-06-01,lecture,講座,,,,\n,,,,,,,\nL-2,2025-06-01,party,講座,,,,\n");

        var errors = await ErrorsAsync(response);
        Assert.Equal(["line 5"], errors.Select(e => e.Key));
        Assert.Contains("Rows with problems: 1 of 2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuoteThatIsNeverClosedNamesTheLineItStartsOn()
    {
        var response = await ImportCsvAsync($"{Header}\nL-1,2025-06-01,lecture,講座,,,,\nL-2,2025-06-02,lecture,\"講座,,,,\nL-3,2025-06-03,lecture,講座,,,,\n");
        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "The quoted value that starts on line 3 is never closed");
        Assert.Equal(0, await CountAsync("activities"));
    }

    [Fact]
    public async Task DatesAsJapaneseExcelRewritesThemAreAccepted()
    {
        var response = await ImportCsvAsync($"{Header}\nL-1,2025/6/1,lecture,講座,,,,\nL-2,2026/03/31,lecture,講座,,,,\n");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(new DateOnly(2025, 6, 1), await Registry.ScalarAsync<DateOnly>("select held_on from activities where activity_id = 'L-1'"));
        Assert.Equal(new DateOnly(2026, 3, 31), await Registry.ScalarAsync<DateOnly>("select held_on from activities where activity_id = 'L-2'"));
    }

    [Fact]
    public async Task ACsvFileInAMultipartFormIsImportedUnderItsName()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Utf8Bytes($"{Header}\nL-1,2025-06-01,lecture,講座,,,,\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.ms-excel"); // what browsers send for .csv on Windows
        form.Add(file, "file", "実績.csv");
        var response = await Client.PostAsync("/imports/activities", form);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("実績.csv", await Registry.ScalarAsync<string>("select file_name from import_runs"));
    }

    [Fact]
    public async Task DesignationsAsCsvAreRefusedSayingWhatToUploadInstead()
    {
        var response = await Client.PostCsvAsync("/imports/designations", Utf8Bytes("parcel_id,scheme,designated_on\nD-1,other,2020-05-01\n"));
        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity,
            "A CSV file can give each row a point (lon, lat) but not a boundary, and designations are recorded as polygons. Upload them as GeoJSON, or as a zipped shapefile");
        Assert.Equal(0, await CountAsync("designations"));
    }

    [Fact]
    public async Task AHeaderWithoutRowsHasNothingToImport() =>
        await AssertProblemAsync(await ImportCsvAsync(Header + "\r\n"), HttpStatusCode.UnprocessableEntity, "a header row but no rows below it");

    [Fact]
    public async Task ALonColumnWithoutALatColumnIsRefused() =>
        await AssertProblemAsync(await ImportCsvAsync("activity_id,held_on,kind,title,lon\nL-1,2025-06-01,lecture,講座,139.4\n"),
            HttpStatusCode.UnprocessableEntity, "has a \\\"lon\\\" column but no \\\"lat\\\" column");

    [Fact]
    public async Task CsvCoordinatesInThePlaneZoneAreRecognisedAndReprojectedWhenTheSystemIsGiven()
    {
        // Zone IX metres (easting, northing) near the city centre; the crs problem names the row by its line.
        var csv = "activity_id,held_on,kind,title,lon,lat\nF-1,2025-10-10,forest_site,森,-33000,-22000\n";
        var refused = await ImportCsvAsync(csv);
        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "(line 2 has -33000, -22000)");

        var response = await Client.PostCsvAsync("/imports/activities?crs=EPSG:6677", Utf8Bytes(csv));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(await Registry.ScalarAsync<bool>("select ST_X(geom) between 139.3 and 139.6 and ST_Y(geom) between 35.7 and 35.9 from activities"));
    }
}
