#!/usr/bin/env bash
# Benchmark (not a test): vector tiles of 100,000 generated designations (bench/generate_parcels.py) through the Release
# API, beside the same SQL run raw through psql (the limit): every tile over the data at zoom 10-13 and a fixed random
# sample at 14-16, cold (each tile asked for the first time, one after another) and warm (all cached, many at once).
#   bench/tiles.sh [N]
# Env: BENCH_PORT (API, default 5094), BENCH_PG_PORT (own PostgreSQL cluster in .data/bench-tiles-pg, default 55446),
#      BENCH_SAMPLE (tiles per zoom at 14-16, default 150), BENCH_WARM (warm requests, default 20000), BENCH_PARALLEL (32).
# Goals (docs/benchmarks.md): cold >= 0.8 x the raw SQL's tiles/s; warm >= 2,000 tiles/s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh

N=${1:-100000}
PORT=${BENCH_PORT:-5094}
PG_PORT=${BENCH_PG_PORT:-55446}
OUT=bench/out
DATA=$OUT/parcels-$N.geojson
API=http://127.0.0.1:$PORT
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
mkdir -p "$OUT"

say "building (Release)"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2

export PGOPTIONS=--client-min-messages=warning
say "database habitat_tiles on 127.0.0.1:$PG_PORT (re-created empty)"
start_cluster "$ROOT/.data/bench-tiles-pg" "$PG_PORT"
psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U habitat -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "drop database if exists habitat_tiles" -c "create database habitat_tiles"
"${psql[@]}" -d habitat_tiles -c "create extension if not exists postgis"
export HABITAT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=habitat;Database=habitat_tiles"
dotnet "$DLL" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }

if [ ! -s "$DATA" ]; then
  say "generating $N parcels into $DATA"
  python3 bench/generate_parcels.py -n "$N" -o "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi
say "importing $N designations (command line)"
dotnet "$DLL" import designations "$DATA" --by bench >"$OUT/tiles-import.log" 2>&1 || { cat "$OUT/tiles-import.log" >&2; die "import failed"; }
"${psql[@]}" -d habitat_tiles -c "vacuum analyze designations"

say "starting the API on $API"
(cd "$(dirname "$DLL")" && exec dotnet "$(basename "$DLL")" --urls "$API") >"$OUT/tiles-api.log" 2>&1 &  # appsettings.json from bin
API_PID=$!
cleanup() {
  kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true
  stop_cluster "$ROOT/.data/bench-tiles-pg"
}
trap cleanup EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$API/" && break; sleep 1; done
curl -sf -o /dev/null "$API/" || die "the API did not start; see $OUT/tiles-api.log"

say "sweep: zoom 10-16, raw SQL and API cold, then API warm"
python3 bench/tiles.py --api "$API" --psql "$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U habitat -d habitat_tiles" \
  --sample "${BENCH_SAMPLE:-150}" --warm-requests "${BENCH_WARM:-20000}" --parallel "${BENCH_PARALLEL:-32}"
echo
echo "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
