#!/usr/bin/env bash
# The daily purge timer's command, taken from packaging/systemd/wijkloket-purge.service, runs
# without anyone signing in, purges, and leaves an audit entry by actor "timer"; without
# --scheduled, purge still wants a signed-in admin.
# Usage: purge_timer.sh WIJKLOKET_STAFF SOURCE_DIR
set -euo pipefail
S="$1"
SRC="$2"
T=$(mktemp -d /tmp/wl-purge-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cmd=$(sed -n 's|^ExecStart=/usr/bin/wijkloket-staff ||p' "$SRC/packaging/systemd/wijkloket-purge.service")
[ "$cmd" = "purge --scheduled" ] || fail "unexpected ExecStart in the unit: '$cmd'"
# A database with something in it: a booking (the purge reads the policy, the audit gets a line).
# Booking needs a signed-in staff user (issue 14, finding 8).
WL_NEW_PIN=4821 "$S" --db "$T/w.db" user add anna --role staff > /dev/null
WL_PIN=4821 "$S" --db "$T/w.db" --assets "$SRC/tests/appointments/assets" --user anna book --service svc_one \
  --location wij_x --start "$(date -d 'next monday' +%Y-%m-%d)T10:30" > /dev/null 2>&1 || true
[ -f "$T/w.db" ] || fail "no database made"
set +e
"$S" --db "$T/w.db" purge < /dev/null > "$T/out" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] && grep -q -- "--user" "$T/out" || fail "purge without --scheduled did not ask for a user: $(cat "$T/out")"
# shellcheck disable=SC2086
"$S" --db "$T/w.db" $cmd > "$T/out" 2>&1 || fail "the timer's command failed: $(cat "$T/out")"
grep -q "^Purged: " "$T/out" || fail "no purge report: $(cat "$T/out")"
[ "$(sqlite3 "$T/w.db" "SELECT count(*) FROM audit WHERE actor = 'timer' AND action = 'purge'")" = 1 ] ||
  fail "no audit entry by 'timer'"
echo "ok: '$cmd' -> $(cat "$T/out"); audit entry by timer"
