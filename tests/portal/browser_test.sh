#!/usr/bin/env bash
# Runs tests/portal/browser.mjs against a fresh portal: screenshots and axe-core on every page type.
# Screenshots go to OUT/shots (WL_PORTAL_SHOTS=DIR writes them there instead, e.g. docs/portal).
# usage: browser_test.sh BUILD_DIR SOURCE_DIR OUT_DIR
set -euo pipefail
build=$1 root=$2 out=$3
web="$root/server/portal/web"
for need in /usr/bin/chromium "$web/node_modules/puppeteer-core" "$web/node_modules/axe-core"; do
  if [ ! -e "$need" ]; then
    echo "missing $need: run scripts/install-deps.sh --test" >&2
    exit 1
  fi
done
rm -rf "$out"; mkdir -p "$out"
shots=${WL_PORTAL_SHOTS:-$out/shots}
WL_PASSPHRASE=portal-test-passphrase "$build/staff/wijkloket-staff" keygen --out "$out/keys" --kdf interactive >/dev/null
port=$(python3 -c "import sys; sys.path.insert(0, '$root/tests/portal'); import portal_client; print(portal_client.free_port())")
"$build/server/portal/wijkloket-portal" --port "$port" --db "$out/portal.db" --public-key "$out/keys/public.key" \
  --assets "$root/assets" --locale "$root/locale" --web "$web" > "$out/portal.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.05
done
node "$root/tests/portal/browser.mjs" "http://127.0.0.1:$port" "$root/tests/cases/routing/schulden_gezondheid_wonen.json" \
  "$shots" "$web" "$out/chromium-profile"
