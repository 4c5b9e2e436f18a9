using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// A feature's ETag is its version: a change sent with If-Match is refused (412) when someone else changed the feature
/// since it was read. Each coordinate system is a representation of its own, so the tag names it, and any of them
/// matches the version it was read at.
/// </summary>
internal static class FeatureVersions
{
    public static string ETag(int version, CrsReference crs) =>
        crs.IsStorage ? $"\"v{version.ToString(CultureInfo.InvariantCulture)}\"" : $"\"v{version.ToString(CultureInfo.InvariantCulture)}.{crs.Srid}\"";

    /// <summary>Whether an If-Match header (absent, <c>*</c>, or a list of tags) allows changing a feature at this version.</summary>
    public static bool Matches(string? ifMatch, int version)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return true;
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags)) return false;
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || (!tag.IsWeak && VersionOf(tag.Tag.Value) == version));
    }

    /// <summary>The answer to a change sent with an If-Match that names an older version.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Stale(Registers.RegisterSchema register, string recordId, int current) =>
        Http.Problems.Of(StatusCodes.Status412PreconditionFailed, $"The {register.RecordNoun} has changed since you read it.",
            $"{register.Name} \"{recordId}\" is at version {current} now, not the version your If-Match names; nothing was changed. "
            + "Read it again, look at what changed (its history shows who changed what), and send your change again.");

    private static int? VersionOf(string? quoted)
    {
        var text = quoted?.Trim('"') ?? "";
        if (!text.StartsWith('v')) return null;
        var end = text.IndexOf('.', StringComparison.Ordinal);
        return int.TryParse(end < 0 ? text[1..] : text[1..end], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }
}
