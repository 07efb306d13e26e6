#!/usr/bin/env bash
# A PostgreSQL writer against the central store (issue 14, finding 2; docs/security.md §1):
# someone with SQL on the central tables but none of the server's or kiosks' key files forges
# records sealed to the staff public key, adds a forged part to a genuine record, forges a
# portal record, swaps a kiosk's public key and re-attributes a record. Every one must be
# refused by `wijkloket-staff --db postgresql://... show` (plain message, non-zero exit),
# flagged by `list`, while genuine records still open.
# usage: central_tamper.sh SERVER LOAD FLEET_KIOSK STAFF ROOT DELIVER FORGE_RECORD
SERVER=$1 FLEET=$3 STAFF=$4 ROOT=$5 DELIVER=$6 FORGE=$7
. "$ROOT/tests/server/lib.sh"
start_pg
set +e # each check looks at exit codes itself
PORT=$(free_port)
A=(--assets "$ROOT/tests/appointments/assets")
export WL_PASSPHRASE=tamper-test-passphrase WL_KEYS="$T/keys"
start_with_two_kiosks
"$FLEET" "$T/k1.db" "$T/keys/public.key" k1 loc_a 2 0 >"$T/k1.refs" || fail "kiosk k1"
"$FLEET" "$T/spare.db" "$T/keys/public.key" k1 loc_a 2 0 >"$T/spare.refs" || fail "spare references"
"$DELIVER" --db "$T/k1.db" --server "http://127.0.0.1:$PORT" --key "$T/k1.key" --once >"$T/deliver.log" 2>&1 ||
  fail "genuine delivery: $(tail -3 "$T/deliver.log")"
ref1=$(sed -n 1p "$T/k1.refs"); ref2=$(sed -n 2p "$T/k1.refs")
forged=$(sed -n 1p "$T/spare.refs"); portal=$(sed -n 2p "$T/spare.refs")

# Staff sign in on the central database (PIN, audit trail keyed with the central install key).
C() { "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" "$@"; }
WL_NEW_PIN=7777 "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" user add beheer --role admin >/dev/null 2>&1 || fail "first admin"
export WL_PIN=7777
SHOW() { C --user beheer show "$@"; }
check() { # name want command...
  local name=$1 want=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"; local got=$?
  if [ "$got" -eq "$want" ]; then echo "ok   $name"; else fail "$name: exit $got, expected $want"; sed 's/^/     | /' "$T/out" "$T/err" | head -20; fi
}
Q() { psql "$DB_URL" -v ON_ERROR_STOP=1 -qtA "$@"; }

check "a genuine record opens" 0 SHOW "$ref1"
grep -q '"origin": "proven"' "$T/out" || fail "genuine record not marked proven: $(head -c 300 "$T/out")"

# 1. A new record sealed to the public key, put straight into the table as kiosk k1's.
"$FORGE" "$T/keys/public.key" "$forged" k1 loc_a kiosk >"$T/forged.json" || fail "forging"
Q -v rec="$(cat "$T/forged.json")" -v ref="$forged" <<'SQL' || fail "inserting the forged record"
INSERT INTO intakes (ref, kiosk, location, completed_at, received_at, sha256, record, channel)
VALUES (:'ref', 'k1', 'loc_a', 1764000000, extract(epoch from now())::bigint,
        sha256(convert_to(:'rec', 'UTF8')), convert_to(:'rec', 'UTF8'), 'kiosk');
SQL
check "forged kiosk record refused" 1 SHOW "$forged"
grep -q "no proof of origin" "$T/err" || fail "forged record: message was $(cat "$T/err")"
grep -q "Vervalste" "$T/out" && fail "forged personal data was shown"
# ... and with a genuine record's signature copied onto it.
Q -c "UPDATE intakes SET origin_sig = (SELECT origin_sig FROM intakes WHERE ref = '$ref2') WHERE ref = '$forged'"
check "forged record with a borrowed signature refused" 1 SHOW "$forged"
grep -q "not genuine" "$T/err" || fail "borrowed signature: message was $(cat "$T/err")"

