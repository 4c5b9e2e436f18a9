using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Access;

/// <summary>What a caller may do. Each role may do everything the ones before it may.</summary>
public enum Role
{
    /// <summary>Reads, also when the city has closed reading to the public.</summary>
    Viewer = 1,

    /// <summary>Imports, edits and withdraws records; activities, habitat patches, network profiles, PDCA entries.</summary>
    Editor = 2,

    /// <summary>Targets, publishing a fiscal year, the audit trail, and everything an editor may.</summary>
    Admin = 3,
}

public static class Roles
{
    public static string Name(this Role role) => role.ToString().ToLowerInvariant();

    public static Role? Parse(string? text) => text switch
    {
        "viewer" => Role.Viewer,
        "editor" => Role.Editor,
        "admin" => Role.Admin,
        _ => null,
    };

    public const string Names = "viewer, editor or admin";
}

/// <summary>
/// A key that lets a person or a program act on the registry with a role. Only a hash of the key is stored: the key
/// is 256 random bits, so the hash cannot be turned back into it (a slow password hash would add nothing but cost).
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    /// <summary>Who holds it: the name every change made with it is recorded under.</summary>
    public required string Name { get; set; }

    public required string Role { get; set; }

    /// <summary>SHA-256 of the key.</summary>
    public required byte[] KeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    private const string Prefix = "hr_";

    /// <summary>A new key: "hr_" and 43 characters of URL-safe base64 (32 random bytes). The audit trail recognises this shape.</summary>
    public static string NewSecret() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether a text could be a key at all (checked before anything is hashed or looked up).</summary>
    public static bool LooksLikeKey(string text) => text.Length is > 10 and < 200 && text.All(c => c is > ' ' and < '\u007f');
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys", t => t.HasCheckConstraint("ck_api_keys_role", "role in ('viewer', 'editor', 'admin')"));
        builder.HasIndex(k => k.KeyHash).IsUnique();
        // A name belongs to one working key at a time; revoked keys stay for the record.
        builder.HasIndex(k => k.Name).IsUnique().HasFilter("revoked_at is null");
        builder.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
    }
}
