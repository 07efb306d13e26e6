#!/usr/bin/env bash
# Voorlezen, headless: the zelfdoener journey in nl, en, ar, tr, pl and uk with every screen
# spoken to a WAV file by espeak-ng (`speak` in the replay script); speech_check.py then checks
# that each is speech, grows with the text and never holds the name, birth date or other typed data.
# Tigrinya has no espeak-ng voice: its spoken text is still written, with no WAV.
# usage: speech.sh KIOSK SETUP OUTDIR   (run from the repository root)
set -euo pipefail
kiosk=$1 setup=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
"$setup" --keygen "$out/keys" >/dev/null
export SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
for lang in nl en ar tr pl uk ti; do
  if [ $lang = nl ]; then grep -v '^compare' tests/kiosk/zelfdoener.script > "$out/$lang.in"
  else python3 tests/kiosk/lang_journey.py $lang tests/kiosk/zelfdoener.script | grep -v '^compare' > "$out/$lang.in"; fi
  # Speak the first 14 screens once shown (welcome to the first questions; s01 is the Dutch
  # welcome before the language is chosen), and the name screen after the name is typed.
  awk '{print} /^expect "/ && n < 14 {n++; print "speak s" sprintf("%02d", n)} /^type "Sanne/ {print "speak typed"}' "$out/$lang.in" > "$out/$lang.script"
  if [ $lang = nl ]; then
    # The button itself: read the welcome screen (audio to SDL's dummy device), tap again to stop,
    # read again, then Start changes the screen (which stops it); the journey goes on as before.
    { echo 'expect "Voorlezen"'; echo 'tap "Voorlezen"'; echo 'wait 2s'; echo 'tap "Voorlezen"'; echo 'tap "Voorlezen"';
      cat "$out/$lang.script"; } > "$out/$lang.tmp" && mv "$out/$lang.tmp" "$out/$lang.script"
  fi
  "$kiosk" --headless --config tests/kiosk/languages.conf --db "$out/$lang.db" --public-key "$out/keys/public.key" \
    --script "$out/$lang.script" --screenshots "$out/$lang" --epoch 1795000000 --test-refcodes > /dev/null 2> "$out/$lang.err" ||
    { cat "$out/$lang.err"; exit 1; }
  if [ $lang = ti ]; then
    ls "$out/ti"/s0[2-9].wav "$out/ti"/s1?.wav >/dev/null 2>&1 && { echo "FAIL: a Tigrinya WAV without a Tigrinya voice"; exit 1; }
    grep -q "ጀምር" "$out/ti/s02.txt"
    continue
  fi
  python3 tests/kiosk/speech_check.py "$out/$lang" "Sanne" "de Vries" "12041990" "12-04-1990"
done
echo "speech ok"
