#!/usr/bin/env bash
# Installs the portal's npm packages from server/portal/web/package-lock.json (exact versions):
# the NL Design System CSS the server serves, and with --test the browser-test tools.
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)/server/portal/web"
stamp="$web/node_modules/.wl-installed"
want="runtime"; [ "${1:-}" = "--test" ] && want="test"
if [ -f "$stamp" ] && [ "$stamp" -nt "$web/package-lock.json" ] && grep -qx "$want\|test" "$stamp"; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Debian's nodejs/npm (scripts/install-deps.sh does)" >&2
  exit 1
fi
cd "$web"
if [ "$want" = "test" ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
fi
echo "$want" > "$stamp"
