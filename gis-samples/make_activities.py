#!/usr/bin/env python3
"""Writes tokorozawa-activities.csv and expected-activity-counts.csv (invented Tokorozawa activities, FY2021-FY2025).

Plain python3, standard library only. The seed is fixed, so every run writes the same bytes. The counts per
fiscal year and kind are set in PLAN below, not derived from the output: they are the reference the tests use.
"""
import csv
import datetime
import io
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
FISCAL_YEARS = range(2021, 2026)  # FY N = 1 April N - 31 March N+1

# Activities per fiscal year, by kind. The strategy's plans per year are forest_site 1, lecture 1, workshop 1,
# support_case 1, hands_on_event 2, awareness_activity 2: some kinds run ahead of the plan, some behind.
PLAN = {
    #                      FY2021 2022 2023 2024 2025
    "forest_site":        (1,    0,   2,   1,   1),
    "lecture":            (2,    1,   2,   1,   2),
    "workshop":           (1,    1,   0,   1,   0),
    "support_case":       (1,    2,   1,   2,   1),
    "hands_on_event":     (2,    1,   2,   2,   1),
    "awareness_activity": (1,    3,   2,   3,   2),
    "survey":             (1,    0,   1,   0,   1),
    "other":              (0,    1,   0,   1,   0),
}

# Dates that must be in the file whatever the seed does: the first and last days of fiscal years.
FIXED_DATES = {
    (2021, "hands_on_event", 1): datetime.date(2022, 3, 31),  # last day of FY2021
    (2022, "awareness_activity", 0): datetime.date(2022, 4, 1),  # first day of FY2022
    (2025, "awareness_activity", 1): datetime.date(2026, 3, 31),  # last day of FY2025
}

# Invented places near real place names (lon, lat); None: no place recorded.
PLACES = {
    "三ヶ島の雑木林": (139.4062, 35.7853),
    "堀之内の谷戸": (139.4187, 35.7811),
    "糀谷の湿地": (139.4139, 35.7779),
    "上山口の里山": (139.4296, 35.7746),
    "荒幡の丘": (139.4551, 35.7762),
    "北野の雑木林": (139.4448, 35.7907),
    "くぬぎ山": (139.5043, 35.8254),
    "所沢航空記念公園": (139.4747, 35.8003),
    "東川の河畔": (139.4702, 35.7951),
    "柳瀬川の河川敷": (139.5121, 35.8012),
}

ORGANISERS = {
    "city": "所沢市 みどり自然課",
    "npo": "NPO法人 所沢みどりの輪",
    "satoyama": "三ヶ島里山保全の会",
    "kunugi": "くぬぎ山自然学校",
    "school": "所沢市立北野小学校",
    "council": "所沢市環境推進員協議会",
}

# Per kind: (title, organiser, place or None, participants range or None). Titles are invented.
CATALOGUE = {
    "forest_site": [
        ("生きものと子どもが集まる森（北野小学校 学校林）", "school", "北野の雑木林", (20, 60)),
        ("生きものと子どもが集まる森（三ヶ島 どんぐりの森）", "satoyama", "三ヶ島の雑木林", (15, 40)),
        ("生きものと子どもが集まる森（くぬぎ山 こども広場）", "kunugi", "くぬぎ山", (20, 50)),
        ("生きものと子どもが集まる森（荒幡 ふれあいの森）", "npo", "荒幡の丘", None),
        ("生きものと子どもが集まる森（上山口 谷戸の森）", "satoyama", "上山口の里山", (10, 30)),
    ],
    "lecture": [
        ("出前講座「身近な生きもの観察」", "city", None, (20, 35)),
        ("自然講座「狭山丘陵の野鳥」", "npo", "三ヶ島の雑木林", (15, 30)),
        ("出前講座「トンボから見る水辺の環境」", "city", "東川の河畔", (15, 35)),
        ("自然講座「里山の植物を知る」", "satoyama", "上山口の里山", (12, 25)),
        ("出前講座「外来生物と在来生物」", "city", None, (25, 40)),
        ("自然講座「くぬぎ山の昆虫」", "kunugi", "くぬぎ山", (15, 30)),
        ("出前講座「生物多様性ってなに？」", "city", None, (20, 40)),
        ("自然講座「湿地の生きもの」", "npo", "糀谷の湿地", (10, 25)),
    ],
    "workshop": [
        ("事業者向け 生物多様性講習会", "city", None, (15, 30)),
        ("自治会・町内会向け 生物多様性講習会", "council", None, (20, 40)),
        ("環境団体向け 保全活動リーダー講習会", "npo", "所沢航空記念公園", (10, 20)),
    ],
    "support_case": [
        ("みどりのボランティア団体への活動補助金の交付", "city", None, None),
        ("「ところざわ みどりの表彰」の授与", "city", None, None),
        ("団体活動の広報支援（広報ところざわ掲載）", "city", None, None),
        ("自然共生サイト認定申請の支援", "city", "三ヶ島の雑木林", None),
        ("保全活動用具の貸出し支援", "city", None, None),
        ("団体の活動紹介パネルの作成支援", "city", None, None),
        ("里山保全活動への専門家派遣", "city", "上山口の里山", None),
    ],
    "hands_on_event": [
        ("雑木林の下草刈り体験", "satoyama", "三ヶ島の雑木林", (15, 35)),
        ("くぬぎ山の林床整備体験", "kunugi", "くぬぎ山", (20, 45)),
        ("谷戸田の保全作業体験", "npo", "堀之内の谷戸", (15, 30)),
        ("外来植物（アレチウリ）の除去体験", "council", "柳瀬川の河川敷", (10, 25)),
        ("湿地の保全作業体験", "npo", "糀谷の湿地", (8, 20)),
        ("谷戸田の畦（あぜ）の手入れ体験", "npo", "堀之内の谷戸", (15, 30)),
        ("雑木林の萌芽更新（伐採）体験", "satoyama", "北野の雑木林", (10, 20)),
        ("竹林の整備体験", "satoyama", "荒幡の丘", (10, 25)),
    ],
    "awareness_activity": [
        ("生きもの写真展", "city", "所沢航空記念公園", (150, 400)),
        ("オンライン講演会「所沢の生物多様性」", "city", None, (40, 120)),
        ("広報ところざわ 特集「まちの生きもの」", "city", None, None),
        ("環境フェアへの出展", "council", "所沢航空記念公園", (200, 500)),
        ("SNSでの生きもの情報の発信", "city", None, None),
        ("生物多様性パネル展（市役所ロビー）", "city", None, (100, 300)),
        ("オンライン観察会「まちの野鳥」", "npo", None, (30, 80)),
        ("水辺の生きもの観察会", "npo", "堀之内の谷戸", (80, 200)),
        ("生きもの地図の配布", "city", None, None),
        ("動画「里山の一年」の公開", "satoyama", None, None),
        ("親子自然観察ウォーク", "npo", "東川の河畔", (30, 60)),
    ],
    "survey": [
        ("市民参加型 水辺の生きもの調査", "npo", "堀之内の谷戸", (15, 30)),
        ("市民参加型 湿地の生きもの調査", "npo", "糀谷の湿地", (10, 20)),
        ("河川の魚類調査", "council", "柳瀬川の河川敷", (8, 15)),
    ],
    "other": [
        ("みどりの基本計画 市民意見交換会", "city", None, (20, 40)),
        ("生物多様性地域戦略 進捗報告会", "city", None, (30, 60)),
    ],
}

