#!/usr/bin/env bash
# Four kiosk processes at once (separate wijkloket-staff runs) book few seats: exactly capacity wins.
set -euo pipefail
S="$1"
ROOT="$2"
T=$(mktemp -d /tmp/wl-appt-conc-XXXXXX)
trap 'rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam
NOW=$(date -d "2026-11-23 08:00" +%s)
# Every command that reads or changes a booking needs a signed-in staff user (issue 14, finding 8).
WL_NEW_PIN=4821 "$S" --db "$T/c.db" --now "$NOW" user add anna --role staff >/dev/null
export WL_PIN=4821
W=("$S" --db "$T/c.db" --assets "$ROOT/tests/appointments/assets" --now "$NOW" --today 2026-11-23 --user anna)
# Create and migrate the database before the race: kiosks open an existing database. (Several
# processes creating one new file at the same moment is the store's concern, not booking's.)
"${W[@]}" slots --service svc_group --location loc_a --date 2026-11-24 > /dev/null
[ -s "$T/c.db" ] || { echo "database not created" >&2; exit 1; }
TRIES=8
for k in 1 2 3 4; do
  (
    for i in $(seq $TRIES); do
      if [ $((i % 2)) -eq 0 ]; then start=2026-11-24T10:00; else start=2026-11-24T14:00; fi
      set +e
      out=$("${W[@]}" book --service svc_group --location loc_a --start $start 2>&1 >/dev/null)
      rc=$?
      set -e
      case $rc in
        0) echo booked ;;
        7) if grep -q "this time was just taken" <<<"$out"; then echo taken; else echo "other $out"; fi ;;
        *) echo "other rc=$rc $out" ;;
      esac
    done > "$T/k$k.txt"
  ) &
done
wait
cat "$T"/k*.txt > "$T/all.txt"
booked=$(grep -c '^booked$' "$T/all.txt" || true)
taken=$(grep -c '^taken$' "$T/all.txt" || true)
other=$(grep -c '^other' "$T/all.txt" || true)
rows=$("${W[@]}" appointments --location loc_a --date 2026-11-24 --json | grep -c '"ref"' || true)
echo "concurrency (CLI): 4 processes x $TRIES tries on 2 slots of capacity 3: $booked booked, $taken told \"this time was just taken\", $other other, $rows rows in the day list"
grep '^other' "$T/all.txt" || true
[ "$booked" -eq 6 ] && [ "$taken" -eq $((4 * TRIES - 6)) ] && [ "$other" -eq 0 ] && [ "$rows" -eq 6 ]
