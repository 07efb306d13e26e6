#!/usr/bin/env bash
# The real binaries honour no test hooks: wijkloket-staff refuses --now (it would let a PIN
# lockout be skipped and back-date audit entries), the kiosk refuses --epoch and --test-refcodes.
# The test-only builds (tests/builds_test_only.cmake, tests/builds_test_only.cmake) accept them.
# Also: the kiosk's numeric options are checked (a word where a number belongs is refused).
# usage: no_test_hooks.sh STAFF STAFF_TESTCLOCK [KIOSK KIOSK_TEST]
set -u
staff=$1 staff_test=$2 kiosk=${3:-} kiosk_test=${4:-}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail=0
expect() { # NAME WANT-EXIT TEXT-IN-OUTPUT COMMAND...
  local name=$1 want=$2 text=$3; shift 3
  "$@" >"$work/out" 2>&1; local got=$?
  if [ "$got" -ne "$want" ] || ! grep -qF -- "$text" "$work/out"; then
    echo "FAIL $name: exit $got (want $want), output:"; cat "$work/out"; fail=1
  else echo "ok   $name"; fi
}
expect "staff refuses --now" 2 "usage:" "$staff" --db "$work/s.db" --now 1 user list
expect "staff --help does not offer --now" 0 "--today" "$staff" --help
if grep -q -- "--now" "$work/out"; then echo "FAIL staff --help mentions --now"; fail=1; fi
expect "the test build takes --now" 0 "" "$staff_test" --db "$work/t.db" --now 1795000000 user list
if [ -n "$kiosk" ]; then
  export SDL_VIDEODRIVER=dummy
  expect "kiosk refuses --epoch" 2 "unknown option --epoch" "$kiosk" --headless --epoch 1 --db "$work/k.db"
  expect "kiosk refuses --test-refcodes" 2 "unknown option --test-refcodes" "$kiosk" --headless --test-refcodes --db "$work/k.db"
  expect "kiosk checks numbers" 2 "--bench-frames wants a whole number" "$kiosk" --headless --bench-frames lots
  expect "kiosk needs a value" 2 "--db needs a value" "$kiosk" --headless --db
  expect "the test kiosk checks --epoch" 2 "--epoch wants unix seconds" "$kiosk_test" --headless --epoch yesterday
fi
exit $fail
