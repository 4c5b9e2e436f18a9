#!/usr/bin/env bash
# Benchmark (not a test): paging through 100,000 generated designations, side by side in one run with the raw SQL the
# service runs (through psql, building the same GeoJSON in PostgreSQL) and, for a bbox page, with MapServer 8's
# OGC API – Features over the same table. Prints a Markdown table of medians.
#   bench/paging.sh [N]
# Env: BENCH_PORT (API, default 5093), BENCH_PG_PORT (own PostgreSQL cluster in .data/paging-pg, default 55445),
#      BENCH_MS_PORT (lighttpd + MapServer FastCGI, default the first free port from 5294), BENCH_REPEAT (repetitions, default 3 for the walk and
#      7 for single pages, after warming up), BENCH_KEEP_DB=1 leaves the cluster running (database habitat_bench).
# Goals (docs/benchmarks.md): walking every page through next links ≤ 1.2 × the raw keyset SQL; a page at offset 90,000
# no slower than the raw offset SQL; a bbox page of 100 ≥ 0.85 × the raw SQL's speed and ≥ 2 × MapServer's.
# MapServer (Debian's mapserver-bin, cgi-mapserver and lighttpd) is installed through db/postgis.sh when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh

N=${1:-100000}
PORT=${BENCH_PORT:-5093}
PG_PORT=${BENCH_PG_PORT:-55445}
MS_PORT=${BENCH_MS_PORT:-$(free_port 5294)}
WALK_REPEAT=${BENCH_REPEAT:-3}
PAGE_REPEAT=${BENCH_REPEAT:-7}
OUT=bench/out
PG_DIR=$ROOT/.data/paging-pg
MS_DIR=$ROOT/$OUT/mapserver
DATA=$OUT/parcels-$N.geojson
API=http://127.0.0.1:$PORT
MS=http://127.0.0.1:$MS_PORT/mapserv/paging/ogcapi
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
PAGE=1000                            # features per page of the walk and of the deep offset page
DEEP=$((N * 9 / 10))                 # the deep page's offset (90,000 of 100,000)
BBOX=139.45,35.75,139.48,35.78       # about 2.7 km × 3.3 km in the middle of the generated parcels
BBOX_LIMIT=100
mkdir -p "$OUT" "$MS_DIR"

command -v mapserv >/dev/null && [ -x /usr/lib/cgi-bin/mapserv ] && command -v lighttpd >/dev/null \
  || apt_install mapserver-bin cgi-mapserver lighttpd

say "building (Release)"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2

export PGOPTIONS=--client-min-messages=warning
say "database habitat_bench on 127.0.0.1:$PG_PORT (re-created empty)"
start_cluster "$PG_DIR" "$PG_PORT"
psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U habitat -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "drop database if exists habitat_bench" -c "create database habitat_bench"
"${psql[@]}" -d habitat_bench -c "create extension if not exists postgis"
export HABITAT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=habitat;Database=habitat_bench"
dotnet "$DLL" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }
(umask 077 && printf 'Authorization: Bearer %s\n' "$(dotnet "$DLL" api-keys create --name bench --role admin --replace 2>/dev/null | tail -n 1)" > "$OUT/paging.header")

if [ ! -s "$DATA" ]; then
  say "generating $N parcels into $DATA"
  python3 bench/generate_parcels.py -n "$N" -o "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi

say "starting the API on $API"
(cd "$(dirname "$DLL")" && exec dotnet "$(basename "$DLL")" --urls "$API") >"$OUT/paging-api.log" 2>&1 &
API_PID=$!
MS_PID=
cleanup() {
  kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true
  [ -z "$MS_PID" ] || { kill "$MS_PID" 2>/dev/null; wait "$MS_PID" 2>/dev/null || true; }
  [ "${BENCH_KEEP_DB:-}" = 1 ] || stop_cluster "$PG_DIR"
}
trap cleanup EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$API/" && break; sleep 1; done
curl -sf -o /dev/null "$API/" || die "the API did not start; see $OUT/paging-api.log"

say "import: POST /imports/designations"
code=$(curl -sS -o "$OUT/paging-import.json" -w '%{http_code}' -X POST -H "@$OUT/paging.header" -H 'Content-Type: application/geo+json' \
  --data-binary "@$DATA" "$API/imports/designations")
[ "$code" = 200 ] || die "import failed: HTTP $code: $(head -c 600 "$OUT/paging-import.json")"
# What autovacuum would do soon after a bulk load, done now so every request of the run meets the same table.
"${psql[@]}" -d habitat_bench -c "vacuum (analyze) designations"

