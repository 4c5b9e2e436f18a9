namespace HabitatRegistry.Http;

/// <summary>
/// Headers that keep browsers from reading a response as something it is not: no content sniffing anywhere, and on
/// HTML pages a Content-Security-Policy that runs only the service's own scripts and lets no other site frame them.
/// </summary>
internal static class SecurityHeaders
{
    public static readonly string ContentSecurityPolicy = Policy(null);

    /// <summary>
    /// The same policy, except that images and fetches may also come from one other origin: the web map's optional base
    /// map (MapLibre fetches raster tiles, so connect-src as well as img-src). A page that sends it keeps it.
    /// </summary>
    public static string ContentSecurityPolicyAlsoFetchingFrom(string origin) => Policy(origin);

    private static string Policy(string? otherOrigin) =>
        $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{(otherOrigin is null ? "" : $" {otherOrigin}; connect-src 'self' {otherOrigin}")}; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void UseSecurityHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (response.ContentType?.StartsWith(MediaTypes.Html, StringComparison.OrdinalIgnoreCase) == true && !response.Headers.ContainsKey("Content-Security-Policy"))
            {
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
