using HabitatRegistry.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// Says in the OpenAPI document who may call each operation, from the same rules the service enforces: the security
/// schemes (Bearer and Basic, which give Swagger UI its Authorize button), per operation the role it needs, and its 401
/// and 403 answers.
/// </summary>
internal sealed class AccessDocumentation(IOptions<HabitatOptions> options) : IOperationFilter
{
    public const string Bearer = "bearer";
    public const string Basic = "basic";

    public static void AddSecuritySchemes(SwaggerGenOptions swagger)
    {
        swagger.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (made with: api-keys create --name NAME --role viewer|editor|admin), or, where the city has "
                + "set it up, a token from its identity provider.",
        });
        swagger.AddSecurityDefinition(Basic, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "An API key as the password, with any user name (what QGIS's Basic authentication and GDAL's GDAL_HTTP_USERPWD send).",
        });
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var policy = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().LastOrDefault()?.Policy;
        var needed = policy switch
        {
            AccessControl.Administer => Role.Admin,
            AccessControl.Read => null,
            _ => AccessControl.NeededFor(context.ApiDescription.HttpMethod ?? "GET"),
        };
        var open = needed is null && options.Value.PublicRead;
        var document = context.Document;
        operation.Security =
        [
            // An empty requirement: no credentials needed.
            .. open ? [new OpenApiSecurityRequirement()] : Array.Empty<OpenApiSecurityRequirement>(),
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Basic, document)] = [] },
        ];
        var who = open ? "Anyone may call this; a key, if sent, must work."
            : $"Needs a key with the {(needed ?? Role.Viewer).Name()} role{(needed is null ? " (the city has closed reading to the public)" : "")}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description.TrimEnd()}\n\n{who}";

        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        OpenApiResponse Problem(string description) => new()
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = problem } },
        };
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", Problem(open ? "The key sent does not work (unknown or revoked)." : "No key, or a key that does not work (unknown or revoked)."));
        if (!open) operation.Responses.TryAdd("403", Problem($"The key's role is below {(needed ?? Role.Viewer).Name()}{(needed is null ? "" : ", or the request came from a page of another web site")}."));
    }
}
