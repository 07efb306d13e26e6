#!/usr/bin/env bash
# The fleet: wijkloket-server on a fresh PostgreSQL cluster, three headless scripted kiosks at
# different locations (tests/server/fleet_kiosk: the core store with sealing, as the kiosk
# saves), each with the real delivery loop (wijkloket-deliver) talking through a proxy that
# drops connections, while the server is SIGKILLed and restarted. Afterwards every intake is
# on the server exactly once and every kiosk's SQLite passes integrity_check.
# Usage: fleet.sh SERVER SERVER_LOAD FLEET_KIOSK STAFF ROOT DELIVER
SERVER=$1 FLEET=$3 STAFF=$4 ROOT=$5 DELIVER=$6
. "$ROOT/tests/server/lib.sh"
start_pg
PORT=$(free_port)
PROXY_PORT=$(free_port); while [ "$PROXY_PORT" = "$PORT" ]; do PROXY_PORT=$(free_port); done
A=(--assets "$ROOT/tests/appointments/assets")
WL_PASSPHRASE=fleet-test-passphrase "$STAFF" keygen --out "$T/keys" --kdf interactive >/dev/null
KIOSKS=(k1:loc_a k2:wij_x k3:stip_y)
PER=100
for kl in "${KIOSKS[@]}"; do
  "$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id "${kl%%:*}" --location "${kl#*:}" --out "$T/${kl%%:*}.key" >/dev/null
done
start_server "${A[@]}" --rate 100000 --burst 10000
python3 "$ROOT/tests/server/cutting_proxy.py" "$PROXY_PORT" "$PORT" 42 >"$T/proxy.log" 2>&1 &
PROXY_PID=$!; PIDS+=("$PROXY_PID")
for _ in $(seq 50); do grep -q ready "$T/proxy.log" && break; sleep 0.1; done

# Kiosks save intakes (one every 40 ms) while their delivery loops run.
WRITERS=()
for kl in "${KIOSKS[@]}"; do
  k=${kl%%:*}
  "$FLEET" "$T/$k.db" "$T/keys/public.key" "$k" "${kl#*:}" $PER 40 >"$T/$k.refs" &
  WRITERS+=($!)
done
# The delivery loops start once each kiosk database exists (the writer creates it).
for kl in "${KIOSKS[@]}"; do
  for _ in $(seq 300); do [ -s "$T/${kl%%:*}.db" ] && break; sleep 0.1; done
done
for kl in "${KIOSKS[@]}"; do
  k=${kl%%:*}
  "$DELIVER" --db "$T/$k.db" --server "http://127.0.0.1:$PROXY_PORT" --key "$T/$k.key" --poll 1 --max-backoff 2 \
    >"$T/$k.deliver.log" 2>&1 &
  PIDS+=($!)
done

# Chaos: SIGKILL the server three times while intakes are being delivered, restart after a second.
for round in 1 2 3; do
  sleep 1.3
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  echo "round $round: server killed with SIGKILL"
  sleep 1
  start_server "${A[@]}" --rate 100000 --burst 10000
done
for w in "${WRITERS[@]}"; do wait "$w" || fail "a kiosk writer failed"; done

# Wait until every kiosk's backlog is empty (the loops keep retrying through the proxy).
for _ in $(seq 120); do
  left=0
  for kl in "${KIOSKS[@]}"; do
    p=$("$DELIVER" --db "$T/${kl%%:*}.db" --status | sed -n 's/^pending \([0-9]*\).*/\1/p')
    left=$((left + p))
  done
  [ "$left" -eq 0 ] && break
  sleep 0.5
done
[ "$left" -eq 0 ] || fail "$left intakes still pending after 60 s"
kill -TERM "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
echo "proxy: $(tail -1 "$T/proxy.log")"

# Every intake each kiosk committed is on the server exactly once, under its kiosk and location.
total=$(psql "$DB_URL" -tAc "SELECT count(*) FROM intakes")
[ "$total" = $((PER * 3)) ] && echo "ok   server holds $total intakes" || fail "server holds $total intakes, expected $((PER * 3))"
for kl in "${KIOSKS[@]}"; do
  k=${kl%%:*}
  [ "$(wc -l <"$T/$k.refs")" = $PER ] || fail "$k committed $(wc -l <"$T/$k.refs") intakes"
  psql "$DB_URL" -tAc "SELECT ref FROM intakes WHERE kiosk = '$k' AND location = '${kl#*:}' ORDER BY ref" >"$T/$k.server"
  sed -i '/^$/d' "$T/$k.server"
  if diff <(sort "$T/$k.refs") "$T/$k.server" >/dev/null; then echo "ok   $k: all $PER intakes on the server, once"
  else fail "$k: server and kiosk disagree: $(diff <(sort "$T/$k.refs") "$T/$k.server" | head -5)"; fi
  st=$("$DELIVER" --db "$T/$k.db" --status)
  grep -q "^pending 0 .*delivered $PER, refused 0" <<<"$st" || fail "$k outbox: $st"
  for f in "$T/$k.db" "$T/$k.db.outbox"; do
    [ "$(sqlite3 "$f" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed on $f"
  done
  echo "ok   $k: $st; integrity_check ok on kiosk.db and its outbox"
done
dups=$(psql "$DB_URL" -tAc "SELECT count(*) - count(DISTINCT ref) FROM intakes")
[ "$dups" = 0 ] || fail "$dups duplicate intakes"
retries=$(cat "$T"/k*.deliver.log | grep -c "retrying" || true)
again=$(cat "$T"/k*.deliver.log | grep -c "already on the server" || true)
echo "delivery loops retried $retries times; $again intakes were sent again after a lost acknowledgement and recognised"
# Staff against the centre: list shows every kiosk; show opens a record with the secret key here.
# Records are read by a signed-in staff member (PIN, audit entry first), as on a kiosk's file.
SC=("$STAFF" --db "$DB_URL" --central-key "$T/central-install.key")
WL_NEW_PIN=4821 "${SC[@]}" user add anna --role admin >/dev/null || fail "first staff user on the central database"
export WL_PIN=4821
"${SC[@]}" --user anna list >"$T/list.txt" || fail "staff list on PostgreSQL"
for kl in "${KIOSKS[@]}"; do
  [ "$(grep -c " ${kl%%:*} .* ${kl#*:} " "$T/list.txt")" = $PER ] || fail "staff list lacks ${kl%%:*} at ${kl#*:}"
done
tail -1 "$T/list.txt"; sed -n '1,3p' "$T/list.txt"
ref=$(head -1 "$T/k2.refs")
WL_PASSPHRASE=fleet-test-passphrase "${SC[@]}" --user anna show "$ref" --keys "$T/keys" >"$T/show.json" ||
  fail "staff show $ref"
grep -q '"naam": "Test Burger"' "$T/show.json" && echo "ok   staff show $ref opened the sealed personal data" ||
  fail "show did not open the personal data"
"$STAFF" --db "$T/k1.db" outbox | grep -q "pending 0 .*delivered $PER, refused 0" && echo "ok   staff outbox on k1" ||
  fail "staff outbox on k1"

[ "$FAILS" -eq 0 ] && echo "fleet: 300 intakes delivered exactly once through kills and cuts" || {
  tail -5 "$T"/k1.deliver.log; tail -20 "$T/server.log"; exit 1; }
