using Microsoft.AspNetCore.Authorization;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// OPTIONS answers with Allow: the methods of a resource that this caller may use, each decided by the very policy that
/// would decide the request itself. QGIS offers editing (add, change, delete) from this header alone, so an anonymous
/// caller or a viewer sees a read-only layer and an editor an editable one.
/// </summary>
internal static class AllowedMethods
{
    /// <param name="changeable">whether the resource in this request can be changed at all (a computed collection cannot); null: yes</param>
    public static RouteHandlerBuilder MapAllowedMethods(this IEndpointRouteBuilder app, string pattern, Func<HttpContext, bool>? changeable = null) =>
        app.MapMethods(pattern, [HttpMethods.Options], async (HttpContext http, EndpointDataSource endpoints, IAuthorizationPolicyProvider policies, IAuthorizationService authorization) =>
        {
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            var allowed = new SortedSet<string>(StringComparer.Ordinal) { HttpMethods.Options };
            foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText == route))
            {
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                {
                    if (allowed.Contains(method) || (AccessControl.NeededFor(method) is not null && changeable?.Invoke(http) == false)) continue;
                    var policy = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
                        endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>()) ?? await policies.GetFallbackPolicyAsync();
                    if (policy is null || (await authorization.AuthorizeAsync(http.User, new MethodCheck(http, method), policy)).Succeeded) allowed.Add(method);
                }
            }
            http.Response.Headers.Allow = string.Join(", ", allowed);
            return TypedResults.NoContent();
        });
}

/// <summary>An authorization question about another method than the request's own: "may this caller send a POST here?"</summary>
internal sealed record MethodCheck(HttpContext Http, string Method);
