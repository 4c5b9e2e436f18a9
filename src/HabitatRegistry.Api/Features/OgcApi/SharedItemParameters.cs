using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// Moves the items' query parameters into components/parameters and refers to them, as the OGC API –
/// Features OpenAPI fragments do: QGIS reads the page size limits only from components.parameters.limit.
/// </summary>
internal sealed class SharedItemParameters : IDocumentFilter
{
    private static readonly string[] Shared = ["limit", "offset", "bbox", "datetime"];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Paths?.TryGetValue("/collections/{collectionId}/items", out var path) != true
            || path!.Operations?.TryGetValue(HttpMethod.Get, out var operation) != true
            || operation!.Parameters is not { } parameters)
        {
            return;
        }
        document.Components ??= new OpenApiComponents();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var name = parameters[i].Name;
            if (name is null || !Shared.Contains(name)) continue;
            document.Components.Parameters[name] = parameters[i];
            parameters[i] = new OpenApiParameterReference(name, document);
        }
    }
}
