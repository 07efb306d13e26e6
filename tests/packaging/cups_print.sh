#!/usr/bin/env bash
# Printing through libcups against a real cupsd started here: a slip arrives as a job; a job that
# CUPS accepts and then fails, and a stopped queue, are printer failures (booking kept, flagged).
# Usage: cups_print.sh WIJKLOKET_STAFF SOURCE_DIR
set -euo pipefail
S="$1"
ROOT="$2"
fail() { echo "FAIL: $*" >&2; [ -n "${CT:-}" ] && tail -20 "$CT/log/error_log" >&2; exit 1; }
[ -x /usr/sbin/cupsd ] || fail "cupsd is missing: run scripts/install-deps.sh --test (package cups)"
CUPS_QUEUES="slip=wlfile:@CT@/out/slip.pdf aborts=wlfile:@CT@/missing/a.pdf,abort-job \
jams=wlfile:@CT@/missing/j.pdf,stop-printer"
source "$(dirname "$0")/cupsd_start.sh"
T=$(mktemp -d /tmp/wl-cupsprint-XXXXXX)
trap 'cupsd_stop; rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam
NOW=$(date -d "2026-11-23 08:00" +%s)
W=("$S" --db "$T/p.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23)
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
  echo "ok: cups:$1 -> exit $rc: $(grep -o 'CUPS queue.*' "$T/err" | head -1)"
}
expect_failure aborts "accepted job [0-9]+, then it was aborted"
# 3. Accepted, then the device fails and the queue stops (CUPS's default policy): the job would
#    wait for ever; it is noticed and canceled.
expect_failure jams "is stopped"
lpstat -W not-completed -o jams | grep -q . && fail "the stuck job was not canceled: $(lpstat -W all -o jams)"
# 4. A queue staff stopped (cupsdisable) is a printer failure before anything is sent.
cupsdisable slip
expect_failure slip "CUPS queue slip is stopped"
cupsenable slip

# Every failure was flagged for staff; the booking is kept.
n=$("${W[@]}" events | grep -c "printer_failure.*slip $REF not printed" || true)
[ "$n" -eq 3 ] || fail "expected 3 printer_failure events, got $n: $("${W[@]}" events)"
"${W[@]}" appointments --location wij_x --date 2026-11-24 | grep "$REF" | grep -q "bon niet geprint" || fail "no flag"
echo "cups printing ok"
