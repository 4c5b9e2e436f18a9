using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HabitatRegistry.Data;

/// <summary>
/// Creating and replacing rows by their key (a target's code, a profile's name) so that concurrent requests give the
/// answer one request would: the database's unique key decides who created a row, never a look beforehand.
/// </summary>
internal static class KeyedWrites
{
    /// <summary>Adds the row; false when a row with its key exists (or another request added one first).</summary>
    public static async Task<bool> CreateAsync<T>(HabitatDb db, T row, CancellationToken cancellationToken) where T : class
    {
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Creates the row or replaces the one with its key, and says whether it created it. When another request creates or
    /// deletes the row in between, it tries again with what is there now.
    /// </summary>
    public static async Task<(T Row, bool Created)> CreateOrReplaceAsync<T>(
        HabitatDb db, Func<HabitatDb, Task<T?>> find, Func<T> blank, Action<T> apply, CancellationToken cancellationToken) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await find(db);
            var created = row is null;
            if (row is null) db.Add(row = blank());
            apply(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (row, created);
            }
            catch (DbUpdateException e) when (attempt < 5 && (IsUniqueViolation(e) || e is DbUpdateConcurrencyException))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
