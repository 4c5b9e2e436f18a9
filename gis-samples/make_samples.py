#!/usr/bin/python3
"""Generate the Tokorozawa sample parcels for HabitatRegistry.

Run with Debian's python (it has shapely and pyproj):

    /usr/bin/python3 gis-samples/make_samples.py

Deterministic: one fixed random seed, parcels generated in a fixed order. Shapes are invented
(organic star-shaped polygons in the plane-rectangular zone IX, EPSG:6677) and placed near the
real place names; they are not real designations. Prints reference areas (geodesic, GRS80, union of
records in force at 31 March closing each fiscal year) and writes them to expected-areas.csv.
"""

import csv
import datetime as dt
import json
import math
import random
import shutil
from functools import partial
from pathlib import Path

from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.ops import transform, unary_union
from shapely.validation import explain_validity

from sample_geometry import (TO_METRIC, dump_collection, ellipse_m, geojson_geometry, metric_point, organic_polygon, rfc7946,
                             round_coords, to_lonlat, to_metric)

HERE = Path(__file__).resolve().parent
BOUNDARY_SRC = Path("/work/shared/data/boundaries/tokorozawa_11208_n03_full.geojson")
SEED = 11208  # Tokorozawa's municipality code
FIRST_FY, LAST_FY = 2010, 2025

GEOD = Geod(ellps="GRS80")

rng = random.Random(SEED)
# the parcels' organic shapes (sample_geometry.organic_polygon), in this script's style
blob = partial(organic_polygon, rng, max_elongation=1.8, harmonic_amplitude=(0.05, 0.28), jitter=0.07, min_radius=0.35)


# ---------------------------------------------------------------------------------------------
# geometry helpers


