#!/usr/bin/env bash
# wijkloket-server benchmarks on a private PostgreSQL cluster: sealed intakes ingested per
# second, bookings per second with 20 concurrent kiosk clients (exactly capacity) and their
# p99 latency, and the same bookings on the embedded SQLite backend beside it.
# Usage: bench/server.sh BUILD_DIR   (scripts/run-bench passes build-release)
set -euo pipefail
B=${1:-build-release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/wl-server-bench.XXXXXX); chmod 0755 "$T"
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null; "$ROOT/scripts/pg-local" stop "$T/pg"; rm -rf "$T"; }
trap cleanup EXIT
set +e; DB=$("$ROOT/scripts/pg-local" start "$T/pg"); rc=$?; set -e
if [ $rc -eq 3 ]; then echo "skipped: PostgreSQL is not installed"; exit 0; fi
CLIENTS=${WL_BENCH_CLIENTS:-20}
INTAKES=${WL_BENCH_INTAKES:-6000}
DAYS=${WL_BENCH_DAYS:-4}

# Bench assets: one location open all day, one service of 5-minute slots with 3 seats.
mkdir -p "$T/assets"
python3 - "$ROOT/tests/appointments/assets" "$T/assets" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
allday = {d: [["00:00", "23:55"]] for d in ["ma", "di", "wo", "do", "vr", "za", "zo"]}
loc = json.load(open(f"{src}/locations.json"))
loc["gesloten_dagen"] = []
loc["locaties"] = [dict(loc["locaties"][0], openingstijden=allday, gesloten_dagen=[])]
svc = json.load(open(f"{src}/services.json"))
s = dict(svc["diensten"][0], id="bench_svc", duur_minuten=5, capaciteit=3, locaties=[loc["locaties"][0]["id"]],
         tijden=allday, gesloten_dagen=[])
svc["diensten"] = [s]
json.dump(loc, open(f"{dst}/locations.json", "w")); json.dump(svc, open(f"{dst}/services.json", "w"))
PY
# A free port in WL_PORT_RANGE (default 18100-18199).
PORT=$(python3 - "${WL_PORT_RANGE:-18100-18199}" <<'PY'
import random, socket, sys
lo, hi = map(int, sys.argv[1].split("-")); ports = list(range(lo, hi + 1)); random.shuffle(ports)
for p in ports:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()
PY
)
WL_PASSPHRASE=bench-passphrase-1 "$B/staff/wijkloket-staff" keygen --out "$T/keys" --kdf interactive >/dev/null
export WL_ORIGIN_KEY="$T/server-origin.key" # the server's signing key, in the bench's own folder
"$B/server/wijkloket-server" kiosk-add --db "$DB" --assets "$T/assets" --id bench --location loc_a --out "$T/bench.key" >/dev/null
"$B/server/wijkloket-server" serve --db "$DB" --assets "$T/assets" --port "$PORT" --threads 16 --rate 10000000 \
  --burst 10000000 >"$T/server.log" 2>&1 &
SPID=$!
up=""
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && { up=1; break; }; sleep 0.1; done
[ -n "$up" ] || { echo "the server did not come up:"; cat "$T/server.log"; exit 1; }
# CPU ticks (1/100 s) of the server process and of the whole PostgreSQL cluster (the postmaster,
# its live children, and the children it has reaped), so a phase reports CPU per operation
# beside its rate: on a shared machine the rate moves with other people's load, CPU per
# operation much less.
PGPID=$(head -1 "$T/pg/data/postmaster.pid")
ticks() {
  python3 - "$SPID" "$PGPID" <<'PY'
import os, sys
def stat(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(f[1]), [int(x) for x in f[11:15]]  # ppid; utime stime cutime cstime
server, pm = sys.argv[1], int(sys.argv[2])
s = stat(server)
p = stat(pm)
pg = sum(p[1]) if p else 0
for d in os.listdir("/proc"):
    if d.isdigit():
        st = stat(d)
        if st and st[0] == pm:
            pg += st[1][0] + st[1][1]
print(s[1][0] + s[1][1] if s else 0, pg)
PY
}
# phase CMD...: runs one server_load phase, then prints the server's and PostgreSQL's CPU per
# operation (operations: the "attempts" or "intakes" line of its output).
phase() {
  local before after out rc=0
  before=$(ticks)
  out=$("$@") || rc=$?
  after=$(ticks)
  echo "$out"
  local ops
  ops=$(echo "$out" | awk '$1 == "attempts" || $1 == "intakes" {print $2}')
  [ -n "$ops" ] && [ "$ops" -gt 0 ] && echo "$before $after $ops" | awk '{printf "server_cpu_us_per_op %.0f\npostgres_cpu_us_per_op %.0f\n", ($3 - $1) * 10000 / $5, ($4 - $2) * 10000 / $5}'
  return $rc
}
echo "machine: $(nproc) cores; PostgreSQL $(psql "$DB" -tAc 'SHOW server_version') (synchronous_commit $(psql "$DB" -tAc 'SHOW synchronous_commit'), fsync $(psql "$DB" -tAc 'SHOW fsync')); $CLIENTS concurrent clients"
echo "-- sealed intakes ingested one per request (signed POST /api/v1/intakes, one commit each) --"
phase "$B/bench/server_load" ingest "http://127.0.0.1:$PORT" "$T/bench.key" "$CLIENTS" "$((INTAKES / 3))" "$T/keys/public.key" 1
echo "-- sealed intakes ingested in batches of 50 (POST /api/v1/intakes/batch, as wijkloket-deliver sends a backlog) --"
phase "$B/bench/server_load" ingest "http://127.0.0.1:$PORT" "$T/bench.key" "$CLIENTS" "$INTAKES" "$T/keys/public.key" 50
dates=()
for d in $(seq 2 $((DAYS + 1))); do dates+=("$(date -d "+$d days" +%F)"); done
echo "-- bookings on PostgreSQL through the server (every seat of $DAYS days, capacity 3, each slot tried 4 times, spread) --"
WL_ASSETS="$T/assets" phase "$B/bench/server_load" book "http://127.0.0.1:$PORT" "$T/bench.key" "$CLIENTS" bench_svc loc_a "${dates[@]}" \
  2> >(sort | uniq -c | head -5 >&2)
echo "-- the same bookings on embedded SQLite (one file, $CLIENTS threads with their own connection, no HTTP) --"
# SQLite's writers queue on one file lock; past its 5 s busy timeout a booking fails with
# "database is locked" (counted as other, never as an overbooking). Shown, not hidden.
"$B/bench/server_load" book-sqlite "$T/sqlite.db" "$T/assets" "$CLIENTS" bench_svc loc_a "${dates[@]}" \
  2> >(sort | uniq -c | sed 's/^/  stderr: /' >&2) || echo "(some SQLite bookings failed, see stderr above; seats never exceeded)"
echo "-- worst case on PostgreSQL: the 4 attempts per slot back to back, all clients on the same few slots (hot) --"
WL_BOOK_ORDER=hot WL_ASSETS="$T/assets" phase "$B/bench/server_load" book "http://127.0.0.1:$PORT" "$T/bench.key" "$CLIENTS" \
  bench_svc loc_a "$(date -d "+$((DAYS + 2)) days" +%F)" 2>/dev/null
