#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the store tests: Debian's server (installed when missing),
# run as the postgres user (initdb refuses root), listening on 127.0.0.1 only, on a private port
# and socket folder (GLASSBOX_PG_DIR, default a new /tmp/glassbox-pg.* folder). Prints the DSN on
# stdout; the server's folder is printed on stderr.
set -euo pipefail
port="${PGPORT:-25432}" # below the ephemeral range (32768+), so no client socket holds it
# A port something already listens on (another run's server) is passed over.
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
dir="${GLASSBOX_PG_DIR:-$(mktemp -d /tmp/glassbox-pg.XXXXXX)}"
mkdir -p "$dir"
chown postgres:postgres "$dir"
chmod 700 "$dir"
as_pg() { su postgres -s /bin/sh -c "$*"; }
as_pg "'$bin/initdb' -D '$dir/data' -A trust -U postgres" >/dev/null
as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null
as_pg "'$bin/createdb' -h 127.0.0.1 -p $port -U postgres glassbox_test"
echo "postgres: running from $dir on 127.0.0.1:$port (stop: su postgres -c \"$bin/pg_ctl -D $dir/data stop\")" >&2
echo "postgres://postgres@127.0.0.1:$port/glassbox_test?sslmode=disable"
