using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// Optional: the city's identity provider (Entra ID, Keycloak …) signs in its staff, and the registry accepts its
/// bearer tokens (JWT) beside API keys. Off unless Habitat:IdentityProvider:Authority is set.
/// </summary>
public sealed class IdentityProviderOptions
{
    public const string Section = "Habitat:IdentityProvider";

    /// <summary>The issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0 or https://sso.city.example/realms/city.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens are issued for (the registry's client or application id).</summary>
    public string? Audience { get; set; }

    /// <summary>Where the provider's OpenID configuration is, when not at Authority/.well-known/openid-configuration.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Only for a provider on a closed test network: allows plain http for the metadata.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that holds the roles; a dotted path reaches into an object (Keycloak: realm_access.roles).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim whose value changes are recorded under (default: the subject).</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>
    /// The provider's role values and the registry's role each stands for. When none are given, the values viewer, editor
    /// and admin stand for themselves; when some are, only those count (a realm-wide "admin" is not the registry's).
    /// </summary>
    public Dictionary<string, string> RoleValues { get; set; } = [];

    public IReadOnlyDictionary<string, string> EffectiveRoleValues => RoleValues.Count > 0 ? RoleValues
        : new Dictionary<string, string> { ["viewer"] = "viewer", ["editor"] = "editor", ["admin"] = "admin" };

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

internal static class OpenIdConnectTokens
{
    /// <summary>The default scheme: sends a JWT (three dot-separated parts) to the identity provider's scheme, anything else to API keys.</summary>
    public const string SchemeSelector = "Credentials";

    private const string Scheme = "IdentityProvider";

    public static void Add(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var provider = configuration.GetSection(IdentityProviderOptions.Section).Get<IdentityProviderOptions>() ?? new IdentityProviderOptions();
        authentication.AddPolicyScheme(SchemeSelector, "API key or identity provider token", options => options.ForwardDefaultSelector = context =>
            provider.Enabled && context.Request.Headers.Authorization.ToString() is var header
                && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Count(c => c == '.') == 2
                ? Scheme : ApiKeyAuthentication.SchemeName);
        if (!provider.Enabled) return;
        authentication.AddJwtBearer(Scheme, options =>
        {
            options.Authority = provider.Authority;
            options.Audience = provider.Audience;
            options.MetadataAddress = provider.MetadataAddress ?? "";
            options.RequireHttpsMetadata = provider.RequireHttpsMetadata;
            options.MapInboundClaims = false;
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var token = (JsonWebToken)context.SecurityToken;
                    var roles = ValuesAt(token, provider.RoleClaim)
                        .Select(v => provider.EffectiveRoleValues.TryGetValue(v, out var mapped) ? Roles.Parse(mapped) : null).Max();
                    var name = ValuesAt(token, provider.NameClaim).FirstOrDefault();
                    if (roles is not { } role || string.IsNullOrWhiteSpace(name))
                    {
                        context.Fail(ApiKeyAuthentication.Refuse(context.HttpContext, name is null
                            ? $"The token has no \"{provider.NameClaim}\" to record changes under."
                            : $"The token gives \"{name}\" none of the registry's roles (claim \"{provider.RoleClaim}\": {string.Join(", ", provider.EffectiveRoleValues.Keys)}).").Failure!);
                        return Task.CompletedTask;
                    }
                    context.Principal = ApiKeyAuthentication.Principal(name, role, Scheme);
                    return Task.CompletedTask;
                },
                // The library's own messages carry error codes and hidden-PII markers; a person needs a sentence.
                OnAuthenticationFailed = context =>
                {
                    context.Fail(ApiKeyAuthentication.Refuse(context.HttpContext, context.Exception switch
                    {
                        SecurityTokenExpiredException => "The token has expired: sign in again.",
                        SecurityTokenNotYetValidException => "The token is not valid yet (check the clocks).",
                        SecurityTokenInvalidAudienceException => "The token was issued for another application.",
                        SecurityTokenInvalidIssuerException => "The token was issued by another identity provider.",
                        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not the identity provider's.",
                        _ => "The token is not valid.",
                    }).Failure!);
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The string values of a claim, following a dotted path into JSON objects.</summary>
    private static List<string> ValuesAt(JsonWebToken token, string path)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var value = payload.RootElement;
        foreach (var part in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value)) return [];
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
            _ => [],
        };
    }
}
