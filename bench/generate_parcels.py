#!/usr/bin/env python3
"""Generates N invented designation (or acquisition) parcels around Tokorozawa as one GeoJSON FeatureCollection.

Standard library only; the same seed gives the same bytes on any Python 3. Every parcel is a star-shaped
polygon (8-16 vertices at increasing angles around a centre, so always simple and valid) of 0.1-3 ha,
mostly small (see SIZE_SKEW), anywhere in lon 139.25-139.70, lat 35.60-35.95 (about 40 km x 40 km).
Parcels keep at least 2 m apart except for deliberate overlap pairs: by default 10 % of the parcels
overlap one neighbour (5 % are placed across another parcel), which the area accounting must union.
designated_on is spread over FY2010-FY2025 (2010-04-01 .. 2026-03-31); about 2 % are lifted later.
With --register acquisitions the parcels are acquisitions instead: acquired_on over the same years,
acquired_by city 60 %, prefecture 15 %, national 10 %, trust 15 %, about 2 % disposed of later.

    python3 bench/generate_parcels.py -n 100000 -o bench/out/parcels-100000.geojson
    python3 bench/generate_parcels.py -n 10000 --register acquisitions --seed 2012 -o bench/out/acquisitions-10000.geojson
"""
import argparse
import datetime
import json
import math
import random
import sys

LON0, LON1, LAT0, LAT1 = 139.25, 139.70, 35.60, 35.95
M_PER_DEG_LAT = 110_950.0  # near 35.8 N
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians((LAT0 + LAT1) / 2))
WIDTH, HEIGHT = (LON1 - LON0) * M_PER_DEG_LON, (LAT1 - LAT0) * M_PER_DEG_LAT
MIN_HA, MAX_HA = 0.1, 3.0
GAP_M = 2.0  # clearance between parcels that must not overlap
# Sizes 0.1 * 30^(u^2) ha: median 0.23 ha, mean 0.55 ha. (Uniform 0.1-3 ha would average 1.55 ha, and
# 100,000 of them would cover the whole 40 km square; these cover about a third of it.)
SIZE_SKEW = 2.0
FIRST_DAY, LAST_DAY = datetime.date(2010, 4, 1), datetime.date(2026, 3, 31)  # FY2010 .. FY2025

# Scheme codes of src/HabitatRegistry.Api/Features/Registers/RegisterCatalogue.cs, with a legal basis each.
SCHEMES = [
    ("special_green_conservation_district", "都市緑地法第12条"),
    ("green_conservation_area", "都市緑地法第5条"),
    ("suburban_green_conservation_zone", "首都圏近郊緑地保全法第3条"),
    ("citizen_green_space", "都市緑地法第55条"),
    ("preserved_woodland", "所沢市みどりの条例"),
    ("prefectural_landscape_green", "ふるさと埼玉の緑を守る条例"),
    ("satoyama_conservation_area", "埼玉県里山保全条例"),
    ("nature_symbiosis_site", "地域生物多様性増進法"),
    ("other", "その他"),
]
PLACES = ["三ヶ島", "堀之内", "糀谷", "上山口", "山口", "荒幡", "北野", "くぬぎ山", "下富", "中富", "上安松", "林"]
OWNERS = ["private", "city", "mixed", "temple", "company"]
SURVEYORS = ["株式会社武蔵野測量設計", "所沢測量事務所", "狭山丘陵測地", "市職員"]


def star(rng, area_m2):
    """Vertices (metres from the centre) of a star-shaped polygon of about area_m2, and its outer/inner radius."""
    k = 8 + int(rng.random() * 9)  # 8..16
    step = 2 * math.pi / k
    start = rng.random() * step
    angles = [start + (i + 0.6 * (rng.random() - 0.5)) * step for i in range(k)]  # increasing, gaps >= 0.4 step
    radii = [0.7 + 0.3 * rng.random() for _ in range(k)]
    unit = 0.5 * sum(radii[i] * radii[(i + 1) % k] * math.sin((angles[(i + 1) % k] - angles[i]) % (2 * math.pi)) for i in range(k))
    scale = math.sqrt(area_m2 / unit)
    points = [(scale * r * math.cos(a), scale * r * math.sin(a)) for r, a in zip(radii, angles)]
    max_gap = max((angles[(i + 1) % k] - angles[i]) % (2 * math.pi) for i in range(k))
    return points, scale * max(radii), scale * 0.7 * math.cos(max_gap / 2)  # inner: a disc surely inside


