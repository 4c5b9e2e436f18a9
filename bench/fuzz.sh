#!/usr/bin/env bash
# The fuzz suite's long budget (issue 12): CASES generated requests (default 20,000) of SEED (default: a new one, printed)
# against the real service on a throw-away PostGIS, as ./test.sh starts one, with what is too slow for ./test.sh (a
# million vertices, 20 MB texts), then the kept cases in tests/HabitatRegistry.Tests/Fuzz/Cases/ at full size. Prints
# the summary: answers by class, and every distinct failure with its smallest case and how to run it again.
#   bench/fuzz.sh [CASES] [SEED]
# Failing cases are written as case files to bench/out/fuzz-SEED/ (copy the ones worth keeping into Fuzz/Cases/);
# progress.log there shows how far a run is. Exits non-zero if any case fails.
# Env: HABITAT_DB=… fuzzes an existing PostGIS instead (each run makes and drops its own schema).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source db/postgis.sh
CASES=${1:-20000}
SEED=${2:-$((RANDOM * 32768 + RANDOM))}
OUT=$ROOT/bench/out/fuzz-$SEED
mkdir -p "$OUT"

if [ -z "${HABITAT_DB:-}" ]; then
  cluster="$ROOT/.data/fuzz-pg"
  stop_cluster "$cluster" 2>/dev/null || true
  rm -rf "$cluster"
  start_cluster "$cluster" "$(free_port 55443)" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  trap 'stop_cluster "$CLUSTER_DIR"; rm -rf "$CLUSTER_DIR"' EXIT
fi

say "fuzzing: $CASES cases of seed $SEED (long budget); failing cases and progress in $OUT"
dotnet build tests/HabitatRegistry.Tests -c Release -nologo -v q -clp:ErrorsOnly >&2
set +e
HABITAT_FUZZ_CASES=$CASES HABITAT_FUZZ_SEED=$SEED HABITAT_FUZZ_LONG=1 HABITAT_FUZZ_SAVE=$OUT \
  dotnet test tests/HabitatRegistry.Tests -c Release --no-build -nologo --filter 'FullyQualifiedName~HabitatRegistry.Tests.Fuzz' \
  >"$OUT/test.log" 2>&1
status=$?
set -e

echo
cat "$OUT/summary-seed$SEED.txt" 2>/dev/null || { tail -n 40 "$OUT/test.log"; echo "(no summary: the run stopped early; see $OUT/test.log)"; }
echo
echo "kept cases (tests/HabitatRegistry.Tests/Fuzz/Cases, full size): $(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+' "$OUT/test.log" | tail -n 1 || echo 'see test.log')"
grep -E '^\s+Failed HabitatRegistry.Tests.Fuzz.RequestFuzzTests.AKeptCase' "$OUT/test.log" | sed -E 's/.*caseFile: "([^"]*)".*/  failing: \1/' || true
echo "full output: $OUT/test.log"
exit "$status"
