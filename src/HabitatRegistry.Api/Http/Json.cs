using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.IO.Converters;

namespace HabitatRegistry.Http;

/// <summary>JSON settings shared by the hand-streamed GeoJSON and the rest of the API.</summary>
internal static class Json
{
    // Japanese names and URLs with '&' stay readable; responses are JSON, never inlined into HTML.
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonWriterOptions Writer = new() { Encoder = Encoder };

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { Encoder = Encoder };

    public static readonly JsonSerializerOptions GeoJson = new() { Encoder = Encoder, Converters = { new GeoJsonConverterFactory() } };

    /// <summary>
    /// Geometry in another coordinate system than CRS84 (Part 2), rings left as the query gave them: RFC 7946's ring
    /// orientation is a rule for lon/lat, and enforced on latitude-first coordinates it would reverse every ring.
    /// </summary>
    public static readonly JsonSerializerOptions GeoJsonRingsAsGiven = new()
    {
        Encoder = Encoder,
        Converters = { new GeoJsonConverterFactory(NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(), false,
            GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.DoNotModify) },
    };
}