# MapServer 8: OGC API – Features over the same rows (the current versions) and the same properties, the planner's own
# attributes as columns; FastCGI behind lighttpd, all configuration here under bench/out.
say "MapServer 8 (FastCGI, lighttpd) on 127.0.0.1:$MS_PORT"
cat >"$MS_DIR/paging.map" <<EOF
MAP
  NAME "paging"
  EXTENT 139.25 35.60 139.70 35.95
  PROJECTION "+proj=longlat +datum=WGS84 +no_defs" END
  WEB
    METADATA
      "oga_enable_request" "*"
      "oga_onlineresource" "$MS"
      "ows_title" "paging"
      "oga_html_template_directory" "/usr/share/mapserver/ogcapi/templates/html-plain/"
    END
  END
  LAYER
    NAME "designations"
    TYPE POLYGON
    STATUS ON
    TEMPLATE "query"  # a queryable layer: MapServer offers only those as collections
    CONNECTIONTYPE POSTGIS
    CONNECTION "host=127.0.0.1 port=$PG_PORT dbname=habitat_bench user=habitat"
    DATA "geom from (select parcel_id, scheme, designated_on, lifted_on, name, notice_no, legal_basis, reported_area_m2, round((area_m2 / 10000)::numeric, 4) as area_ha, version, recorded_at, attributes->>'owner_type' as owner_type, attributes->>'surveyed_by' as surveyed_by, geom from designations where superseded_at is null) as t using unique parcel_id using srid=4326"
    PROJECTION "+proj=longlat +datum=WGS84 +no_defs" END
    METADATA
      "oga_title" "designations"
      "gml_include_items" "all"
      "gml_featureid" "parcel_id"
      "gml_types" "auto"
    END
  END
END
EOF
cat >"$MS_DIR/mapserver.conf" <<EOF
CONFIG
  ENV
    MS_MAP_NO_PATH "1"
  END
  MAPS
    PAGING "$MS_DIR/paging.map"
  END
END
EOF
cat >"$MS_DIR/lighttpd.conf" <<EOF
server.document-root = "$MS_DIR"
server.bind = "127.0.0.1"
server.port = $MS_PORT
server.errorlog = "$MS_DIR/lighttpd-error.log"
server.modules = ("mod_fastcgi")
fastcgi.server = ("/mapserv" => ((
  "socket" => "$MS_DIR/mapserv.sock",
  "bin-path" => "/usr/lib/cgi-bin/mapserv",
  "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "$MS_DIR/mapserver.conf"),
  "check-local" => "disable",
  "max-procs" => 2
)))
EOF
lighttpd -D -f "$MS_DIR/lighttpd.conf" >"$MS_DIR/lighttpd.out" 2>&1 &
MS_PID=$!
for _ in $(seq 30); do curl -sf -o /dev/null "$MS?f=json" && break; sleep 1; done
curl -sf -o /dev/null "$MS?f=json" || die "MapServer did not answer; see $MS_DIR/"

# The SQL the service runs for each kind of request, from PostgreSQL's own log (log_statement = all for a moment).
say "capturing the service's SQL"
log_start=$(wc -c <"$CLUSTER_DIR/server.log")
"${psql[@]}" -d habitat_bench -c "alter system set log_statement = 'all'" -c "select pg_reload_conf()" >/dev/null
sleep 0.5
curl -sf -o "$OUT/paging-first.json" "$API/collections/designations/items?limit=$PAGE"
next=$(tail -c 3000 "$OUT/paging-first.json" | grep -o '"href":"[^"]*","rel":"next"' | sed 's/^"href":"//; s/","rel":"next"$//; s/\\u0026/\&/g')
curl -sf -o /dev/null "$next"
curl -sf -o /dev/null "$API/collections/designations/items?limit=$PAGE&offset=$DEEP"
curl -sf -o /dev/null "$API/collections/designations/items?limit=$BBOX_LIMIT&bbox=$BBOX"
"${psql[@]}" -d habitat_bench -c "alter system reset log_statement" -c "select pg_reload_conf()" >/dev/null
tail -c +"$((log_start + 1))" "$CLUSTER_DIR/server.log" | grep -E 'execute|DETAIL' | grep -v 'alter system' >"$OUT/paging-service-sql.log" || true

