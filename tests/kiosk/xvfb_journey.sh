#!/usr/bin/env bash
# Real-window test: starts Xvfb, opens the kiosk in an X window and completes the zelfdoener
# journey with xdotool mouse clicks and typing; then checks through the kiosk that the intake
# was stored. The click positions come from replaying the same script headless (--trace-taps),
# so the test follows the layout instead of hard-coded pixels.
# The journey is sealed like a real kiosk: a fresh staff key pair is made first.
# usage: xvfb_journey.sh KIOSK OUTDIR SETUP   (run from the repository root)
set -euo pipefail
kiosk=$1 out=$2 setup=$3
for tool in Xvfb xdotool; do
  if ! command -v "$tool" >/dev/null; then
    echo "xvfb_journey: $tool is missing; install the test packages: scripts/install-deps.sh --test" >&2
    exit 1
  fi
done
rm -rf "$out"
mkdir -p "$out"
db="$out/xvfb.db"
"$setup" --keygen "$out/keys"
pk=(--public-key "$out/keys/public.key")

# 1. Where to click: the journey replayed headless, printing each tap.
grep -v '^\(compare\|screenshot\|expect\)' tests/kiosk/zelfdoener.script > "$out/journey.script"
SDL_VIDEODRIVER=dummy "$kiosk" --headless --config tests/kiosk/xvfb.conf "${pk[@]}" --db "$out/plan.db" \
  --script "$out/journey.script" --screenshots "$out/plan" --trace-taps > "$out/actions.txt"
echo "xvfb_journey: $(wc -l < "$out/actions.txt") actions to replay in a real window"

# 2. A private X server.
disp=""
for n in $(seq 90 140); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then disp=":$n"; break; fi
done
[ -n "$disp" ] || { echo "xvfb_journey: no free X display number" >&2; exit 1; }
Xvfb "$disp" -screen 0 1200x2000x24 -nolisten tcp > "$out/xvfb.log" 2>&1 &
xpid=$!
kpid=""
cleanup() {
  [ -n "$kpid" ] && kill "$kpid" 2>/dev/null || true
  kill "$xpid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=$disp
for _ in $(seq 1 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

# 3. The kiosk in a real window (software or GL renderer, whatever SDL picks).
unset SDL_VIDEODRIVER
"$kiosk" --config tests/kiosk/xvfb.conf "${pk[@]}" --db "$db" > "$out/kiosk.log" 2>&1 &
kpid=$!
wid=$(xdotool search --sync --onlyvisible --name '^Wijkloket$' | head -1)
[ -n "$wid" ] || { echo "xvfb_journey: the kiosk window did not appear" >&2; exit 1; }
xdotool windowmove --sync "$wid" 0 0
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 0.5

# 4. Replay with real X input events.
while read -r verb rest; do
  case "$verb" in
    click)
      set -- $rest
      xdotool mousemove --window "$wid" "$1" "$2"
      sleep 0.03
      xdotool click 1
      sleep 0.45  # past the kiosk's tap guard after a screen change (TAP_GUARD_MS)
      ;;
    type)
      xdotool type --delay 30 -- "$rest"
      sleep 0.1
      ;;
    key)
      xdotool key "$rest"
      sleep 0.1
      ;;
  esac
  kill -0 "$kpid" 2>/dev/null || { echo "xvfb_journey: the kiosk stopped early" >&2; cat "$out/kiosk.log" >&2; exit 1; }
done < "$out/actions.txt"
sleep 0.5
# The window is back on the welcome screen, pixel for pixel what the headless golden shows
# (so the partial redraws during the journey left nothing stale on a real X window).
if command -v import >/dev/null && command -v compare >/dev/null; then
  import -display "$disp" -window root -crop 1080x1920+0+0 "$out/after.png"
  diff=$(compare -metric AE -fuzz 16% "$out/after.png" tests/kiosk/golden/welcome.png "$out/after_diff.png" 2>&1 || true)
  echo "xvfb_journey: $diff pixels differ from the welcome golden"
  if ! [ "${diff%%.*}" -lt 10000 ] 2>/dev/null; then
    echo "xvfb_journey: the window does not show the welcome screen (see $out/after_diff.png)" >&2
    exit 1
  fi
fi

# 5. Escape closes the kiosk when kiosk_mode is off.
xdotool key Escape || true
for _ in $(seq 1 50); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$kpid" 2>/dev/null; then echo "xvfb_journey: Escape did not close the window" >&2; exit 1; fi
wait "$kpid" || { echo "xvfb_journey: the kiosk exited with an error" >&2; cat "$out/kiosk.log" >&2; exit 1; }
kpid=""
grep -q "intake saved" "$out/kiosk.log" || {
  echo "xvfb_journey: no intake saved; the last screen is in $out/after.png" >&2
  cat "$out/kiosk.log" >&2
  exit 1
}

# 6. The store holds exactly that one intake.
printf 'expect_stored 1\n' > "$out/check.script"
SDL_VIDEODRIVER=dummy "$kiosk" --headless --config tests/kiosk/xvfb.conf "${pk[@]}" --db "$db" --script "$out/check.script" --screenshots "$out/check"
grep -q "sealed to staff key" "$out/kiosk.log" || { echo "xvfb_journey: the window kiosk did not seal" >&2; exit 1; }
echo "xvfb_journey: journey completed in a real window, sealed"