class Grid:
    """Spatial hash of placed parcels' bounding circles."""

    def __init__(self, cell):
        self.cell, self.cells = cell, {}

    def clear(self, x, y, r, ignore=-1):
        c = self.cell
        for i in range(int((x - r) // c) - 1, int((x + r) // c) + 2):
            for j in range(int((y - r) // c) - 1, int((y + r) // c) + 2):
                for (index, ox, oy, orad) in self.cells.get((i, j), ()):
                    if index != ignore and math.hypot(x - ox, y - oy) < r + orad + GAP_M:
                        return False
        return True

    def add(self, index, x, y, r):
        self.cells.setdefault((int(x // self.cell), int(y // self.cell)), []).append((index, x, y, r))


def ring_area_m2(ring):
    """Shoelace area of a lon/lat ring in local metres (close to the geodesic area at this size)."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += (x1 * M_PER_DEG_LON) * (y2 * M_PER_DEG_LAT) - (x2 * M_PER_DEG_LON) * (y1 * M_PER_DEG_LAT)
    return abs(s) / 2


def place(rng, n, overlap):
    """Rings of n parcels, largest first (so the big ones still find room), then shuffled; and the pair count."""
    sizes = sorted((MIN_HA * 10_000 * (MAX_HA / MIN_HA) ** (rng.random() ** SIZE_SKEW) for _ in range(n)), reverse=True)
    grid = Grid(cell=260.0)  # > 2 x the largest bounding radius (about 125 m for 3 ha)
    placed, rings, pairs = [], [], 0  # placed: (x, y, inner radius, already in a pair)
    for i, area in enumerate(sizes):
        points, outer, inner = star(rng, area)
        partner = -1
        for _ in range(20 if placed and rng.random() < overlap / 2 else 0):
            target = int(rng.random() * len(placed))  # across a parcel not yet in a pair, clear of everything else
            tx, ty, tinner, taken = placed[target]
            if not taken:
                d, a = (0.4 + 0.5 * rng.random()) * (inner + tinner), rng.random() * 2 * math.pi
                x, y = tx + d * math.cos(a), ty + d * math.sin(a)  # d < inner + tinner: the interiors overlap
                if outer < x < WIDTH - outer and outer < y < HEIGHT - outer and grid.clear(x, y, outer, ignore=target):
                    partner = target
                    placed[target] = (tx, ty, tinner, True)
                    pairs += 1
                    break
        while partner < 0:
            x, y = outer + rng.random() * (WIDTH - 2 * outer), outer + rng.random() * (HEIGHT - 2 * outer)
            if grid.clear(x, y, outer):
                break
        grid.add(i, x, y, outer)
        placed.append((x, y, inner, partner >= 0))
        ring = [[round(LON0 + (x + px) / M_PER_DEG_LON, 7), round(LAT0 + (y + py) / M_PER_DEG_LAT, 7)] for px, py in points]
        rings.append(ring + [ring[0]])
    for i in range(n - 1, 0, -1):  # Fisher-Yates with rng.random only, the same on every Python 3
        j = int(rng.random() * (i + 1))
        rings[i], rings[j] = rings[j], rings[i]
    return rings, pairs


BODIES = [("city", 0.60), ("prefecture", 0.75), ("national", 0.85), ("trust", 1.0)]  # cumulative shares


def acquisition(rng, i, ring, acquired, fy):
    """Properties of an acquisition parcel."""
    u = rng.random()
    body = next(name for name, share in BODIES if u < share)
    return {
        "parcel_id": "A-%d-%06d" % (fy, i + 1),
        "acquired_on": acquired.isoformat(),
        "acquired_by": body,
        "name": "%s樹林地 第%d号" % (PLACES[int(rng.random() * len(PLACES))], i + 1),
        "method": "purchase" if rng.random() < 0.8 else "donation",
        "funding": "みどりの基金" if rng.random() < 0.5 else "一般会計",
        "reported_area_m2": int(round(ring_area_m2(ring) * (0.996 + 0.008 * rng.random()), -1)),
    }


def generate(n, seed, overlap, register="designations"):
    rng = random.Random(seed)
    rings, pairs = place(rng, n, overlap)
    days = (LAST_DAY - FIRST_DAY).days
    lifted = 0
    for i, ring in enumerate(rings):
        designated = FIRST_DAY + datetime.timedelta(days=int(rng.random() * (days + 1)))
        fy = designated.year if designated.month >= 4 else designated.year - 1
        if register == "acquisitions":
            props = acquisition(rng, i, ring, designated, fy)
            left = (LAST_DAY - designated).days
            if rng.random() < 0.02 and left >= 1:
                props["disposed_on"] = (designated + datetime.timedelta(days=1 + int(rng.random() * left))).isoformat()
                lifted += 1
            yield {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
            continue
        scheme, basis = SCHEMES[int(rng.random() * len(SCHEMES))]
        locality = PLACES[int(rng.random() * len(PLACES))]
        props = {
            "parcel_id": "D-%d-%06d" % (fy, i + 1),
            "scheme": scheme,
            "name": "%s緑地 第%d号" % (locality, i + 1),
            "designated_on": designated.isoformat(),
        }
        left = (LAST_DAY - designated).days
        if rng.random() < 0.02 and left >= 1:
            props["lifted_on"] = (designated + datetime.timedelta(days=1 + int(rng.random() * left))).isoformat()
            lifted += 1
        props.update({
            "notice_no": "所沢市告示第%d号" % (1 + int(rng.random() * 400)),
            "legal_basis": basis,
            "reported_area_m2": int(round(ring_area_m2(ring) * (0.996 + 0.008 * rng.random()), -1)),
            "owner_type": OWNERS[int(rng.random() * len(OWNERS))],
            "surveyed_by": SURVEYORS[int(rng.random() * len(SURVEYORS))],
        })
        yield {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    print("generated %d %s (seed %d): %d overlapping pairs (%.1f %% of parcels overlap one), %d lifted or disposed of"
          % (n, register, seed, pairs, 200.0 * pairs / max(n, 1), lifted), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=100_000, help="parcels (default 100000)")
    parser.add_argument("--seed", type=int, default=2010, help="random seed (default 2010)")
    parser.add_argument("--overlap", type=float, default=0.10, help="share of parcels overlapping a neighbour (default 0.10)")
    parser.add_argument("--register", choices=["designations", "acquisitions"], default="designations")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args()
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    with out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for i, feature in enumerate(generate(args.count, args.seed, args.overlap, args.register)):
            out.write((",\n" if i else "") + json.dumps(feature, ensure_ascii=False))
        out.write("\n]}\n")


if __name__ == "__main__":
    main()
