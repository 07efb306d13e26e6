# Shared by the server tests: a private PostgreSQL cluster, a free port, the server, cleanup.
# Expects SERVER, ROOT (source tree) set; sets T (work dir), DB_URL, PORT, BASE.
set -euo pipefail
T=$(mktemp -d /tmp/wl-server-test.XXXXXX)
chmod 0755 "$T"
# The server's origin key (signs every stored record and kiosk registration) and its public
# half, pinned for the staff tool: kept in the test's own folder.
export WL_ORIGIN_KEY="$T/server-origin.key" WL_SERVER_KEY="$T/server-origin.pub"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  "$ROOT/scripts/pg-local" stop "$T/pg" || true
  rm -rf "$T"
}
trap cleanup EXIT
# CTest's timeout sends TERM first: clean up then too, so no cluster is left running.
trap 'exit 143' TERM INT

start_pg() {
  set +e
  DB_URL=$("$ROOT/scripts/pg-local" start "$T/pg")
  local rc=$?
  set -e
  if [ $rc -eq 3 ]; then echo "SKIP: PostgreSQL server binaries are not installed (apt-get install postgresql-15)"; exit 77; fi
  [ $rc -eq 0 ] || { echo "could not start PostgreSQL"; exit 1; }
  export DB_URL
}

# A port that nothing listens on now, in WL_TEST_PORTS (LO-HI; default 18100-18199): each
# test that runs beside the others keeps to its own range.
free_port() {
  WL_TEST_PORTS=${WL_TEST_PORTS:-18100-18199} python3 - <<'PY'
import os, random, socket
lo, hi = map(int, os.environ["WL_TEST_PORTS"].split("-"))
ports = list(range(lo, hi + 1)); random.shuffle(ports)
for p in ports:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()
PY
}

# start_server [extra serve options...]: starts wijkloket-server on $PORT, waits for /health.
start_server() {
  "$SERVER" serve --db "$DB_URL" --port "$PORT" "$@" >>"$T/server.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 100); do
    if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server did not come up; its log:"; cat "$T/server.log"; exit 1
}

# The staff key pair in $T/keys, kiosks k1 (loc_a) and k2 (wij_x) with their keys in $T, and the
# server on $PORT; needs A (the --assets option), STAFF and SERVER.
start_with_two_kiosks() {
  "$STAFF" keygen --out "$T/keys" --kdf interactive >/dev/null
  "$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k1 --location loc_a --out "$T/k1.key" >/dev/null
  "$SERVER" kiosk-add --db "$DB_URL" "${A[@]}" --id k2 --location wij_x --out "$T/k2.key" >/dev/null
  start_server "${A[@]}"
}

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
FAILS=0
