#!/usr/bin/env bash
# Without any display the kiosk exits with a clear message that names --headless.
set -uo pipefail
kiosk=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 30 env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$kiosk" --config tests/kiosk/test.conf --db "$tmp/k.db" 2> "$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" -ne 0 ] || { echo "no_display: expected a non-zero exit" >&2; exit 1; }
grep -q "no display" "$tmp/err" && grep -q -- "--headless" "$tmp/err" || { echo "no_display: message does not name --headless" >&2; exit 1; }
