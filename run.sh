#!/usr/bin/env bash
# Serves HabitatRegistry at http://127.0.0.1:5080 (HABITAT_URLS) on a private PostGIS cluster under .data/,
# installing PostgreSQL + PostGIS from the OS packages on first use. HABITAT_DB=<connection string> uses an
# existing PostGIS database instead; HABITAT_SAMPLES=0 starts with empty registers.
set -euo pipefail
cd "$(dirname "$0")"
source db/postgis.sh

command -v dotnet >/dev/null || die "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download"
# The build installs the web map's MapLibre GL JS with npm ci (src/HabitatRegistry.Api/Features/Maps/web).
command -v npm >/dev/null || die "Node.js 20 or later with npm is needed to build the web map: https://nodejs.org"
urls=${HABITAT_URLS:-http://127.0.0.1:5080}

if [ -z "${HABITAT_DB:-}" ]; then
  cluster="$PWD/.data/pg"
  start_cluster "$cluster" "${HABITAT_PG_PORT:-55432}"
  trap 'say "stopping PostgreSQL"; stop_cluster "$CLUSTER_DIR"' EXIT
fi

say "building"
dotnet build src/HabitatRegistry.Api -c Release -nologo -v q -clp:ErrorsOnly
bin=src/HabitatRegistry.Api/bin/Release/net10.0
api=(dotnet "$bin/HabitatRegistry.Api.dll")
export ASPNETCORE_CONTENTROOT="$PWD/$bin"   # where appsettings.json is

say "migrating the database"
"${api[@]}" migrate

[ "${HABITAT_SAMPLES:-1}" = 0 ] || gis-samples/load.sh gis-samples "${api[@]}"

# Anyone may read; changing the registry needs a key. The person who runs the service gets an admin key, made once and
# kept where only they can read it (a lost or stale file, e.g. after the database was reset, gets a new key).
keyfile=.data/admin.key
mkdir -p .data
if [ ! -s "$keyfile" ] || ! "${api[@]}" api-keys check --key-file "$keyfile" >/dev/null 2>&1; then
  say "making an admin key for $(id -un) in $keyfile"
  (umask 077 && "${api[@]}" api-keys create --name "$(id -un) (run.sh)" --role admin --replace | tail -n 1 > "$keyfile.new") \
    && mv "$keyfile.new" "$keyfile" || die "could not make an admin key (see above)"
fi
# The same key as a header for curl -H @FILE: on the command line, a key would show in the process list.
(umask 077 && printf 'Authorization: Bearer %s\n' "$(cat "$keyfile")" > .data/admin.header)
cat >&2 <<EOF
Changes need a key (and reading too, if Habitat__PublicRead=false); yours, an admin's, is in $keyfile, readable only by you:
  curl -H @.data/admin.header -X POST -H 'Content-Type: application/geo+json' \\
       --data-binary @gis-samples/tokorozawa-designations-corrections.geojson $urls/imports/designations
  QGIS: Settings > Options > Authentication > + > Basic, any user name, the key as password; pick it in the
        OGC API - Features connection. Swagger UI: Authorize, and paste the key as bearer.
  More keys: HABITAT_DB='$HABITAT_DB' ${api[*]} api-keys create --name NAME --role viewer|editor|admin
EOF

say "serving on $urls (web map: $urls/map; Swagger UI: $urls/swagger; Ctrl-C stops)"
"${api[@]}" --urls "$urls"
