#!/usr/bin/env bash
# Builds the Debian packages from this build tree (cpack -G DEB), runs lintian on each, unpacks
# them into a scratch root with dpkg --root, runs wijkloket-common's postinst in a private mount
# namespace (its own copy of /etc, the scratch root's /var/lib), then runs the installed
# `wijkloket-staff check` and a headless kiosk first frame from / with the installed paths, and
# verifies the installed units with systemd-analyze.
# Usage: packages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
B="$(cd "$1" && pwd)"
SRC="$(cd "$2" && pwd)"
T=$(mktemp -d /tmp/wl-pkg-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%-52s' "$1"; S0=$(date +%s%N); }
done_() { printf 'ok %6d ms  %s\n' $((($(date +%s%N) - S0) / 1000000)) "${1:-}"; }

step "cpack -G DEB"
cpack -G DEB --config "$B/CPackConfig.cmake" -B "$T/deb" > "$T/cpack.log" 2>&1 || { cat "$T/cpack.log"; fail cpack; }
debs=("$T"/deb/*.deb)
names=$(for d in "${debs[@]}"; do dpkg-deb -f "$d" Package; done | sort | tr '\n' ' ')
for want in wijkloket-common wijkloket-kiosk wijkloket-staff; do
  [[ " $names " == *" $want "* ]] || fail "no $want package (got: $names)"
done
done_ "$names"

step "shlibdeps and conffiles"
dpkg-deb -f "$T"/deb/wijkloket-kiosk_*.deb Depends | grep -q "libsdl2-2.0-0" || fail "kiosk Depends has no libsdl2"
dpkg-deb -f "$T"/deb/wijkloket-kiosk_*.deb Depends | grep -q "libcups2" || fail "kiosk Depends has no libcups2"
dpkg-deb -f "$T"/deb/wijkloket-staff_*.deb Depends | grep -q "libsodium" || fail "staff Depends has no libsodium"
dpkg-deb -e "$T"/deb/wijkloket-kiosk_*.deb "$T/ctl"
grep -qx /etc/wijkloket/kiosk.conf "$T/ctl/conffiles" || fail "kiosk.conf is not a conffile"
done_

step "lintian (no errors)"
# --fail-on error: warnings are listed but do not fail the test.
lintian --fail-on error --tag-display-limit 0 "${debs[@]}" > "$T/lintian.log" 2>&1 || { cat "$T/lintian.log"; fail lintian; }
done_ "$(grep -c '^W:' "$T/lintian.log" || true) warnings, 0 errors"

step "dpkg --root: unpack into a scratch root"
R="$T/root"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
# Dependencies (libraries, cage, adduser) are the host's: --force-depends.
dpkg --root="$R" --force-depends --force-not-root --unpack "${debs[@]}" > "$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg --unpack"; }
[ "$(dpkg --root="$R" -l 'wijkloket-*' | grep -c '^iU')" -eq ${#debs[@]} ] || fail "not all unpacked: $(dpkg --root="$R" -l)"
done_

step "dpkg --configure: postinst, user, data folder"
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  cp -a /etc "$T/etc"
  # Start from a system without the user even if this machine has one, so adduser really runs.
  for f in passwd group shadow gshadow; do
    [ -f "$T/etc/$f" ] && sed -i '/^wijkloket:/d' "$T/etc/$f"
  done
  host_before=$(md5sum /etc/passwd /etc/group)
  mkdir -p "$R/var/lib"
  # The maintainer scripts run without chroot (the scratch root has no shell) but in a private
  # mount namespace: /etc is a copy and /var/lib is the scratch root's, so the host is untouched.
  owner=$(unshare -m bash -c "mount --bind '$T/etc' /etc && mount --bind '$R/var/lib' /var/lib &&
    dpkg --root='$R' --force-script-chrootless --force-depends --configure -a > '$T/configure.log' 2>&1 &&
    getent passwd wijkloket | cut -d: -f7 && stat -c '%U:%G %a' /var/lib/wijkloket /var/lib/wijkloket/keys") ||
    { cat "$T/configure.log"; fail "dpkg --configure"; }
  [ "$(echo "$owner" | sed -n 2p)" = "wijkloket:wijkloket 750" ] || fail "/var/lib/wijkloket is $owner"
  [ "$(echo "$owner" | sed -n 1p)" = "/usr/sbin/nologin" ] || fail "wijkloket's shell is $(echo "$owner" | sed -n 1p)"
  [ "$(md5sum /etc/passwd /etc/group)" = "$host_before" ] || fail "the host's users changed"
  [ "$(dpkg --root="$R" -l 'wijkloket-*' | grep -c '^ii')" -eq ${#debs[@]} ] || fail "not configured: $(dpkg --root="$R" -l)"
  done_ "user wijkloket (nologin), $(echo "$owner" | sed -n 2p)"
else
  # Without root: what configure does to files (conffiles in place), not the user.
  find "$R/etc" -name '*.dpkg-new' | while read -r f; do mv "$f" "${f%.dpkg-new}"; done
  mkdir -p "$R/var/lib/wijkloket/keys"
  echo "SKIPPED (the system user needs root for a private mount namespace)"
fi

step "installed wijkloket-staff check, run from /"
out=$(cd / && env -u WL_ROOT "$R/usr/bin/wijkloket-staff" check) || fail "check: $out"
echo "$out" | grep -q "^ok.*$R/usr/share/wijkloket/locale/en.po" || fail "check did not use the installed locale: $out"
echo "$out" | grep -q "All asset files are valid." || fail "check: $out"
done_

step "man pages from --help"
for m in wijkloket wijkloket-staff; do
  f="$R/usr/share/man/man1/$m.1.gz"
  [ -f "$f" ] || fail "no $f"
  zcat "$f" | grep -q '^\.SH' || fail "$m.1 is not a man page"
done
zcat "$R/usr/share/man/man1/wijkloket-staff.1.gz" | grep -q 'purge' || fail "staff man page lacks the commands"
done_

step "installed kiosk: headless first frame from /"
WL_PASSPHRASE=correct-horse-battery-staple-9 "$R/usr/bin/wijkloket-staff" keygen --out "$T/keys" > /dev/null 2>&1 ||
  fail "keygen"
cp "$T/keys/public.key" "$R/var/lib/wijkloket/keys/public.key"
cat > "$T/first.script" <<'EOS'
expect "Welkom bij het Wijkloket"
screenshot first_frame
tap "English"
expect "Welcome to the Wijkloket"
EOS
mkdir -p "$T/shots"
(cd / && env -u WL_ROOT SDL_VIDEODRIVER=dummy "$R/usr/bin/wijkloket" --headless --script "$T/first.script" \
   --screenshots "$T/shots" > "$T/kiosk.log" 2>&1) || { cat "$T/kiosk.log"; fail "installed kiosk"; }
[ -s "$T/shots/first_frame.png" ] || fail "no first frame"
[ -f "$R/var/lib/wijkloket/wijkloket.db" ] || fail "the kiosk did not make its database in the installed data folder"
# keys/public.key in the installed kiosk.conf is relative to the data folder the kiosk runs in.
grep -q "sealed to staff key .* (keys/public.key)" "$T/kiosk.log" || fail "kiosk did not seal to the installed key: $(cat "$T/kiosk.log")"
done_ "$(file -b "$T/shots/first_frame.png" | cut -d, -f2)"

step "systemd-analyze verify on the installed units"
# Against the host's systemd (sysinit.target, cage, ...); the units' own programs are in the
# scratch root, not on the host: those lines are allowed once each program is found in $R.
units=("$R"/lib/systemd/system/*)
rest=""
for u in "${units[@]}"; do
  out=$(systemd-analyze verify --man=no "$u" 2>&1 || true)
  for prog in $(echo "$out" | sed -n 's|.*Command \(/usr/bin/wijkloket[a-z-]*\) is not executable.*|\1|p'); do
    [ -x "$R$prog" ] || fail "$(basename "$u") runs $prog, which no package installs"
  done
  rest+=$(echo "$out" | grep -v -E "Command /usr/bin/wijkloket[a-z-]* is not executable" | grep . || true)
done
[ -z "$rest" ] || fail "systemd-analyze verify: $rest"
done_ "${#units[@]} units"
echo "packages ok"
