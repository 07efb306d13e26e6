#!/usr/bin/env bash
# Printing through libcups against a real cupsd started here: a slip arrives as a job; a job that
# CUPS accepts and then fails, and a stopped queue, are printer failures (booking kept, flagged).
# With a kiosk binary as third argument it also books on the kiosk with WL_PRINTER=cups:aborts:
# the citizen sees the on-screen slip whose QR code (zbarimg on the screenshot) is the booking.
# Usage: cups_print.sh WIJKLOKET_STAFF SOURCE_DIR [WIJKLOKET_KIOSK]
set -euo pipefail
S="$1"
ROOT="$2"
K="${3:-}"
fail() { echo "FAIL: $*" >&2; [ -n "${CT:-}" ] && tail -20 "$CT/log/error_log" >&2; exit 1; }
[ -x /usr/sbin/cupsd ] || fail "cupsd is missing: run scripts/install-deps.sh --test (package cups)"
CUPS_QUEUES="slip=wlfile:@CT@/out/slip.pdf aborts=wlfile:@CT@/missing/a.pdf,abort-job \
jams=wlfile:@CT@/missing/j.pdf,stop-printer"
source "$(dirname "$0")/cupsd_start.sh"
T=$(mktemp -d /tmp/wl-cupsprint-XXXXXX)
trap 'cupsd_stop; rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam
NOW=$(date -d "2026-11-23 08:00" +%s)
# Reading and changing bookings needs a signed-in staff user (issue 14, finding 8).
WL_NEW_PIN=4821 "$S" --db "$T/p.db" --now "$NOW" user add anna --role staff >/dev/null
export WL_PIN=4821
W=("$S" --db "$T/p.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23 --user anna)
REF=$("${W[@]}" book --service svc_one --location wij_x --start 2026-11-24T10:30 2>/dev/null)

# 1. A slip printed through libcups arrives as a job, and the job completes.
"${W[@]}" reprint "$REF" --printer cups:slip > "$T/out" 2> "$T/err" || fail "cups:slip: $(cat "$T/err")"
grep -q "printed $REF" "$T/out" || fail "no 'printed' line"
[ "$(head -c 4 "$CT/out/slip.pdf")" = "%PDF" ] || fail "the job that arrived is not the PDF slip"
lpstat -W completed -o slip | grep -q "^slip-" || fail "no completed job on queue slip: $(lpstat -W all -o)"
echo "ok: slip arrived as job $(lpstat -W completed -o slip | awk '{print $1}'), $(stat -c %s "$CT/out/slip.pdf") bytes of PDF"

# 2. Accepted, then the device fails (job aborted by the queue's error policy).
expect_failure() { # QUEUE PATTERN
  set +e
  "${W[@]}" reprint "$REF" --printer "cups:$1" > /dev/null 2> "$T/err"
  local rc=$?
  set -e
  [ $rc -ne 0 ] || fail "cups:$1 printed?"
  grep -q "PRINTER FAILURE" "$T/err" || fail "cups:$1: no printer failure: $(cat "$T/err")"
  grep -Eq "$2" "$T/err" || fail "cups:$1: message does not say '$2': $(cat "$T/err")"
  echo "ok: cups:$1 -> exit $rc: $(grep -o "slip shown on screen: .*" "$T/err" | head -1 | cut -d: -f2-)"
}
expect_failure aborts "accepted job [0-9]+, then it was aborted"
# 3. Accepted, then the device fails and the queue stops (CUPS's default policy): the job would
#    wait for ever; it is noticed and canceled.
expect_failure jams "job [0-9]+ (pending|processing): CUPS queue jams is stopped"
lpstat -W not-completed -o jams | grep -q . && fail "the stuck job was not canceled: $(lpstat -W all -o jams)"
# 4. A queue staff stopped (cupsdisable) is a printer failure before anything is sent.
cupsdisable slip
expect_failure slip "CUPS queue slip is stopped"
cupsenable slip

# Every failure was flagged for staff; the booking is kept.
n=$("${W[@]}" events | grep -c "printer_failure.*slip $REF not printed" || true)
[ "$n" -eq 3 ] || fail "expected 3 printer_failure events, got $n: $("${W[@]}" events)"
"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep "$REF" | grep -q "bon niet geprint" || fail "no flag"
# 5. The citizen's side: the kiosk books, CUPS accepts the slip and the device fails; the kiosk
#    shows the slip on screen with the QR code (the same fallback as with no printer).
if [ -n "$K" ]; then
  (cd "$ROOT" && SDL_VIDEODRIVER=dummy WL_PRINTER=cups:aborts "$K" --headless --config tests/kiosk/test.conf \
     --db "$T/k.db" --script tests/appointments/kiosk_booking.script --screenshots "$T/shots" \
     --golden tests/kiosk/golden --epoch 1795000000 --test-refcodes) > "$T/kiosk.out" 2> "$T/kiosk.err" ||
    fail "kiosk booking: $(tail -5 "$T/kiosk.err")"
  grep -q "PRINTER FAILURE.*CUPS queue aborts accepted job [0-9]*, then it was aborted" "$T/kiosk.err" ||
    fail "kiosk did not notice the failed CUPS job: $(grep -i printer "$T/kiosk.err")"
  kref=$(zbarimg -q --raw "$T/shots/appt_slip.png" 2>/dev/null) || fail "no QR on the kiosk's fallback screen"
  WL_NEW_PIN=4821 "$S" --db "$T/k.db" --now "$NOW" user add anna --role staff >/dev/null
  "$S" --db "$T/k.db" --now "$NOW" --user anna appointments --location harm_buiterplein --date 2026-11-24 | grep "$kref" |
    grep -q "bon niet geprint" || fail "kiosk booking $kref not flagged"
  echo "ok: kiosk: CUPS job failed, QR on screen decodes to $kref, booking flagged"
fi
echo "cups printing ok"
