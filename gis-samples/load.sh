#!/bin/sh
# Loads the Tokorozawa samples into empty registers (run.sh and the Docker image):
#   gis-samples/load.sh DIR COMMAND…   e.g. gis-samples/load.sh gis-samples dotnet bin/HabitatRegistry.Api.dll
# Only into empty registers, so corrections made since the first start are never undone.
set -e
dir=$1; shift
"$@" import designations "$dir/tokorozawa-designations.geojson" --by gis-samples --if-empty
"$@" import acquisitions "$dir/tokorozawa-acquisitions.geojson" --by gis-samples --if-empty
"$@" import activities "$dir/tokorozawa-activities.csv" --by gis-samples --if-empty
"$@" import habitat-patches "$dir/tokorozawa-habitat-patches.geojson" --by gis-samples --if-empty
"$@" targets "$dir/tokorozawa-targets.json" --if-empty
# The report's map and the web map outline the city; MLIT's N03 data asks for this credit with it.
"$@" city-boundary "$dir/tokorozawa-boundary.geojson" --if-empty \
  --credit "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成 / Source: National Land Numerical Information (Administrative Areas), MLIT Japan; processed"
