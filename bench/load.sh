#!/usr/bin/env bash
# Benchmark (not a test): light reads (GET /collections, a page of 100 designations) alone and while eight heavy
# requests (the network's indices over 2,500 habitat patches, each with another threshold) run; see bench/load.py.
# Goal (issue #12): p99 <= 300 ms for the light reads while the heavy ones run.
#   bench/load.sh [HEAVY] [SECONDS]     (defaults 8 and 30)
# Env: BENCH_PORT (API, default 5092), BENCH_PG_PORT (own cluster in .data/bench-pg, default 55442), and any
# Habitat__… setting for the API (e.g. Habitat__HeavyRequests__AtOnce=2).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh

HEAVY=${1:-8}
SECONDS_UNDER_LOAD=${2:-30}
PORT=${BENCH_PORT:-5092}
PG_PORT=${BENCH_PG_PORT:-55442}
OUT=bench/out
API=http://127.0.0.1:$PORT
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
mkdir -p "$OUT"

say "building (Release)"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2

export PGOPTIONS=--client-min-messages=warning
start_cluster "$ROOT/.data/bench-pg" "$PG_PORT"
psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U habitat -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "drop database if exists habitat_load" -c "create database habitat_load"
"${psql[@]}" -d habitat_load -c "create extension if not exists postgis"
export HABITAT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=habitat;Database=habitat_load"
dotnet "$DLL" migrate >/dev/null
dotnet "$DLL" import designations gis-samples/tokorozawa-designations.geojson >/dev/null
# 2,500 small patches 100 m apart: their indices take seconds for thresholds of kilometres.
python3 - > "$OUT/load-patches.geojson" <<'PY'
import json
features = []
for i in range(2500):
    w, s = 139.30 + i % 50 * 0.002, 35.70 + i // 50 * 0.002
    ring = [[w, s], [w + 0.0005, s], [w + 0.0005, s + 0.0005], [w, s + 0.0005], [w, s]]
    features.append({"type": "Feature", "properties": {"patch_id": f"P-{i}", "habitat": "woodland"}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
print(json.dumps({"type": "FeatureCollection", "features": features}))
PY
dotnet "$DLL" import habitat-patches "$OUT/load-patches.geojson" >/dev/null

say "starting the API on $API"
(cd "$(dirname "$DLL")" && exec dotnet "$(basename "$DLL")" --urls "$API") >"$OUT/load-api.log" 2>&1 &
API_PID=$!
trap 'kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true; stop_cluster "$ROOT/.data/bench-pg"' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$API/health/ready" && break; sleep 1; done
for p in /collections "/collections/designations/items?limit=100"; do curl -sf -o /dev/null "$API$p"; done  # warm up

echo
echo "$HEAVY heavy clients; $(nproc) processors; heavy requests at once: ${Habitat__HeavyRequests__AtOnce:-default}, queue ${Habitat__HeavyRequests__Queue:-default}"
echo
python3 bench/load.py "$API" --heavy "$HEAVY" --seconds "$SECONDS_UNDER_LOAD"
