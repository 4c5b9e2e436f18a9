using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HabitatRegistry.Http;

/// <summary>
/// The OpenAPI 3.0 document at /openapi/v1.json (the landing page's service-desc: QGIS reads the items'
/// limit default and maximum from it) and Swagger UI at /swagger.
/// </summary>
internal static class ApiDocumentation
{
    public static void AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "HabitatRegistry",
                Version = "v1",
                Description = "Conservation designations and public acquisitions of land with full history, fiscal-year "
                    + "protected areas against the biodiversity strategy's targets, and OGC API – Features for GIS clients. "
                    + "Reading is open to anyone unless the city has closed it; changes need an API key with the editor or admin role "
                    + "(Authorize: Bearer, or Basic with the key as password).",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
            options.DocumentFilter<Features.OgcApi.SharedItemParameters>();
            options.OperationFilter<Features.Imports.UploadRequestBodies>();
            options.DocumentFilter<TagDescriptions>();
            options.MapType<QueryNumber>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" });
            Features.Access.AccessDocumentation.AddSecuritySchemes(options);
            options.OperationFilter<Features.Access.AccessDocumentation>();
        });
    }

    public static void UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger(options =>
        {
            options.RouteTemplate = "openapi/{documentName}.json";
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            // The same public address as every other link, never the Host header.
            options.PreSerializeFilters.Add((document, request) => document.Servers = [new OpenApiServer { Url = request.Root() }]);
        });
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "HabitatRegistry v1");
            options.RoutePrefix = "swagger";
        });
    }
}

/// <summary>A sentence for each group of operations, as Swagger UI shows it above the group.</summary>
internal sealed class TagDescriptions : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["OGC API – Features"] = "The registers and the network as OGC API – Features collections, for QGIS, GDAL and web maps.",
        ["Imports"] = "Planners' GeoJSON, CSV and shapefiles into a register, all or nothing.",
        ["Activities"] = "Lectures, workshops and other activities that the count targets count.",
        ["Registers"] = "One record's history, and withdrawing a record entered by mistake.",
        ["Reports"] = "Protected area per fiscal year, overlaps counted once.",
        ["Targets"] = "The strategy's targets, the annual check (PDCA) and its published editions.",
        ["Network"] = "The ecological network: species-group profiles, connectivity indices and candidate parcels.",
        ["Audit"] = "Who changed what, when.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context) =>
        document.Tags = new HashSet<OpenApiTag>(Descriptions.Select(d => new OpenApiTag { Name = d.Key, Description = d.Value }));
}
