#!/usr/bin/env bash
# Installs the Debian 12 packages Wijkloket needs to build, run and test; skips what is already there.
set -euo pipefail

# Build and runtime libraries.
BUILD_PKGS="build-essential cmake pkg-config gettext
  libsdl2-dev libsdl2-ttf-dev libqrencode-dev libsqlite3-dev sqlite3 libjansson-dev
  libsodium-dev libpng-dev libfontconfig-dev fonts-noto-core fonts-material-design-icons-iconfont espeak-ng libespeak-ng-dev
  libfreetype-dev libcups2-dev cups-client libmicrohttpd-dev nodejs libsystemd-dev
  help2man dpkg-dev file libfribidi-dev libharfbuzz-dev libraqm-dev
  libpq-dev postgresql-15 postgresql-client-15 libcurl4-openssl-dev"
# Only the test suite needs these: unit tests, real-window test, QR decoding, PDF rendering,
# the portal's browser test and benchmarks; a real cupsd with its filters (cups), package checks
# (lintian, adduser for the postinst, cage and systemd for systemd-analyze verify of the units).
TEST_PKGS="python3 libcmocka-dev xvfb xdotool x11-utils imagemagick zbar-tools poppler-utils tesseract-ocr
  chromium wrk nginx-light cups lintian adduser cage systemd clang libclang-rt-14-dev"

want="$BUILD_PKGS"
if [ "${1:-}" = "--test" ]; then want="$want $TEST_PKGS"; fi

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
# npm comes with some nodejs builds (NodeSource) and separately in Debian's own.
if ! command -v npm >/dev/null 2>&1; then missing="$missing npm"; fi
# The portal's NL Design System CSS (and, for tests, puppeteer-core and axe-core) from npm.
web_deps() {
  if [ "${1:-}" = "--test" ]; then "$(dirname "$0")/install-web-deps.sh" --test; return; fi
  # Only the portal needs these at run time: a kiosk starts without them.
  "$(dirname "$0")/install-web-deps.sh" || echo "warning: the portal's CSS is not installed (scripts/install-web-deps.sh)" >&2
}
if [ -z "$missing" ]; then web_deps "${1:-}"; exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are missing:$missing" >&2
  echo "Run this script as root (or with sudo) to install them." >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
web_deps "${1:-}"
