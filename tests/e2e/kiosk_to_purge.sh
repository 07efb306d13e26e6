#!/usr/bin/env bash
# End to end: a kiosk script replay completes an intake; staff list, show (right answers), pull it; purge removes it after its retention.
# usage: kiosk_to_purge.sh KIOSK STAFF ROOT   (run from the repository root)
set -u
KIOSK=$1
STAFF=$2
ROOT=$3
export LC_ALL=C SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB="$W/kiosk.db"
export WL_PASSPHRASE="end to end passphrase" WL_KEYS="$W/keys" WL_PIN=4821
EPOCH=1795000000 # the kiosk replays run at this time (2026-11-18)
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
S() { "$STAFF" --db "$DB" --now "$NOW" --user anna "$@"; }

"$STAFF" keygen --out "$W/keys" --kdf interactive >/dev/null || exit 1
WL_NEW_PIN=4821 "$STAFF" --db "$DB" --now "$EPOCH" user add anna --role staff >/dev/null || exit 1
WL_NEW_PIN=7777 "$STAFF" --db "$DB" --now "$EPOCH" user add beheer --role admin >/dev/null || exit 1

# The kiosk seals with the staff public key named in its configuration (public_key = FILE);
# the test configuration's allow_unsealed line is dropped so nothing could fall back to clear.
grep -v '^allow_unsealed' "$ROOT/tests/kiosk/test.conf" >"$W/kiosk.conf"
echo "public_key = $W/keys/public.key" >>"$W/kiosk.conf"
if ! "$KIOSK" --headless --config "$W/kiosk.conf" --db "$DB" --script "$ROOT/tests/kiosk/zelfdoener.script" \
    --screenshots "$W/shots" --golden "$ROOT/tests/kiosk/golden" --epoch $EPOCH --test-refcodes >"$W/kiosk.out" 2>&1; then
    bad "kiosk replay"
    cat "$W/kiosk.out"
    exit 1
fi
grep -q "sealed to staff key" "$W/kiosk.out" && ok "the kiosk seals to the staff key" || bad "kiosk did not say it seals"
ok "kiosk replay completed an intake"

NOW=$((EPOCH + 3600))
S list --json >"$W/list.json" || bad "list"
ref=$(python3 -c "import json; r=json.load(open('$W/list.json')); print(r[0]['ref'] if len(r)==1 and r[0]['route']=='zelfdoener' else '')")
[ -n "$ref" ] && ok "the day list has the one intake, advised zelfdoener ($ref)" || { bad "day list: $(cat "$W/list.json")"; exit 1; }

S show "$ref" >"$W/show.txt" 2>&1 || bad "show"
grep -q "Sanne de Vries" "$W/show.txt" && ok "show has the name typed at the kiosk" || bad "name missing in show"
grep -q "36 uur per week" "$W/show.txt" && ok "show has the hours typed at the kiosk" || bad "hours missing in show"
grep -q "Gesolliciteerd" "$W/show.txt" && ok "show has a multiple-choice answer" || bad "multiple choice missing in show"
enc=$(sqlite3 "$DB" "SELECT group_concat(DISTINCT encoding) FROM intake_data")
[ "$enc" = sealed ] && ok "the kiosk stored it sealed" || bad "kiosk stored encoding '$enc'"
grep -a -q "Sanne de Vries" "$DB" "$DB-wal" 2>/dev/null && bad "name in the raw database" || ok "name not in the raw database"

S pull "$ref" >/dev/null && ok "pulled" || bad "pull"
NOW=$((EPOCH + 10 * 86400))
WL_PIN=7777 "$STAFF" --db "$DB" --now "$NOW" --user beheer purge >"$W/purge.txt" 2>&1
grep -q "0 deleted" "$W/purge.txt" && ok "not purged within its retention (30 days after pulling)" || bad "early purge: $(cat "$W/purge.txt")"
NOW=$((EPOCH + 31 * 86400 + 7200))
WL_PIN=7777 "$STAFF" --db "$DB" --now "$NOW" --user beheer purge >"$W/purge.txt" 2>&1
grep -q "1 deleted" "$W/purge.txt" && ok "purge removes it once its retention has passed" || bad "purge: $(cat "$W/purge.txt")"
S show "$ref" >/dev/null 2>&1
[ $? -eq 6 ] && ok "the record is gone" || bad "record still there"
S audit verify >"$W/verify.txt" 2>&1 && ok "audit trail intact" || bad "audit verify: $(cat "$W/verify.txt")"
n=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action IN ('list','show','pull','purge')")
[ "$n" -ge 4 ] && ok "list, show, pull and purge are in the audit trail" || bad "audit entries: $n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
