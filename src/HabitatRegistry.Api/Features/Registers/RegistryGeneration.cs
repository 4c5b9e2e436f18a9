using Npgsql;

namespace HabitatRegistry.Features.Registers;

/// <summary>
/// The registry's generation: a counter in the database that every change raises as it commits (an import run, however
/// it came: upload, edit, withdrawal, the command line, another instance of the service; a network profile changed).
/// Read once per request, it costs a primary-key lookup; what is kept under a generation is never served after a change.
/// </summary>
public sealed class RegistryGeneration(NpgsqlDataSource dataSource)
{
    public async Task<long> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select generation from registry_generation");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
