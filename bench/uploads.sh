#!/usr/bin/env bash
# Benchmark (not a test): four uploads of about 250 MB at once (dry runs into designations: read, checked and copied
# into the database, then rolled back), and the API's resident memory: before, at its peak (sampled every 0.2 s), and
# 30 s after. Goal (issue #12): under 1 GB at the peak, and back down afterwards.
#   bench/uploads.sh [MEGABYTES] [UPLOADS]     (defaults 250 and 4)
# Env: BENCH_PORT (API, default 5091), BENCH_PG_PORT (own cluster in .data/bench-pg, default 55442).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh

MB=${1:-250}
UPLOADS=${2:-4}
PORT=${BENCH_PORT:-5091}
PG_PORT=${BENCH_PG_PORT:-55442}
OUT=bench/out
DATA=$OUT/upload-${MB}mb.geojson
API=http://127.0.0.1:$PORT
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
mkdir -p "$OUT"

say "building (Release)"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2
[ -s "$DATA" ] || python3 bench/generate_upload.py --megabytes "$MB" -o "$DATA"

export PGOPTIONS=--client-min-messages=warning
start_cluster "$ROOT/.data/bench-pg" "$PG_PORT"
psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U habitat -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "drop database if exists habitat_uploads" -c "create database habitat_uploads"
"${psql[@]}" -d habitat_uploads -c "create extension if not exists postgis"
export HABITAT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=habitat;Database=habitat_uploads"
dotnet "$DLL" migrate >/dev/null
(umask 077 && printf 'Authorization: Bearer %s\n' "$(dotnet "$DLL" api-keys create --name bench --role editor 2>/dev/null | tail -n 1)" > "$OUT/uploads.header")

say "starting the API on $API"
(cd "$(dirname "$DLL")" && exec dotnet "$(basename "$DLL")" --urls "$API") >"$OUT/uploads-api.log" 2>&1 &
API_PID=$!
trap 'kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true; stop_cluster "$ROOT/.data/bench-pg"' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$API/health/live" && break; sleep 1; done

rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$API_PID/status"; }
anon() { awk '/RssAnon/ { printf "%.0f", $2 / 1024 }' "/proc/$API_PID/status"; }
# Warmed up by one small upload, so "before" holds the code an upload runs (compiled once, kept for good).
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"parcel_id":"W-1","scheme":"other","designated_on":"2020-04-01"},"geometry":{"type":"Polygon","coordinates":[[[139.4,35.8],[139.401,35.8],[139.401,35.801],[139.4,35.8]]]}}]}' \
  | curl -sf -o /dev/null -X POST -H "@$OUT/uploads.header" -H 'Content-Type: application/geo+json' --data-binary @- "$API/imports/designations?dryRun=true"
sleep 2
BEFORE=$(rss)
BEFORE_ANON=$(anon)
say "$UPLOADS uploads of $(du -m "$DATA" | cut -f1) MB at once (the API holds $BEFORE MB)"
PEAK=$BEFORE
PEAK_ANON=$BEFORE_ANON
START=$(date +%s.%N)
PIDS=()
for i in $(seq "$UPLOADS"); do
  curl -sS -o "$OUT/upload-$i.json" -w "%{http_code} %{time_total}\n" -X POST -H "@$OUT/uploads.header" -H 'Content-Type: application/geo+json' \
    --data-binary "@$DATA" "$API/imports/designations?dryRun=true" > "$OUT/upload-$i.status" &
  PIDS+=($!)
done
while kill -0 "${PIDS[@]}" 2>/dev/null; do
  NOW=$(rss); [ "$NOW" -gt "$PEAK" ] && PEAK=$NOW
  NOW=$(anon); [ "$NOW" -gt "$PEAK_ANON" ] && PEAK_ANON=$NOW
  sleep 0.2
done
wait "${PIDS[@]}" || true
WALL=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
sleep 30
AFTER=$(rss)
AFTER_ANON=$(anon)

echo
echo "$UPLOADS uploads of $(du -m "$DATA" | cut -f1) MB ($(grep -o '"features":[0-9]*' "$OUT/upload-1.json" | cut -d: -f2) features each), dry runs; $(nproc) processors"
echo
echo "| upload | HTTP | seconds |"
echo "|---|---|---|"
for i in $(seq "$UPLOADS"); do read -r code secs < "$OUT/upload-$i.status"; echo "| $i | $code | $secs |"; done
echo
echo "| resident memory (MB) | before (warmed up) | peak | 30 s after | all done in (s) | goal: peak < 1024, and back down |"
echo "|---|---|---|---|---|---|"
GOAL=$(awk -v p="$PEAK" -v a="$AFTER" -v b="$BEFORE" 'BEGIN { print (p < 1024 && a < (p + b) / 2) ? "**met**" : "**missed**" }')
echo "| API, all resident memory | $BEFORE | $PEAK | $AFTER | $WALL | $GOAL |"
echo "| of it anonymous (not mapped files) | $BEFORE_ANON | $PEAK_ANON | $AFTER_ANON | | |"
