#!/usr/bin/env bash
# Bad requests to wijkloket-server: each refused with its status and a clear message, and the
# server keeps serving. Usage: bad_requests.sh SERVER SERVER_LOAD FLEET_KIOSK STAFF ROOT
SERVER=$1 LOAD=$2 FLEET=$3 STAFF=$4 ROOT=$5
. "$ROOT/tests/server/lib.sh"
start_pg
PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
A=(--assets "$ROOT/tests/appointments/assets")
"$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k1 --location loc_a --out "$T/k1.key" >/dev/null
"$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k2 --location wij_x --out "$T/k2.key" >/dev/null
"$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id gone --location loc_a --out "$T/gone.key" >/dev/null
"$SERVER" kiosk-disable --db "$DB_URL" --id gone >/dev/null
"$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k3 --location loc_a --out "$T/k3.key" >/dev/null
WL_PASSPHRASE=server-test-passphrase "$STAFF" keygen --out "$T/keys" --kdf interactive >/dev/null
start_server "${A[@]}" --max-body 65536 --rate 1 --burst 30

# expect NAME STATUS CODE KEYFILE METHOD PATH QUERY BODYFILE [TIME]: signs with KEYFILE and checks the answer.
expect() {
  local name=$1 want=$2 code=$3 key=$4 method=$5 path=$6 query=$7 body=$8 time=${9:-}
  "$LOAD" sign "$key" "$method" "$path" "$query" "$body" $time >"$T/h.txt"
  send "$name" "$want" "$code" "$method" "$path" "$query" "$body"
}
send() {
  local name=$1 want=$2 code=$3 method=$4 path=$5 query=$6 body=$7 url
  url="$BASE$path"; [ -n "$query" ] && url="$url?$query"
  local got
  got=$(curl -s -o "$T/out.json" -w '%{http_code}' -X "$method" -H @"$T/h.txt" -H 'Content-Type: application/json' \
        --data-binary @"$body" "$url")
  if [ "$got" != "$want" ] || ! grep -q "\"error\":\"$code\"" "$T/out.json" && [ "$code" != "-" ]; then
    fail "$name: wanted $want $code, got $got $(cat "$T/out.json")"
  else
    echo "ok   $name: $got $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("message",""))' "$T/out.json")"
  fi
}
printf '' >"$T/empty"
echo '{}' >"$T/obj.json"

# A real sealed record, as the kiosk delivers it.
"$FLEET" "$T/kiosk.db" "$T/keys/public.key" k1 loc_a 1 0 >"$T/ref.txt"
sqlite3 "$T/kiosk.db" "SELECT 1" >/dev/null
REC_REF=$(cat "$T/ref.txt")
python3 - "$T/kiosk.db" "$REC_REF" "$T/record.json" <<'PY'
import base64, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); ref = sys.argv[2]
r = db.execute("SELECT ref, kiosk, location, completed_at FROM intakes WHERE ref = ?", (ref,)).fetchone()
parts = {k: base64.b64encode(p).decode() for k, p in db.execute("SELECT kind, payload FROM intake_data WHERE ref = ?", (ref,))}
rec = {"format": "wijkloket-sealed-intake/1", "ref": r[0], "kiosk": r[1], "location": r[2], "completed_at": r[3],
       "answers": {"encoding": "sealed", "data": parts["answers"]}, "personal": {"encoding": "sealed", "data": parts["personal"]}}
open(sys.argv[3], "w").write(json.dumps(rec, separators=(",", ":")))
PY

# 1. No authentication at all, unknown kiosk, disabled kiosk.
curl -s -o "$T/out.json" -w '%{http_code}' -X POST --data-binary @"$T/obj.json" "$BASE/api/v1/intakes" | grep -q 401 \
  && grep -q unauthenticated "$T/out.json" && echo "ok   no signature headers: 401" || fail "no headers"
