namespace HabitatRegistry.Http;

/// <summary>
/// The CQL2 filter as the client wrote it. ASP.NET decodes query strings as HTML forms do, with '+' a space; QGIS leaves
/// a '+' unencoded and means a plus (count + 1, 1e+20), encoding spaces as %20. So: '+' is a space only in a query that
/// writes no space as %20 (a form-encoding client such as Python's requests); otherwise it is a plus.
/// </summary>
internal static class RawQuery
{
    public static string? Filter(HttpRequest request)
    {
        var query = request.QueryString.Value;
        if (string.IsNullOrEmpty(query)) return null;
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            if (!pair.StartsWith("filter=", StringComparison.Ordinal)) continue;
            var raw = pair["filter=".Length..];
            if (!raw.Contains("%20", StringComparison.OrdinalIgnoreCase)) return null; // form-encoded, as ASP.NET read it
            try
            {
                return Uri.UnescapeDataString(raw);
            }
            catch (UriFormatException)
            {
                return null;
            }
        }
        return null;
    }
}