# 2. A forged personal part, sealed for ref1 itself, put into ref1's genuine record.
"$FORGE" "$T/keys/public.key" "$ref1" k1 loc_a kiosk >"$T/part.json"
Q -c "SELECT convert_from(record, 'UTF8') FROM intakes WHERE ref = '$ref1'" >"$T/ref1.json"
python3 - "$T/part.json" "$T/ref1.json" >"$T/ref1-forged.json" <<'PY'
import json, sys
part = json.load(open(sys.argv[1]))["personal"]
rec = json.load(open(sys.argv[2]), object_pairs_hook=dict)
rec["personal"] = part
sys.stdout.write(json.dumps(rec, separators=(",", ":")))
PY
echo "UPDATE intakes SET record = convert_to(:'rec', 'UTF8'), sha256 = sha256(convert_to(:'rec', 'UTF8')) WHERE ref = :'ref';" |
  Q -v rec="$(cat "$T/ref1-forged.json")" -v ref="$ref1" || fail "replacing ref1's personal part"
check "forged part in a genuine record refused" 1 SHOW "$ref1"
grep -q "not genuine" "$T/err" || fail "forged part: message was $(cat "$T/err")"
grep -q "Vervalste" "$T/out" && fail "the forged part was shown"

# 3. A portal record (channel portal, no kiosk) sealed to the public key.
"$FORGE" "$T/keys/public.key" "$portal" portal online portal >"$T/portal.json"
Q -v rec="$(cat "$T/portal.json")" -v ref="$portal" <<'SQL' || fail "inserting the forged portal record"
INSERT INTO intakes (ref, kiosk, location, completed_at, received_at, sha256, record, channel)
VALUES (:'ref', NULL, 'online', 1764000000, extract(epoch from now())::bigint,
        sha256(convert_to(:'rec', 'UTF8')), convert_to(:'rec', 'UTF8'), 'portal');
SQL
check "forged portal record refused" 1 SHOW "$portal"

# 4. Kiosk k2's public key swapped for one the writer holds; that key then delivers as k2.
WL_ORIGIN_KEY="$T/rogue-origin.key" "$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id rogue --location wij_x \
  --out "$T/rogue.key" >/dev/null || fail "the writer's own kiosk row"
Q -c "UPDATE kiosks SET public_key = (SELECT public_key FROM kiosks WHERE id = 'rogue') WHERE id = 'k2'"
sed 's/^kiosk = rogue$/kiosk = k2/' "$T/rogue.key" >"$T/k2-swapped.key"; chmod 600 "$T/k2-swapped.key"
"$FLEET" "$T/k2.db" "$T/keys/public.key" k2 wij_x 1 0 >"$T/k2.refs"
swapped=$(cat "$T/k2.refs")
"$DELIVER" --db "$T/k2.db" --server "http://127.0.0.1:$PORT" --key "$T/k2-swapped.key" --once >"$T/deliver2.log" 2>&1
if [ "$(Q -c "SELECT count(*) FROM intakes WHERE ref = '$swapped'")" = 0 ]; then
  echo "ok   the server refused the swapped key's delivery"
else
  fail "the server stored a record signed with a swapped kiosk key"
fi
grep -q "kiosk_not_confirmed\|not registered as this server signed" "$T/deliver2.log" "$T/server.log" ||
  fail "no plain reason for the refused kiosk: $(tail -3 "$T/deliver2.log")"
check "the swapped key's record is not there to show" 6 SHOW "$swapped"

# 5. A genuine record re-attributed to another kiosk and location.
Q -c "UPDATE intakes SET kiosk = 'k2', location = 'wij_x' WHERE ref = '$ref2'"
check "re-attributed record refused" 1 SHOW "$ref2"
grep -q "not genuine" "$T/err" || fail "re-attributed: message was $(cat "$T/err")"
Q -c "UPDATE intakes SET kiosk = 'k1', location = 'loc_a' WHERE ref = '$ref2'"
check "put back, it opens again" 0 SHOW "$ref2"