sed 's/^kiosk = k1/kiosk = ghost/' "$T/k1.key" >"$T/ghost.key"
expect "unknown kiosk" 401 unknown_kiosk "$T/ghost.key" POST /api/v1/intakes "" "$T/record.json"
expect "disabled kiosk" 403 kiosk_disabled "$T/gone.key" GET /api/v1/whoami "" "$T/empty"
# 2. Wrong signature: k2's key claiming to be k1; a body changed after signing.
sed 's/^kiosk = k2/kiosk = k1/' "$T/k2.key" >"$T/forged.key"
expect "signed with another kiosk's key" 401 bad_signature "$T/forged.key" POST /api/v1/intakes "" "$T/record.json"
"$LOAD" sign "$T/k1.key" POST /api/v1/intakes "" "$T/obj.json" >"$T/h.txt"
send "body changed after signing" 401 bad_signature POST /api/v1/intakes "" "$T/record.json"
# 3. Replay: the same signed request twice.
"$LOAD" sign "$T/k1.key" GET /api/v1/whoami "" "$T/empty" >"$T/h.txt"
send "first use of a signed request" 200 - GET /api/v1/whoami "" "$T/empty"
send "replayed request" 401 replayed GET /api/v1/whoami "" "$T/empty"
# A booking records its nonce in its own statement: a replay is refused and takes no seat, and
# a replay of a refused booking ("just taken") is refused too. svc_group has 3 seats on Tuesdays.
BD=$(date -d "next tuesday + 35 days" +%F)
echo "{\"service\":\"svc_group\",\"location\":\"loc_a\",\"start\":\"${BD}T10:00\"}" >"$T/book.json"
"$LOAD" sign "$T/k1.key" POST /api/v1/bookings "" "$T/book.json" >"$T/h.txt"
send "first use of a signed booking" 201 - POST /api/v1/bookings "" "$T/book.json"
send "replayed booking" 401 replayed POST /api/v1/bookings "" "$T/book.json"
expect "second seat" 201 - "$T/k1.key" POST /api/v1/bookings "" "$T/book.json"
expect "third seat" 201 - "$T/k1.key" POST /api/v1/bookings "" "$T/book.json"
expect "fourth booking of 3 seats" 409 just_taken "$T/k1.key" POST /api/v1/bookings "" "$T/book.json"
send "replayed refused booking" 401 replayed POST /api/v1/bookings "" "$T/book.json"
n=$(psql "$DB_URL" -tAc "SELECT count(*) FROM appointments WHERE start = '${BD}T10:00' AND status = 'booked'")
[ "$n" = 3 ] && echo "ok   exactly 3 booked after the replays" || fail "expected 3 bookings, found $n"
# A kiosk disabled after the server has its key in memory is refused from then on.
expect "k3 before it is disabled" 200 - "$T/k3.key" GET /api/v1/whoami "" "$T/empty"
"$SERVER" kiosk-disable --db "$DB_URL" --id k3 >/dev/null
expect "k3 disabled while known (booking)" 403 kiosk_disabled "$T/k3.key" POST /api/v1/bookings "" "$T/book.json"
expect "k3 disabled while known" 403 kiosk_disabled "$T/k3.key" GET /api/v1/whoami "" "$T/empty"
expect "request time an hour old" 401 clock_skew "$T/k1.key" GET /api/v1/whoami "" "$T/empty" $(( $(date +%s) - 3600 ))
# 4. Oversized body (64 KiB limit here) and malformed JSON.
head -c 200000 /dev/zero | tr '\0' 'a' >"$T/big.json"
expect "oversized body" 413 too_large "$T/k1.key" POST /api/v1/intakes "" "$T/big.json"
printf '{"format": "wijkloket-sealed-intake/1", "ref": ' >"$T/broken.json"
expect "malformed JSON" 400 malformed_json "$T/k1.key" POST /api/v1/intakes "" "$T/broken.json"
echo '[1,2,3]' >"$T/array.json"
expect "JSON that is not an object" 400 malformed_json "$T/k1.key" POST /api/v1/events "" "$T/array.json"
# 5. SQL-looking strings: refused as values, never run.
python3 -c "
import json; r = json.load(open('$T/record.json')); r['ref'] = \"'; DROP TABLE intakes; --\"
open('$T/sqlref.json', 'w').write(json.dumps(r))"
expect "SQL in a reference" 400 bad_field "$T/k1.key" POST /api/v1/intakes "" "$T/sqlref.json"
expect "SQL in a query parameter" 422 invalid "$T/k1.key" GET /api/v1/slots \
  "service=svc_group%27%20OR%20%271%27%3D%271&location=loc_a&date=2026-12-22" "$T/empty"
