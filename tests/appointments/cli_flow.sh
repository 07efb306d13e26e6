#!/usr/bin/env bash
# End to end through wijkloket-staff: slots, book, slip (PNG/ESC/POS/PDF checked), lookup errors, cancel, day list.
set -euo pipefail
S="$1"
ROOT="$2"
T=$(mktemp -d /tmp/wl-appt-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam
NOW=$(date -d "2026-11-23 08:00" +%s)
# Every command that reads or changes a booking needs a signed-in staff user (issue 14, finding 8).
WL_NEW_PIN=4821 "$S" --db "$T/w.db" --now "$NOW" user add anna --role staff >/dev/null
export WL_PIN=4821
W=("$S" --db "$T/w.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23 --user anna)
fail() { echo "FAIL: $*" >&2; exit 1; }

"${W[@]}" slots --service svc_one --location wij_x --days 1 > "$T/slots.txt"
grep -q "^2026-11-23  11:15-12:00  1 of 1 free$" "$T/slots.txt" || fail "slots: $(cat "$T/slots.txt")"
[ "$(wc -l < "$T/slots.txt")" -eq 4 ] || fail "expected 4 slots"

REF=$("${W[@]}" book --service svc_one --location wij_x --start 2026-11-24T09:45 --lang en 2>/dev/null)
[[ "$REF" =~ ^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]$ ]] || fail "book printed '$REF'"
echo "booked $REF"

# Second seat on a one-seat slot: exit 7 and the words the kiosk shows.
set +e
"${W[@]}" book --service svc_one --location wij_x --start 2026-11-24T09:45 > /dev/null 2> "$T/err"
rc=$?
set -e
[ $rc -eq 7 ] || fail "double booking exit $rc"
grep -q "this time was just taken" "$T/err" || fail "double booking message: $(cat "$T/err")"

"${W[@]}" slip "$REF" --png "$T/s.png" --escpos "$T/s.bin" --pdf "$T/s.pdf" --a6-png "$T/a6.png"
[ "$(zbarimg -q --raw "$T/s.png" 2>/dev/null)" = "$REF" ] || fail "thermal PNG QR"
[ "$(zbarimg -q --raw "$T/a6.png" 2>/dev/null)" = "$REF" ] || fail "A6 PNG QR"
echo "zbarimg: $(zbarimg -q --raw "$T/s.png" 2>/dev/null)"
# ESC @, then GS v 0 with 72 bytes (576 dots) per row.
[ "$(head -c 8 "$T/s.bin" | od -An -tx1 | tr -d ' \n')" = "1b401d7630004800" ] || fail "ESC/POS header"
pdftoppm -r 300 -png -singlefile "$T/s.pdf" "$T/page"
[ -s "$T/page.png" ] || fail "pdftoppm rendered nothing"

# Wrong check character, unknown code, bad input: clear message, data exit code.
BAD="${REF:0:10}$([ "${REF:10:1}" = 7 ] && echo 8 || echo 7)"
set +e
"${W[@]}" cancel "$BAD" 2> "$T/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "check symbol" "$T/err" || fail "wrong check char: $rc $(cat "$T/err")"
set +e
"${W[@]}" book --service svc_one --location wij_x --start 2026-11-23T07:00 2> "$T/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "in the past" "$T/err" || fail "past slot: $rc $(cat "$T/err")"
set +e
"${W[@]}" book --service nope --location wij_x --start 2026-11-24T09:00 2> "$T/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "unknown service 'nope'" "$T/err" || fail "unknown service: $rc"

"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep -q "$REF" || fail "day list"
"${W[@]}" cancel "$REF" | grep -q "cancelled $REF" || fail "cancel"
set +e
"${W[@]}" slip "$REF" --png "$T/x.png" 2> "$T/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "was cancelled on" "$T/err" || fail "slip of cancelled: $rc $(cat "$T/err")"
"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep -q "GEANNULEERD" || fail "day list status"
"${W[@]}" slots --service svc_one --location wij_x --date 2026-11-24 | grep -q "09:45-10:30  1 of 1 free" \
  || fail "seat not freed"
# Issue 14, finding 8: every command that reads or changes a booking signs in and is audited.
NOUSER=("$S" --db "$T/w.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23)
for cmd in "book --service svc_one --location wij_x --start 2026-11-24T11:00" "cancel $REF" "slip $REF --png $T/y.png" \
           "reprint $REF" "appointments --location wij_x" "events" "events --ack 1" "minima-counts 2026-11-01 2026-11-30"; do
  set +e
  # shellcheck disable=SC2086
  "${NOUSER[@]}" $cmd >/dev/null 2>&1; rc=$?
  # shellcheck disable=SC2086
  WL_PIN=0000 "${W[@]}" $cmd >/dev/null 2>&1; rc2=$?
  set -e
  [ $rc -eq 2 ] || fail "'$cmd' without --user: exit $rc, expected 2 (usage)"
  [ $rc2 -eq 5 ] || fail "'$cmd' with a wrong PIN: exit $rc2, expected 5"
done
n=$(sqlite3 "$T/w.db" "SELECT count(DISTINCT action) FROM audit WHERE actor = 'anna' AND action IN ('book','cancel','slip','appointments')")
[ "$n" = 4 ] || fail "book, cancel, slip and appointments audited: $n of 4"
echo "cli flow ok"