# 6. list flags each; a record without a signature (as before schema 10) opens only when asked.
C --user beheer list >"$T/list.txt" 2>&1
for r in "$forged" "$ref1" "$portal"; do
  grep "^$r" "$T/list.txt" | grep -q "NOT GENUINE\|not proven" || fail "list does not flag $r: $(grep "^$r" "$T/list.txt")"
done
grep "^$ref2" "$T/list.txt" | grep -q "  ok  " || fail "list does not mark $ref2 ok"
Q -c "UPDATE intakes SET origin_sig = NULL WHERE ref = '$ref2'"
check "an unsigned (old) record is not opened by default" 1 SHOW "$ref2"
grep -q -- "--unproven" "$T/err" || fail "unsigned: message was $(cat "$T/err")"
check "... and opens with --unproven, marked" 0 SHOW "$ref2" --unproven
grep -q '"origin": "not proven"' "$T/out" && grep -q "warning" "$T/err" || fail "--unproven not marked"
check "pull leaves out what is not genuine and fails" 1 C --user beheer pull --all --out "$T/pulled"
[ ! -e "$T/pulled/$forged.json" ] && [ ! -e "$T/pulled/$ref1.json" ] || fail "pull wrote a forged record"
check "without the pinned server key nothing is opened" 1 env WL_SERVER_KEY="$T/missing.pub" "$STAFF" --db "$DB_URL" --central-key "$T/central-install.key" --user beheer show "$ref2" --unproven

# 7. An old kiosk (registration unsigned) is refused until an administrator confirms it.
Q -c "UPDATE kiosks SET registration_sig = NULL WHERE id = 'k1'"
"$FLEET" "$T/k1.db" "$T/keys/public.key" k1 loc_a 2 0 >"$T/k1b.refs"
"$DELIVER" --db "$T/k1.db" --server "http://127.0.0.1:$PORT" --key "$T/k1.key" --once >"$T/deliver3.log" 2>&1
[ "$(Q -c "SELECT count(*) FROM intakes WHERE ref = '$(cat "$T/k1b.refs")'")" = 0 ] &&
  echo "ok   an unconfirmed kiosk registration is refused" || fail "unconfirmed kiosk accepted"
check "kiosk-confirm signs it" 0 "$SERVER" kiosk-confirm --db "$DB_URL" --id k1
"$DELIVER" --db "$T/k1.db" --server "http://127.0.0.1:$PORT" --key "$T/k1.key" --once >"$T/deliver4.log" 2>&1
good=$(sed -n 1p "$T/k1b.refs"); copy=$(sed -n 2p "$T/k1b.refs")
check "after confirmation its record is delivered and opens" 0 SHOW "$good"

# 8. The store's copy of a genuine record's part (wl_store.intake_data, read by export and
#    decide) replaced by a forged part sealed for that record: export does not open it.
"$FORGE" "$T/keys/public.key" "$copy" k1 loc_a kiosk >"$T/copy.json"
b64=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["personal"]["data"])' "$T/copy.json")
Q -c "UPDATE wl_store.intake_data SET payload = decode('$b64', 'base64') WHERE ref = '$copy' AND kind = 'personal'"
C --user beheer export --format json --out "$T/export.json" >"$T/export.log" 2>&1
erc=$?
[ "$erc" -eq 1 ] && grep -q "could not be opened" "$T/export.log" && echo "ok   export says so and exits 1" ||
  fail "export exit $erc: $(cat "$T/export.log")"
python3 - "$T/export.json" "$good" "$copy" "$forged" "$portal" <<'PY' && echo "ok   export opens only what the server signed" || fail "export: $(cat "$T/export.log")"
import json, sys
rows = {r["ref"]: r for r in json.load(open(sys.argv[1]))}
good, copy, forged, portal = sys.argv[2:6]
text = json.dumps(rows)
assert "Vervalste" not in text, "a forged part was opened"
assert rows[good].get("personal"), ("genuine record not opened", rows[good].get("problems"))
for r in (copy, forged, portal):
    assert any("not genuine or not proven" in p for p in rows[r]["problems"]), (r, rows[r]["problems"])
PY

[ "$FAILS" -eq 0 ] && echo "central_tamper: every forgery refused by show, flagged by list" || { tail -20 "$T/server.log"; exit 1; }