def geodesic_area(geom):
    """Area in m² on GRS80, like PostGIS ST_Area(geography); orientation-independent."""
    if geom.is_empty:
        return 0.0
    polys = [geom] if geom.geom_type == "Polygon" else [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    total = 0.0
    for p in polys:
        x, y = p.exterior.coords.xy
        total += abs(GEOD.polygon_area_perimeter(x, y)[0])
        for ring in p.interiors:
            x, y = ring.coords.xy
            total -= abs(GEOD.polygon_area_perimeter(x, y)[0])
    return total


def vertex_count(geom):
    polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    return [len(p.exterior.coords) - 1 for p in polys]


# ---------------------------------------------------------------------------------------------
# the city

boundary_ll = shape(json.loads(BOUNDARY_SRC.read_text(encoding="utf-8"))["features"][0]["geometry"])
boundary_m = to_metric(boundary_ll)
inner_city_m = boundary_m.buffer(-25)  # parcels keep 25 m off the city line

# Places to keep parcels out of (approximate): Lake Sayama (山口貯水池), the Seibu dome,
# the Seibu-en amusement park.


EXCLUDED_M = unary_union([
    ellipse_m(139.4030, 35.7740, 1300, 560),           # Lake Sayama
    Point(metric_point(139.4206, 35.7685)).buffer(280),  # Seibu dome
    Point(metric_point(139.4435, 35.7675)).buffer(320),  # Seibu-en
])


def place(lon, lat, area_ha, n, clear_of=(), min_gap=15.0, overlap_with=None, tries=400, **kw):
    """Draw blobs until one satisfies the constraints; deterministic because rng is seeded."""
    cx, cy = metric_point(lon, lat)
    if overlap_with is not None:  # straddle the other parcel's edge
        edge = overlap_with.boundary
        nearest = edge.interpolate(edge.project(Point(cx, cy)))
        cx, cy = nearest.x, nearest.y
    why = {}
    for _ in range(tries):
        jx, jy = rng.uniform(-40, 40), rng.uniform(-40, 40)
        p = blob(cx + jx, cy + jy, area_ha * 10000, n, **kw)
        if not p.within(inner_city_m) or p.intersects(EXCLUDED_M):
            why["outside city / excluded"] = why.get("outside city / excluded", 0) + 1
            continue
        if any(p.distance(o) < min_gap for o in clear_of):
            why["too close to another parcel"] = why.get("too close to another parcel", 0) + 1
            continue
        if overlap_with is not None:
            share = p.intersection(overlap_with).area / p.area
            if not 0.2 <= share <= 0.7:
                why["overlap share"] = why.get("overlap share", 0) + 1
                continue
        return p
    raise RuntimeError(f"could not place a {area_ha} ha parcel at {lon},{lat}: {why}")


def shrunk_copy(host, area_ha, n, clear_of, tries=400):
    """A parcel nested in host: host's outline pulled towards its centroid, jittered, thinned to n vertices."""
    c = host.centroid
    ring = list(host.exterior.coords)[:-1]
    for _ in range(tries):
        keep = sorted(rng.sample(range(len(ring)), min(n, len(ring))))
        pts = [ring[i] for i in keep]
        pts = [(c.x + (x - c.x) * f, c.y + (y - c.y) * f) for (x, y), f in
               ((pt, rng.uniform(0.82, 1.0)) for pt in pts)]
        p = Polygon(pts)
        if not p.is_valid:
            continue
        k = math.sqrt(area_ha * 10000 / p.area)
        p = Polygon([(c.x + (x - c.x) * k, c.y + (y - c.y) * k) for x, y in pts])
        if p.buffer(6).within(host) and all(p.distance(o) >= 15 for o in clear_of):
            return p
    raise RuntimeError("could not nest a parcel")


# ---------------------------------------------------------------------------------------------
# designations

LEGAL = {
    "special_green_conservation_district": "都市緑地法第12条",
    "green_conservation_area": "都市緑地法第5条",
    "suburban_green_conservation_zone": "首都圏近郊緑地保全法第3条",
    "citizen_green_space": "都市緑地法第55条",
    "preserved_woodland": "都市の美観風致を維持するための樹木の保存に関する法律第2条",
    "prefectural_landscape_green": "ふるさと埼玉の緑を守る条例",
    "satoyama_conservation_area": "所沢市みどりの条例",
    "nature_symbiosis_site": "環境省 自然共生サイト認定（地域生物多様性増進法）",
}

# (parcel_id, scheme, name, lon, lat, ha, vertices, designated_on, notice_no, owner_type, extras)
# Geometry directives in extras: multi=(lon, lat, share), hole=share, inside=id, overlap=id, cw=True
D_SPECS = [
    ("D-2010-001", "suburban_green_conservation_zone", "狭山近郊緑地保全区域（堀之内・糀谷）", 139.4045, 35.7820, 12.0, 26,
     "2010-06-15", "国土交通省告示第612号", "mixed", {"multi": (139.4180, 35.7808, 0.42)}),
    ("D-2010-002", "special_green_conservation_district", "三ヶ島特別緑地保全地区", 139.3965, 35.7965, 8.5, 28,
     "2011-01-20", "所沢市告示第18号", "private", {"hole": 0.035}),
    ("D-2011-001", "green_conservation_area", "荒幡緑地保全地域", 139.4420, 35.7800, 6.0, 24,
     "2011-09-01", "埼玉県告示第1203号", "private", {}),
    ("D-2011-002", "preserved_woodland", "北野保存樹林", 139.4290, 35.7985, 1.2, 12,
     "2011-11-10", "所沢市告示第301号", "temple", {"lifted_on": "2019-03-31"}),
    ("D-2012-001", "special_green_conservation_district", "堀之内特別緑地保全地区", 139.4040, 35.7818, 4.0, 20,
     "2012-12-20", "所沢市告示第412号", "private", {"inside": "D-2010-001"}),
    ("D-2012-002", "preserved_woodland", "山口保存樹林", 139.4335, 35.7745, 0.3, 9,
     "2013-02-14", "所沢市告示第52号", "private", {}),
    ("D-2013-001", "preserved_woodland", "三ヶ島保存樹林", 139.4005, 35.7995, 1.5, 14,
     "2013-07-01", "所沢市告示第233号", "private", {"overlap": "D-2010-002"}),
    ("D-2013-002", "prefectural_landscape_green", "北野ふるさとの緑の景観地", 139.4180, 35.7935, 7.0, 25,
     "2013-10-18", "埼玉県告示第1377号", "mixed", {}),
    ("D-2014-001", "green_conservation_area", "上山口緑地保全地域", 139.4255, 35.7735, 3.2, 18,
     "2014-08-08", "埼玉県告示第1015号", "private", {}),
    ("D-2014-002", "citizen_green_space", "椿峰市民緑地", 139.4345, 35.7850, 0.8, 11,
     "2015-01-15", "所沢市告示第9号", "corporate", {}),
    ("D-2015-001", "special_green_conservation_district", "糀谷特別緑地保全地区", 139.4115, 35.7875, 4.5, 21,
     "2015-06-30", "所沢市告示第198号", "private", {}),
    ("D-2015-002", "preserved_woodland", "中富保存樹林", 139.4770, 35.8285, 0.6, 10,
     "2016-03-31", "所沢市告示第97号", "private", {}),
    ("D-2016-001", "preserved_woodland", "上山口保存樹林", 139.4300, 35.7690, 1.8, 15,
     "2016-04-01", "所沢市告示第120号", "temple", {}),
    ("D-2016-002", "prefectural_landscape_green", "三ヶ島ふるさとの緑の景観地", 139.3925, 35.8025, 3.8, 19,
     "2016-11-25", "埼玉県告示第1561号", "private", {}),
    ("D-2017-001", "citizen_green_space", "荒幡市民緑地", 139.4450, 35.7825, 2.2, 16,
     "2017-05-19", "所沢市告示第166号", "private", {"overlap": "D-2011-001"}),
    ("D-2017-002", "special_green_conservation_district", "山口特別緑地保全地区", 139.4345, 35.7790, 6.5, 27,
     "2017-12-01", "所沢市告示第388号", "private", {"cw": True}),
    ("D-2018-001", "green_conservation_area", "北野緑地保全地域", 139.4235, 35.8005, 5.0, 22,
     "2018-09-14", "埼玉県告示第1122号", "mixed", {}),
    ("D-2019-001", "satoyama_conservation_area", "くぬぎ山里山保全地域", 139.4895, 35.8245, 9.0, 26,
     "2019-07-26", "所沢市告示第240号", "mixed", {"multi": (139.4965, 35.8205, 0.35)}),
    ("D-2019-002", "citizen_green_space", "糀谷市民緑地", 139.4175, 35.7860, 0.45, 8,
     "2020-02-28", "所沢市告示第61号", "private", {}),
    ("D-2020-001", "preserved_woodland", "三ヶ島二丁目保存樹林", 139.4000, 35.8045, 2.8, 17,
     "2020-10-01", "所沢市告示第327号", "private", {}),
    ("D-2021-001", "special_green_conservation_district", "上山口特別緑地保全地区", 139.4140, 35.7785, 4.2, 20,
     "2021-06-11", "所沢市告示第205号", "private", {}),
    ("D-2022-001", "prefectural_landscape_green", "滝の城ふるさとの緑の景観地", 139.5255, 35.8085, 3.0, 18,
     "2022-09-30", "埼玉県告示第1290号", "city", {"cw": True}),
    ("D-2023-001", "nature_symbiosis_site", "くぬぎ山自然共生サイト", 139.4915, 35.8270, 3.5, 19,
     "2023-10-06", "環境省自然共生サイト認定（令和5年度前期）", "corporate", {"overlap": "D-2019-001"}),
    ("D-2024-001", "satoyama_conservation_area", "荒幡里山保全地域", 139.4395, 35.7875, 1.8, 14,
     "2024-06-21", "所沢市告示第188号", "mixed", {}),
    ("D-2024-002", "nature_symbiosis_site", "東所沢柳瀬川自然共生サイト", 139.5130, 35.7990, 3.0, 16,
     "2025-02-07", "環境省自然共生サイト認定（令和6年度後期）", "corporate", {}),
    ("D-2025-001", "special_green_conservation_district", "北野特別緑地保全地区", 139.4115, 35.8005, 4.5, 23,
     "2025-08-29", "所沢市告示第276号", "private", {}),
    ("D-2025-002", "citizen_green_space", "下富市民緑地", 139.4650, 35.8235, 1.2, 12,
     "2025-12-19", "所沢市告示第411号", "corporate", {}),
]

SURVEYORS = ["所沢市みどり自然課", "株式会社武蔵野測量設計", "狭山丘陵測地コンサルタント"]

designations_m = {}  # parcel_id -> metric geometry (before rounding)
for pid, scheme, name, lon, lat, ha, n, *_rest in D_SPECS:
    extras = _rest[-1]
    intended = {extras.get("inside"), extras.get("overlap")} - {None}
    clear = [g for other, g in designations_m.items() if other not in intended]
    if "multi" in extras:
        mlon, mlat, share = extras["multi"]
        a = place(lon, lat, ha * (1 - share), n, clear_of=clear)
        b = place(mlon, mlat, ha * share, max(8, n // 2), clear_of=clear + [a], min_gap=20)
        geom = MultiPolygon([a, b])
    else:
        inside = overlap = None
        if "inside" in extras:
            host = designations_m[extras["inside"]]
            here = Point(metric_point(lon, lat))
            inside = min(host.geoms, key=here.distance) if host.geom_type == "MultiPolygon" else host
        if "overlap" in extras:
            overlap = designations_m[extras["overlap"]]
        if inside is not None:
            geom = shrunk_copy(inside, ha, n, clear)
        else:
            geom = place(lon, lat, ha, n, clear_of=clear, overlap_with=overlap)
        if "hole" in extras:
            c = geom.centroid
            for _ in range(200):
                h = blob(c.x + rng.uniform(-60, 60), c.y + rng.uniform(-60, 60), geom.area * extras["hole"], 9)
                if h.buffer(10).within(geom):
                    break
            else:
                raise RuntimeError("no room for the hole")
            geom = Polygon(geom.exterior.coords, [h.exterior.coords])
    designations_m[pid] = geom


def build_designation(spec, geom_m):
    pid, scheme, name, lon, lat, ha, n, designated_on, notice, owner, extras = spec
    ll = round_coords(rfc7946(to_lonlat(geom_m), clockwise=extras.get("cw", False)))
    assert ll.is_valid, (pid, explain_validity(ll))
    assert ll.within(boundary_ll), pid
    area = geodesic_area(ll)
    # The official area comes from the survey, not from the digitised polygon: within ±0.4 %,
    # rounded to 10 m².
    reported = int(round(area * (1 + rng.uniform(-0.004, 0.004)) / 10.0) * 10)
    props = {
        "parcel_id": pid,
        "scheme": scheme,
        "name": name,
        "designated_on": designated_on,
    }
    if "lifted_on" in extras:
        props["lifted_on"] = extras["lifted_on"]
    props.update({
        "notice_no": notice,
        "legal_basis": LEGAL[scheme],
        "reported_area_m2": reported,
        "owner_type": owner,
        "surveyed_by": SURVEYORS[int(pid[-3:]) % len(SURVEYORS)],
    })
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(ll)}, ll


designation_features, designation_geoms = [], {}
for spec in D_SPECS:
    f, ll = build_designation(spec, designations_m[spec[0]])
    designation_features.append(f)
    designation_geoms[spec[0]] = ll

# ---------------------------------------------------------------------------------------------
# acquisitions: many are designated woodland the city (or prefecture, state, a trust) bought.

# (parcel_id, name, acquired_on, acquired_by, method, funding, how)
#   how = ("same", D-id[, part]) | ("clip", D-id, lon, lat, ha, n) | ("blob", lon, lat, ha, n)
A_SPECS = [
    ("A-2010-001", "三ヶ島緑地（買入れ申出）", "2011-03-10", "city", "purchase", "緑の基金・国庫補助（緑地保全等事業）",
     ("clip", "D-2010-002", 139.3950, 35.7955, 5.2, 16)),
    ("A-2011-001", "県営狭山丘陵緑地（糀谷）", "2011-08-01", "prefecture", "purchase", "さいたま緑のトラスト基金",
     ("blob", 139.4205, 35.7825, 6.0, 22, "D-2010-001")),
    ("A-2012-001", "トラスト保全地（堀之内1号地）", "2012-05-20", "trust", "purchase", "トラスト募金",
     ("blob", 139.3975, 35.7840, 1.5, 13)),
    ("A-2013-001", "山口保存樹林（寄附）", "2013-12-02", "city", "donation", "寄附",
     ("same", "D-2012-002")),
    ("A-2014-001", "荒幡緑地", "2014-11-20", "city", "purchase", "緑の基金・国庫補助（緑地保全等事業）",
     ("same", "D-2011-001")),
    ("A-2015-001", "狭山近郊緑地（堀之内）国有地", "2015-09-01", "national", "purchase", "国費（近郊緑地保全事業）",
     ("clip", "D-2010-001", 139.4035, 35.7825, 3.6, 15)),
    ("A-2015-002", "糀谷緑地", "2016-02-26", "city", "purchase", "緑の基金",
     ("clip", "D-2015-001", 139.4105, 35.7870, 2.8, 14)),
    ("A-2017-001", "上山口緑地", "2017-10-13", "city", "purchase", "緑の基金・国庫補助（緑地保全等事業）",
     ("same", "D-2014-001")),
    ("A-2018-001", "トラスト保全地（三ヶ島2号地）", "2018-06-22", "trust", "purchase", "トラスト募金",
     ("blob", 139.4060, 35.8075, 0.9, 10)),
    ("A-2019-001", "くぬぎ山緑地", "2020-03-19", "city", "purchase", "緑の基金・埼玉県補助",
     ("same", "D-2019-001", 0)),
    ("A-2021-001", "県営狭山丘陵緑地（山口）", "2021-12-10", "prefecture", "purchase", "さいたま緑のトラスト基金",
     ("blob", 139.4370, 35.7760, 5.0, 20, "D-2017-002")),
    ("A-2023-001", "北野緑地（代替地交換）", "2023-07-07", "city", "exchange", "土地交換（代替地提供）",
     ("clip", "D-2013-002", 139.4165, 35.7925, 2.0, 12)),
    ("A-2025-001", "上山口緑地（第二期）", "2025-11-10", "city", "purchase", "緑の基金",
     ("clip", "D-2021-001", 139.4140, 35.7785, 2.6, 14)),
]

acq_m = {}
for pid, name, on, by, method, funding, how in A_SPECS:
    others = list(acq_m.values())
    if how[0] == "same":
        g = designations_m[how[1]]
        if len(how) > 2:
            g = g.geoms[how[2]]
    elif how[0] == "clip":
        host = designations_m[how[1]]
        cx, cy = metric_point(how[2], how[3])
        if host.geom_type == "MultiPolygon":
            host = min(host.geoms, key=Point(cx, cy).distance)
        why = {}
        for _ in range(400):
            b = blob(cx + rng.uniform(-60, 60), cy + rng.uniform(-60, 60), how[4] * 10000, how[5])
            g = b.intersection(host)
            reason = ("not one polygon" if g.geom_type != "Polygon" else
                      "mostly outside the designation" if g.area / b.area < 0.55 else
                      "whole designation" if g.area / host.area > 0.85 else
                      "touches another acquisition" if any(g.distance(o) <= 10 for o in others) else
                      "too many vertices" if len(g.exterior.coords) > 41 else None)
            if reason is None:
                break
            why[reason] = why.get(reason, 0) + 1
        else:
            raise RuntimeError(f"{pid}: {why}")
    else:
        g = place(how[1], how[2], how[3], how[4], clear_of=others,
                  overlap_with=designations_m[how[5]] if len(how) > 5 else None)
        if len(how) <= 5:  # stand-alone: keep it off designated land too
            assert all(g.distance(d) > 10 for d in designations_m.values()), pid
    assert all(g.distance(o) > 10 for o in others), pid
    acq_m[pid] = g

acquisition_features, acquisition_geoms = [], {}
for pid, name, on, by, method, funding, how in A_SPECS:
    if how[0] == "same":  # the very same coordinates as the designation (same cadastral parcel)
        src = designation_geoms[how[1]]
        ll = src.geoms[how[2]] if len(how) > 2 else src
    else:
        ll = round_coords(rfc7946(to_lonlat(acq_m[pid])))
    assert ll.is_valid and ll.within(boundary_ll), pid
    area = geodesic_area(ll)
    props = {
        "parcel_id": pid,
        "name": name,
        "acquired_on": on,
        "acquired_by": by,
        "method": method,
        "funding": funding,
        "reported_area_m2": int(round(area * (1 + rng.uniform(-0.004, 0.004)) / 10.0) * 10),
    }
    if how[0] in ("same", "clip"):
        props["designation_ref"] = how[1]
    acquisition_features.append({"type": "Feature", "properties": props, "geometry": geojson_geometry(ll)})
    acquisition_geoms[pid] = ll

# ---------------------------------------------------------------------------------------------
# corrections: a re-survey of one boundary, and a release

CORRECTED_ID, RELEASED_ID, RELEASED_ON = "D-2016-002", "D-2020-001", "2026-01-30"


def corrected_geometry(geom_m):
    """Re-survey: move three consecutive vertices outwards by 3.5–6.5 m and one inwards by 3 m."""
    coords = list(geom_m.exterior.coords)[:-1]
    c = geom_m.centroid
    out = []
    for i, (x, y) in enumerate(coords):
        dx, dy = x - c.x, y - c.y
        d = math.hypot(dx, dy)
        shift = {3: 4.0, 4: 6.5, 5: 3.5, 11: -3.0}.get(i, 0.0)
        out.append((x + dx / d * shift, y + dy / d * shift))
    return Polygon(out)


corrections = []
for f in designation_features:
    pid = f["properties"]["parcel_id"]
    if pid == CORRECTED_ID:
        new_m = corrected_geometry(designations_m[pid])
        assert all(new_m.distance(g) > 5 for k, g in designations_m.items() if k != pid)
        ll = round_coords(rfc7946(to_lonlat(new_m)))
        assert ll.is_valid and ll.within(boundary_ll)
        props = dict(f["properties"])
        props["reported_area_m2"] = int(round(geodesic_area(ll) * 1.0015 / 10.0) * 10)
        props["surveyed_by"] = "株式会社武蔵野測量設計（2026年再測量）"
        corrections.append({"type": "Feature", "properties": props, "geometry": geojson_geometry(ll)})
        corrected_ll = ll
    elif pid == RELEASED_ID:
        props = {}
        for k, v in f["properties"].items():
            props[k] = v
            if k == "designated_on":
                props["lifted_on"] = RELEASED_ON
        props["notice_no"] = "所沢市告示第35号（指定解除）"
        corrections.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})

