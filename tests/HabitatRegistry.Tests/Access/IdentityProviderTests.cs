using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HabitatRegistry.Tests.TestHost;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Access;

/// <summary>
/// A stand-in for the city's identity provider (Keycloak-like: roles under realm_access.roles): its OpenID configuration
/// and signing keys (JWKS) served on a local port, and tokens signed with its key. The registry is configured for it.
/// </summary>
public sealed class IdentityProviderFixture : RegistryFixture, IDisposable
{
    private readonly HttpListener listener = new();

    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "city-key-1" };
    public string Issuer { get; }

    public IdentityProviderFixture()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Issuer = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/realms/city";
        }
        listener.Prefixes.Add($"{Issuer}/");
        listener.Start();
        var jwks = JsonSerializer.Serialize(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(SigningKey.Rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId }) } });
        var configuration = JsonSerializer.Serialize(new Dictionary<string, string> { ["issuer"] = Issuer, ["jwks_uri"] = $"{Issuer}/certs" });
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                var body = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath.EndsWith("/certs", StringComparison.Ordinal) ? jwks : configuration);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Habitat:IdentityProvider:Authority"] = Issuer,
        ["Habitat:IdentityProvider:Audience"] = "habitat-registry",
        ["Habitat:IdentityProvider:RequireHttpsMetadata"] = "false",
        ["Habitat:IdentityProvider:RoleClaim"] = "realm_access.roles",
        ["Habitat:IdentityProvider:NameClaim"] = "preferred_username",
        ["Habitat:IdentityProvider:RoleValues:habitat-editor"] = "editor",
        ["Habitat:IdentityProvider:RoleValues:habitat-viewer"] = "viewer",
    };

    /// <summary>A token as the provider would issue it, with changes where a test needs them.</summary>
    public string Token(string[] roles, string audience = "habitat-registry", DateTime? expires = null, SecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-1),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-1),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "f3c1a2b4-0000-4000-8000-000000000001",
                ["preferred_username"] = "midori.suzuki",
                ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles },
            },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });

    public void Dispose() => listener.Close();
}

public class IdentityProviderTests(IdentityProviderFixture fixture) : RegistryTest<IdentityProviderFixture>(fixture)
{
    private static readonly string Parcel = Collection(Designation("D-SSO", Box(139.40, 35.78, 139.401, 35.781), "2024-04-01"));

    private async Task<HttpResponseMessage> ImportWithAsync(string token)
    {
        using var client = Registry.ClientWithKey(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.ImportAsync("designations", Parcel);
    }

    [Fact]
    public async Task ATokenFromTheCitysIdentityProviderWorksWithItsRoleAndItsUserIsTheAuthor()
    {
        var response = await ImportWithAsync(Registry.Token(["offline_access", "habitat-editor"]));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("midori.suzuki", await Registry.ScalarAsync<string>("select author from import_runs"));
        Assert.Equal("editor", await Registry.ScalarAsync<string>("select role from audit_events"));
        // API keys keep working beside the provider.
        Assert.True((await Client.ImportAsync("designations", Parcel, "?dryRun=true")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task TokensThatAreExpiredForeignForAnotherAppOrWithoutARoleAreRefusedInWords()
    {
        using var stranger = RSA.Create(2048);
        foreach (var (token, message) in new[]
        {
            (Registry.Token(["habitat-editor"], expires: DateTime.UtcNow.AddMinutes(-10)), "The token has expired"),
            (Registry.Token(["habitat-editor"], key: new RsaSecurityKey(stranger) { KeyId = "city-key-1" }), "signature is not the identity provider's"),
            (Registry.Token(["habitat-editor"], audience: "another-app"), "issued for another application"),
            (Registry.Token(["offline_access"]), "none of the registry's roles"),
            // Only the roles the city named count: a realm-wide "admin" is not the registry's.
            (Registry.Token(["admin", "editor"]), "none of the registry's roles"),
        })
        {
            await AssertProblemAsync(await ImportWithAsync(token), HttpStatusCode.Unauthorized, message);
        }
        Assert.Equal(0L, await Registry.ScalarAsync<long>("select count(*) from designations"));
        // A viewer's token reads, and is told what an import needs.
        await AssertProblemAsync(await ImportWithAsync(Registry.Token(["habitat-viewer"])), HttpStatusCode.Forbidden, "has the role viewer; this needs editor");
    }
}
