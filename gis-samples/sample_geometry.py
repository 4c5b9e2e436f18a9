"""Geometry helpers shared by make_samples.py and make_patches.py: JGD2011 lon/lat (EPSG:6668) to plane
rectangular zone IX (EPSG:6677) and back, coordinate rounding, RFC 7946 winding, GeoJSON geometry objects
and files, and the invented organic shapes."""
import json
import math

from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.ops import transform

TO_METRIC = Transformer.from_crs("EPSG:6668", "EPSG:6677", always_xy=True)  # x = easting, y = northing
TO_LONLAT = Transformer.from_crs("EPSG:6677", "EPSG:6668", always_xy=True)


def to_metric(geom):
    return transform(TO_METRIC.transform, geom)


def to_lonlat(geom):
    return transform(TO_LONLAT.transform, geom)


def metric_point(lon, lat):
    return TO_METRIC.transform(lon, lat)


def round_coords(geom, ndigits=7):
    """Round every coordinate (lon/lat: 7 decimals ≈ 1 cm) keeping ring orientation as is."""
    def rnd(ring):
        return [(round(x, ndigits), round(y, ndigits)) for x, y in ring.coords]

    if geom.geom_type == "Polygon":
        return Polygon(rnd(geom.exterior), [rnd(r) for r in geom.interiors])
    return MultiPolygon([round_coords(p, ndigits) for p in geom.geoms])


def rfc7946(geom, clockwise=False):
    """RFC 7946 winding (exterior CCW, holes CW) or, on purpose, the opposite."""
    sign = -1.0 if clockwise else 1.0
    if geom.geom_type == "Polygon":
        return orient(geom, sign)
    return MultiPolygon([orient(p, sign) for p in geom.geoms])


def geojson_geometry(geom):
    g = mapping(geom)

    def lists(c):
        return [lists(x) for x in c] if isinstance(c[0], (tuple, list)) else list(c)

    return {"type": g["type"], "coordinates": lists(g["coordinates"])}


def ellipse_m(lon, lat, semi_east, semi_north):
    cx, cy = metric_point(lon, lat)
    return Polygon([(cx + semi_east * math.cos(t), cy + semi_north * math.sin(t))
                    for t in (i * 2 * math.pi / 48 for i in range(48))])


def organic_polygon(rng, cx, cy, area_m2, n_vertices, elongation=None, rotation=None, *,
                    max_elongation, harmonic_amplitude, jitter, min_radius):
    """An organic, star-shaped (hence simple) polygon of the given planar area around (cx, cy).

    The radius is 1 plus four harmonics (amplitude drawn from harmonic_amplitude = (low, high), high
    divided by sqrt of the harmonic's order) plus noise within ±jitter, never below min_radius. Each
    script passes its own style; the draws from rng come in a fixed order, so a seeded rng gives the
    same shapes on every run."""
    if elongation is None:
        elongation = rng.uniform(1.0, max_elongation)
    if rotation is None:
        rotation = rng.uniform(0, math.pi)
    low, high = harmonic_amplitude
    harmonics = [(k, rng.uniform(low, high / k ** 0.5), rng.uniform(0, 2 * math.pi)) for k in (1, 2, 3, 5)]
    step = 2 * math.pi / n_vertices
    start = rng.uniform(0, step)
    pts = []
    for i in range(n_vertices):
        theta = start + i * step + rng.uniform(-0.3, 0.3) * step
        r = 1.0 + sum(a * math.cos(k * theta + ph) for k, a, ph in harmonics) + rng.uniform(-jitter, jitter)
        r = max(r, min_radius)
        x, y = r * math.cos(theta) * elongation, r * math.sin(theta)
        pts.append((x * math.cos(rotation) - y * math.sin(rotation), x * math.sin(rotation) + y * math.cos(rotation)))
    scale = math.sqrt(area_m2 / Polygon(pts).area)
    return Polygon([(cx + x * scale, cy + y * scale) for x, y in pts])


def dump_collection(path, features, extra=None):
    """A FeatureCollection with one feature per line: small diffs, still valid JSON. extra: more top-level
    members, written before "features". Returns the text written."""
    head = {"type": "FeatureCollection"}
    if extra:
        head.update(extra)
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [']
    lines.append(",\n".join(json.dumps(f, ensure_ascii=False) for f in features))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity
    path.write_text(text, encoding="utf-8")
    return text
