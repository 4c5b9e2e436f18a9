namespace HabitatRegistry.Features.OgcApi.Filtering;

/// <summary>The conformance classes of OGC API – Features Part 3 and CQL2 that this filtering implements completely.</summary>
public static class Cql2Conformance
{
    /// <summary>
    /// For /conformance. The Part 3 classes hold once the items endpoint takes filter, filter-lang and filter-crs and
    /// /collections/{id}/queryables serves <see cref="Queryables.ToJsonSchema"/>. Not declared, because not done:
    /// accent-insensitive comparison (ACCENTI), array functions, custom functions, queryables as query parameters.
    /// </summary>
    public static IReadOnlyList<string> Classes { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        // The draft name of basic-spatial-functions: QGIS 3.40 sends spatial filters only to servers that declare it.
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
        "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
    ];
}
