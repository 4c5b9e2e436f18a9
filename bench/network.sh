#!/usr/bin/env bash
# Benchmark (not a test): connectivity indices of N generated patches (default 10,000, 20,000 and 50,000) through the
# Release CLI command network-indices (no database): wall time and peak memory (/usr/bin/time), as a Markdown table.
#   bench/network.sh [N…]
# The goal's landscape (issue #4, docs/benchmarks.md "Session 5"): as dense as Graphab's test landscape in
# ../shared/data/connectivity (0.78 patches/km²), each search stopping where p no longer matters (p* < 1e-9), every dPC
# with its error bound. Goal: 10,000 patches with every index in ≤ 60 s and ≤ 2 GB.
# Env: NETWORK_DENSITY=D patches per km² (default 0.78; 6.25 is the dense stress case: 10,000 on 40 km × 40 km);
#      NETWORK_MIN_PROBABILITY=P counts pairs whose p* is below P as unconnected (default 1e-9; 0: exact);
#      NETWORK_RADIUS=M searches dPC's detours only M metres beyond each patch (default: no limit);
#      NETWORK_TIMEOUT=S stops a run after S seconds (default 3600) and reports it as not finished.
# Data: bench/generate_patches.py (square landscape of that density, d0 = 1000 m, p0 = 0.5, threshold 2000 m), kept in bench/out/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 20000 50000)
RADIUS=${NETWORK_RADIUS:-Infinity}
MIN_PROBABILITY=${NETWORK_MIN_PROBABILITY:-1e-9}
DENSITY=${NETWORK_DENSITY:-0.78}
TIMEOUT=${NETWORK_TIMEOUT:-3600}
OUT=bench/out
DLL=src/HabitatRegistry.Api/bin/Release/net10.0/HabitatRegistry.Api.dll
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "installing Debian's time" >&2; apt-get install -y -qq time >&2; }

echo "building (Release)" >&2
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly >&2

ROWS=()
for N in "${SIZES[@]}"; do
  SIDE=$(awk -v n="$N" -v d="$DENSITY" 'BEGIN { printf "%.0f", sqrt(n / d) * 1000 }')
  DATA=$OUT/patches-$N-d$DENSITY
  if [ ! -s "$DATA.distances.txt" ]; then
    echo "generating $N patches on $SIDE m × $SIDE m" >&2
    python3 bench/generate_patches.py -n "$N" --size "$SIDE" -o "$DATA" 2>"$DATA.summary"
  fi
  echo "$N patches: $(cat "$DATA.summary")" >&2
  LOG=$OUT/network-$N-d$DENSITY-p$MIN_PROBABILITY.log
  set +e
  timeout "$TIMEOUT" /usr/bin/time -v dotnet "$DLL" network-indices --nodes "$DATA.nodes.txt" --distances "$DATA.distances.txt" \
    --d0 1000 --p0 0.5 --threshold 2000 --landscape-area "$((SIDE * SIDE))" --connector-radius "$RADIUS" --min-probability "$MIN_PROBABILITY" --out "$OUT/network-$N-d$DENSITY-p$MIN_PROBABILITY.csv" >"$LOG" 2>&1
  STATUS=$?
  set -e
  LINKS=$(sed -n 's/.*patches, \([0-9]*\) links.*/\1/p' "$DATA.summary")
  COMPONENTS=$(sed -n 's/.*), \([0-9]*\) components, largest \([0-9]*\).*/\1 (largest \2)/p' "$DATA.summary")
  if [ "$STATUS" != 0 ]; then
    ROWS+=("| $N | $LINKS | $COMPONENTS | – | – | > $TIMEOUT (stopped) | – | – | $([ "$N" = 10000 ] && echo "**missed**" || echo –) |")
    continue
  fi
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$LOG")
  RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$LOG")
  READ=$(sed -n 's/^read \([0-9.]*\) s, indices \([0-9.]*\) s/\1/p' "$LOG")
  INDICES=$(sed -n 's/^read \([0-9.]*\) s, indices \([0-9.]*\) s/\2/p' "$LOG")
  BOUND=$(sed -n 's/^largest dPC error bound \([^ ]*\) %.*/\1/p' "$LOG")
  GOAL=–
  [ "$N" = 10000 ] && GOAL=$(awk -v t="$WALL" -v m="$RSS" 'BEGIN { print (t <= 60 && m <= 2048) ? "**met**" : "**missed**" }')
  ROWS+=("| $N | $LINKS | $COMPONENTS | $READ | $INDICES | $WALL | $RSS | $BOUND | $GOAL |")
done

echo
echo "density $DENSITY patches/km²; min probability $MIN_PROBABILITY; connector search radius $RADIUS m; $(nproc) processors; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| patches | links | components | read (s) | indices (s) | wall (s) | peak RSS (MB) | largest dPC error bound (%) | ≤ 60 s and ≤ 2 GB |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
