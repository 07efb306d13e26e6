#!/usr/bin/env bash
# Configuration mistakes are refused with file:line: key: reason, before anything starts.
set -uo pipefail
kiosk=$1 out=$2
mkdir -p "$out"
fails=0
check() { # name, config line, expected text
  printf 'location = test\n%s\n' "$2" > "$out/$1.conf"
  if "$kiosk" --headless --config "$out/$1.conf" --db "$out/k.db" 2> "$out/$1.err"; then
    echo "config_errors: $1 was accepted" >&2; fails=1; return
  fi
  if ! grep -qF "$3" "$out/$1.err"; then
    echo "config_errors: $1: expected '$3', got: $(cat "$out/$1.err")" >&2; fails=1
  fi
}
check unknown_key 'idle_timout = 60' "$out/unknown_key.conf:2: idle_timout: unknown key"
check bad_timeout 'idle_timeout = soon' "$out/bad_timeout.conf:2: idle_timeout: give seconds from 10 to 3600"
check bad_orientation 'orientation = sideways' "$out/bad_orientation.conf:2: orientation: give portrait or landscape"
check bad_bool 'fullscreen = maybe' "$out/bad_bool.conf:2: fullscreen: give yes or no"
check bad_lang 'languages = nl, English' "$out/bad_lang.conf:2: languages: 'English' is not a language code"
check bad_location 'location = Vink huizen' "$out/bad_location.conf:2: location: use letters, digits"
check no_equals 'kiosk_mode' "$out/no_equals.conf:2: expected key = value"
check missing_po 'languages = nl, xx' "locale/xx.po"
# The shipped example configuration is valid.
printf 'expect_screen welcome\n' > "$out/ok.script"
"$kiosk" --headless --config assets/kiosk.conf --db "$out/ok.db" --script "$out/ok.script" --screenshots "$out/ok" || fails=1
exit $fails