# The raw side: the service's page SQL (where, order, limit, offset as logged) as a subquery, turned into the same
# GeoJSON by PostgreSQL (json_build_object, ST_AsGeoJSON) above the limit, as the service does it above the page.
# The service reads limit + 1 rows (the one more says whether there is a next page); the raw SQL reads limit. With
# COUNT-WHERE, numberMatched too, by the service's count query (the document is then the service's, links aside).
raw_page() { # WHERE LIMIT OFFSET [COUNT-WHERE]
  local matched=${4:+"'numberMatched', (select count(*) from designations where $4), "}
  cat <<SQL
select json_build_object('type', 'FeatureCollection', ${matched}'numberReturned', count(*), 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', p.parcel_id, 'geometry', ST_AsGeoJSON(p.geom)::json,
    'properties', jsonb_build_object('parcel_id', p.parcel_id, 'scheme', p.scheme, 'designated_on', p.designated_on, 'lifted_on', p.lifted_on,
      'name', p.name, 'notice_no', p.notice_no, 'legal_basis', p.legal_basis, 'reported_area_m2', p.reported_area_m2,
      'area_ha', round(p.area_ha::numeric, 4), 'version', p.version, 'recorded_at', p.recorded_at) || coalesce(p.attributes::jsonb, '{}'))), '[]'))::text as doc
  , max(p.parcel_id) as after
from (select parcel_id, version, recorded_at, area_m2 / 10000 as area_ha, scheme, designated_on, lifted_on, name, notice_no, legal_basis,
  reported_area_m2, attributes::text as attributes, geom from designations where $1 order by parcel_id limit $2 offset $3) p
