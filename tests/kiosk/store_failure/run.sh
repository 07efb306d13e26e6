#!/usr/bin/env bash
# A store that refuses the save: another process holds the database's write lock longer than the
# store waits (its busy timeout). The kiosk must say calmly that saving did not work, keep every
# answer, and save on the next Versturen once the lock is gone.
# The save goes through the sealed path (a fresh staff key pair), as on a real kiosk.
# usage: tests/kiosk/store_failure/run.sh KIOSK SETUP OUTDIR   (run from the repository root)
set -euo pipefail
kiosk=$1 setup=$2 out=$3
rm -rf "$out"
mkdir -p "$out/shots"
"$setup" --keygen "$out/keys"
db="$out/sf.db"
{
  sed '/^tap "Versturen"/,$d' tests/kiosk/zelfdoener.script | grep -v '^compare'
  cat <<'S'
signal at_summary
pause_until locked
tap "Versturen"
expect "Het opslaan is niet gelukt. Vraag een medewerker om hulp."
expect_screen summary
expect "Sanne de Vries"
expect_stored 0
compare summary_save_failed
signal tried
pause_until unlocked
tap "Versturen"
expect "Dank u wel. Uw antwoorden zijn bewaard."
expect_stored 1
S
} > "$out/sf.script"
export SDL_VIDEODRIVER=dummy
"$kiosk" --headless --config tests/kiosk/test.conf --public-key "$out/keys/public.key" --db "$db" --script "$out/sf.script" \
  --screenshots "$out/shots" --test-refcodes --epoch 1795000000 2> "$out/kiosk.log" &
kpid=$!
for _ in $(seq 1 600); do [ -e "$out/shots/at_summary" ] && break; sleep 0.1; done
[ -e "$out/shots/at_summary" ] || { echo "store_failure: the replay did not reach the summary" >&2; cat "$out/kiosk.log" >&2; exit 1; }
# Hold the write lock (SQLite's own locking, as a second kiosk or the staff tool could) until
# the kiosk has tried and failed.
python3 - "$db" "$out/shots" <<'P'
import os, sqlite3, sys, time
db, shots = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db, isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE")
open(os.path.join(shots, "locked"), "w").close()
for _ in range(600):
    if os.path.exists(os.path.join(shots, "tried")):
        break
    time.sleep(0.1)
c.execute("COMMIT")
c.close()
open(os.path.join(shots, "unlocked"), "w").close()
P
wait "$kpid" || { echo "store_failure: the replay failed" >&2; cat "$out/kiosk.log" >&2; exit 1; }
grep "saving the intake failed" "$out/kiosk.log"
echo "store_failure: refused save kept the answers; the retry saved them"