# ---------------------------------------------------------------------------------------------
# writing

HERE.joinpath("bad").mkdir(exist_ok=True)
shutil.copyfile(BOUNDARY_SRC, HERE / "tokorozawa-boundary.geojson")
dump_collection(HERE / "tokorozawa-designations.geojson", designation_features)
dump_collection(HERE / "tokorozawa-acquisitions.geojson", acquisition_features)
dump_collection(HERE / "tokorozawa-designations-corrections.geojson", corrections)

# ---------------------------------------------------------------------------------------------
# bad files: each otherwise a valid designation upload, one mistake per file


def bad_feature(pid, scheme, name, lon, lat, ha, n, designated_on, **more):
    clear = list(designations_m.values())
    g = place(lon, lat, ha, n, clear_of=clear)
    ll = round_coords(rfc7946(to_lonlat(g)))
    props = {"parcel_id": pid, "scheme": scheme, "name": name, "designated_on": designated_on,
             "notice_no": f"所沢市告示第{rng.randint(100, 450)}号", "legal_basis": LEGAL.get(scheme, "所沢市みどりの条例"),
             "reported_area_m2": int(round(geodesic_area(ll) / 10.0) * 10), "owner_type": "private"}
    props.update(more)
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(ll)}, g


good_a, _ = bad_feature("D-2026-001", "preserved_woodland", "林保存樹林", 139.4425, 35.8020, 0.9, 12, "2026-05-15")
good_b, _ = bad_feature("D-2026-002", "citizen_green_space", "南永井市民緑地", 139.4560, 35.8120, 0.6, 10, "2026-06-26")
bad_notes = {}

