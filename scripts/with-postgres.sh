#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: start it on a free loopback port,
# export TEST_DATABASE_URL, run the command, stop and delete the cluster whatever happens.
set -euo pipefail

pg_bin=""
for dir in "${PG_BIN:-}" /usr/lib/postgresql/*/bin; do
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then pg_bin="$dir"; fi
done
if [ -z "$pg_bin" ] && command -v initdb >/dev/null 2>&1; then
  pg_bin="$(dirname "$(command -v initdb)")"
fi
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
  echo "Install them: sudo apt-get install -y postgresql   (or set PG_BIN=/path/to/bin)" >&2
  exit 1
fi

datadir="$(mktemp -d /tmp/pxs-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# PostgreSQL refuses to run as root: run the server as the postgres user in that case.
as_pg=()
if [ "$(id -u)" = "0" ]; then
  as_pg=(runuser -u postgres --)
  chown postgres "$datadir"
fi

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$datadir" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$datadir" -U pxs --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$datadir" -w -l "$datadir/server.log" \
  -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c max_connections=300" start >/dev/null

export TEST_DATABASE_URL="postgresql+psycopg://pxs@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
