#!/usr/bin/env bash
# Configuration mistakes are refused with file:line: key: reason, before anything starts.
set -uo pipefail
kiosk=$1 setup=$2 out=$3
mkdir -p "$out"
fails=0
check() { # name, config line, expected text
  printf 'location = test\n%s\nallow_unsealed = test-only\n' "$2" > "$out/$1.conf"
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
check bad_unsealed 'allow_unsealed = yes' "$out/bad_unsealed.conf:2: allow_unsealed: give test-only"
check bad_printer 'printer = lpt1' "$out/bad_printer.conf:2: printer: printer setting 'lpt1' is not one of"
check empty_key 'public_key =' "$out/empty_key.conf:2: public_key: give the staff public key file"
# A server without this kiosk's key: refused at start, never booking locally instead.
check server_no_key 'server_url = http://127.0.0.1:9' "server_url is set but server_key is not"
check server_bad_key "server_url = http://127.0.0.1:9
server_key = $out/no-such.key" "server_key: $out/no-such.key: cannot read the kiosk key file"
# The shipped example configuration is valid (with a key pair of its own instead of var/keys).
printf 'expect_screen welcome\n' > "$out/ok.script"
rm -rf "$out/keys"
"$setup" --keygen "$out/keys" || fails=1
"$kiosk" --headless --config assets/kiosk.conf --public-key "$out/keys/public.key" --db "$out/ok.db" \
  --script "$out/ok.script" --screenshots "$out/ok" || fails=1
exit $fails