# single Feature instead of a FeatureCollection
HERE.joinpath("bad/not-a-feature-collection.geojson").write_text(
    json.dumps(good_a, ensure_ascii=False) + "\n", encoding="utf-8")

# truncated JSON: cut in the middle of the second feature's coordinates
full = dump_collection(HERE / "bad/malformed.geojson", [good_a, good_b])
cut = full.index("[[[", full.index("D-2026-002")) + 60
HERE.joinpath("bad/malformed.geojson").write_text(full[:cut], encoding="utf-8")
bad_notes["malformed"] = f"{cut} bytes, ends mid-coordinate"

# a Point (a planner's single protected tree)
f, _ = bad_feature("D-2026-003", "preserved_woodland", "北秋津保存樹木", 139.4700, 35.7960, 0.2, 8, "2026-04-10")
f["geometry"] = {"type": "Point", "coordinates": [139.4701234, 35.7961234]}
dump_collection(HERE / "bad/point-geometry.geojson", [good_a, f])

# unclosed ring
f, _ = bad_feature("D-2026-004", "citizen_green_space", "牛沼市民緑地", 139.4880, 35.8060, 0.7, 11, "2026-07-03")
f["geometry"]["coordinates"][0] = f["geometry"]["coordinates"][0][:-1]
dump_collection(HERE / "bad/unclosed-ring.geojson", [f])

