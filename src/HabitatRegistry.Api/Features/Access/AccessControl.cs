using System.Security.Claims;
using HabitatRegistry.Data;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// Who may do what, written once. Every endpoint that says nothing else falls under the fallback policy: GET, HEAD and
/// OPTIONS read (anyone, unless the city sets Habitat:PublicRead=false; then a viewer's key), every other method needs an
/// editor's key. So a new endpoint that changes state is closed until it says otherwise. Route groups raise it to admin
/// (targets, publishing, the audit trail) or name a computation that anyone may ask for.
/// </summary>
internal static class AccessControl
{
    /// <summary>Policy: reading (public unless the city closed it).</summary>
    public const string Read = "read";

    /// <summary>Policy: an admin's key.</summary>
    public const string Administer = "administer";

    public const string Realm = "HabitatRegistry";

    public static void AddAccessControl(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyStore>();
        var authentication = builder.Services.AddAuthentication(OpenIdConnectTokens.SchemeSelector)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        OpenIdConnectTokens.Add(authentication, builder.Configuration);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.AddRequirements(new Access(null)))
            .AddPolicy(Administer, p => p.AddRequirements(new Access(Role.Admin)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new AccessByMethod()).Build());
        builder.Services.AddSingleton<IAuthorizationHandler, AccessRules>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusals>();
    }

    public static void UseAccessControl(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(CrossSiteWrites.Refuse);
        app.UseAuthorization();
    }

    /// <summary>
    /// An endpoint that takes a body only to compute an answer and changes nothing (POST /network/scenarios): whoever may
    /// read may ask, and it is not recorded as a change.
    /// </summary>
    public static RouteHandlerBuilder ComputesOnly(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(Read).WithMetadata(new ComputationOnly());

    /// <summary>The caller's role; null for an anonymous caller.</summary>
    public static Role? RoleOf(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindAll(ClaimTypes.Role).Select(c => Roles.Parse(c.Value)).Max() : null;

    /// <summary>The name a change is recorded under: the key's name, or the token's subject.</summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "(no name)" : "anonymous";

    /// <summary>The role an unsafe method needs when nothing else is said; null for the safe ones (reading).</summary>
    public static Role? NeededFor(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? null : Role.Editor;
}

/// <summary>Marks an endpoint that changes nothing although its method could (see <see cref="AccessControl.ComputesOnly"/>).</summary>
internal sealed class ComputationOnly;

/// <summary>At least this role; null: reading, which is public unless the city closed it.</summary>
internal sealed record Access(Role? Minimum) : IAuthorizationRequirement;

/// <summary>The fallback: reading for safe methods, an editor for the others.</summary>
internal sealed record AccessByMethod : IAuthorizationRequirement;

internal sealed class AccessRules(IOptionsMonitor<HabitatOptions> options) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var (http, method) = context.Resource switch
        {
            MethodCheck check => (check.Http, check.Method),
            HttpContext request => (request, request.Request.Method),
            _ => (null, HttpMethods.Post),
        };
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            if (requirement is not (Access or AccessByMethod)) continue;
            var minimum = requirement is Access access ? access.Minimum : AccessControl.NeededFor(method);
            var role = context.User.RoleOf();
            var allowed = minimum is null
                ? role is not null || (options.CurrentValue.PublicRead && ApiKeyAuthentication.Refusal(http) is null)
                : role >= minimum;
            if (allowed) context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Refusals as problem details that say what to send: 401 with a WWW-Authenticate challenge for both schemes (so QGIS,
/// GDAL and browsers know to ask for credentials), 403 naming the role held and the role needed.
/// </summary>
internal sealed class AccessRefusals : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await next(context);
            return;
        }
        var needed = policy.Requirements
            .Select(r => r switch { Access a => a.Minimum, AccessByMethod => AccessControl.NeededFor(context.Request.Method), _ => null })
            .Max() ?? Role.Viewer;
        var how = $"Send the key as \"Authorization: Bearer KEY\", or as the password of HTTP Basic authentication with any user name. An administrator makes keys with: api-keys create --name NAME --role {needed.Name()}.";
        if (context.User.RoleOf() is { } role)
        {
            await Problems.Of(StatusCodes.Status403Forbidden, "Your role does not allow this.",
                $"\"{context.User.ActorName()}\" has the role {role.Name()}; this needs {needed.Name()}. Ask an administrator for a key with that role.")
                .ExecuteAsync(context);
            return;
        }
        var refused = ApiKeyAuthentication.Refusal(context);
        if (refused is not null)
            ServiceLog.CredentialsRefused(ServiceLog.For(context), context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(), refused);
        var bearerError = refused is not null && context.Request.Headers.Authorization.ToString().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase)
            ? ", error=\"invalid_token\"" : "";
        context.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{AccessControl.Realm}\"{bearerError}");
        context.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Basic realm=\"{AccessControl.Realm}\", charset=\"UTF-8\"");
        await (refused is not null
            ? Problems.Of(StatusCodes.Status401Unauthorized, "The key was not accepted.", $"{refused} {how}")
            : Problems.Of(StatusCodes.Status401Unauthorized, "A key is needed.", $"{Needs(context.Request.Method, needed)} {how}"))
            .ExecuteAsync(context);
    }

    private static string Needs(string method, Role needed) =>
        needed == Role.Viewer ? "The city has closed this registry to the public: reading it needs a key."
        : AccessControl.NeededFor(method) is null ? $"This needs a key with the {needed.Name()} role."
        : $"Changing the registry needs a key with the {needed.Name()} role.";
}
