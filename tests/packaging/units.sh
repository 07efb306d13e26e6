#!/usr/bin/env bash
# systemd-analyze verify on every unit file in packaging/systemd. A unit whose program is not
# built in this tree (wijkloket-server before server/ exists) is verified for everything else:
# only the "not executable" line naming that program is allowed.
# Usage: units.sh SOURCE_DIR
set -euo pipefail
SRC="$1"
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze missing (package systemd)" >&2; exit 1; }
rc=0
for u in "$SRC"/packaging/systemd/*.service "$SRC"/packaging/systemd/*.timer; do
  out=$(systemd-analyze verify --man=no "$u" 2>&1 || true)
  # A unit's own binaries are installed by the package; here only their absence may be reported.
  rest=$(echo "$out" | grep -v -E "Command /usr/bin/(wijkloket|wijkloket-staff|wijkloket-server) is not executable" | grep . || true)
  if [ -n "$rest" ]; then
    echo "FAIL: $(basename "$u"):"; echo "$rest"; rc=1
  else
    echo "ok: $(basename "$u")"
  fi
done
exit $rc