# ring of 3 positions (closed, so only the count is wrong)
f, _ = bad_feature("D-2026-005", "preserved_woodland", "久米保存樹林", 139.4640, 35.7880, 0.4, 8, "2026-08-07")
ring = f["geometry"]["coordinates"][0]
f["geometry"]["coordinates"][0] = [ring[0], ring[3], ring[0]]
dump_collection(HERE / "bad/too-few-points.geojson", [good_a, f])

# self-intersecting: two neighbouring vertices swapped while digitising -> the ring crosses itself
f, g = bad_feature("D-2026-006", "special_green_conservation_district", "勝楽寺特別緑地保全地区", 139.4150, 35.8080, 1.6, 12, "2026-09-11")
ring = f["geometry"]["coordinates"][0]
ring[4], ring[5] = ring[5], ring[4]
bow = Polygon(ring)
assert not bow.is_valid
bad_notes["self-intersecting"] = explain_validity(bow) + f"; ring positions 4 and 5 swapped: {ring[4]} / {ring[5]}"
dump_collection(HERE / "bad/self-intersecting.geojson", [f])

# projected: JGD2011 / Japan Plane Rectangular CS IX (EPSG:6677), x = easting, y = northing, metres
f, g = bad_feature("D-2026-007", "green_conservation_area", "林緑地保全地域", 139.4455, 35.7975, 2.4, 16, "2026-10-02")
ll = shape(f["geometry"])
proj = transform(TO_METRIC.transform, ll)
proj = Polygon([(round(x, 3), round(y, 3)) for x, y in proj.exterior.coords])
f["geometry"] = geojson_geometry(proj)
dump_collection(HERE / "bad/projected-zone9.geojson", [f])
bad_notes["projected-zone9"] = (f"lon/lat original geodesic area {geodesic_area(ll):.1f} m², planar EPSG:6677 area "
                                f"{proj.area:.1f} m², bounds {tuple(round(v, 1) for v in proj.bounds)}")

