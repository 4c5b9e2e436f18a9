using System.Text.Json;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace HabitatRegistry.Features.Registers;

public static class ParcelHistoryApi
{
    public static void MapParcelHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/registers/{register}/{recordId}/versions", GetVersions)
            .WithTags("Registers")
            .WithName("GetParcelVersions")
            .WithSummary("Every version of a record, oldest first, as GeoJSON: what changed, when, and from which upload")
            .Produces(StatusCodes.Status200OK, contentType: MediaTypes.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <param name="register">designations or acquisitions</param>
    /// <param name="recordId">the planner's parcel_id (or activity_id)</param>
    /// <param name="dataSource">PostGIS</param>
    /// <param name="cancellationToken">request aborted</param>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetVersions(
        string register, string recordId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var schema = RegisterCatalogue.Find(register);
        if (schema is null) return Problems.UnknownRegister(register);
        await using var command = dataSource.CreateCommand($"{FeatureColumns.SelectHistory(schema)} where r.{schema.IdProperty} = $1 order by r.version");
        command.Parameters.Add(new() { Value = recordId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var count = 0;
        await using (var writer = new Utf8JsonWriter(buffer, Json.Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            while (await reader.ReadAsync(cancellationToken))
            {
                FeatureColumns.WriteFeature(writer, schema, reader);
                count++;
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        if (count == 0)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "No such parcel.", $"{schema.Name} has never held a {schema.RecordNoun} \"{recordId}\".");
        }
        return TypedResults.Content(System.Text.Encoding.UTF8.GetString(buffer.ToArray()), MediaTypes.GeoJson);
    }
}
