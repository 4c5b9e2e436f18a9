using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.OpenApi;

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