# unknown scheme (鳥獣保護区 is real but not a code the registry knows)
f, _ = bad_feature("D-2026-008", "preserved_woodland", "狭山丘陵鳥獣保護区（一部）", 139.4260, 35.7890, 1.1, 13, "2026-04-01")
f["properties"]["scheme"] = "wildlife_protection_area"
f["properties"]["legal_basis"] = "鳥獣の保護及び管理並びに狩猟の適正化に関する法律第28条"
dump_collection(HERE / "bad/unknown-scheme.geojson", [good_a, f])

# missing scheme
f, _ = bad_feature("D-2026-009", "citizen_green_space", "上新井市民緑地", 139.4520, 35.7930, 0.5, 9, "2026-05-29")
del f["properties"]["scheme"]
dump_collection(HERE / "bad/missing-scheme.geojson", [f])

# impossible date
f, _ = bad_feature("D-2020-101", "preserved_woodland", "坂之下保存樹林", 139.5030, 35.8105, 0.5, 9, "2021-02-30")
dump_collection(HERE / "bad/invalid-date.geojson", [f])

# lifted before designated
f, _ = bad_feature("D-2019-101", "preserved_woodland", "本郷保存樹林", 139.5180, 35.8060, 0.6, 10, "2019-06-01",
                   lifted_on="2018-04-01")
