using System.Text.Json.Nodes;
using HabitatRegistry.Tests.TestHost;
using static HabitatRegistry.Tests.TestHost.Parcels;

namespace HabitatRegistry.Tests.Clients;

/// <summary>The registry on a port of its own, for the API documentation's clients.</summary>
public sealed class ApiDocumentationFixture : KestrelFixture;

/// <summary>The OpenAPI document through an OpenAPI linter (Redocly CLI's recommended rules), and Swagger UI in a real browser.</summary>
public class ApiDocumentationClientTests(ApiDocumentationFixture fixture) : IClassFixture<ApiDocumentationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.StartWithSamplesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheOpenApiDocumentPassesTheLintersRecommendedRulesSecurityIncluded()
    {
        var document = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        using (var client = new HttpClient()) await File.WriteAllTextAsync(document, await client.GetStringAsync($"{fixture.BaseUrl}/openapi/v1.json"));
        try
        {
            var (exit, output, errors) = await ClientProcess.RunAsync(RepoFile("tests/clients/node_modules/.bin/redocly"), ["lint", document, "--format=json"]);
            var report = JsonNode.Parse(output)!;
            var problems = report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]}").ToList();
            Assert.True(exit == 0, $"redocly lint exited {exit}:\n{string.Join("\n", problems)}\n{errors}");
            Assert.Equal(0, (int)report["totals"]!["errors"]!);
            // The only warning left: the project has not chosen a licence to state.
            Assert.Equal(["warn info-license: Info object should contain `license` field."], problems);
        }
        finally
        {
            File.Delete(document);
        }
    }

    [Fact]
    public async Task SwaggerUiWorksUnderTheContentSecurityPolicyAndOffersBearerAndBasic()
    {
        var (exit, output, errors) = await ClientProcess.RunAsync("node", [RepoFile("tests/clients/swagger_ui.mjs"), fixture.BaseUrl]);
        Assert.True(exit == 0, $"swagger_ui.mjs exited {exit}:\n{output}\n{errors}");
        var result = JsonNode.Parse(output)!;

        Assert.Contains("script-src 'self'", (string)result["contentSecurityPolicy"]!, StringComparison.Ordinal);
        Assert.Empty(result["consoleErrors"]!.AsArray());
        Assert.True((int)result["operations"]! >= 30, output);
        var schemes = result["schemes"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Contains(schemes, s => s.StartsWith("bearer", StringComparison.Ordinal));
        Assert.Contains(schemes, s => s.StartsWith("basic", StringComparison.Ordinal));
    }
}
