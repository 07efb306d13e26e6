#!/usr/bin/env bash
# Staff against the centre: a kiosk delivers intakes to wijkloket-server; wijkloket-staff
# --db postgresql://... then adds users, decides, counts, exports and checks the audit trail
# through the one store API, with the secret key only on the staff side.
# usage: staff_central.sh SERVER LOAD FLEET_KIOSK STAFF ROOT DELIVER
SERVER=$1 FLEET=$3 STAFF=$4 ROOT=$5 DELIVER=$6
. "$ROOT/tests/server/lib.sh"
start_pg
set +e # each check below looks at exit codes itself
PORT=$(free_port)
A=(--assets "$ROOT/tests/appointments/assets")
export WL_PASSPHRASE=central-test-passphrase WL_KEYS="$T/keys"
start_with_two_kiosks
for k in k1:loc_a k2:wij_x; do
  "$FLEET" "$T/${k%%:*}.db" "$T/keys/public.key" "${k%%:*}" "${k#*:}" 3 0 >"$T/${k%%:*}.refs" || fail "kiosk ${k%%:*}"
  "$DELIVER" --db "$T/${k%%:*}.db" --server "http://127.0.0.1:$PORT" --key "$T/${k%%:*}.key" --once \
    >"$T/${k%%:*}.deliver.log" 2>&1 || fail "delivery from ${k%%:*}: $(tail -3 "$T/${k%%:*}.deliver.log")"
