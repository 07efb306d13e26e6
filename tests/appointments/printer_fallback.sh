#!/usr/bin/env bash
# A printer that is missing or refuses keeps the booking, flags it for staff; reprint recovers.
set -euo pipefail
S="$1"
ROOT="$2"
T=$(mktemp -d /tmp/wl-appt-prn-XXXXXX)
trap 'rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam
NOW=$(date -d "2026-11-23 08:00" +%s)
# Every command that reads or changes a booking needs a signed-in staff user (issue 14, finding 8).
WL_NEW_PIN=4821 "$S" --db "$T/p.db" --now "$NOW" user add anna --role staff >/dev/null
export WL_PIN=4821
W=("$S" --db "$T/p.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23 --user anna)
fail() { echo "FAIL: $*" >&2; exit 1; }
REF=$("${W[@]}" book --service svc_one --location wij_x --start 2026-11-24T10:30 2>/dev/null)
for spec in escpos:/dev/wl-no-such-printer cups:wl_no_such_queue; do
  set +e
  "${W[@]}" reprint "$REF" --printer "$spec" 2> "$T/err"
  rc=$?
  set -e
  [ $rc -ne 0 ] || fail "$spec printed?"
  grep -q "PRINTER FAILURE" "$T/err" && grep -q "is kept" "$T/err" || fail "$spec message: $(cat "$T/err")"
  echo "$spec: exit $rc: $(grep 'is kept' "$T/err")"
done
"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep "$REF" | grep -q "bon niet geprint" || fail "no flag"
# The staff screen's alert list has both failures.
[ "$("${W[@]}" events | grep -c "printer_failure.*slip $REF not printed")" -eq 2 ] || fail "events: $("${W[@]}" events)"
WL_PRINTER="file:$T/slip.bin" "${W[@]}" reprint "$REF" | grep -q "printed $REF" || fail "reprint to file"
[ "$(head -c 2 "$T/slip.bin" | od -An -tx1 | tr -d ' \n')" = "1b40" ] || fail "reprinted file is not ESC/POS"
"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep "$REF" | grep -vq "bon niet geprint" || fail "flag stays"
echo "printer fallback ok"
