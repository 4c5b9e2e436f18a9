#!/usr/bin/env bash
# Benchmark (not a test): N generated parcels (default 100,000) through the Release API, then the annual target
# report with 10,000 acquisitions and 10,000 activities more; prints a Markdown table.
#   bench/run.sh [N]
# Env: BENCH_PORT (API, default 5090), BENCH_PG_PORT (own PostgreSQL cluster in .data/bench-pg, default 55442),
#      BENCH_ANALYZE=1 runs ANALYZE on the table after the import. Autovacuum is off for the table, so the figures
#      do not depend on whether it happened to analyze the table before a request (it does within a minute or so).
#      BENCH_KEEP_DB=1 leaves that cluster running afterwards (database habitat_bench) for EXPLAIN ANALYZE.
# Exits non-zero if a request fails; a failed /items or /reports request is still listed in the table.
# Goals (docs/benchmarks.md): import >= 5,000 features/s; 10,000 features from /items in <= 1 s; area series <= 5 s;
# the annual target report <= 2 s, also right after an import (and then it must include that import).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh

N=${1:-100000}
PORT=${BENCH_PORT:-5090}
PG_PORT=${BENCH_PG_PORT:-55442}
OUT=bench/out
DATA=$OUT/parcels-$N.geojson
ACQUISITIONS=$OUT/acquisitions-10000.geojson
ACTIVITIES=$OUT/activities-10000.geojson
API=http://127.0.0.1:$PORT
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
mkdir -p "$OUT"

say "building (Release)"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2

export PGOPTIONS=--client-min-messages=warning
say "database habitat_bench on 127.0.0.1:$PG_PORT (re-created empty)"
start_cluster "$ROOT/.data/bench-pg" "$PG_PORT"
psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U habitat -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "drop database if exists habitat_bench" -c "create database habitat_bench"
"${psql[@]}" -d habitat_bench -c "create extension if not exists postgis"
export HABITAT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=habitat;Database=habitat_bench"
dotnet "$DLL" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }
"${psql[@]}" -d habitat_bench -c "alter table designations set (autovacuum_enabled = off)" -c "alter table acquisitions set (autovacuum_enabled = off)"
# Changes need a key: one for the benchmark, sent as a header file (a key on the command line shows in the process list).
(umask 077 && printf 'Authorization: Bearer %s\n' "$(dotnet "$DLL" api-keys create --name bench --role admin --replace 2>/dev/null | tail -n 1)" > "$OUT/bench.header")

if [ ! -s "$DATA" ]; then
  say "generating $N parcels into $DATA"
  python3 bench/generate_parcels.py -n "$N" -o "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi
[ -s "$ACQUISITIONS" ] || python3 bench/generate_parcels.py -n 10000 --register acquisitions --seed 2012 -o "$ACQUISITIONS"
[ -s "$ACTIVITIES" ] || python3 bench/generate_activities.py -n 10000 -o "$ACTIVITIES"

say "starting the API on $API"
(cd "$(dirname "$DLL")" && exec dotnet "$(basename "$DLL")" --urls "$API") >"$OUT/api.log" 2>&1 &  # appsettings.json from bin
API_PID=$!
cleanup() {
  kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true
  [ "${BENCH_KEEP_DB:-}" = 1 ] || stop_cluster "$ROOT/.data/bench-pg"
}
trap cleanup EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$API/" && break; sleep 1; done
curl -sf -o /dev/null "$API/" || die "the API did not start; see $OUT/api.log"

# req NAME CURL-ARGS…: body to $OUT/NAME.json; sets T (seconds), BYTES and FAILED (empty on HTTP 200).
FAILURES=0
req() {
  local name=$1 code; shift
  read -r code T BYTES < <(curl -sS --max-time 300 -o "$OUT/$name.json" -w '%{http_code} %{time_total} %{size_download}\n' "$@" || echo 000 0 0)
  FAILED=
  if [ "$code" != 200 ]; then
    FAILED="failed: HTTP $code"
    FAILURES=$((FAILURES + 1))
    printf 'error: %s: HTTP %s after %s s: %s\n' "$name" "$code" "$T" "$(head -c 600 "$OUT/$name.json" 2>/dev/null)" >&2
  fi
}
# field FILE EXPRESSION: a value from a JSON response (r is the document).
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
ROWS=()
row() { ROWS+=("| $1 | $2 | $(printf %.2f "$3") | $4 | $5 |"); }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = op == ">=" ? a >= b : a <= b; print ok ? "**met**" : "**missed**" }'; }

