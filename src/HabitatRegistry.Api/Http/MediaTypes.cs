namespace HabitatRegistry.Http;

/// <summary>The media types the service answers with, named once.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";
    public const string Html = "text/html";
    public const string JsonSchema = "application/schema+json";
}
