using HabitatRegistry.Analysis.Text;
using HabitatRegistry.Data;
using HabitatRegistry.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HabitatRegistry.Features.Network;

/// <summary>
/// How a species group moves: its median dispersal distance <see cref="D0"/> (where the link probability is
/// <see cref="P0"/>) and the largest gap it crosses (<see cref="Threshold"/>), all in metres, edge to edge.
/// </summary>
public sealed class NetworkProfile
{
    public required string Name { get; set; }
    public required string TitleJa { get; set; }
    public required string TitleEn { get; set; }
    public double D0 { get; set; }
    public double P0 { get; set; } = 0.5;
    public double Threshold { get; set; }
}

/// <summary>A profile as sent to and returned by <c>/network/profiles</c>.</summary>
/// <param name="Name">short id used in URLs and collection ids, e.g. amphibians</param>
/// <param name="D0">median dispersal distance, m: the distance at which the link probability is p0</param>
/// <param name="P0">link probability at d0 (default 0.5; Graphab's examples use 0.05)</param>
/// <param name="Threshold">patches link when their edge-to-edge distance is at most this, m</param>
public sealed record NetworkProfileDto(string? Name, string? TitleJa, string? TitleEn, double? D0, double? P0, double? Threshold)
{
    public static NetworkProfileDto From(NetworkProfile p) => new(p.Name, p.TitleJa, p.TitleEn, p.D0, p.P0, p.Threshold);

    /// <summary>The problems with a profile's dispersal numbers, by field; shared with requests that give them directly.</summary>
    public static Dictionary<string, string[]> CheckDispersal(double? d0, double? p0, double? threshold)
    {
        var errors = new Dictionary<string, string[]>();
        if (d0 is not { } d || !double.IsFinite(d) || d <= 0 || d > 1_000_000)
            errors["d0"] = [$"d0 must be the median dispersal distance in metres, more than 0{(d0 is null ? "" : $", not {d0}")}."];
        if (p0 is { } p && (!double.IsFinite(p) || p <= 0 || p >= 1))
            errors["p0"] = [$"p0 is the link probability at d0 and must lie strictly between 0 and 1, not {p}."];
        if (threshold is not { } t || !double.IsFinite(t) || t < 0 || t > 1_000_000)
            errors["threshold"] = [$"threshold must be the largest edge-to-edge gap in metres that the species crosses, 0 or more{(threshold is null ? "" : $", not {threshold}")}."];
        return errors;
    }
}

internal sealed class NetworkProfileConfiguration : IEntityTypeConfiguration<NetworkProfile>
{
    public void Configure(EntityTypeBuilder<NetworkProfile> builder)
    {
        builder.ToTable("network_profiles");
        builder.HasKey(p => p.Name);
        // Species groups a city's strategy usually names; medians are round figures for Kantō lowland
        // woodland species, and the threshold is twice the median (p = 0.25 at p0 = 0.5).
        builder.HasData(
            new NetworkProfile { Name = "amphibians", TitleJa = "両生類", TitleEn = "Amphibians", D0 = 250, P0 = 0.5, Threshold = 500 },
            new NetworkProfile { Name = "small-mammals", TitleJa = "小型哺乳類", TitleEn = "Small mammals", D0 = 1000, P0 = 0.5, Threshold = 2000 },
            new NetworkProfile { Name = "woodland-birds", TitleJa = "樹林性鳥類", TitleEn = "Woodland birds", D0 = 3000, P0 = 0.5, Threshold = 6000 });
    }
}