say "import: POST /imports/designations ($(du -m "$DATA" | cut -f1) MB)"
for run in new unchanged; do
  req "import-$run" -X POST -H "@$OUT/bench.header" -H 'Content-Type: application/geo+json' --data-binary "@$DATA" "$API/imports/designations"
  [ -z "$FAILED" ] || die "import ($run) failed"
  counts=$(field "$OUT/import-$run.json" '"%d created, %d updated, %d unchanged" % (r["created"], r["updated"], r["unchanged"])')
  expected=$([ $run = new ] && echo "$N created" || echo "$N unchanged")
  [[ $counts == *"$expected"* ]] || die "import ($run): $counts, expected $expected"
  rate=$(awk -v n="$N" -v t="$T" 'BEGIN { printf "%d", n / t }')
  [ $run = new ] && goal="≥ 5,000 features/s: $(verdict "$rate" ">=" 5000)" || goal="–"
  row "$([ $run = new ] && echo "import into the empty table" || echo "re-import of the same file")" 1 "$T" "$rate features/s ($counts)" "$goal"
done
if [ "${BENCH_ANALYZE:-}" = 1 ]; then
  start=$(date +%s.%N)
  "${psql[@]}" -d habitat_bench -c "analyze designations"
  row "ANALYZE designations (BENCH_ANALYZE=1)" 1 "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')" "–" "–"
fi

say "items: GET /collections/designations/items?limit=10000 (3 times)"
for run in 1 2 3; do
  req items -H 'Accept: application/geo+json' "$API/collections/designations/items?limit=10000"
  [ -n "$FAILED" ] && { row "items, 10,000 features" "$run" "$T" "$FAILED; later runs skipped" "≤ 1 s: **missed**"; break; }
  returned=$(field "$OUT/items.json" 'r["numberReturned"]')
  [ "$returned" = $((N < 10000 ? N : 10000)) ] || die "items: numberReturned $returned, expected $((N < 10000 ? N : 10000))"
  row "items, 10,000 features" "$run" "$T" "$(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')" "≤ 1 s: $(verdict "$T" "<=" 1)"
done

for method in ellipsoidal planar; do
  say "area: GET /reports/area?register=designations&from=2011&to=2025&method=$method (3 times)"
  for run in 1 2 3; do
    req "area-$method" "$API/reports/area?register=designations&from=2011&to=2025&method=$method"
    [ -n "$FAILED" ] && { row "area series FY2011–2025, $method" "$run" "$T" "$FAILED; later runs skipped" "≤ 5 s: **missed**"; break; }
    last=$(field "$OUT/area-$method.json" '"%d years, FY%d %.1f ha in %d records" % (len(r["years"]), r["years"][-1]["fiscalYear"], r["years"][-1]["areaHa"], r["years"][-1]["records"])')
    [[ $last == "15 years"* ]] || die "area ($method): $last"
    row "area series FY2011–2025, $method" "$run" "$T" "$last" "≤ 5 s: $(verdict "$T" "<=" 5)"
  done
done

say "target report: 10,000 acquisitions, 10,000 activities and the eight sample targets more"
for register in acquisitions activities; do
  file=$([ $register = acquisitions ] && echo "$ACQUISITIONS" || echo "$ACTIVITIES")
  req "import-$register" -X POST -H "@$OUT/bench.header" -H 'Content-Type: application/geo+json' --data-binary "@$file" "$API/imports/$register"
  [ -z "$FAILED" ] || die "import of $register failed"
done
dotnet "$DLL" targets gis-samples/tokorozawa-targets.json >"$OUT/targets.log" 2>&1 || { cat "$OUT/targets.log" >&2; die "loading the targets failed"; }
dotnet "$DLL" city-boundary gis-samples/tokorozawa-boundary.geojson --credit "Source: National Land Numerical Information (Administrative Areas), MLIT Japan; processed" >>"$OUT/targets.log" 2>&1 \
  || { cat "$OUT/targets.log" >&2; die "loading the city boundary failed"; }
designated() { field "$1" 'next(t["actual"] for t in r["targets"] if t["code"] == "1-1-1")'; }
for run in 1 2 3; do
  req report "$API/reports/targets?fiscalYear=2025"
  [ -n "$FAILED" ] && { row "annual target report FY2025 (JSON)" "$run" "$T" "$FAILED; later runs skipped" "≤ 2 s: **missed**"; break; }
  answer=$(field "$OUT/report.json" '"%d targets; 1-1-1 %.1f ha, 1-1-2 %.1f ha, 2-2-1 %d" % (len(r["targets"]), r["targets"][0]["actual"], r["targets"][1]["actual"], r["targets"][3]["actual"])')
  row "annual target report FY2025 (JSON)" "$run" "$T" "$answer" "≤ 2 s: $(verdict "$T" "<=" 2)"
