#!/usr/bin/env bash
# Every citizen text in locale/wijkloket.pot is translated in all seven kiosk languages, every
# catalogue is valid gettext, and the report really fails on a missing translation.
# usage: locale_complete.sh STAFF_BINARY TMPDIR   (run from the repository root)
set -euo pipefail
staff=$1 tmp=$2
langs="nl en ar tr pl uk ti"
for l in $langs; do
  [ "$l" = nl ] && continue
  msgfmt --check -o /dev/null "locale/$l.po"
done
WL_ROOT=$PWD "$staff" i18n --require-complete $langs
# A catalogue with one text left out must make the report fail and name that text.
rm -rf "$tmp"; mkdir -p "$tmp"
cp locale/wijkloket.pot "$tmp/"
awk 'BEGIN{n=0} /^msgid "Start"$/{print; getline; print "msgstr \"\""; n=1; next} {print}' locale/ar.po > "$tmp/ar.po"
if out=$(WL_ROOT=$PWD "$staff" i18n --locale "$tmp" --require-complete ar); then
  echo "FAIL: a missing translation was not reported"; exit 1
fi
echo "$out" | grep -q 'missing: "Start"' || { echo "FAIL: the missing text is not named: $out"; exit 1; }
echo "ok: $langs complete; a gap is reported"
