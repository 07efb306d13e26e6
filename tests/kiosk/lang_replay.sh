#!/usr/bin/env bash
# The zelfdoener journey up to a booked appointment (tests/appointments/kiosk_booking.script),
# in another language: the script is translated through locale/LANG.po by lang_journey.py, and
# the welcome, a question and the result screen are compared with goldens LANG_*.png. The slip
# screen carries a random booking code, so it is saved (LANG_slip.png) and its QR code decoded.
# usage: lang_replay.sh KIOSK SETUP LANG OUTDIR   (run from the repository root)
set -euo pipefail
kiosk=$1 setup=$2 lang=$3 out=$4
mkdir -p "$out"
script="$out/$lang.script"
python3 tests/kiosk/lang_journey.py "$lang" tests/appointments/kiosk_booking.script \
  welcome="${lang}_welcome" "Hebt u betaald werk gedaan?=${lang}_question" result="${lang}_result" \
  appt_slip="${lang}_slip" | sed "s/^compare ${lang}_slip$/screenshot ${lang}_slip/" > "$script"
db="$out/$lang.db"
rm -f "$db" "$db-wal" "$db-shm"
keys="$out/$lang-keys"
rm -rf "$keys"
"$setup" --keygen "$keys"
export SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam
unset WL_PRINTER
"$kiosk" --headless --config tests/kiosk/languages.conf --db "$db" --public-key "$keys/public.key" \
  --script "$script" --screenshots "$out/$lang" --golden tests/kiosk/golden --epoch 1795000000 --test-refcodes
ref=$(zbarimg -q --raw "$out/$lang/${lang}_slip.png" 2>/dev/null)
echo "$lang: slip screen QR code reads $ref"
[ -n "$ref" ]