done
# The report's 1-1-1 is the area report's FY2025 figure (same union accounting).
[ -z "$FAILED" ] && [ "$(designated "$OUT/report.json")" = "$(field "$OUT/area-ellipsoidal.json" 'r["years"][-1]["areaHa"]')" ] \
  || die "the report's 1-1-1 differs from the area report's FY2025 area"
req report-html -H 'Accept: text/html' "$API/reports/targets?fiscalYear=2025&lang=en"
# The page has a chart per target and the map of the land (its SVG's size and paths reported too).
map=$(python3 -c "import re,sys; m=re.search(r'<svg[^>]*class=\"map\".*?</svg>', open(sys.argv[1], encoding='utf-8').read(), re.S); print('map %.0f kB, %d paths' % (len(m.group(0).encode()) / 1e3, m.group(0).count('<path')) if m else 'no map')" "$OUT/report-html.json")
row "annual target report FY2025 (HTML, en)" 1 "$T" "$(grep -c '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' "$OUT/report-html.json") charts, $map; page $(awk -v b="$BYTES" 'BEGIN { printf "%.0f kB", b / 1e3 }')" "≤ 2 s: $(verdict "$T" "<=" 2)"
# Right after an import the report must already count it: one new 1 ha square designated in FY2025.
before=$(designated "$OUT/report.json")
cat >"$OUT/one-more.geojson" <<'GEOJSON'
{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"parcel_id": "D-BENCH-NEW", "scheme": "other", "designated_on": "2025-06-01"},
 "geometry": {"type": "Polygon", "coordinates": [[[139.80, 35.70], [139.8011, 35.70], [139.8011, 35.7009], [139.80, 35.7009], [139.80, 35.70]]]}}]}
GEOJSON
req import-one -X POST -H "@$OUT/bench.header" -H 'Content-Type: application/geo+json' --data-binary "@$OUT/one-more.geojson" "$API/imports/designations"
[ -z "$FAILED" ] || die "importing one more parcel failed"
req report-after "$API/reports/targets?fiscalYear=2025"
after=$(designated "$OUT/report-after.json")
added=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.4f", a - b }')
awk -v d="$added" 'BEGIN { exit !(d > 0.95 && d < 1.05) }' || die "after importing a ~1 ha parcel, 1-1-1 changed by $added ha"
row "annual target report right after importing one parcel" 1 "$T" "1-1-1 +$added ha (the new ~1 ha parcel)" "≤ 2 s: $(verdict "$T" "<=" 2)"
req report-html-after -H 'Accept: text/html' "$API/reports/targets?fiscalYear=2025&lang=en"
[ -z "$FAILED" ] || die "the HTML report after the import failed"
row "annual target report right after importing one parcel (HTML, en)" 1 "$T" "page $(awk -v b="$BYTES" 'BEGIN { printf "%.0f kB", b / 1e3 }')" "≤ 2 s: $(verdict "$T" "<=" 2)"

q() { "${psql[@]}" -d habitat_bench -tAc "$1"; }
cat <<EOF

### Results: $N parcels ($(date -u +%Y-%m-%d))

Code: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo " + uncommitted changes in src/"); command: $( [ "${BENCH_ANALYZE:-}" = 1 ] && echo "BENCH_ANALYZE=1 ")bench/run.sh $N.
Machine: $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM;
PostgreSQL $(q 'show server_version'), PostGIS $(q 'select postgis_lib_version()') (GEOS $(q 'select postgis_geos_version()')); .NET $(dotnet --version).
Data: $(du -m "$DATA" | cut -f1) MB GeoJSON, $(q "select count(*) from designations") designations in the table, $(q "select pg_size_pretty(pg_total_relation_size('designations'))") with indexes;
$(q "select count(*) from acquisitions") acquisitions, $(q "select count(*) from activities") activities, $(q "select count(*) from targets") targets;
table statistics: $([ "${BENCH_ANALYZE:-}" = 1 ] && echo "ANALYZE after the import (BENCH_ANALYZE=1)" || echo "only what the API leaves (autovacuum off)").

| measurement | run | time (s) | throughput / size / answer | goal |
|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")
EOF
[ "$FAILURES" = 0 ] || die "$FAILURES request(s) failed (see above and $OUT/api.log)"
