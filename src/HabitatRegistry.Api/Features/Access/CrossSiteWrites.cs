using HabitatRegistry.Http;

namespace HabitatRegistry.Features.Access;

/// <summary>
/// Refuses a change sent by a page of another site. Keys travel only in the Authorization header, which other sites
/// cannot set, but a browser that was given Basic credentials for the registry sends them again by itself, also with a
/// form another site posts. Browsers say where a request comes from (Sec-Fetch-Site, Origin); curl, QGIS, GDAL and
/// scripts send neither and are not affected.
/// </summary>
internal static class CrossSiteWrites
{
    public static Task Refuse(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (AccessControl.NeededFor(request.Method) is null || !IsCrossSite(request)) return next(context);
        var from = request.Headers.Origin.ToString();
        return Problems.Of(StatusCodes.Status403Forbidden, "Changes cannot come from another web site.",
            $"This request was sent by a page {(from.Length > 0 ? $"of {from}" : "of another site")}, so it was refused and nothing was changed. "
            + "Make changes from the registry's own pages (e.g. /swagger), or with curl, QGIS or a script.")
            .ExecuteAsync(context);
    }

    private static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is not ("same-origin" or "none");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        // Older browsers: the page's origin must be the registry's. Host is what the browser itself sent, so another
        // site cannot make it match its own origin (and under DNS rebinding, the registry's credentials are not sent).
        return !SameOrigin(origin, request.Root()) && !SameOrigin(origin, $"{request.Scheme}://{request.Host}");
    }

    private static bool SameOrigin(string origin, string url) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var a) && Uri.TryCreate(url, UriKind.Absolute, out var b)
        && a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
