#!/usr/bin/env bash
# Runs tests/portal/browser.mjs against wijkloket-server on a fresh PostgreSQL cluster (the
# portal at /, as deployed): screenshots and axe-core on every page type.
# Screenshots go to OUT/shots (WL_PORTAL_SHOTS=DIR writes them there instead, e.g. docs/portal).
# usage: browser_test.sh BUILD_DIR SOURCE_DIR OUT_DIR   (exit 77: no PostgreSQL)
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
. "$root/tests/portal/server_env.sh"
trap portal_server_stop EXIT
rc=0; portal_server_start "$build" "$root" "$out" || rc=$?
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
node "$root/tests/portal/browser.mjs" "$PORTAL_URL" "$root/tests/cases/routing/schulden_gezondheid_wonen.json" \
  "$shots" "$web" "$out/chromium-profile"
