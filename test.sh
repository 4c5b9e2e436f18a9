#!/usr/bin/env bash
# Runs every test against a real PostGIS: a throw-away cluster under .data/ (or HABITAT_DB, in which each
# test class makes and drops its own schema). Installs what the tests need on first use: PostgreSQL +
# PostGIS, and the real GIS clients they drive (GDAL's ogrinfo, headless QGIS). Non-zero exit on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source db/postgis.sh

command -v dotnet >/dev/null || die "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download"
command -v ogrinfo >/dev/null || apt_install gdal-bin
/usr/bin/python3 -c 'import qgis.core, osgeo.gdal' 2>/dev/null || apt_install python3-qgis qgis-providers python3-gdal

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
dotnet test HabitatRegistry.sln -c Release -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, whatever the runner printed above.
count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"
