#!/usr/bin/env python3
"""Writes a large GeoJSON FeatureCollection of designations for the upload benchmark: about SIZE megabytes of simple,
valid parcels (12-vertex polygons on a grid around Tokorozawa, none overlapping), fast to make at any size.
The parcels mean nothing; the file is for measuring what an upload of that size costs. Standard library only.

    python3 bench/generate_upload.py --megabytes 250 -o bench/out/upload-250mb.geojson
"""
import argparse
import math
import sys

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--megabytes", type=float, default=250)
parser.add_argument("-o", "--output", required=True)
args = parser.parse_args()

target = args.megabytes * 1_000_000
side = 1500  # parcels per row: 1,500 × 1,500 fit in 0.45° × 0.35°
step_lon, step_lat = 0.45 / side, 0.35 / side
written = 0
with open(args.output, "w", encoding="utf-8") as out:
    out.write('{"type":"FeatureCollection","features":[\n')
    i = 0
    while written < target:
        lon0, lat0 = 139.25 + (i % side) * step_lon, 35.60 + (i // side) * step_lat
        ring = []
        for k in range(12):
            a = 2 * math.pi * k / 12
            ring.append(f"[{lon0 + step_lon * 0.4 * (1 + math.cos(a)):.7f},{lat0 + step_lat * 0.4 * (1 + math.sin(a)):.7f}]")
        ring.append(ring[0])
        feature = ('{"type":"Feature","properties":{"parcel_id":"U-%07d","scheme":"citizen_green_space","designated_on":"2020-04-01",'
                   '"name":"市民緑地 %d","notice_no":"所沢市告示第%d号","legal_basis":"都市緑地法第55条"},'
                   '"geometry":{"type":"Polygon","coordinates":[[%s]]}}' % (i, i, i, ",".join(ring)))
        out.write(("," if i else "") + feature + "\n")
        written += len(feature.encode("utf-8")) + 2
        i += 1
    out.write("]}\n")
print(f"{i} parcels, {written / 1e6:.0f} MB", file=sys.stderr)
