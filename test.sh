#!/usr/bin/env bash
# Runs every test against a real PostGIS: a throw-away cluster under .data/ (or HABITAT_DB, in which each
# test class makes and drops its own schema). Installs what the tests need on first use: PostgreSQL +
# PostGIS, the real GIS clients they drive (GDAL's ogrinfo, headless QGIS 3.40), and for the report's browser test
# Chromium, the Japanese fonts and playwright-core. Non-zero exit on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source db/postgis.sh

command -v dotnet >/dev/null || die "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download"
command -v ogrinfo >/dev/null || apt_install gdal-bin
/usr/bin/python3 -c 'import osgeo.gdal, pyproj' 2>/dev/null || apt_install python3-gdal python3-pyproj
ensure_qgis
[ -x /usr/bin/chromium ] || apt_install chromium
[[ $(fc-list :lang=ja family 2>/dev/null) == *"Noto Sans CJK JP"* ]] || apt_install fonts-noto-cjk
# playwright-core drives Debian's Chromium (no browser of its own is downloaded); npm ci again whenever the lock file changes.
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null && command -v npm >/dev/null \
  || die "Node.js 20 or later with npm is needed for the browser test: https://nodejs.org"
lock=$(sha256sum tests/clients/package-lock.json | cut -d' ' -f1)
if [ "$(cat tests/clients/node_modules/.installed-lock 2>/dev/null)" != "$lock" ]; then
  say "installing playwright-core (npm ci in tests/clients)"
  (cd tests/clients && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
  echo "$lock" > tests/clients/node_modules/.installed-lock
fi

if [ -z "${HABITAT_DB:-}" ]; then
  cluster="$PWD/.data/test-pg"
  stop_cluster "$cluster" 2>/dev/null || true
  rm -rf "$cluster"
  # Durability is pointless for a throw-away cluster; speed is not.
  start_cluster "$cluster" "$(free_port 55433)" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  trap 'stop_cluster "$CLUSTER_DIR"; rm -rf "$CLUSTER_DIR"' EXIT
fi

say "running the tests"
log=$(mktemp)
set +e
# Graphab's 152-patch suite is a peer's data (GPL-3): it is read from the shared reference folder, never copied here.
filter=()
if [ -z "${HABITAT_CONNECTIVITY_DATA:-}" ]; then
  for candidate in "$PWD/../shared/data/connectivity" /work/shared/data/connectivity; do
    [ -s "$candidate/graphab_links.csv" ] && { export HABITAT_CONNECTIVITY_DATA=$candidate; break; }
  done
fi
if [ -z "${HABITAT_CONNECTIVITY_DATA:-}" ]; then
  say "WARNING: Graphab's reference data (shared/data/connectivity) is not on this machine: the Graphab oracle tests are NOT run; set HABITAT_CONNECTIVITY_DATA to run them"
  filter=(--filter 'FullyQualifiedName!~GraphabOracle')
fi
dotnet test HabitatRegistry.sln -c Release -nologo "${filter[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, whatever the runner printed above.
count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
rm -f "$log"
echo "$passed passed, $failed failed${filter:+ (Graphab oracle not run: its data is missing)}"
exit "$status"