SQL
}
# psql_times FILE: runs a psql script with \timing; prints each statement's milliseconds (client-side, result received).
psql_times() { "${psql[@]}" -d habitat_bench -f "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
# curl_ms URL [CURL-ARGS]: body to $OUT/paging-page.json; prints milliseconds (curl's time_total); fails unless HTTP 200.
curl_ms() {
  local url=$1 code t; shift
  read -r code t < <(curl -sS --max-time 300 -o "$OUT/paging-page.json" -w '%{http_code} %{time_total}\n' "$@" "$url")
  [ "$code" = 200 ] || die "$url: HTTP $code: $(head -c 600 "$OUT/paging-page.json")"
  ms "$t"
}

# 1. The walk: every page through next links, as a client does it; the raw side runs the same keyset pages in one session.
pages=$(((N + PAGE - 1) / PAGE))
{
  # Each psql session starts a new server process, whose first plans are slow (empty catalogue caches, 20-30 ms):
  # one untimed page first, as the service's pooled connections are warm.
  echo '\set after '"''"
  raw_page "superseded_at is null and parcel_id > :'after'" "$PAGE" 0 | sed '$ s/$/ \\gset/'
  echo '\set after '"''"
  echo '\timing on'
  raw_page "superseded_at is null and parcel_id > :'after'" "$PAGE" 0 "superseded_at is null" | sed '$ s/$/ \\gset/'  # counted once
  for _ in $(seq 2 "$pages"); do raw_page "superseded_at is null and parcel_id > :'after'" "$PAGE" 0 | sed '$ s/$/ \\gset/'; done
} >"$OUT/paging-walk.sql"
walk_service() {
  local url="$API/collections/designations/items?limit=$PAGE" total=0 count=0 t
  while [ -n "$url" ]; do
    t=$(curl_ms "$url" -H 'Accept: application/geo+json')
    total=$(awk -v a="$total" -v b="$t" 'BEGIN { print a + b }')
    count=$((count + $(tail -c 3000 "$OUT/paging-page.json" | grep -o '"numberReturned":[0-9]*' | cut -d: -f2)))
    url=$(tail -c 3000 "$OUT/paging-page.json" | grep -o '"href":"[^"]*","rel":"next"' | sed 's/^"href":"//; s/","rel":"next"$//; s/\\u0026/\&/g' || true)
  done
  [ "$count" = "$N" ] || die "the walk through next links returned $count features, not $N"
  echo "$total"
}
walk_raw() { psql_times "$OUT/paging-walk.sql" | awk -v n="$pages" '{ s += $1; c++ } END { if (c != n) exit 1; print s }'; }
say "1. walking all $N designations, $PAGE a page ($WALK_REPEAT times each, after one warm-up)"
walk_service >/dev/null; walk_raw >/dev/null
WALK_S=(); WALK_R=()
for _ in $(seq "$WALK_REPEAT"); do WALK_S+=("$(walk_service)"); WALK_R+=("$(walk_raw)"); done

# Single pages: warmed up twice, then timed; the service and the raw SQL alternate rounds.
# The raw side runs the page with numberMatched (the service's document) and the page alone, in a warmed-up session.
single() { # NAME URL WHERE LIMIT OFFSET COUNT-WHERE [MAPSERVER-URL] → sets S, R (with the count), R0 (page alone), M: median ms
  local name=$1 url=$2 where=$3 limit=$4 offset=$5 counted=$6 msurl=${7:-} s=() r=() r0=() m=() t
  { echo '\o /dev/null'; raw_page "$where" "$limit" "$offset" "$counted" | sed '$ s/$/;/'; echo '\timing on'
    raw_page "$where" "$limit" "$offset" "$counted" | sed '$ s/$/;/'; raw_page "$where" "$limit" "$offset" | sed '$ s/$/;/'; } >"$OUT/paging-$name.sql"
  "${psql[@]}" -d habitat_bench -tA -o "$OUT/paging-$name-raw.json" -c "$(raw_page "$where" "$limit" "$offset" "$counted" | grep -v 'as after$')"
  for round in $(seq -1 "$PAGE_REPEAT"); do
    t=$(curl_ms "$url" -H 'Accept: application/geo+json'); [ "$round" -gt 0 ] && s+=("$t")
    [ "$round" = 1 ] && cp "$OUT/paging-page.json" "$OUT/paging-$name-service.json"
    t=$(psql_times "$OUT/paging-$name.sql"); [ "$round" -gt 0 ] && { r+=("${t%%$'\n'*}"); r0+=("${t##*$'\n'}"); }
    if [ -n "$msurl" ]; then
      t=$(curl_ms "$msurl"); [ "$round" -gt 0 ] && m+=("$t")
      [ "$round" = 1 ] && cp "$OUT/paging-page.json" "$OUT/paging-$name-mapserver.json"
    fi
  done
  S=$(printf '%s\n' "${s[@]}" | median); R=$(printf '%s\n' "${r[@]}" | median); R0=$(printf '%s\n' "${r0[@]}" | median)
  M=$([ -n "$msurl" ] && printf '%s\n' "${m[@]}" | median || echo)
}
say "2. one page of $PAGE at offset $DEEP ($PAGE_REPEAT times each, after two warm-ups)"
single offset "$API/collections/designations/items?limit=$PAGE&offset=$DEEP" "superseded_at is null" "$PAGE" "$DEEP" "superseded_at is null"
OFF_S=$S OFF_R=$R OFF_R0=$R0
# The same page by the service's own SQL (the offset skipped over ids first, then the page from that id on).
single offset-ids "$API/collections/designations/items?limit=$PAGE&offset=$DEEP" \
  "superseded_at is null and parcel_id >= (select parcel_id from designations where superseded_at is null order by parcel_id offset $DEEP limit 1)" "$PAGE" 0 "superseded_at is null"
IDS_S=$S IDS_R=$R IDS_R0=$R0
say "3. a bbox page of $BBOX_LIMIT ($PAGE_REPEAT times each, after two warm-ups)"
box="geom && ST_MakeEnvelope(${BBOX//,/, }, 4326) and ST_Intersects(geom, ST_MakeEnvelope(${BBOX//,/, }, 4326))"
single bbox "$API/collections/designations/items?limit=$BBOX_LIMIT&bbox=$BBOX" "superseded_at is null and $box" "$BBOX_LIMIT" 0 "superseded_at is null and $box" \
  "$MS/collections/designations/items?f=json&limit=$BBOX_LIMIT&bbox=$BBOX"
BOX_S=$S BOX_R=$R BOX_R0=$R0 BOX_M=$M

# What numberMatched costs: the service's count query alone, for the whole register and for the bbox.
{ echo '\timing on'; for _ in $(seq 3); do echo "select count(*) from designations where superseded_at is null;"; done; } >"$OUT/paging-count.sql"
COUNT_ALL=$(psql_times "$OUT/paging-count.sql" | tail -n 2 | median)
{ echo '\timing on'; for _ in $(seq 3); do echo "select count(*) from designations where superseded_at is null and $box;"; done; } >"$OUT/paging-count-bbox.sql"
COUNT_BOX=$(psql_times "$OUT/paging-count-bbox.sql" | tail -n 2 | median)

field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
q() { "${psql[@]}" -d habitat_bench -tAc "$1"; }
list() { printf '%s\n' "$@" | awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $1 }'; }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = op == ">=" ? a >= b : a <= b; print ok ? "**met**" : "**missed**" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
walk_s=$(printf '%s\n' "${WALK_S[@]}" | median); walk_r=$(printf '%s\n' "${WALK_R[@]}" | median)
walk_ratio=$(awk -v a="$walk_s" -v b="$walk_r" 'BEGIN { printf "%.2f", a / b }')
off_ratio=$(awk -v a="$OFF_S" -v b="$OFF_R" 'BEGIN { printf "%.2f", a / b }')
box_raw=$(awk -v a="$BOX_S" -v b="$BOX_R" 'BEGIN { printf "%.2f", b / a }')   # speed relative to the raw SQL
box_ms=$(awk -v a="$BOX_S" -v b="$BOX_M" 'BEGIN { printf "%.2f", b / a }')    # speed relative to MapServer
ms_matched=$(field "$OUT/paging-bbox-mapserver.json" 'r.get("numberMatched", "none")')
ms_props=$(field "$OUT/paging-bbox-mapserver.json" 'len(r["features"][0]["properties"])')
sv_props=$(field "$OUT/paging-bbox-service.json" 'len(r["features"][0]["properties"])')

cat <<EOF

### Results: $N designations ($(date -u +%Y-%m-%d))

Code: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo " + uncommitted changes in src/"); command: bench/paging.sh $N.
Machine: $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;
PostgreSQL $(q 'show server_version'), PostGIS $(q 'select postgis_lib_version()'); .NET $(dotnet --version); $(mapserv -v | head -n 1 | cut -d' ' -f1-3); lighttpd $(lighttpd -v | sed 's/^lighttpd\/\([^ ]*\).*/\1/').
Table: $(q "select count(*) from designations where superseded_at is null") current designations, $(q "select pg_size_pretty(pg_total_relation_size('designations'))") with indexes, VACUUM ANALYZE after the import.
Times are client-side (curl's time_total; psql's \\timing, which includes receiving the result), in ms, medians.
Raw SQL builds the service's document, numberMatched included (on the walk's first page only, as the service counts);
"page alone" is the same without numberMatched.
numberMatched alone (the service's count query in psql): whole register $(ms "$(awk -v m="$COUNT_ALL" 'BEGIN { print m / 1000 }')") ms, the bbox $(ms "$(awk -v m="$COUNT_BOX" 'BEGIN { print m / 1000 }')") ms.

| request | this service | raw SQL | MapServer 8 | ratio | goal | |
|---|---|---|---|---|---|---|
| walk all $N through next links, limit=$PAGE ($pages pages; runs: $(list "${WALK_S[@]}") / $(list "${WALK_R[@]}")) | $(printf %.0f "$walk_s") | $(printf %.0f "$walk_r") | – | $walk_ratio × raw time | ≤ 1.2 × | $(verdict "$walk_ratio" "<=" 1.2) |
| one page, limit=$PAGE&offset=$DEEP | $(printf %.1f "$OFF_S") | $(printf %.1f "$OFF_R") (page alone $(printf %.1f "$OFF_R0")) | – (ignores offset) | $off_ratio × raw time ($(ratio "$OFF_S" "$OFF_R0") × page alone) | ≤ 1.0 × | $(verdict "$off_ratio" "<=" 1.0) |
| the same page, raw SQL as the service runs it (ids first) | $(printf %.1f "$IDS_S") | $(printf %.1f "$IDS_R") (page alone $(printf %.1f "$IDS_R0")) | – | $(ratio "$IDS_S" "$IDS_R") × raw time ($(ratio "$IDS_S" "$IDS_R0") × page alone) | – | – |
| bbox page, limit=$BBOX_LIMIT&bbox=$BBOX | $(printf %.1f "$BOX_S") | $(printf %.1f "$BOX_R") (page alone $(printf %.1f "$BOX_R0")) | $(printf %.1f "$BOX_M") | speed $box_raw × raw ($(ratio "$BOX_R0" "$BOX_S") × page alone), $box_ms × MapServer | ≥ 0.85 × raw, ≥ 2 × MapServer | $(verdict "$box_raw" ">=" 0.85) / $(verdict "$box_ms" ">=" 2) |

Service: numberMatched $(field "$OUT/paging-first.json" 'r["numberMatched"]') on the first page, $(field "$OUT/paging-offset-service.json" 'r.get("numberMatched", "none")') on the offset page, $(field "$OUT/paging-bbox-service.json" 'r["numberMatched"]') for the bbox; $sv_props properties a feature.
MapServer: numberMatched $ms_matched for the bbox; $ms_props properties a feature; $(field "$OUT/paging-bbox-mapserver.json" 'len(r["features"])') features.
EOF
