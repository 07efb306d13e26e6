#!/usr/bin/env bash
# Runs store, appointments and event unit tests again on PostgreSQL: one private cluster
# (scripts/pg-local: initdb as an unprivileged user, Unix socket only) for all of them, each
# test binary getting the same database through WL_TEST_DB (testdb.h resets it per test).
# usage: pg_backend.sh ROOT TEST_BINARY...
set -euo pipefail
ROOT=$1; shift
T=$(mktemp -d /tmp/wl-pg-unit.XXXXXX)
chmod 0755 "$T"
cleanup() { "$ROOT/scripts/pg-local" stop "$T/pg" || true; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 143' TERM INT
set +e
URL=$("$ROOT/scripts/pg-local" start "$T/pg")
rc=$?
set -e
if [ $rc -eq 3 ]; then echo "SKIP: PostgreSQL server binaries are not installed (apt-get install postgresql-15)"; exit 77; fi
[ $rc -eq 0 ] || { echo "could not start PostgreSQL"; exit 1; }
export WL_TEST_DB=$URL
fails=0
for t in "$@"; do
  echo "== $(basename "$t") on PostgreSQL"
  # the tests' temp folders are their own; only the database is shared
  (cd "$T" && "$t") || { echo "FAILED: $(basename "$t") on PostgreSQL"; fails=$((fails + 1)); }
done
[ $fails -eq 0 ] || exit 1
echo "all $# test programs passed on PostgreSQL"
