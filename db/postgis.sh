# Shared by run.sh and test.sh (sourced, not run): installs PostgreSQL + PostGIS from the OS
# packages when they are missing and starts a private cluster that only this checkout uses.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install it yourself, or set HABITAT_DB to an existing PostGIS database)"
  fi
}

apt_install() {
  command -v apt-get >/dev/null || die "no apt-get here: install $* yourself, or set HABITAT_DB"
  if [ -z "${_apt_updated:-}" ]; then as_root apt-get update -qq >&2; _apt_updated=1; fi
  say "installing $* (OS packages)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" >&2
}

# QGIS 3.40 LTR for the real-client tests and the sample projects: Debian bookworm ships 3.22; bookworm-backports, on
# the same mirror as the machine's own Debian sources, has 3.40.
ensure_qgis() {
  /usr/bin/python3 -c 'import sys, qgis.core; sys.exit(0 if qgis.core.Qgis.versionInt() >= 34000 else 1)' 2>/dev/null && return 0
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    local mirror
    mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      | awk '{ print $2 }' | grep -E '/debian/?$' | head -n 1)
    say "adding Debian bookworm-backports (${mirror:-http://deb.debian.org/debian}) for QGIS 3.40"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "${mirror:-http://deb.debian.org/debian}" | as_root tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
    _apt_updated=  # read the new suite's package lists
  fi
  apt_install -t bookworm-backports python3-qgis qgis-providers
}

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# PostgreSQL server + PostGIS extension, installed only when missing.
ensure_postgis_installed() {
  local bin; bin=$(pg_bindir)
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then apt_install postgresql; bin=$(pg_bindir); fi
  [ -x "$bin/postgres" ] || die "PostgreSQL server not found after installing it"
  local major; major=$(basename "$(dirname "$bin")")
  if ! ls /usr/share/postgresql/"$major"/extension/postgis.control >/dev/null 2>&1; then
    apt_install "postgresql-$major-postgis-3"
  fi
  PG_BIN=$bin
}

# Runs a PostgreSQL server binary as the cluster owner.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_cluster DATA_DIR PORT [SERVER_OPTIONS]: creates the cluster on first use, starts it if it is not running,
# creates the database `habitat` with PostGIS, and sets HABITAT_DB to its connection string and CLUSTER_DIR to
# the folder actually used.
start_cluster() {
  local dir=$1 port=$2 opts=${3:-}
  ensure_postgis_installed
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      # A parent folder is private (e.g. a clone under /root): keep the cluster where postgres can reach it.
      local outside="/var/tmp/habitat-registry-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
      say "the postgres user cannot reach $dir; the cluster lives in $outside instead"
      mkdir -p "$outside" && chown postgres:postgres "$outside" && chmod 700 "$outside"
      dir=$outside
    fi
  fi
  CLUSTER_DIR=$dir
  if [ ! -f "$dir/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in $dir"
    as_pg_owner "$PG_BIN/initdb" -D "$dir" -U habitat --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed for $dir"
  fi
  if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$port"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c work_mem=64MB $opts" \
      start >/dev/null || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U habitat -X -q -v ON_ERROR_STOP=1)
  if ! "${psql[@]}" -d postgres -tAc "select 1 from pg_database where datname = 'habitat'" | grep -q 1; then
    "${psql[@]}" -d postgres -c "create database habitat" >/dev/null
  fi
  "${psql[@]}" -d habitat -c "create extension if not exists postgis" >/dev/null
  export HABITAT_DB="Host=127.0.0.1;Port=$port;Username=habitat;Database=habitat"
}

stop_cluster() {
  local dir=$1
  local bin=${PG_BIN:-$(pg_bindir)}
  [ -n "$bin" ] && [ -f "$dir/postmaster.pid" ] && as_pg_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1
  return 0
}

# free_port START: the first TCP port from START on that nothing listens on.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