dump_collection(HERE / "bad/lifted-before-designated.geojson", [good_b, f])

# duplicate parcel_id within one file
f1, _ = bad_feature("D-2020-007", "citizen_green_space", "若狭市民緑地", 139.4380, 35.8110, 0.8, 11, "2020-11-20")
f2, _ = bad_feature("D-2020-007", "preserved_woodland", "若狭保存樹林", 139.4470, 35.8160, 0.5, 9, "2021-01-08")
dump_collection(HERE / "bad/duplicate-parcel-id.geojson", [f1, f2])

# ---------------------------------------------------------------------------------------------
# reference numbers


def in_force(on, lifted, at):
    return on <= at and (lifted is None or lifted > at)


def union_area(geoms):
    return geodesic_area(unary_union(geoms)) if geoms else 0.0


def fy_end(fy):
    return dt.date(fy + 1, 3, 31).isoformat()


def designation_series(features):
    out = {}
    for fy in range(FIRST_FY, LAST_FY + 1):
        at = fy_end(fy)
        gs = [shape(f["geometry"]) for f in features
              if in_force(f["properties"]["designated_on"], f["properties"].get("lifted_on"), at)]
        out[fy] = (len(gs), union_area(gs))
    return out


def acquisition_series(features, public_only):
    out = {}
    for fy in range(FIRST_FY, LAST_FY + 1):
        at = fy_end(fy)
        gs = [shape(f["geometry"]) for f in features
              if f["properties"]["acquired_on"] <= at and not (public_only and f["properties"]["acquired_by"] == "trust")]
        out[fy] = (len(gs), union_area(gs))
    return out


