#!/usr/bin/env bash
# `cmake --install` into a temporary prefix; the installed binaries then find their own files
# from / (no $WL_ROOT, no checkout path baked in): staff check passes, the layout is standard.
# Usage: install_prefix.sh BUILD_DIR
set -euo pipefail
B="$1"
P=$(mktemp -d /tmp/wl-prefix-XXXXXX)
trap 'rm -rf "$P"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cmake --install "$B" --prefix "$P" > "$P.log" 2>&1 || { cat "$P.log"; rm -f "$P.log"; fail "cmake --install"; }
rm -f "$P.log"
for f in bin/wijkloket-staff share/wijkloket/assets/questionnaires/entreevragenlijst.json \
         share/wijkloket/locale/en.po etc/wijkloket/kiosk.conf var/lib/wijkloket lib/systemd/system/wijkloket-purge.timer; do
  [ -e "$P/$f" ] || fail "$P/$f was not installed"
done
out=$(cd / && env -u WL_ROOT "$P/bin/wijkloket-staff" check 2>&1) || fail "installed check from /: $out"
echo "$out" | grep -q "^ok.*$P/share/wijkloket/locale/en.po" || fail "check did not use the installed files: $out"
echo "$out" | tail -1
# Moved elsewhere after installing, it follows its own location.
mv "$P" "$P.moved"
trap 'rm -rf "$P.moved"' EXIT
out=$(cd / && env -u WL_ROOT "$P.moved/bin/wijkloket-staff" check 2>&1) || fail "moved install: $out"
echo "$out" | grep -q "^ok.*$P.moved/share/wijkloket/locale/en.po" || fail "moved install used other files: $out"
echo "install prefix ok ($P, then moved)"
