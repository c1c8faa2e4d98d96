#!/usr/bin/env bash
# Starts a local PostgreSQL for the ledger's PostgreSQL tests (tests/Routing.Ledger.Tests) and prints
# the line that points them at it. Idempotent: installs the server only if missing, creates the
# cluster only if missing, starts it only if down, and (re)creates role and database only if absent.
# The server listens on 127.0.0.1:5432 only. Usage from .ci/run:
#   eval "$(bash .ci/postgres-for-tests.sh)"
# Everything except the final export line goes to stderr, so eval sees only that line.
set -euo pipefail

PORT=5432
ROLE=routing
PASSWORD=routing
DATABASE=routing_test

log() { echo "postgres-for-tests: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
  log "PostgreSQL is not installed; installing it from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)

if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $VERSION/main on port $PORT"
  pg_createcluster "$VERSION" main --port "$PORT" >&2
fi

# Loopback only: the tests never need more, and this machine must not expose a database.
# A conf.d drop-in (Debian's postgresql.conf includes conf.d) rather than editing postgresql.conf.
CONF_DIR="/etc/postgresql/$VERSION/main/conf.d"
mkdir -p "$CONF_DIR"
printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PORT" > "$CONF_DIR/routing-tests.conf"

STATUS=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $4 }')
if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 1
done
if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  log "PostgreSQL did not become ready on 127.0.0.1:$PORT; last log lines:"
  tail -n 20 "/var/log/postgresql/postgresql-$VERSION-main.log" >&2 || true
  exit 1
fi

as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -p "$PORT" "$@"; }

if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  log "creating role $ROLE"
  as_postgres -c "CREATE ROLE $ROLE LOGIN CREATEROLE PASSWORD '$PASSWORD'"
else
  as_postgres -c "ALTER ROLE $ROLE LOGIN CREATEROLE PASSWORD '$PASSWORD'"
fi
# $ROLE is the migration owner: the ledger's migration 0003 creates the role routing_engine (INSERT
# and SELECT only) that the engine logs in as, hence CREATEROLE (engine/Routing.Ledger/README.md).

if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  log "creating database $DATABASE owned by $ROLE"
  as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

log "PostgreSQL $VERSION ready on 127.0.0.1:$PORT, database $DATABASE"
echo "export ROUTING_TEST_POSTGRES=\"Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$PASSWORD;Database=$DATABASE\""
