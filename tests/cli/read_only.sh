#!/usr/bin/env bash
# A database this user may only read (issue 14, finding 12): `audit verify` and sign-in work;
# reads the audit trail logs (list, show, stats) are refused because the entry cannot be
# written ("no trace, no access"), and changes say plainly that the database is read-only.
# Run as root it switches to `nobody` (root ignores file modes), with a copy of the binary in
# this test's own folder so a checkout under a 0700 folder does not matter.
set -u
staff=$1
work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"
pass=0; fail=0
. "$(dirname "$0")/lib.sh"
mkdir -p "$work/bin"; cp "$staff" "$work/bin/wijkloket-staff"; chmod 755 "$work/bin" "$work/bin/wijkloket-staff"
as=()
if [ "$(id -u)" -eq 0 ]; then
  command -v setpriv >/dev/null || { echo "FAIL setpriv is missing (util-linux)"; exit 1; }
  as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
S() { "${as[@]}" env WL_PIN="${PIN:-4321}" "$work/bin/wijkloket-staff" --db "$db" "$@"; }

# make DIR: a database with an admin and a few audit entries, owned by the user the test runs as.
make() {
  mkdir -p "$1"; db="$1/k.db"
  WL_NEW_PIN=4321 "$staff" --db "$db" user add beheer --role admin >/dev/null || { echo "FAIL setup"; exit 1; }
  WL_NEW_PIN=5678 WL_PIN=4321 "$staff" --db "$db" --user beheer user add piet --role staff >/dev/null || { echo "FAIL setup 2"; exit 1; }
  [ ${#as[@]} -gt 0 ] && chown -R nobody:nogroup "$1"
  return 0
}
check_all() {
  local what=$1
  expect "$what: audit verify works" 0 "Audit trail intact" S --user beheer audit verify
  PIN=0000 expect "$what: a wrong PIN is still a wrong PIN" 5 "PIN" S --user beheer audit verify
  expect "$what: list is refused, saying why" 4 "read-only.*audit trail" S --user beheer list
  expect "$what: stats is refused, saying why" 4 "read-only.*audit trail" S --user beheer stats
  expect "$what: audit list is refused, saying why" 4 "read-only.*audit trail" S --user beheer audit list
  PIN=4321 expect "$what: a change says the database is read-only" 4 "k\.db.*read-only" \
    env WL_NEW_PIN=9999 "${as[@]}" env WL_PIN=4321 WL_NEW_PIN=9999 "$work/bin/wijkloket-staff" --db "$db" --user beheer user add kees --role staff
}

# 1. The folder and the file are read-only (a read-only copy or mount).
make "$work/ro"
chmod 444 "$work/ro"/*; chmod 555 "$work/ro"
check_all "read-only folder"
# 2. Only the files are read-only (mode 0444 in a writable folder).
make "$work/rofile"
chmod 444 "$work/rofile"/*
check_all "0444 file"
chmod -R u+w "$work/ro" "$work/rofile"
# Nothing was changed: still two users, and the audit trail verifies for the owner too.
n=$(sqlite3 "$work/ro/k.db" "SELECT count(*) FROM users")
if [ "$n" = 2 ]; then echo "ok   the read-only database is unchanged ($n users)"; pass=$((pass+1));
else echo "FAIL the read-only database changed ($n users)"; fail=$((fail+1)); fi
db="$work/ro/k.db"
expect "afterwards, writable again: audit verify" 0 "Audit trail intact" env WL_PIN=4321 "$staff" --db "$db" --user beheer audit verify
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
