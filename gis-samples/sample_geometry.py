"""Geometry helpers shared by make_samples.py and make_patches.py: JGD2011 lon/lat (EPSG:6668) to plane
rectangular zone IX (EPSG:6677) and back, coordinate rounding, RFC 7946 winding, GeoJSON geometry objects."""
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