echo "{\"service\":\"svc_group'; DELETE FROM slot_usage; --\",\"location\":\"loc_a\",\"start\":\"2026-12-22T10:00\"}" >"$T/sqlbook.json"
expect "SQL in a booking" 422 invalid "$T/k1.key" POST /api/v1/bookings "" "$T/sqlbook.json"
"$LOAD" sign "$T/k1.key" GET /api/v1/whoami "" "$T/empty" | sed "s/^X-WL-Kiosk: .*/X-WL-Kiosk: k1' OR '1'='1/" >"$T/h.txt"
send "SQL in the kiosk header" 401 unknown_kiosk GET /api/v1/whoami "" "$T/empty"
# 6. Records: clear data refused, a wrong kiosk refused, delivery idempotent, conflict on other bytes.
python3 -c "
import json; r = json.load(open('$T/record.json')); r['personal'] = {'encoding': 'json', 'data': {'naam': 'X'}}
open('$T/clear.json', 'w').write(json.dumps(r))"
expect "personal data in clear" 422 not_sealed "$T/k1.key" POST /api/v1/intakes "" "$T/clear.json"
expect "intake of another kiosk" 403 wrong_kiosk "$T/k2.key" POST /api/v1/intakes "" "$T/record.json"
expect "first delivery" 201 - "$T/k1.key" POST /api/v1/intakes "" "$T/record.json"
expect "same bytes again (retry)" 200 - "$T/k1.key" POST /api/v1/intakes "" "$T/record.json"
grep -q already_stored "$T/out.json" || fail "retry not reported as already_stored"
python3 -c "
import json; r = json.load(open('$T/record.json')); r['completed_at'] += 1
open('$T/other.json', 'w').write(json.dumps(r, separators=(',', ':')))"
expect "same reference, other bytes" 409 conflict "$T/k1.key" POST /api/v1/intakes "" "$T/other.json"
# 7. Unknown endpoint; events stored with the kiosk's registered location.
expect "unknown endpoint" 404 not_found "$T/k1.key" GET /api/v1/nothing "" "$T/empty"
echo '{"kind":"printer_failure","detail":"paper out"}' >"$T/event.json"
expect "printer failure event" 201 - "$T/k1.key" POST /api/v1/events "" "$T/event.json"
"$SERVER" events --db "$DB_URL" | grep -q '"location": "loc_a"' || fail "event not listed with its location"
# 8. A flood from one kiosk is rate-limited (burst 30, then 1 per minute); another kiosk is not affected.
limited=0
for i in $(seq 34); do
  "$LOAD" sign "$T/k2.key" GET /api/v1/whoami "" "$T/empty" >"$T/h.txt"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/h.txt" "$BASE/api/v1/whoami")
  if [ "$code" = 429 ]; then limited=$((limited + 1)); fi
  codes="${codes:-} $code"
done
[ "$limited" -ge 1 ] && echo "ok   flood from k2: $limited of 34 requests got 429" || fail "no 429 in a flood:$codes"
expect "k1 still served during k2's flood" 200 - "$T/k1.key" GET /api/v1/whoami "" "$T/empty"

# The server is still up, the tables are intact, and exactly one intake is stored.
curl -fs "$BASE/health" | grep -q '"status":"ok"' || fail "health after bad requests"
kill -0 "$SERVER_PID" || fail "server died"
n=$(psql "$DB_URL" -tAc "SELECT count(*) FROM intakes")
[ "$n" = 1 ] || fail "expected 1 intake stored, found $n"
[ "$FAILS" -eq 0 ] && echo "all bad requests refused; server kept serving" || { tail -20 "$T/server.log"; exit 1; }
