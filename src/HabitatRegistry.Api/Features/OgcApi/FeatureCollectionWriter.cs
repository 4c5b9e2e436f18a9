using System.Text.Json;
using HabitatRegistry.Http;
using NetTopologySuite.Geometries;

namespace HabitatRegistry.Features.OgcApi;

/// <summary>
/// The members of a FeatureCollection besides its features, as OGC API – Features names them; each is written only when
/// given, in this order, so one response can put some before its features and the rest after them.
/// </summary>
internal sealed record CollectionMembers(string? TimeStamp = null, long? NumberMatched = null, int? NumberReturned = null, IReadOnlyList<OgcLink>? Links = null);

/// <summary>
/// Writes GeoJSON FeatureCollections feature by feature (RFC 7946 with the OGC API – Features members), for every
/// response that streams features: a register's items and history, the computed network collections.
/// </summary>
internal static class FeatureCollectionWriter
{
    /// <summary>Opens the collection: its type, the members that come before the features, and the features' array.</summary>
    public static void WriteStart(Utf8JsonWriter writer, CollectionMembers? before = null)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        WriteMembers(writer, before);
        writer.WriteStartArray("features");
    }

    /// <summary>One Feature: id, geometry (null when there is none), the properties <paramref name="writeProperties"/> writes, and its links if given.</summary>
    /// <param name="geometryOptions">how the geometry is written (<see cref="Json.GeoJson"/> unless the rings must stay as selected)</param>
    public static void WriteFeature(Utf8JsonWriter writer, string id, Geometry? geometry, Action<Utf8JsonWriter> writeProperties,
        IReadOnlyList<OgcLink>? links = null, JsonSerializerOptions? geometryOptions = null)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", id);
        writer.WritePropertyName("geometry");
        if (geometry is null) writer.WriteNullValue();
        else JsonSerializer.Serialize(writer, geometry, geometryOptions ?? Json.GeoJson);
        writer.WriteStartObject("properties");
        writeProperties(writer);
        writer.WriteEndObject();
        if (links is not null)
        {
            writer.WritePropertyName("links");
            JsonSerializer.Serialize(writer, links, Json.Web);
        }
        writer.WriteEndObject();
    }

    /// <summary>Closes the features' array, writes the members that come after the features, and closes the collection.</summary>
    public static void WriteEnd(Utf8JsonWriter writer, CollectionMembers? after = null)
    {
        writer.WriteEndArray();
        WriteMembers(writer, after);
        writer.WriteEndObject();
    }

    private static void WriteMembers(Utf8JsonWriter writer, CollectionMembers? members)
    {
        if (members is null) return;
        if (members.TimeStamp is not null) writer.WriteString("timeStamp", members.TimeStamp);
        if (members.NumberMatched is { } matched) writer.WriteNumber("numberMatched", matched);
        if (members.NumberReturned is { } returned) writer.WriteNumber("numberReturned", returned);
        if (members.Links is not null)
        {
            writer.WritePropertyName("links");
            JsonSerializer.Serialize(writer, members.Links, Json.Web);
        }
    }
}
