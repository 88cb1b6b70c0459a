#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback and create the test role and database (idempotent).
# Prints the DATABASE_URL to use on its last line.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  pg_createcluster 15 main >/dev/null
  cluster="15 main"
fi
set -- $cluster
if ! pg_lsclusters --no-header | awk -v v="$1" -v c="$2" '$1==v && $2==c {print $4}' | grep -q online; then
  pg_ctlcluster "$1" "$2" start
fi
port=$(pg_lsclusters --no-header | awk -v v="$1" -v c="$2" '$1==v && $2==c {print $3}')
psql_as_postgres() { su postgres -c "psql -p $port -qtAX -v ON_ERROR_STOP=1 -c \"$1\""; }
if [ "$(psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname='studyapp'")" != "1" ]; then
  psql_as_postgres "CREATE ROLE studyapp LOGIN CREATEDB PASSWORD 'studyapp'"
fi
if [ "$(psql_as_postgres "SELECT 1 FROM pg_database WHERE datname='studyapp_test'")" != "1" ]; then
  psql_as_postgres "CREATE DATABASE studyapp_test OWNER studyapp"
fi
echo "postgresql://studyapp:studyapp@127.0.0.1:$port/studyapp_test"
