#!/usr/bin/env bash
# Twenty kiosk clients book one slot of capacity 3 at once: exactly 3 booked, 17 told "just
# taken", none lost; the same through holds; holds expire and free their seats; cancelling
# frees a seat. Usage: booking_race.sh SERVER SERVER_LOAD FLEET_KIOSK STAFF ROOT
SERVER=$1 LOAD=$2 ROOT=$5
. "$ROOT/tests/server/lib.sh"
start_pg
PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
A=(--assets "$ROOT/tests/appointments/assets")
"$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k1 --location loc_a --out "$T/k1.key" >/dev/null
start_server "${A[@]}" --hold-seconds 20 --rate 100000 --burst 10000
printf '' >"$T/empty"

# call METHOD PATH QUERY BODYFILE: a signed request; prints "STATUS BODY".
call() {
  "$LOAD" sign "$T/k1.key" "$1" "$2" "$3" "$4" >"$T/h.txt"
  local url="$BASE$2"; [ -n "$3" ] && url="$url?$3"
  local code; code=$(curl -s -o "$T/out.json" -w '%{http_code}' -X "$1" -H @"$T/h.txt" --data-binary @"$4" "$url")
  echo "$code $(cat "$T/out.json")"
}
free_at() { # free_at DATE START: free seats of svc_group at loc_a by the server's slot list
  call GET /api/v1/slots "service=svc_group&location=loc_a&date=$1" "$T/empty" | cut -d' ' -f2- |
    python3 -c "import json,sys; d=json.load(sys.stdin); print([s['free'] for s in d['slots'] if s['start']=='$2'][0])"
}

# svc_group (capacity 3) is on Tuesdays at 10:00 and 14:00 at loc_a: two Tuesdays some weeks ahead.
D1=$(date -d "next tuesday + 21 days" +%F); D2=$(date -d "next tuesday + 28 days" +%F)
[ "$(free_at "$D1" "${D1}T10:00")" = 3 ] || fail "slot $D1 10:00 not open with 3 seats"

check_race() { # check_race LABEL OUTPUT
  local b t o; b=$(grep '^booked' <<<"$2" | cut -d' ' -f2); t=$(grep '^taken' <<<"$2" | cut -d' ' -f2)
  o=$(grep '^other' <<<"$2" | cut -d' ' -f2)
  if [ "$b" = 3 ] && [ "$t" = 17 ] && [ "$o" = 0 ]; then echo "ok   $1: 3 booked, 17 just taken, 0 other"
  else fail "$1: booked=$b taken=$t other=$o"; fi
}
check_race "20 clients book ${D1}T10:00 directly" "$("$LOAD" race "$BASE" "$T/k1.key" 20 svc_group loc_a "${D1}T10:00")"
check_race "20 clients hold then book ${D1}T14:00" "$("$LOAD" race "$BASE" "$T/k1.key" 20 svc_group loc_a "${D1}T14:00" hold)"
n=$(psql "$DB_URL" -tAc "SELECT count(*) FROM appointments WHERE start LIKE '$D1%' AND status = 'booked'")
[ "$n" = 6 ] && echo "ok   6 bookings in PostgreSQL for the two slots" || fail "expected 6 bookings, found $n"
[ "$(psql "$DB_URL" -tAc "SELECT count(*) FROM holds")" = 0 ] || fail "holds left after booking"

# Holds: three fill the slot, a fourth is refused, after expiry (20 s; slack for slow ASan runs) the seats are free again.
echo "{\"service\":\"svc_group\",\"location\":\"loc_a\",\"start\":\"${D2}T10:00\"}" >"$T/slot.json"
for i in 1 2 3; do r=$(call POST /api/v1/holds "" "$T/slot.json"); [ "${r%% *}" = 201 ] || fail "hold $i: $r"; done
r=$(call POST /api/v1/holds "" "$T/slot.json")
[ "${r%% *}" = 409 ] && grep -q "just taken" <<<"$r" && echo "ok   fourth hold refused: ${r#* }" || fail "fourth hold: $r"
[ "$(free_at "$D2" "${D2}T10:00")" = 0 ] || fail "held slot shows free seats"
r=$(call POST /api/v1/bookings "" "$T/slot.json")
[ "${r%% *}" = 409 ] && echo "ok   booking while 3 holds are open: just taken" || fail "booking during holds: $r"
HOLD=$(psql "$DB_URL" -tAc "SELECT id FROM holds LIMIT 1")
sleep 21
[ "$(free_at "$D2" "${D2}T10:00")" = 3 ] && echo "ok   holds expired after 20 s: 3 seats free again" || fail "expired holds still count"
echo "{\"service\":\"svc_group\",\"location\":\"loc_a\",\"start\":\"${D2}T10:00\",\"hold\":\"$HOLD\"}" >"$T/late.json"
r=$(call POST /api/v1/bookings "" "$T/late.json")
[ "${r%% *}" = 409 ] && grep -q '"state"' <<<"$r" && echo "ok   booking on an expired hold refused" || fail "expired hold booked: $r"
r=$(call POST /api/v1/holds "" "$T/slot.json"); HOLD=$(sed 's/.*"hold":"\([0-9a-f]*\)".*/\1/' <<<"$r")
echo "{\"service\":\"svc_group\",\"location\":\"loc_a\",\"start\":\"${D2}T10:00\",\"hold\":\"$HOLD\"}" >"$T/held.json"
r=$(call POST /api/v1/bookings "" "$T/held.json")
[ "${r%% *}" = 201 ] && echo "ok   new hold turned into a booking" || fail "booking on a hold: $r"
REF=$(sed 's/.*"ref":"\([^"]*\)".*/\1/' <<<"$r")
u=$(psql "$DB_URL" -tAc "SELECT used FROM slot_usage WHERE start = '${D2}T10:00'")
[ "$u" = 1 ] || fail "after expiry and one booking used should be 1, is $u"
r=$(call POST "/api/v1/bookings/$REF/cancel" "" "$T/empty")
[ "${r%% *}" = 200 ] && [ "$(free_at "$D2" "${D2}T10:00")" = 3 ] && echo "ok   cancel frees the seat" || fail "cancel: $r"
r=$(call POST "/api/v1/bookings/$REF/cancel" "" "$T/empty")
[ "${r%% *}" = 409 ] || fail "second cancel: $r"

[ "$FAILS" -eq 0 ] && echo "booking race and holds behave" || { tail -20 "$T/server.log"; exit 1; }
