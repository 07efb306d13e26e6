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
    # The screen of two yes/no questions: each question is read, then its own Ja and Nee.
    awk '{print} /^tap "Ja" 2$/ {print "speak group"}' "$out/$lang.script" > "$out/$lang.tmp"
    mv "$out/$lang.tmp" "$out/$lang.script"
    # On a speaker (the default) there is no way to have the typed name read at all.
    awk '{print} /^type "Sanne/ {print "expect_not \"Mijn antwoorden\""}' "$out/$lang.script" > "$out/$lang.tmp"
    mv "$out/$lang.tmp" "$out/$lang.script"
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
  if [ $lang = nl ]; then
    python3 - "$out/nl/group.txt" <<'PY' || exit 1
import sys
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
want = ["Zijn er mensen die u helpen als dat nodig is?", "Ja", "Nee",
        "Kent u mensen die u kunnen helpen aan werk?", "Ja", "Nee"]
pos = 0
for w in want:  # in this order, each after the one before
    pos = lines.index(w, pos) + 1 if w in lines[pos:] else -1
    if pos < 0:
        break
if pos < 0 or lines[lines.index(want[3]) + 1:lines.index(want[3]) + 3] != ["Ja", "Nee"]:
    sys.exit("FAIL group screen: Voorlezen does not read each question with its own Ja and Nee: %r" % lines)
print("ok   group screen read question by question with its choices")
PY
  fi
done

# Headphone (speech_output = headphone): the typed name is still not read until the citizen taps
# "Mijn antwoorden"; then it is, and so is the birth date being typed on the next screen.
{ cat tests/kiosk/languages.conf; echo "speech_output = headphone"; } > "$out/headphone.conf"
awk '{print} /^type "Sanne/ {print "speak hp_before"; print "tap \"Mijn antwoorden\""; print "expect \"worden voorgelezen\""; print "speak hp_name"}
     /^type "12041990"/ {print "speak hp_date"}' "$out/nl.in" > "$out/hp.script"
"$kiosk" --headless --config "$out/headphone.conf" --db "$out/hp.db" --public-key "$out/keys/public.key" \
  --script "$out/hp.script" --screenshots "$out/hp" --epoch 1795000000 --test-refcodes > /dev/null 2> "$out/hp.err" ||
  { cat "$out/hp.err"; exit 1; }
if grep -qi "Sanne" "$out/hp/hp_before.txt"; then echo "FAIL: headphone: the name was read before it was asked for"; exit 1; fi
grep -q "Sanne de Vries" "$out/hp/hp_name.txt" || { echo "FAIL: headphone: the name was not read on request"; exit 1; }
grep -q "1990" "$out/hp/hp_date.txt" || { echo "FAIL: headphone: the birth date was not read on request"; exit 1; }
python3 - "$out/hp" <<'PY' || exit 1
import sys, wave
for n in ("hp_before", "hp_name", "hp_date"):
    with wave.open(f"{sys.argv[1]}/{n}.wav") as w:
        if w.getnframes() < w.getframerate() // 2:
            sys.exit(f"FAIL: headphone: {n}.wav is not speech")
PY
echo "headphone: the name and birth date are read only after \"Mijn antwoorden\""
echo "speech ok"