# A few rows carry a note, to show values with commas, double quotes and line breaks (RFC 4180 quoting).
NOTES = {
    ("lecture", 1): "雨天のため室内で実施, 野外観察は中止",
    ("awareness_activity", 2): "広報ところざわ 見開き2ページ, カラー\n見出し \"まちの生きもの\"",
    ("hands_on_event", 3): "参加者に軍手・飲み物を配布",
    ("workshop", 0): "講師: 市内の環境カウンセラー",
}


def main():
    rng = random.Random(20210401)
    rows = []
    used = {kind: 0 for kind in PLAN}
    for i, fy in enumerate(FISCAL_YEARS):
        start = datetime.date(fy, 4, 1)
        for kind, counts in PLAN.items():
            days = sorted(rng.sample(range(0, 365), counts[i]))
            for n, day in enumerate(days):
                held_on = FIXED_DATES.get((fy, kind, n), start + datetime.timedelta(days=day))
                title, organiser, place, participants = CATALOGUE[kind][used[kind] % len(CATALOGUE[kind])]
                used[kind] += 1
                lon, lat = PLACES[place] if place else ("", "")
                if place:
                    # A little spread, so repeated places are not on top of each other.
                    lon = f"{lon + rng.uniform(-0.0015, 0.0015):.5f}"
                    lat = f"{lat + rng.uniform(-0.0012, 0.0012):.5f}"
                rows.append({
                    "held_on": held_on.isoformat(),
                    "kind": kind,
                    "title": title,
                    "organiser": ORGANISERS[organiser],
                    "participants": str(rng.randint(*participants)) if participants else "",
                    "venue": place or "",
                    "lon": lon,
                    "lat": lat,
                    "note": NOTES.get((kind, used[kind] - 1), ""),
                })
    rows.sort(key=lambda r: (r["held_on"], r["kind"]))
    numbers = {}
    for row in rows:
        fy = fiscal_year(row["held_on"])
        numbers[fy] = numbers.get(fy, 0) + 1
        row["activity_id"] = f"ACT-{fy}-{numbers[fy]:03d}"

    columns = ["activity_id", "held_on", "kind", "title", "organiser", "participants", "venue", "lon", "lat", "note"]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, columns, lineterminator="\r\n")  # as Excel writes CSV
    writer.writeheader()
    writer.writerows(rows)
    # UTF-8 with a BOM: Excel opens it as UTF-8 (without the BOM it would assume Shift_JIS).
    (HERE / "tokorozawa-activities.csv").write_bytes(text.getvalue().encode("utf-8-sig"))

    counted = {}
    for row in rows:
        key = (fiscal_year(row["held_on"]), row["kind"])
        counted[key] = counted.get(key, 0) + 1
    with open(HERE / "expected-activity-counts.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["fiscal_year", "kind", "count"])
        for i, fy in enumerate(FISCAL_YEARS):
            for kind, counts in PLAN.items():
                # The file must hold what the plan says, or the plan is not a reference.
                assert counted.get((fy, kind), 0) == counts[i], (fy, kind)
                out.writerow([fy, kind, counts[i]])

    print(f"{len(rows)} activities; per fiscal year and kind:")
    print("| kind | " + " | ".join(f"FY{fy}" for fy in FISCAL_YEARS) + " | total |")
    print("|---|" + "---|" * (len(FISCAL_YEARS) + 1))
    for kind, counts in PLAN.items():
        print(f"| {kind} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")


def fiscal_year(iso_date):
    date = datetime.date.fromisoformat(iso_date)
    return date.year if date.month >= 4 else date.year - 1


if __name__ == "__main__":
    main()
