namespace HabitatRegistry.Features.Registers;

/// <summary>The registers the service keeps, by the name used in URLs and OGC collection ids.</summary>
public static class RegisterCatalogue
{
    /// <summary>The conservation schemes land can be designated under, by code, with their Japanese names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Schemes = new Dictionary<string, string>
    {
        ["special_green_conservation_district"] = "特別緑地保全地区",
        ["green_conservation_area"] = "緑地保全地域",
        ["suburban_green_conservation_zone"] = "近郊緑地保全区域",
        ["citizen_green_space"] = "市民緑地",
        ["preserved_woodland"] = "保存樹林",
        ["prefectural_landscape_green"] = "ふるさとの緑の景観地",
        ["satoyama_conservation_area"] = "里山保全地域",
        ["nature_symbiosis_site"] = "自然共生サイト (OECM)",
        ["other"] = "その他",
    };

    /// <summary>The schemes' names in English, for English reports.</summary>
    public static readonly IReadOnlyDictionary<string, string> SchemesEn = new Dictionary<string, string>
    {
        ["special_green_conservation_district"] = "Special green conservation district",
        ["green_conservation_area"] = "Green conservation area",
        ["suburban_green_conservation_zone"] = "Suburban green conservation zone",
        ["citizen_green_space"] = "Citizen green space",
        ["preserved_woodland"] = "Preserved woodland",
        ["prefectural_landscape_green"] = "Prefectural landscape green (Furusato)",
        ["satoyama_conservation_area"] = "Satoyama conservation area",
        ["nature_symbiosis_site"] = "Nature symbiosis site (OECM)",
        ["other"] = "Other",
    };

    /// <summary>Bodies that acquire land; <c>trust</c> land is recorded but is not public ownership.</summary>
    public static readonly IReadOnlyList<string> AcquiringBodies = ["city", "prefecture", "national", "trust"];

    public static readonly RegisterSchema Designations = new(
        "designations", "Designations (緑地保全の指定)",
        "Land designated under green-space conservation schemes, with every version kept.",
        "parcel_id", "designated_on", "lifted_on",
        [
            new("scheme", FieldKind.Code, "the conservation scheme's code", Required: true, Codes: [.. Schemes.Keys]),
            new("designated_on", FieldKind.Date, "the date the designation took effect, YYYY-MM-DD", Required: true),
            new("lifted_on", FieldKind.Date, "the date the designation was lifted, if it was"),
            new("name", FieldKind.Text, "the parcel's name"),
            new("notice_no", FieldKind.Text, "the public notice number"),
            new("legal_basis", FieldKind.Text, "the law or ordinance it is designated under"),
            new("reported_area_m2", FieldKind.Number, "the official area in square metres"),
        ]);

    public static readonly RegisterSchema Acquisitions = new(
        "acquisitions", "Acquisitions (公有地化)",
        "Land brought into public ownership (trust land is recorded but is not public), with every version kept.",
        "parcel_id", "acquired_on", "disposed_on",
        [
            new("acquired_on", FieldKind.Date, "the date ownership passed, YYYY-MM-DD", Required: true),
            // Acquisitions without a body are the city's own: the common case in a city's registry.
            new("acquired_by", FieldKind.Code, "who owns it now", Codes: AcquiringBodies, Default: ("city", "recorded as acquired by the city")),
            new("disposed_on", FieldKind.Date, "the date it left public ownership, if it did"),
            new("name", FieldKind.Text, "the parcel's name"),
            new("method", FieldKind.Text, "purchase, donation, exchange …"),
            new("funding", FieldKind.Text, "the fund or budget it was paid from"),
        ]);

    /// <summary>Kinds of activity the count targets count, with their Japanese names.</summary>
    public static readonly IReadOnlyDictionary<string, string> ActivityKinds = new Dictionary<string, string>
    {
        ["lecture"] = "自然や生きものを学ぶ講座（出前講座等）",
        ["workshop"] = "団体等を対象にした生物多様性の講習会",
        ["support_case"] = "団体等の活動への支援（広報・補助・表彰・認定）",
        ["hands_on_event"] = "保全活動の体験機会",
        ["awareness_activity"] = "普及啓発活動（オンラインを含む）",
        ["forest_site"] = "生きものと子どもが集まる森づくり",
        ["survey"] = "生きもの調査",
        ["other"] = "その他",
    };

    public static readonly RegisterSchema Activities = new(
        "activities", "Activities (取り組みの実績)",
        "Lectures, workshops, support cases, conservation events and other activities the count targets count, with every version kept.",
        "activity_id", "held_on", null,
        [
            new("held_on", FieldKind.Date, "the date it took place, YYYY-MM-DD", Required: true),
            new("kind", FieldKind.Code, "what kind of activity it was", Required: true, Codes: [.. ActivityKinds.Keys]),
            new("title", FieldKind.Text, "its title", Required: true),
            new("organiser", FieldKind.Text, "who organised it"),
            new("participants", FieldKind.Number, "how many took part"),
        ],
        RegisterGeometry.Optional, "activity");

    /// <summary>Kinds of habitat a patch can be, with their Japanese names.</summary>
    public static readonly IReadOnlyDictionary<string, string> HabitatKinds = new Dictionary<string, string>
    {
        ["woodland"] = "樹林地",
        ["grassland"] = "草地",
        ["wetland"] = "湿地",
        ["water"] = "水辺・水域",
        ["farmland"] = "農地",
        ["park"] = "公園・緑地",
        ["other"] = "その他",
    };

    public static readonly RegisterSchema HabitatPatches = new(
        "habitat-patches", "Habitat patches (生息・生育空間)",
        "Patches of habitat (woodland, grassland, wetland …) with a quality weight: the nodes of the ecological network. Every version is kept.",
        "patch_id", null, null,
        [
            new("habitat", FieldKind.Code, "the kind of habitat", Required: true, Codes: [.. HabitatKinds.Keys]),
            // Most patches are mapped without a quality assessment: full quality is the neutral choice.
            new("quality", FieldKind.Number, "the habitat's quality, from 0 to 1 (1 when not given)", Default: (1m, null), Maximum: 1m),
            new("name", FieldKind.Text, "the patch's name"),
        ],
        RegisterGeometry.Land, "patch");

    public static readonly IReadOnlyList<RegisterSchema> All = [Designations, Acquisitions, Activities, HabitatPatches];

    public static RegisterSchema? Find(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The Japanese names of a code field's values (scheme, kind, habitat), or null for a field without them.</summary>
    public static IReadOnlyDictionary<string, string>? JapaneseNames(RegisterSchema register, string field) => (register.Name, field) switch
    {
        ("designations", "scheme") => Schemes,
        ("activities", "kind") => ActivityKinds,
        ("habitat-patches", "habitat") => HabitatKinds,
        _ => null,
    };

    public static string Names => string.Join(", ", All.Select(r => r.Name));
}
