#!/usr/bin/python3
"""Generate the Tokorozawa habitat patches and candidate parcels, and have the reference compute
expected-network*.csv from them.

Run with Debian's python (it has shapely and pyproj):

    /usr/bin/python3 gis-samples/make_patches.py

In this order:

1. Self-check of the reference's index code (tests/reference/connectivity.py) on toy examples A, B
   and C of shared/data/connectivity/README.md.
2. Generation (fixed seed, deterministic): invented habitat patches and candidate parcels, drawn as
   organic star-shaped polygons in the plane-rectangular zone IX (EPSG:6677) near real place names,
   written as RFC 7946 GeoJSON (lon/lat, 7 decimals, one feature per line).
3. The independent reference (tests/reference/connectivity.py) reads the two GeoJSON files back and
   computes, for the three seeded species-group profiles, the graph and the Conefor/Graphab indices as
   the service defines them (see gis-samples/README.md, "Habitat network samples"). This script checks
   that the layout does what the README says, then the reference writes expected-network*.csv with full
   double precision (Python repr).
"""

import json
import math
import random
import sys
from functools import partial
from pathlib import Path

from shapely.affinity import translate
from shapely.geometry import LineString, MultiPolygon, Point, shape
from shapely.ops import split, unary_union

from sample_geometry import (dump_collection, ellipse_m, geojson_geometry, metric_point, organic_polygon, rfc7946,
                             round_coords, to_lonlat, to_metric)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from reference.connectivity import (best_paths, components_without, geodesic_area, geodesic_distance, pc_num,  # noqa: E402
                                    sample_network, self_check, write_expected)

HERE = Path(__file__).resolve().parent
BOUNDARY_FILE = HERE / "tokorozawa-boundary.geojson"
PATCHES_FILE = HERE / "tokorozawa-habitat-patches.geojson"
CANDIDATES_FILE = HERE / "tokorozawa-candidate-parcels.geojson"
SEED = 208  # any fixed number; the layout below was tuned with this one

# Seeded species-group profiles: (code, d0 m, p0, threshold m). Links: edge-to-edge d <= threshold.
PROFILES = [
    ("amphibians", 250, 0.5, 500),
    ("small-mammals", 1000, 0.5, 2000),
    ("woodland-birds", 3000, 0.5, 6000),
]
THRESHOLDS = [p[3] for p in PROFILES]
MARGIN_DRAW = 10.0   # planar metres kept clear of every threshold while drawing
MARGIN_CHECK = 5.0   # geodesic metres asserted on the written files
MIN_GAP = 20.0       # patches that are not meant to touch or overlap keep at least this apart


# =============================================================================================
# 1. the reference's self-check

self_check()
print("self-check on toy examples A, B and C of the connectivity README: ok")


# =============================================================================================
# 2. generation

rng = random.Random(SEED)
# the patches' organic shapes (sample_geometry.organic_polygon), rounder and smoother than the parcels'
blob = partial(organic_polygon, rng, max_elongation=1.45, harmonic_amplitude=(0.04, 0.22), jitter=0.06, min_radius=0.4)

