#!/usr/bin/env python3
"""The vector-tile sweep of bench/tiles.sh: the tiles, the raw SQL through psql, the API cold and warm; a Markdown table.

    python3 bench/tiles.py --api http://127.0.0.1:5094 --psql "psql -h … -d habitat_bench" --out bench/out/tiles

Tiles: every WebMercatorQuad tile over the data's extent at zoom 10-13, and a fixed random sample (seed 14) of
--sample tiles over it at each of zoom 14-16. Standard library only; curl and psql do the requests.
"""
import argparse
import math
import random
import shlex
import subprocess
import time

LON0, LON1, LAT0, LAT1 = 139.25, 139.70, 35.60, 35.95  # bench/generate_parcels.py's square

# The SQL VectorTileQueries.RegisterTile builds for the designations (no datetime), with the tile's numbers written in.
RAW = """select length(ST_AsMVT(t, 'designations', 4096, 'geom', 'fid')) from (
  select id as fid, parcel_id as "id", scheme as "scheme", to_char(designated_on, 'YYYY-MM-DD') as "designated_on",
    to_char(lifted_on, 'YYYY-MM-DD') as "lifted_on", name as "name", notice_no as "notice_no", legal_basis as "legal_basis",
    reported_area_m2::float8 as "reported_area_m2", round((area_m2 / 10000)::numeric, 4)::float8 as "area_ha", version as "version",
    ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope({z}, {x}, {y}), 4096, 64, true) as geom
  from designations where superseded_at is null and geom && ST_Transform(ST_TileEnvelope({z}, {x}, {y}, margin => 0.015625), 4326)
) t where geom is not null;
"""


def tile(lon, lat, z):
    n = 2 ** z
    return (int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n), int((lon + 180) / 360 * n))


def sweep(sample):
    tiles = {}
    rng = random.Random(14)
    for z in range(10, 17):
        (y0, x0), (y1, x1) = tile(LON0, LAT1, z), tile(LON1, LAT0, z)
        every = [(z, y, x) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
        tiles[z] = every if z <= 13 else sorted(rng.sample(every, min(sample, len(every))))
    return tiles


def run(command, **kwargs):
    started = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - started, result.stdout


def raw_sql(psql, tiles):
    script = "".join(RAW.format(z=z, y=y, x=x) for z, y, x in tiles)
    seconds, output = run(shlex.split(psql) + ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], input=script)
    sizes = [int(line) for line in output.split()]
    assert len(sizes) == len(tiles), f"psql answered {len(sizes)} tiles of {len(tiles)}"
    return seconds, sizes


def curl_config(api, tiles, repeat=1):
    lines = []
    for _ in range(repeat):
        for z, y, x in tiles:
            lines.append(f'url = "{api}/collections/designations/tiles/WebMercatorQuad/{z}/{y}/{x}"\noutput = "/dev/null"\n')
    return "".join(lines)


def api_cold(api, tiles):
    """One request after another on one connection, each tile asked for the first time."""
    seconds, output = run(["curl", "-s", "-K", "-", "-w", "%{http_code} %{size_download}\n"], input=curl_config(api, tiles))
    answers = [line.split() for line in output.splitlines()]
    assert all(code in ("200", "204") for code, _ in answers), f"failed requests: {[a for a in answers if a[0] not in ('200', '204')][:5]}"
    return seconds, [int(size) for _, size in answers]


def api_warm(api, tiles, requests, parallel, gzip=False):
    """Every tile from the cache, many at once; gzip: Accept-Encoding as a browser (and so MapLibre) sends it."""
    repeat = max(1, requests // len(tiles))
    seconds, output = run(["curl", "-s", "--parallel", "--parallel-immediate", "--parallel-max", str(parallel), "-K", "-",
                           "-w", "%{http_code}\n"] + (["--compressed"] if gzip else []), input=curl_config(api, tiles, repeat))
    codes = output.split()
    assert all(code in ("200", "204") for code in codes), f"failed: {[c for c in codes if c not in ('200', '204')][:5]}"
    return seconds, len(codes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--sample", type=int, default=150)
    parser.add_argument("--warm-requests", type=int, default=20000)
    parser.add_argument("--parallel", type=int, default=32)
    args = parser.parse_args()
    tiles = sweep(args.sample)

    # Warm PostgreSQL's buffers and the API's code first (a register with nothing in it), so both sides start alike.
    raw_sql(args.psql, [t for z in tiles for t in tiles[z]])
    run(["curl", "-s", "-o", "/dev/null"] + [f"{args.api}/collections/acquisitions/tiles/WebMercatorQuad/{z}/{y}/{x}" for z, y, x in tiles[14][:50]])

    rows = []
    totals = [0, 0.0, 0.0, 0]
    for z, zoom_tiles in tiles.items():
        sql_s, sql_sizes = raw_sql(args.psql, zoom_tiles)
        api_s, api_sizes = api_cold(args.api, zoom_tiles)
        # The same features; the bytes differ by a few per cent where PostgreSQL aggregates in parallel workers, whose
        # order of rows orders the layer's key and value tables (psql against psql differs as much).
        assert all((a == 0) == (b == 0) and abs(a - b) <= 0.1 * b for a, b in zip(api_sizes, sql_sizes)), f"zoom {z}: the API's tiles differ from the raw SQL's"
        empty = sum(1 for s in api_sizes if s == 0)
        rows.append((f"{z}" + (" (sample)" if z >= 14 else ""), len(zoom_tiles), empty, sum(api_sizes) / len(api_sizes) / 1024,
                     len(zoom_tiles) / sql_s, len(zoom_tiles) / api_s, sql_s / api_s))
        totals[0] += len(zoom_tiles)
        totals[1] += sql_s
        totals[2] += api_s
        totals[3] += empty
    every = [t for z in tiles for t in tiles[z]]
    warm_s, warm_n = api_warm(args.api, every, args.warm_requests, args.parallel)
    # A map at street level asks for zoom 14-16 tiles; the sweep's warm figure also moves zoom 10's megabytes each round.
    deep = [t for z in (14, 15, 16) for t in tiles[z]]
    deep_s, deep_n = api_warm(args.api, deep, args.warm_requests, args.parallel)
    gzip_s, gzip_n = api_warm(args.api, every, args.warm_requests, args.parallel, gzip=True)

    print("| zoom | tiles | empty (204) | mean size, KiB | raw SQL (psql), tiles/s | API cold, tiles/s | API cold / raw SQL |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, empty, size, sql_rate, api_rate, ratio in rows:
        print(f"| {name} | {n} | {empty} | {size:.1f} | {sql_rate:.1f} | {api_rate:.1f} | {ratio:.2f}× |")
    ratio = totals[1] / totals[2]
    print(f"| **all** | {totals[0]} | {totals[3]} | | {totals[0] / totals[1]:.1f} | {totals[0] / totals[2]:.1f} | **{ratio:.2f}×** (goal ≥ 0.8×: {'**met**' if ratio >= 0.8 else '**missed**'}) |")
    print()
    for name, seconds, n, mib in (("every tile above", warm_s, warm_n, None), ("the zoom 14-16 tiles", deep_s, deep_n, None),
                                  ("every tile above, gzip as a browser asks (curl --compressed)", gzip_s, gzip_n, None)):
        rate = n / seconds
        print(f"Warm, {name} cached ({n:,} requests, {args.parallel} at once, curl --parallel): "
              f"{seconds:.2f} s, **{rate:,.0f} tiles/s** (goal ≥ 2,000: {'**met**' if rate >= 2000 else '**missed**'})  ")


if __name__ == "__main__":
    main()
