using Npgsql;

namespace HabitatRegistry.Features.Access;

/// <summary>A key's holder as a request is recognised by it.</summary>
public sealed record KeyHolder(string Name, Role Role);

/// <summary>A key as <c>api-keys list</c> shows it: never the key itself, which is not stored.</summary>
public sealed record KeyListing(string Name, Role Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Makes, lists, revokes and recognises API keys (the command line and the API share it).</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>The holder of a working key, or null. Marks the key as used, at most once a minute, so reads stay cheap.</summary>
    public async Task<KeyHolder?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKey.LooksLikeKey(key)) return null;
        await using var command = dataSource.CreateCommand("""
            with found as (select id, name, role, last_used_at from api_keys where key_hash = $1 and revoked_at is null),
            touched as (update api_keys k set last_used_at = now() from found f
                        where k.id = f.id and (f.last_used_at is null or f.last_used_at < now() - interval '1 minute'))
            select name, role from found
            """);
        command.Parameters.Add(new() { Value = ApiKey.Hash(key) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new KeyHolder(reader.GetString(0), Roles.Parse(reader.GetString(1))!.Value);
    }

    /// <summary>What is wrong with a key's name, if anything.</summary>
    public static string? CheckName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A key needs a name: the person, office or program that will use it, e.g. --name midori-office."
        : name.Length > 100 ? "A key's name may be at most 100 characters long."
        : name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format) || name != name.Trim()
            ? "A key's name cannot hold control or invisible formatting characters, or begin or end with a space."
        : name.EndsWith("(command line)", StringComparison.OrdinalIgnoreCase) ? "A key's name cannot end with \"(command line)\": that is how the command line's own changes are recorded."
        : null;

    /// <summary>Makes a key and returns it; it is not stored and cannot be shown again. With <paramref name="replace"/>, a working key of the same name is revoked first.</summary>
    public async Task<(string? Key, string? Problem)> CreateAsync(string name, Role role, string createdBy, bool replace, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } problem) return (null, problem);
        var key = ApiKey.NewSecret();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (replace) await RevokeAsync(connection, name, cancellationToken);
        await using var insert = new NpgsqlCommand("insert into api_keys (name, role, key_hash, created_by) values ($1, $2, $3, $4)", connection);
        insert.Parameters.Add(new() { Value = name });
        insert.Parameters.Add(new() { Value = role.Name() });
        insert.Parameters.Add(new() { Value = ApiKey.Hash(key) });
        insert.Parameters.Add(new() { Value = createdBy });
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (null, $"There is already a working key named \"{name}\": revoke it first (api-keys revoke --name {name}), or choose another name.");
        }
        await transaction.CommitAsync(cancellationToken);
        return (key, null);
    }

    public async Task<List<KeyListing>> ListAsync(bool includeRevoked, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select name, role, created_at, created_by, last_used_at, revoked_at from api_keys {(includeRevoked ? "" : "where revoked_at is null")} order by name, created_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<KeyListing>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new(reader.GetString(0), Roles.Parse(reader.GetString(1))!.Value, reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return keys;
    }

    /// <summary>Revokes the working key of that name: from the next request on, it is refused. False if there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RevokeAsync(connection, name, cancellationToken);
    }

    private static async Task<bool> RevokeAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var revoke = new NpgsqlCommand("update api_keys set revoked_at = now() where name = $1 and revoked_at is null", connection);
        revoke.Parameters.Add(new() { Value = name });
        return await revoke.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
