namespace HabitatRegistry.Tests.TestHost;

/// <summary>
/// A digest of every table of a test's schema, so a test can tell that a request changed nothing. Left out: the keys,
/// whose last use changes as they are used, and the audit trail's entries without a status, which mark requests that
/// failed with an error (the failure is reported by itself; the entry is the trail doing its job).
/// </summary>
public static class DatabaseFingerprint
{
    /// <summary>One line per table: its name and the digest of its rows.</summary>
    public static async Task<string> FingerprintAsync(this RegistryFixture registry) =>
        string.Join(",", (await registry.TableDigestsAsync()).Select(t => $"{t.Key}{t.Value}"));

    /// <summary>Each table's digest, by table name.</summary>
    public static async Task<SortedDictionary<string, string>> TableDigestsAsync(this RegistryFixture registry)
    {
        var digests = await registry.ScalarAsync<string>($"select string_agg(d, ',') from ({await DigestQueryAsync(registry)}) t(d)");
        return new(digests.Split(',').ToDictionary(d => d.Split(':')[0], d => d.Split(':')[1]), StringComparer.Ordinal);
    }

    /// <summary>The tables whose digests differ.</summary>
    public static IReadOnlyList<string> ChangedTables(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        [.. before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).Order(StringComparer.Ordinal)];

    private static Task<string> DigestQueryAsync(RegistryFixture registry) => registry.ScalarAsync<string>("""
        select string_agg(format('select %L || '':'' || md5(coalesce(string_agg(md5(x::text), '''' order by md5(x::text)), '''')) from %I x%s',
                                 table_name, table_name, case when table_name = 'audit_events' then ' where status is not null' else '' end),
                          ' union all ' order by table_name)
        from information_schema.tables
        -- registry_generation only counts changes for the tile cache: any write raises it, putting rows back included.
        where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not in ('api_keys', 'registry_generation')
        """);
}
