# Sourced by the portal's shell tests and bench/portal_bench.sh: starts a private PostgreSQL
# cluster (scripts/pg-local, under /tmp so it runs as nobody when root) and wijkloket-server
# with a fresh staff key pair, the portal at /, as the deployment runs it.
#   portal_server_start BUILD ROOT WORK [serve options...]  sets PORTAL_URL, PORTAL_DB, PORTAL_PID
#   portal_server_stop                                       stops both (safe to call twice)
# Returns 77 when PostgreSQL is not installed. Ports: WL_PORT_RANGE (tests/portal/portal_client.py).
portal_server_start() {
  local build=$1 root=$2 work=$3; shift 3
  PORTAL_PG=$(mktemp -d /tmp/wl-portal-pg.XXXXXX)
  chmod 755 "$PORTAL_PG"
  local rc=0
  PORTAL_DB=$("$root/scripts/pg-local" start "$PORTAL_PG") || rc=$?
  if [ "$rc" -eq 3 ]; then echo "SKIP: PostgreSQL server binaries are not installed"; return 77; fi
  if [ "$rc" -ne 0 ]; then echo "could not start PostgreSQL" >&2; return 1; fi
  WL_PASSPHRASE=portal-test-passphrase "$build/staff/wijkloket-staff" keygen --out "$work/keys" --kdf interactive >/dev/null
  local port
  port=$(python3 -c "import sys; sys.path.insert(0, '$root/tests/portal'); import portal_client; print(portal_client.free_port())")
  # The origin key and its public half in the test's folder (staff pin the .pub).
  export WL_ORIGIN_KEY="$work/server-origin.key" WL_SERVER_KEY="$work/server-origin.pub"
  "$build/server/wijkloket-server" serve --db "$PORTAL_DB" --port "$port" --public-key "$work/keys/public.key" \
    --assets "$root/assets" --locale "$root/locale" --web "$root/server/portal/web" "$@" > "$work/server.log" 2>&1 &
  PORTAL_PID=$!
  PORTAL_URL="http://127.0.0.1:$port"
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$PORTAL_PID" 2>/dev/null; then cat "$work/server.log" >&2; return 1; fi
    sleep 0.05
  done
  echo "wijkloket-server did not start" >&2
  return 1
}

portal_server_stop() {
  if [ -n "${PORTAL_PID:-}" ]; then kill "$PORTAL_PID" 2>/dev/null || true; wait "$PORTAL_PID" 2>/dev/null || true; fi
  PORTAL_PID=""
  if [ -n "${PORTAL_PG:-}" ]; then "$(dirname "${BASH_SOURCE[0]}")/../../scripts/pg-local" stop "$PORTAL_PG"; rm -rf "$PORTAL_PG"; fi
  PORTAL_PG=""
}
