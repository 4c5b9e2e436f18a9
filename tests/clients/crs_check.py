#!/usr/bin/python3
"""Checks a collection's features in other coordinate systems (OGC API - Features Part 2) against PROJ, independently:
every feature is read in CRS84 and in each system asked for, and each CRS84 coordinate, transformed by pyproj into
that system's official axis order, must land within --tolerance metres of what the service sent.

    /usr/bin/python3 tests/clients/crs_check.py URL COLLECTION CRS_URI... [--header 'Authorization: Bearer KEY']

Prints one JSON object: per system, the features compared, the largest difference in metres, the Content-Crs header.
Exit 0 when every system is within the tolerance, 1 otherwise.
"""
import argparse
import json
import math
import sys
import urllib.parse
import urllib.request

from pyproj import CRS, Transformer


def fetch(url, headers):
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json", **headers})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response), response.headers.get("Content-Crs")


def all_features(url, headers):
    """Every feature, following next links; the Content-Crs of the first page."""
    features, crs_header = [], None
    while url:
        page, header = fetch(url, headers)
        crs_header = crs_header or header
        features += page["features"]
        url = next((l["href"] for l in page.get("links", []) if l["rel"] == "next"), None)
    return features, crs_header


def positions(geometry):
    if geometry is None:
        return []
    def walk(node):
        if isinstance(node[0], (int, float)):
            yield node
        else:
            for child in node:
                yield from walk(child)
    return list(walk(geometry["coordinates"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("collection")
    parser.add_argument("crs", nargs="+")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--tolerance", type=float, default=0.001)
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    items = f"{args.url.rstrip('/')}/collections/{args.collection}/items"

    reference, _ = all_features(f"{items}?limit=1000", headers)
    by_id = {f["id"]: f for f in reference}
    result = {"collection": args.collection, "features": len(reference), "systems": {}}
    ok = bool(reference)
    for uri in args.crs:
        target = CRS.from_user_input(uri.replace("http://www.opengis.net/def/crs/EPSG/0/", "EPSG:"))
        # Official axis order (always_xy=False): what Part 2 requires of the service.
        to_target = Transformer.from_crs("OGC:CRS84", target, always_xy=False)
        served, header = all_features(f"{items}?limit=1000&crs={urllib.parse.quote(uri, safe='')}", headers)
        largest, compared, problems = 0.0, 0, []
        if {f["id"] for f in served} != set(by_id):
            problems.append("not the same features as in CRS84")
        for feature in served:
            expected = [to_target.transform(x, y) for x, y, *_ in positions(by_id[feature["id"]]["geometry"])]
            got = positions(feature["geometry"])
            if len(expected) != len(got):
                problems.append(f"{feature['id']}: {len(got)} positions, {len(expected)} in CRS84")
                continue
            for (e1, e2), (g1, g2, *_) in zip(expected, got):
                if target.is_geographic:  # degrees (latitude first) to metres
                    d = math.hypot((g1 - e1) * 111_320, (g2 - e2) * 111_320 * math.cos(math.radians(e1)))
                else:
                    d = math.hypot(g1 - e1, g2 - e2)
                largest = max(largest, d)
                compared += 1
        if header != f"<{uri}>":
            problems.append(f"Content-Crs is {header!r}")
        if largest > args.tolerance:
            problems.append(f"largest difference {largest:.6f} m")
        ok = ok and not problems
        result["systems"][uri] = {"positions": compared, "largestDifferenceMetres": largest, "contentCrs": header, "problems": problems}
    result["ok"] = ok
    print(json.dumps(result, indent=1))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
