using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HabitatRegistry.Features.Imports;

/// <summary>
/// Says in the OpenAPI document what upload bodies really are. An endpoint declares one request type for all
/// the content types it accepts, but a CSV is text, a multipart form holds the file in the field "file", and
/// GeoJSON is a FeatureCollection, whatever the JSON body of the same endpoint looks like.
/// </summary>
internal sealed class UploadRequestBodies : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content) return;
        Describe(content, "text/csv", new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A header row naming the properties, then one row per record; optional lon/lat columns for a point. UTF-8 or Shift_JIS.",
        });
        Describe(content, "multipart/form-data", new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "a .geojson, a .csv, or a zipped shapefile (.zip)" },
            },
            Required = new HashSet<string> { "file" },
        });
        Describe(content, "application/geo+json", new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A GeoJSON FeatureCollection (RFC 7946)." });
    }

    private static void Describe(IDictionary<string, IOpenApiMediaType> content, string mediaType, OpenApiSchema schema)
    {
        if (content.ContainsKey(mediaType)) content[mediaType] = new OpenApiMediaType { Schema = schema };
    }
}