public static class NetworkProfilesApi
{
    public static void MapNetworkProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/network/profiles").WithTags("Network");
        group.MapGet("/", GetProfiles).WithName("GetNetworkProfiles").WithSummary("Species-group profiles: dispersal distance d0, p0 and link threshold");
        group.MapGet("/{name}", GetProfile).WithName("GetNetworkProfile").WithSummary("One profile").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateProfile).WithName("CreateNetworkProfile").WithSummary("Add a profile (409 if its name is taken)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPut("/{name}", PutProfile).WithName("PutNetworkProfile").WithSummary("Create or replace a profile")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    internal static async Task<Ok<List<NetworkProfileDto>>> GetProfiles(HabitatDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.NetworkProfiles.AsNoTracking().OrderBy(p => p.D0).ThenBy(p => p.Name).ToListAsync(cancellationToken)).Select(NetworkProfileDto.From).ToList());

    internal static async Task<Results<Ok<NetworkProfileDto>, ProblemHttpResult>> GetProfile(string name, HabitatDb db, CancellationToken cancellationToken)
    {
        var (profile, problem) = await FindAsync(db, name, cancellationToken);
        return profile is null ? problem! : TypedResults.Ok(NetworkProfileDto.From(profile));
    }

    internal static async Task<Results<Created<NetworkProfileDto>, ProblemHttpResult>> CreateProfile(NetworkProfileDto profile, HabitatDb db, CancellationToken cancellationToken)
    {
        if (Invalid(profile) is { } problem) return problem;
        var stored = new NetworkProfile { Name = profile.Name!, TitleJa = "", TitleEn = "" };
        Apply(profile, stored);
        if (!await KeyedWrites.CreateAsync(db, stored, cancellationToken))
            return Problems.Of(StatusCodes.Status409Conflict, "That profile exists already.", $"There is already a profile \"{profile.Name}\"; change it with PUT /network/profiles/{profile.Name}.");
        return TypedResults.Created($"/network/profiles/{stored.Name}", NetworkProfileDto.From(stored));
    }

    internal static async Task<Results<Ok<NetworkProfileDto>, Created<NetworkProfileDto>, ProblemHttpResult>> PutProfile(
        string name, NetworkProfileDto profile, HabitatDb db, CancellationToken cancellationToken)
    {
        profile = profile with { Name = profile.Name ?? name };
        if (profile.Name != name)
            return Problems.Invalid("The profile cannot be stored.", $"The body is profile {ClientText.Shown(profile.Name)} but the address is /network/profiles/{ClientText.Shown(name)}.",
                new Dictionary<string, string[]> { ["name"] = [$"\"{ClientText.Shown(profile.Name)}\" is not \"{ClientText.Shown(name)}\"."] });
        if (Invalid(profile) is { } problem) return problem;
        var (stored, created) = await KeyedWrites.CreateOrReplaceAsync(db, d => d.NetworkProfiles.SingleOrDefaultAsync(p => p.Name == name, cancellationToken),
            () => new NetworkProfile { Name = name, TitleJa = "", TitleEn = "" }, p => Apply(profile, p), cancellationToken);
        return created ? TypedResults.Created($"/network/profiles/{name}", NetworkProfileDto.From(stored)) : TypedResults.Ok(NetworkProfileDto.From(stored));
    }

    /// <summary>The profile of that name, or a 404 naming the profiles there are.</summary>
    public static async Task<(NetworkProfile? Profile, ProblemHttpResult? Problem)> FindAsync(HabitatDb db, string name, CancellationToken cancellationToken) =>
        ClientText.Problem(name, ClientText.IdLength) is null
        && await db.NetworkProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, cancellationToken) is { } profile
            ? (profile, null)
            : (null, await UnknownProfileAsync(db, name, cancellationToken));

    private static async Task<ProblemHttpResult> UnknownProfileAsync(HabitatDb db, string name, CancellationToken cancellationToken)
    {
        var names = await db.NetworkProfiles.AsNoTracking().OrderBy(p => p.D0).Select(p => p.Name).ToListAsync(cancellationToken);
        return Problems.Of(StatusCodes.Status404NotFound, "No such profile.",
            $"There is no species-group profile \"{ClientText.Shown(name)}\". The profiles are: {string.Join(", ", names)}; or give d0, p0 and threshold directly.");
    }

    private static void Apply(NetworkProfileDto profile, NetworkProfile stored)
    {
        stored.TitleJa = profile.TitleJa?.Trim() ?? profile.Name!;
        stored.TitleEn = profile.TitleEn?.Trim() ?? profile.Name!;
        stored.D0 = profile.D0!.Value;
        stored.P0 = profile.P0 ?? 0.5;
        stored.Threshold = profile.Threshold!.Value;
    }

    private static ProblemHttpResult? Invalid(NetworkProfileDto profile)
    {
        var errors = NetworkProfileDto.CheckDispersal(profile.D0, profile.P0, profile.Threshold);
        if (string.IsNullOrWhiteSpace(profile.Name) || profile.Name.Length > 40 || !profile.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors["name"] = [$"A profile needs a short name of letters, digits and hyphens, e.g. \"amphibians\"{(profile.Name is null ? "" : $", not \"{ClientText.Shown(profile.Name)}\"")}."];
        foreach (var (field, text) in new[] { ("titleJa", profile.TitleJa), ("titleEn", profile.TitleEn) })
        {
            if (ClientText.Problem(text, ClientText.NameLength) is { } textProblem) errors[field] = [$"The title {textProblem}."];
        }
        return errors.Count == 0 ? null : Problems.Invalid($"Profile {profile.Name} cannot be stored; nothing was changed.", string.Join(" ", errors.Values.SelectMany(v => v)), errors);
    }
}
