namespace HabitatRegistry.Features.Registers;

/// <summary>The registers the service keeps, by the name used in URLs and OGC collection ids.</summary>
public static class RegisterCatalogue
{
    /// <summary>Scheme codes of DESIGN.md, with their Japanese names.</summary>
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
            new("acquired_by", FieldKind.Code, "who owns it now", Codes: AcquiringBodies),
            new("disposed_on", FieldKind.Date, "the date it left public ownership, if it did"),
            new("name", FieldKind.Text, "the parcel's name"),
            new("method", FieldKind.Text, "purchase, donation, exchange …"),
            new("funding", FieldKind.Text, "the fund or budget it was paid from"),
        ]);

    public static readonly IReadOnlyList<RegisterSchema> All = [Designations, Acquisitions];

    public static RegisterSchema? Find(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(r => r.Name));
}
