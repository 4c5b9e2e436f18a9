using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.IO;

namespace HabitatRegistry.Tests.TestHost;

/// <summary>Builds planners' uploads from WKT and properties, and posts them.</summary>
public static class Parcels
{
    private static readonly WKTReader Wkt = new();
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new NetTopologySuite.IO.Converters.GeoJsonConverterFactory() } };

    /// <summary>A lon/lat rectangle as WKT.</summary>
    public static string Box(double west, double south, double east, double north) =>
        string.Create(CultureInfo.InvariantCulture, $"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))");

    public static JsonObject Feature(string wkt, object properties) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = JsonNode.Parse(JsonSerializer.Serialize(Wkt.Read(wkt), GeoJson)),
        ["properties"] = JsonSerializer.SerializeToNode(properties),
    };

    public static string Collection(params JsonNode[] features) =>
        new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(features) }.ToJsonString();

    public static JsonObject Designation(string parcelId, string wkt, string designatedOn, string? liftedOn = null, string scheme = "special_green_conservation_district") =>
        Feature(wkt, new { parcel_id = parcelId, scheme, designated_on = designatedOn, lifted_on = liftedOn, name = $"緑地 {parcelId}" });

    public static JsonObject Acquisition(string parcelId, string wkt, string acquiredOn, string acquiredBy = "city") =>
        Feature(wkt, new { parcel_id = parcelId, acquired_on = acquiredOn, acquired_by = acquiredBy, method = "purchase" });

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, string register, string geoJson, string query = "")
    {
        var content = new StringContent(geoJson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        return client.PostAsync($"/imports/{register}{query}", content);
    }

    /// <summary>Posts a CSV as the body (Content-Type text/csv), bytes as they are.</summary>
    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, string url, byte[] csv)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return client.PostAsync(url, content);
    }

    public static async Task<JsonNode> ImportOkAsync(this HttpClient client, string register, string geoJson, string query = "")
    {
        var response = await client.ImportAsync(register, geoJson, query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"import failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>The response is a problem details document with this status, saying this.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HabitatRegistry.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }
}