by_id = {f["properties"]["parcel_id"]: f for f in designation_features}
after = dict(by_id)
for f in corrections:
    after[f["properties"]["parcel_id"]] = f

d_series = designation_series(designation_features)
d_after = designation_series(list(after.values()))
a_all = acquisition_series(acquisition_features, False)
a_pub = acquisition_series(acquisition_features, True)

with open(HERE / "expected-areas.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["fiscal_year", "at", "designations_n", "designations_ha", "designations_after_corrections_n",
                "designations_after_corrections_ha", "acquisitions_n", "acquisitions_ha", "acquisitions_public_n",
                "acquisitions_public_ha"])
    for fy in range(FIRST_FY, LAST_FY + 1):
        w.writerow([fy, fy_end(fy), d_series[fy][0], f"{d_series[fy][1] / 1e4:.4f}", d_after[fy][0],
                    f"{d_after[fy][1] / 1e4:.4f}", a_all[fy][0], f"{a_all[fy][1] / 1e4:.4f}", a_pub[fy][0],
                    f"{a_pub[fy][1] / 1e4:.4f}"])

# ---------------------------------------------------------------------------------------------
# report

print("designations:", len(designation_features), " acquisitions:", len(acquisition_features),
      " corrections:", len(corrections))
print("\nparcel                scheme/by                            ha        reported  vertices  type")
for f in designation_features + acquisition_features:
    p = f["properties"]
    g = shape(f["geometry"])
    print(f"{p['parcel_id']:<12} {p.get('scheme', p.get('acquired_by')):<38} {geodesic_area(g) / 1e4:8.4f} "
          f"{p['reported_area_m2']:>9}  {str(vertex_count(g)):<9} {g.geom_type}"
          f"{' holes' if any(len(pp.interiors) for pp in ([g] if g.geom_type == 'Polygon' else g.geoms)) else ''}"
          f"{' CW' if g.geom_type == 'Polygon' and not g.exterior.is_ccw else ''}")

print("\nsum of designation areas (ha):", round(sum(geodesic_area(g) for g in designation_geoms.values()) / 1e4, 4))
print("sum of acquisition areas (ha):", round(sum(geodesic_area(g) for g in acquisition_geoms.values()) / 1e4, 4))

print("\noverlaps among designations:")
ids = list(designation_geoms)
for i, a in enumerate(ids):
    for b in ids[i + 1:]:
        inter = designation_geoms[a].intersection(designation_geoms[b])
        if inter.area > 0:
            rel = "contains" if designation_geoms[b].within(designation_geoms[a]) else "overlaps"
            print(f"  {a} {rel} {b}: {geodesic_area(inter):.1f} m²")
print("overlaps among acquisitions:")
aids = list(acquisition_geoms)
for i, a in enumerate(aids):
    for b in aids[i + 1:]:
        if acquisition_geoms[a].intersection(acquisition_geoms[b]).area > 0:
            print(f"  {a} / {b}")
print("acquisitions on designated land (share of the acquisition):")
all_d = unary_union(list(designation_geoms.values()))
for a, g in acquisition_geoms.items():
    share = geodesic_area(g.intersection(all_d)) / geodesic_area(g)
    print(f"  {a}: {share * 100:5.1f} %")

c_old, c_new = designation_geoms[CORRECTED_ID], corrected_ll
print(f"\ncorrection {CORRECTED_ID}: {geodesic_area(c_old):.1f} -> {geodesic_area(c_new):.1f} m²;"
      f" release {RELEASED_ID} lifted_on {RELEASED_ON}")
for k, v in bad_notes.items():
    print(f"bad/{k}: {v}")

print("\nunion geodesic area (ha) in force at 31 March closing each FY")
print("FY    designations  (after corrections)  acquisitions  public-only")
for fy in range(FIRST_FY, LAST_FY + 1):
    print(f"{fy}  {d_series[fy][1] / 1e4:9.4f} ({d_series[fy][0]:2})  {d_after[fy][1] / 1e4:9.4f} ({d_after[fy][0]:2})"
          f"        {a_all[fy][1] / 1e4:9.4f} ({a_all[fy][0]:2})  {a_pub[fy][1] / 1e4:9.4f} ({a_pub[fy][0]:2})")