boundary_ll = shape(json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"][0]["geometry"])
boundary_m = to_metric(boundary_ll)
inside_m = boundary_m.buffer(-20)      # patches in the city keep 20 m off the city line
near_m = boundary_m.buffer(1500)       # patches "around" the city (くぬぎ山, 三富) stay within 1.5 km of it


EXCLUDED_M = unary_union([
    ellipse_m(139.4030, 35.7740, 1300, 560),             # Lake Sayama (山口貯水池)
    Point(metric_point(139.4206, 35.7685)).buffer(280),  # the Seibu dome
    Point(metric_point(139.4435, 35.7675)).buffer(320),  # Seibu-en amusement park
])

# Intended structure. Each patch has a group per profile; patches of different groups must not be
# linked (edge-to-edge distance > threshold), except the group pairs listed in BRIDGES, which are the
# stepping stones. Same-group patches are meant to end up connected; part 3 asserts it.
#   amphibians:      W (三ヶ島・堀之内) -- pond (HP-005) -- S (上山口・山口・荒幡・椿峰); the rest in small groups
#   small mammals:   west -- stone (HP-018) -- central; ne (くぬぎ山・三富) apart; iso (HP-030) alone
#   woodland birds:  all one group
BRIDGES = [
    {frozenset(("W", "pond")), frozenset(("S", "pond"))},
    {frozenset(("west", "stone")), frozenset(("central", "stone"))},
    set(),
]

# (patch_id, habitat, name, lon, lat, ha, vertices, quality or None, (amphibian group, mammal group), extras)
# extras: multi=(lon, lat, share of the area, gap m) for a second part; touch=(patch_id, habitat, name,
# quality, share) to draw two patches sharing an edge; overlap=patch_id to straddle that patch's
# edge; around=True lets the patch lie partly or wholly outside the city; elongation, rotation.
P_SPECS = [
    ("HP-001", "woodland", "三ヶ島の雑木林", 139.3988, 35.7907, 16.0, 24, 0.85, ("W", "west"), {}),
    ("HP-002", "woodland", "堀之内の谷戸林", 139.4049, 35.7848, 26.0, 28, 0.90, ("W", "west"), {}),
    ("HP-003", "wetland", "三ヶ島五丁目の湿地", 139.4088, 35.7907, 1.2, 12, 0.70, ("W", "west"), {}),
    ("HP-004", "woodland", "三ヶ島の斜面林", 139.4010, 35.7970, 5.0, 16, None, ("W", "west"), {}),
    ("HP-005", "wetland", "糀谷のため池", 139.4120, 35.7841, 0.4, 10, 0.60, ("pond", "west"), {}),
    ("HP-006", "woodland", "上山口の雑木林", 139.4188, 35.7834, 20.0, 26, 0.80, ("S", "west"),
     {"multi": (139.4199, 35.7798, 0.35, 20.0)}),
    ("HP-007", "woodland", "山口の雑木林", 139.4265, 35.7807, 12.0, 22, 0.75, ("S", "west"), {}),
    ("HP-008", "woodland", "荒幡の谷戸林", 139.4343, 35.7785, 8.0, 18, 0.90, ("S", "west"), {}),
    ("HP-009", "water", "椿峰のため池", 139.4359, 35.7834, 0.8, 10, 0.65, ("S", "west"), {}),
    ("HP-010", "grassland", "上山口の草地", 139.4254, 35.7744, 3.0, 14, 0.50, ("S", "west"), {}),
    ("HP-011", "woodland", "北野の雑木林", 139.4210, 35.8015, 9.0, 20, 0.80, ("K", "west"), {}),
    ("HP-012", "woodland", "北野天神の社叢", 139.4276, 35.8037, 1.5, 12, None, ("K", "west"), {}),
    ("HP-013", "woodland", "東川上流の河畔林", 139.4381, 35.8019, 2.5, 14, 0.60, ("H", "west"), {}),
    ("HP-014", "water", "小手指の調整池", 139.4431, 35.8024, 1.0, 0, 0.55, ("H", "west"),
     {"touch": ("HP-015", "wetland", "小手指調整池の湿地", 0.75, 2.0)}),
    ("HP-016", "park", "所沢航空記念公園", 139.4786, 35.8006, 30.0, 30, 0.55, ("P", "central"), {}),
    ("HP-017", "woodland", "航空公園の雑木林", 139.4769, 35.8037, 4.0, 16, 0.85, ("P", "central"),
     {"overlap": "HP-016"}),
    ("HP-018", "woodland", "西所沢の屋敷林", 139.4597, 35.8037, 0.6, 10, 0.70, ("X18", "stone"), {}),
    ("HP-019", "woodland", "北秋津の河畔林", 139.4752, 35.7852, 3.0, 14, 0.70, ("Y1", "central"), {}),
    ("HP-020", "wetland", "柳瀬川の湿地（秋津）", 139.4808, 35.7848, 1.5, 12, 0.80, ("Y1", "central"), {}),
    ("HP-021", "grassland", "柳瀬川の河川敷草地（城）", 139.4918, 35.7871, 4.0, 16, 0.60, ("Y2", "central"), {}),
    ("HP-022", "water", "柳瀬川のワンド", 139.4974, 35.7889, 0.3, 9, 0.90, ("Y2", "central"), {}),
    ("HP-023", "woodland", "滝の城址の斜面林", 139.5240, 35.8078, 6.0, 18, 0.90, ("T", "central"), {}),
    ("HP-024", "woodland", "東所沢の河畔林", 139.5151, 35.7979, 2.0, 12, None, ("E", "central"), {}),
    ("HP-025", "woodland", "くぬぎ山の雑木林", 139.4965, 35.8230, 38.0, 30, 0.75, ("KN", "ne"), {"around": True}),
    ("HP-026", "grassland", "くぬぎ山の草地", 139.5018, 35.8281, 3.0, 14, 0.55, ("KN", "ne"), {"around": True}),
    ("HP-027", "woodland", "中富の平地林", 139.4863, 35.8321, 8.0, 18, 0.80, ("M", "ne"), {"around": True}),
    ("HP-028", "farmland", "三富の畑", 139.4830, 35.8375, 12.0, 14, 0.35, ("M", "ne"),
     {"around": True, "multi": (139.4896, 35.8403, 0.4, 40.0)}),
    ("HP-029", "woodland", "下富の屋敷林", 139.4752, 35.8272, 1.0, 10, 0.80, ("SH", "ne"), {"around": True}),
    ("HP-030", "woodland", "北岩岡の平地林", 139.4476, 35.8249, 5.0, 16, 0.70, ("N", "iso"), {}),
    ("HP-031", "woodland", "宮本町の社叢", 139.4708, 35.7934, 0.9, 10, None, ("MJ", "central"), {}),
    ("HP-032", "park", "東所沢公園", 139.5129, 35.7938, 5.0, 16, 0.40, ("E", "central"), {}),
    ("HP-033", "other", "山口の霊園緑地", 139.4448, 35.7740, 6.0, 14, 0.30, ("R", "west"),
     {"multi": (139.4475, 35.7745, 0.35, 25.0)}),
    ("HP-034", "grassland", "下富の草地", 139.4791, 35.8335, 2.0, 12, 0.50, ("M", "ne"), {"around": True}),
]

# (candidate_id, name, lon, lat, ha, vertices, note, groups allowed to link per profile (None = any), extras)
C_SPECS = [
    ("C-1", "東川源流の谷戸（北野・小手指）", 139.4329, 35.8028, 3.0, 14,
     "休耕田と谷戸を湿地として再生する候補。両生類では北野の樹林（HP-011・012）と東川の水辺（HP-013〜015）を"
     "つなぐ踏み石になり、二つの成分が一つになる。",
     ({"K", "H"}, None, None), {}),
    ("C-2", "北所沢町の平地林", 139.4808, 35.8168, 6.0, 18,
     "航空記念公園と下富・くぬぎ山の間の平地林。小型哺乳類では中央・東部の成分と北東（くぬぎ山・三富）の成分を"
     "つなぎ、五つの候補の中で PC の伸びが最も大きい。",
     (set(), {"central", "ne", "stone"}, None), {}),
    ("C-3", "比良の丘の雑木林", 139.4088, 35.8060, 8.0, 18,
     "大きいが孤立した雑木林。両生類では 500 m 以内に既存のパッチがなく、伸びは自分の面積の分（intra）だけ。"
     "それでも面積が大きいので、両生類と鳥類では伸びが最も大きい。",
     (set(), {"west"}, None), {}),
    ("C-4", "秋津の休耕田ビオトープ", 139.4863, 35.7859, 0.6, 10,
     "柳瀬川沿いの小さな休耕田をビオトープにする候補。両生類では柳瀬川の二つのまとまり（HP-019・020 と HP-021・022）"
     "をつなぐ小さな踏み石。",
     ({"Y1", "Y2"}, None, None), {}),
    ("C-5", "北野の雑木林（拡張区域）", 139.4188, 35.8033, 3.0, 14,
     "北野の雑木林（HP-011）の北西側への拡張。一部がすでに HP-011 と重なっている（距離 0）ので、新しく加わる面積は"
     "区画の面積より小さい。",
     ({"K"}, {"west"}, None), {"overlap": "HP-011"}),
]

placed = {}    # patch_id -> metric geometry
groups = {}    # patch_id -> (amphibian, mammal, bird) group
exempt = set()  # frozenset pairs meant to touch or overlap


def gap_ok(g, grp, other, extra_exempt=()):
    """Planar distance rules between a new geometry and one placed patch."""
    if other in extra_exempt:
        return True
    d = g.distance(placed[other])
    if d < MIN_GAP:
        return False
    for pi, t in enumerate(THRESHOLDS):
        if abs(d - t) < MARGIN_DRAW:
            return False
        a, b = grp[pi], groups[other][pi]
        if a is not None and b is not None and a != b and frozenset((a, b)) not in BRIDGES[pi] and d <= t:
            return False
    return True


def allowed_area_ok(g, around):
    if g.intersects(EXCLUDED_M):
        return False
    return g.within(near_m) if around else g.within(inside_m)


def attach(a, b, gap):
    """Slide b along the line between centroids until its distance to a is `gap` (a second part)."""
    ca, cb = a.centroid, b.centroid
    ux, uy = cb.x - ca.x, cb.y - ca.y
    norm = math.hypot(ux, uy)
    ux, uy = ux / norm, uy / norm
    lo, hi = -norm, 2 * norm  # shift along (ux, uy); distance grows with the shift
    for _ in range(80):
        mid = (lo + hi) / 2
        if translate(b, ux * mid, uy * mid).distance(a) > gap:
            hi = mid
        else:
            lo = mid
    return translate(b, ux * hi, uy * hi)


def draw_patch(spec, tries=600):
    pid, habitat, name, lon, lat, ha, n, quality, grp, extras = spec
    grp = grp + ("all",)
    cx, cy = metric_point(lon, lat)
    around = extras.get("around", False)
    others = sorted(placed)
    host = placed.get(extras.get("overlap"))
    if host is not None:  # straddle the host's edge at the point nearest to the given place
        edge = host.exterior if host.geom_type == "Polygon" else host.boundary
        near = edge.interpolate(edge.project(Point(cx, cy)))
        cx, cy = near.x, near.y
    why = {}

    def reject(reason):
        why[reason] = why.get(reason, 0) + 1

    for _ in range(tries):
        jx, jy = rng.uniform(-25, 25), rng.uniform(-25, 25)
        if "touch" in extras:
            twin_id, twin_habitat, twin_name, twin_quality, twin_ha = extras["touch"]
            whole = blob(cx + jx, cy + jy, (ha + twin_ha) * 1e4, 20, elongation=2.3,
                         rotation=0.25 + rng.uniform(-0.15, 0.15))
            pieces = cut_in_two(whole, ha / (ha + twin_ha))
            if pieces is None:
                reject("cut")
                continue
            geoms = {pid: pieces[0], twin_id: pieces[1]}
        elif "multi" in extras:
            mlon, mlat, share, gap = extras["multi"]
            first = blob(cx + jx, cy + jy, ha * (1 - share) * 1e4, n)
            mx, my = metric_point(mlon, mlat)
            second = blob(mx + jx, my + jy, ha * share * 1e4, max(8, n // 2))
            second = attach(first, second, gap)
            geoms = {pid: MultiPolygon([first, second])}
        else:
            geoms = {pid: blob(cx + jx, cy + jy, ha * 1e4, n)}
        if not all(allowed_area_ok(g, around) for g in geoms.values()):
            reject("outside the city or on an excluded place")
            continue
        if host is not None:
            share = geoms[pid].intersection(host).area / geoms[pid].area
            if not 0.3 <= share <= 0.6:
                reject("overlap share")
                continue
        ok = True
        for gid, g in geoms.items():
            ex = {extras["overlap"]} if "overlap" in extras else set()
            if not all(gap_ok(g, grp, o, ex) for o in others):
                ok = False
        if not ok:
            reject("distance rules")
            continue
        for gid, g in geoms.items():
            placed[gid] = g
            groups[gid] = grp
        if "touch" in extras:
            exempt.add(frozenset((pid, extras["touch"][0])))
        if host is not None:
            exempt.add(frozenset((pid, extras["overlap"])))
        return
    raise RuntimeError(f"could not place {pid}: {why}")


def cut_in_two(poly, share):
    """Cut poly across its long axis with a kinked line so that the first piece has `share` of the area.
    Both pieces share the cut's vertices exactly, so they touch along it (distance 0, no overlap)."""
    rect = poly.minimum_rotated_rectangle
    xs = list(rect.exterior.coords)[:4]
    e1 = (xs[1][0] - xs[0][0], xs[1][1] - xs[0][1])
    e2 = (xs[2][0] - xs[1][0], xs[2][1] - xs[1][1])
    long_, short = (e1, e2) if math.hypot(*e1) >= math.hypot(*e2) else (e2, e1)
    lu = (long_[0] / math.hypot(*long_), long_[1] / math.hypot(*long_))
    su = (short[0] / math.hypot(*short), short[1] / math.hypot(*short))
    c = poly.centroid
    reach = math.hypot(*long_) + math.hypot(*short)
    kink = rng.uniform(-25, 25)

    def pieces(t):
        line = LineString([(c.x + lu[0] * t + su[0] * reach, c.y + lu[1] * t + su[1] * reach),
                           (c.x + lu[0] * (t + kink) + su[0] * 8, c.y + lu[1] * (t + kink) + su[1] * 8),
                           (c.x + lu[0] * (t - kink / 2) - su[0] * 10, c.y + lu[1] * (t - kink / 2) - su[1] * 10),
                           (c.x + lu[0] * t - su[0] * reach, c.y + lu[1] * t - su[1] * reach)])
        parts = [g for g in split(poly, line).geoms if g.geom_type == "Polygon"]
        if len(parts) != 2:
            return None
        # first piece: the one on the -lu side
        parts.sort(key=lambda g: (g.centroid.x - c.x) * lu[0] + (g.centroid.y - c.y) * lu[1])
        return parts

    lo, hi = -reach / 2, reach / 2
    for _ in range(60):
        mid = (lo + hi) / 2
        ps = pieces(mid)
        if ps is None:
            return None
        if ps[0].area / poly.area < share:
            lo = mid
        else:
            hi = mid
    return pieces((lo + hi) / 2)


for spec in P_SPECS:
    draw_patch(spec)

# candidates: each one on its own, against the patches only
candidates_m = {}
for cid, name, lon, lat, ha, n, note, allow, extras in C_SPECS:
    cx, cy = metric_point(lon, lat)
    host = placed.get(extras.get("overlap"))
    if host is not None:
        near = host.exterior.interpolate(host.exterior.project(Point(cx, cy)))
        cx, cy = near.x, near.y
    why = {}
    for _ in range(600):
        g = blob(cx + rng.uniform(-25, 25), cy + rng.uniform(-25, 25), ha * 1e4, n)
        reason = None
        if not allowed_area_ok(g, False):
            reason = "outside the city or on an excluded place"
        elif host is not None and not 0.3 <= g.intersection(host).area / g.area <= 0.5:
            reason = "overlap share"
        else:
            for pid in sorted(placed):
                if host is not None and placed[pid] is host:
                    continue
                d = g.distance(placed[pid])
                if d < MIN_GAP or any(abs(d - t) < MARGIN_DRAW for t in THRESHOLDS):
                    reason = "distance margins"
                    break
                if any(allow[pi] is not None and groups[pid][pi] not in allow[pi] and d <= t
                       for pi, t in enumerate(THRESHOLDS)):
                    reason = "links a group it should not"
                    break
        if reason is None:
            break
        why[reason] = why.get(reason, 0) + 1
    else:
        raise RuntimeError(f"could not place {cid}: {why}")
    candidates_m[cid] = g

# --------------------------------------------------------------------------------------------
# writing


def lonlat_geometry(g_m):
    ll = round_coords(rfc7946(to_lonlat(g_m)))
    assert ll.is_valid, ll
    return ll


spec_by_id = {}
for spec in P_SPECS:
    spec_by_id[spec[0]] = spec
    if "touch" in spec[9]:
        twin_id, twin_habitat, twin_name, twin_quality, twin_ha = spec[9]["touch"]
        spec_by_id[twin_id] = (twin_id, twin_habitat, twin_name, None, None, twin_ha, None, twin_quality, spec[8], {})

patch_features = []
for pid in sorted(placed):
    _, habitat, name, *_r = spec_by_id[pid]
    quality = spec_by_id[pid][7]
    props = {"patch_id": pid, "habitat": habitat}
    if quality is not None:
        props["quality"] = quality
    props["name"] = name
    patch_features.append({"type": "Feature", "properties": props, "geometry": geojson_geometry(lonlat_geometry(placed[pid]))})

candidate_features = []
for cid, name, lon, lat, ha, n, note, allow, extras in C_SPECS:
    candidate_features.append({"type": "Feature", "properties": {"candidate_id": cid, "name": name, "note": note},
                               "geometry": geojson_geometry(lonlat_geometry(candidates_m[cid]))})

dump_collection(PATCHES_FILE, patch_features)
dump_collection(CANDIDATES_FILE, candidate_features)


# =============================================================================================
# 3. the independent reference (tests/reference/connectivity.py), from the files as written

net = sample_network(BOUNDARY_FILE, PATCHES_FILE, CANDIDATES_FILE, PROFILES)
ids, geoms, n = net.ids, net.geoms, len(net.ids)
dist, cand_dist, cands, results = net.dist, net.cand_dist, net.candidates, net.results
area_ha, weight = net.area_ha, net.weight

# checks on the layout
near_thresholds = [(ids[i], ids[j], d, t) for (i, j), d in dist.items() for t in THRESHOLDS if abs(d - t) < MARGIN_CHECK]
near_thresholds += [(cands[c][0]["candidate_id"], ids[j], d, t) for (c, j), d in cand_dist.items()
                    for t in THRESHOLDS if abs(d - t) < MARGIN_CHECK]
assert not near_thresholds, near_thresholds
zero = sorted((ids[i], ids[j]) for (i, j), d in dist.items() if d == 0.0)
touching = [(a, b) for a, b in zero if geoms[ids.index(a)].intersection(geoms[ids.index(b)]).area == 0]
overlapping = [(a, b) for a, b in zero if (a, b) not in touching]
assert touching == [("HP-014", "HP-015")], touching
assert overlapping == [("HP-016", "HP-017")], overlapping
assert all(0.3 <= a <= 40.0 for a in area_ha), area_ha

# intended structure
amph, mam, bird = (results[p[0]] for p in PROFILES)
i005, i018 = ids.index("HP-005"), ids.index("HP-018")
for code, res in results.items():
    gi = [p[0] for p in PROFILES].index(code)
    expected = {}
    for i, pid in enumerate(ids):
        expected.setdefault(groups[pid][gi], set()).add(res["component"][i])
    # every group in one component
    assert all(len(v) == 1 for v in expected.values()), (code, expected)
assert amph["components"] >= 10 and 2 <= mam["components"] <= 4 and bird["components"] in (1, 2)
assert components_without(n, amph["links_list"], i005) == amph["components"] + 1  # the pond is a stepping stone
assert components_without(n, mam["links_list"], i018) == mam["components"] + 1   # the farm wood is a stepping stone
assert amph["patches"][i005]["connector"] > 1.0 and mam["patches"][i018]["connector"] > 1.0
# candidates do what their notes say
g_by = {p[0]: {g["candidate_id"]: g for g in results[p[0]]["gains"]} for p in PROFILES}
assert len(set(g_by["amphibians"]["C-1"]["components_after"])) == amph["components"] - 1  # joins two components
assert len(set(g_by["amphibians"]["C-4"]["components_after"])) == amph["components"] - 1
assert len(set(g_by["small-mammals"]["C-2"]["components_after"])) == mam["components"] - 1
assert g_by["amphibians"]["C-3"]["links"] == 0
assert g_by["amphibians"]["C-5"]["new_area_ha"] < 0.75 * geodesic_area(cands[4][1]) / 1e4

top_gain = {code: max(results[code]["gains"], key=lambda g: g["pc_gain_pct"])["candidate_id"] for code, *_ in PROFILES}
assert top_gain == {"amphibians": "C-3", "small-mammals": "C-2", "woodland-birds": "C-3"}, top_gain

# The overlapping candidate: measuring its distances from the uncovered remainder instead of the whole
# parcel changes some distances, but not p*: C-5 is at distance 0 from HP-011, and wherever the whole
# parcel's nearest point to a patch lies inside HP-011, HP-011 itself is at least as close. Check it.
c5 = [c for c, (cp, _) in enumerate(cands) if cp["candidate_id"] == "C-5"][0]
rest = cands[c5][1].difference(unary_union(geoms))
rest_dist = {j: geodesic_distance(rest, geoms[j]) for j in range(n)}
rest_diff = max(abs(rest_dist[j] - cand_dist[c5, j]) for j in range(n) if cand_dist[c5, j] <= 6000)
for code, d0, p0, t in PROFILES:
    links = results[code]["links_list"]
    alt = links + [(j, n, rest_dist[j]) for j in range(n) if rest_dist[j] <= t]
    dist_alt, _ = best_paths(n + 1, alt)
    g5 = [g for g in results[code]["gains"] if g["candidate_id"] == "C-5"][0]
    after_alt = pc_num(weight + [g5["new_area_ha"]], dist_alt, -math.log(p0) / d0)
    gain_alt = 100.0 * (after_alt - results[code]["pc_num"]) / after_alt
    assert abs(gain_alt - g5["pc_gain_pct"]) <= 1e-9 * g5["pc_gain_pct"], (code, gain_alt, g5["pc_gain_pct"])

# --------------------------------------------------------------------------------------------
# CSVs

write_expected(HERE, net, PROFILES)

# --------------------------------------------------------------------------------------------
# report

print(f"patches: {n}  candidates: {len(cands)}  landscape A_L = {net.landscape_ha:.4f} ha")
print(f"touching: {touching}  overlapping: {overlapping} "
      f"(overlap {geodesic_area(geoms[ids.index('HP-016')].intersection(geoms[ids.index('HP-017')])):.1f} m²)")
every = [(abs(d - t), ids[i], ids[j], d, t) for (i, j), d in dist.items() for t in THRESHOLDS]
every += [(abs(d - t), cands[c][0]["candidate_id"], ids[j], d, t) for (c, j), d in cand_dist.items() for t in THRESHOLDS]
close = [min(e for e in every if e[4] == t) for t in THRESHOLDS]
print("closest distance to each threshold:", ", ".join(f"{a}-{b} {d:.2f} m (t {t})" for _, a, b, d, t in close))
city = net.boundary.buffer(0)
outside = [(ids[i], geodesic_area(g.difference(city)) / geodesic_area(g)) for i, g in enumerate(geoms) if not g.within(city)]
print("patches partly or wholly outside the city (share outside):",
      ", ".join(f"{pid} {share * 100:.0f} %" for pid, share in outside))
print(f"largest disagreement between two aeqd centres: {net.worst:.2e} m;"
      f" C-5 distances from its uncovered part differ by at most {rest_diff:.3f} m")
print("\npatch   habitat    quality  area ha   weight    name")
for i, (p, g) in enumerate(net.patches):
    print(f"{p['patch_id']}  {p['habitat']:<9}  {str(p.get('quality', '-')):<7}  {area_ha[i]:7.4f}  {weight[i]:8.4f}  "
          f"{g.geom_type[:5]:<5} {p['name']}")
for code, d0, p0, t in PROFILES:
    r = results[code]
    top = sorted(range(n), key=lambda i: -r["patches"][i]["dpc"])[:3]
    comps = {}
    for i, c in enumerate(r["component"]):
        comps.setdefault(c, []).append(ids[i][3:])
    print(f"\n{code}: d0 {d0} m, threshold {t} m: NL {r['links']}, NC {r['components']}, PCnum {r['pc_num']:.4f}, "
          f"PC {r['pc']:.6e}, EC {r['ec']:.4f} ha, IIC {r['iic']:.6e}, H {r['harary']:.4f}, CCP {r['ccp']:.6f}, "
          f"LCP {r['lcp']:.6e}")
    print("  components:", " | ".join(f"{c}: " + ",".join(v) for c, v in sorted(comps.items())))
    for i in top:
        p = r["patches"][i]
        print(f"  {ids[i]} dPC {p['dpc']:.4f} = {p['intra']:.4f} + {p['flux']:.4f} + {p['connector']:.4f}, dIIC {p['diic']:.4f}")
    for name, i in (("HP-005", i005), ("HP-018", i018)):
        p = r["patches"][i]
        print(f"  {name} dPC {p['dpc']:.4f} = {p['intra']:.4f} + {p['flux']:.4f} + {p['connector']:.4f}, "
              f"components without it: {components_without(n, r['links_list'], i)}")
    for g in r["gains"]:
        print(f"  {g['candidate_id']}: new {g['new_area_ha']:.4f} ha, links {g['links']}, gain {g['pc_gain_pct']:.4f} % "
              f"(relative {g['pc_gain_relative_pct']:.4f} %), EC +{g['ec_gain_ha']:.4f} ha, "
              f"components after {len(set(g['components_after']))}")
