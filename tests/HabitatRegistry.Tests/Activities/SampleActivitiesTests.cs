using System.Net.Http.Headers;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Activities;

/// <summary>The Tokorozawa sample activities against their reference counts (gis-samples/expected-activity-counts.csv).</summary>
public class SampleActivitiesTests(RegistryFixture fixture) : RegistryTest(fixture)
{
    private static async Task<List<(int FiscalYear, string Kind, long Count)>> ExpectedAsync() =>
        [.. (await File.ReadAllLinesAsync(RepoFile("gis-samples/expected-activity-counts.csv"))).Skip(1)
            .Select(l => l.Split(','))
            .Select(c => (int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture), c[1], long.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture)))];

    private async Task ImportSampleAsync()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(RepoFile("gis-samples/tokorozawa-activities.csv")));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "tokorozawa-activities.csv");
        var response = await Client.PostAsync("/imports/activities", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSampleImportsWhole()
    {
        await ImportSampleAsync();

        var expected = await ExpectedAsync();
        Assert.Equal(expected.Sum(e => e.Count), await Registry.ScalarAsync<long>("select count(*) from activities"));
        Assert.True(await Registry.ScalarAsync<bool>("select bool_and(held_on between '2021-04-01' and '2026-03-31') from activities"));
        // Some with a place near Tokorozawa, some without.
        Assert.True(await Registry.ScalarAsync<bool>(
            "select bool_and(ST_X(geom) between 139.40 and 139.52 and ST_Y(geom) between 35.77 and 35.83) and count(geom) between 1 and count(*) - 1 from activities"));
        // The note with a comma, a line break and doubled quotes came through whole.
        Assert.Equal(1, await Registry.ScalarAsync<long>("select count(*) from activities where attributes->>'note' like '%, カラー' || chr(10) || '見出し \"まちの生きもの\"'"));
    }

    [Fact]
    public async Task EachFiscalYearHoldsTheReferenceCountOfEachKind()
    {
        await ImportSampleAsync();

        // Fiscal years worked out in SQL, independently of the service's own FiscalYear.
        var actual = new Dictionary<(int, string), long>();
        await using (var connection = new Npgsql.NpgsqlConnection(Registry.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "select extract(year from held_on - interval '3 months')::int, kind, count(*) from activities group by 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) actual[(reader.GetInt32(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        var expected = await ExpectedAsync();
        Assert.Equal(40, expected.Count); // FY2021–FY2025 × 8 kinds, zeros included
        foreach (var (year, kind, count) in expected)
        {
            Assert.True(count == actual.GetValueOrDefault((year, kind)), $"FY{year} {kind}: expected {count}, found {actual.GetValueOrDefault((year, kind))}");
        }
        Assert.Equal(expected.Sum(e => e.Count), actual.Values.Sum());
    }

    [Theory]
    [InlineData(2022, "awareness_activity")]
    [InlineData(2023, "forest_site")]
    [InlineData(2025, "workshop")]
    public async Task TheActivitiesApiCountsTheSameAsTheReference(int fiscalYear, string kind)
    {
        await ImportSampleAsync();
        var expected = (await ExpectedAsync()).Single(e => e.FiscalYear == fiscalYear && e.Kind == kind).Count;

        var page = await Client.GetJsonAsync($"/activities?fiscalYear={fiscalYear}&kind={kind}");
        Assert.Equal(expected, (long)page["numberMatched"]!);
    }
}