done
S() { "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" "$@"; }
SA() { "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --assets "$ROOT/tests/appointments/assets" "$@"; }
check() { # name want command...
  local name=$1 want=$2; shift 2
  "$@" >"$T/out" 2>&1; local got=$?
  if [ "$got" -eq "$want" ]; then echo "ok   $name"; else fail "$name: exit $got, expected $want"; sed 's/^/     | /' "$T/out"; fi
}
check "first admin on the central database" 0 env WL_NEW_PIN=7777 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" user add beheer --role admin
check "a staff user, added by the admin" 0 env WL_PIN=7777 WL_NEW_PIN=4821 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user beheer user add anna --role staff
check "user list" 0 S user list
grep -q anna "$T/out" || fail "user list lacks anna"
check "wrong PIN refused" 5 env WL_PIN=0000 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user anna stats
ref1=$(head -1 "$T/k1.refs"); ref2=$(head -1 "$T/k2.refs")
export WL_PIN=4821
check "stats over both kiosks" 0 S --user anna stats
grep -q loc_a "$T/out" && grep -q wij_x "$T/out" || { fail "stats lacks a location"; cat "$T/out"; }
check "decide on a delivered intake (reason sealed)" 0 S --user anna decide "$ref1" --route participatie --reason "Wil graag aan het werk"
check "decide on an unknown reference" 6 S --user anna decide 0000-0000-0 --route participatie --reason x
check "agreement" 0 S --user anna agreement
check "export opens the sealed parts on this machine" 0 S --user anna export --format json --out "$T/export.json"
python3 - "$T/export.json" "$ref1" "$ref2" <<'PY' || fail "export content"
import json, sys
d = json.load(open(sys.argv[1]))
refs = {r["ref"] for r in d}
assert sys.argv[2] in refs and sys.argv[3] in refs, refs
assert len(d) == 6, len(d)
PY
# Show, pull and list on the centre: PIN, audit entry first ("no trace, no access"), pulled marks.
check "central list needs a signed-in staff member" 2 S list
check "central show with a wrong PIN refused" 5 env WL_PIN=0000 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user anna show "$ref1"
check "central list over both kiosks" 0 S --user anna list
grep -q " k1 .* loc_a " "$T/out" && grep -q " k2 .* wij_x " "$T/out" || fail "central list lacks a kiosk: $(cat "$T/out")"
check "central show opens the record on this machine" 0 S --user anna show "$ref1"
grep -q '"naam"' "$T/out" || fail "show did not open the personal part: $(head -5 "$T/out")"
psql "$DB_URL" -qc "ALTER TABLE wl_store.audit ADD CONSTRAINT no_show_test CHECK (action <> 'show') NOT VALID"
check "no trace, no access: show refused when its audit entry cannot be written" 3 S --user anna show "$ref2"
grep -q '"naam"' "$T/out" && fail "show printed the record although its audit entry failed"
psql "$DB_URL" -qc "ALTER TABLE wl_store.audit DROP CONSTRAINT no_show_test"
check "central pull of one record, opened into a folder" 0 S --user anna pull "$ref2" --out "$T/pulled"
[ "$(stat -c %a "$T/pulled/$ref2.json" 2>/dev/null)" = 600 ] && grep -q '"naam"' "$T/pulled/$ref2.json" &&
  echo "ok   $ref2.json written 0600 with the opened personal part" || fail "pulled file $T/pulled/$ref2.json"
check "pulling it again is refused, naming who pulled it" 7 S --user anna pull "$ref2"
grep -q "already pulled by anna" "$T/out" || fail "second pull said: $(cat "$T/out")"
check "central pull --all at loc_a takes what nobody pulled yet" 0 S --user anna pull --all --location loc_a --out "$T/pulled"
grep -q "^3 intake(s) pulled by anna" "$T/out" || fail "pull --all said: $(cat "$T/out")"
check "pull --all again finds nothing left" 0 S --user anna pull --all --location loc_a
grep -q "^0 intake(s) pulled" "$T/out" || fail "second pull --all said: $(cat "$T/out")"
check "central list shows who pulled what" 0 S --user anna list --json
python3 - "$T/out" "$ref1" "$ref2" <<'PY' || fail "list --json pulled marks"
import json, sys
rows = {r["ref"]: r for r in json.load(open(sys.argv[1]))}
assert rows[sys.argv[2]]["pulled_by"] == "anna" and rows[sys.argv[3]]["pulled_by"] == "anna", rows
assert sum(1 for r in rows.values() if r["pulled_by"]) == 4, rows
assert all(r["pulled_at"] for r in rows.values() if r["pulled_by"])
PY
check "central list text has the PULLED BY column" 0 S --user anna list
grep -q "^$ref2 .* anna$" "$T/out" || fail "list line of $ref2 lacks anna: $(grep "$ref2" "$T/out")"
[ "$(psql "$DB_URL" -tAc "SELECT count(*) FROM wl_store.intakes WHERE pulled_by = 'anna'")" = 4 ] &&
  echo "ok   the pulled marks are in the store's intakes (as a kiosk's pull)" || fail "pulled marks not in wl_store.intakes"
# One home for minima counts: the portal's figures are the store's rows (migration 8).
[ -z "$(psql "$DB_URL" -tAc "SELECT to_regclass('public.minima_runs')")" ] && echo "ok   no second minima table in public" ||
  fail "public.minima_runs still exists"
psql "$DB_URL" -qc "INSERT INTO wl_store.minima_shown VALUES ('2026-11-03', 'online', 'leergeld', 'eligible', 2)"
check "minima-counts on the central database reads the store's table (PIN, audited)" 0 S --user anna minima-counts 2026-11-01 2026-11-30
grep -q '"count": 2' "$T/out" && grep -q leergeld "$T/out" || fail "minima-counts said: $(cat "$T/out")"
check "purge dry run on the central database" 0 env WL_PIN=7777 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user beheer purge --dry-run
check "reclassify with the current rules" 0 S --assets "$ROOT/assets" --user anna reclassify --rules "$ROOT/assets/rules/routing.json"
check "audit verify" 0 env WL_PIN=7777 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user beheer audit verify
grep -qi "ok\|intact\|entries" "$T/out" || fail "audit verify said: $(cat "$T/out")"
check "audit list shows the decision" 0 env WL_PIN=7777 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user beheer audit list
grep -q decide "$T/out" || fail "audit list lacks the decision: $(head -5 "$T/out")"
for a in "list kiosk=" "show $ref1" "pull $ref2" "export format="; do
  grep -q "anna *${a% *} .*${a#* }" "$T/out" || fail "audit list lacks anna's $a: $(grep anna "$T/out" | head -20)"
done
[ "$(grep -c "anna.*pull" "$T/out")" = 4 ] && echo "ok   audit list: list, show, every pull and the export, each by anna" ||
  fail "audit list has $(grep -c "anna.*pull" "$T/out") pull entries by anna, expected 4"
DAY=$(date -d "next tuesday" +%F) # svc_group meets on Tuesdays at 10:00 in the test assets
check "book on the central seats" 0 SA --user anna book --service svc_group --location loc_a --start ${DAY}T10:00
check "appointments day list" 0 SA --user anna appointments --location loc_a --date $DAY
grep -q "10:00" "$T/out" || fail "day list lacks the booking: $(cat "$T/out")"
[ "$(psql "$DB_URL" -tAc "SELECT used FROM slot_usage WHERE start = '${DAY}T10:00'")" = 1 ] && echo "ok   the booking took a seat in the server's own slot_usage" || fail "seat not in public.slot_usage"
[ -f "$T/central-install-audit.head" ] || [ -f "$T/central-audit.head" ] && echo "ok   audit head kept on this machine, outside the database" || fail "no audit head beside the install key"
echo "server-side: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM wl_store.intakes') intakes in the store's tables, $(psql "$DB_URL" -tAc 'SELECT count(*) FROM wl_store.audit') audit entries"
[ "$FAILS" -eq 0 ] && echo "staff_central: staff commands on PostgreSQL through the one store API" || { tail -20 "$T/server.log"; exit 1; }
