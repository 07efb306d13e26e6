#!/usr/bin/env bash
# Kiosk benchmark: time to first frame, peak memory over a full journey, frame render time at
# 1080x1920 (software renderer), and CPU on the idle welcome screen over 10 s.
# usage: bench/bench_kiosk.sh [BUILD_DIR]   (default: build). Goals: first frame <= 150 ms,
# RSS < 60 MB, frame p99 < 8 ms, idle CPU < 1 %.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
kiosk="$build/kiosk/wijkloket"
[ -x "$kiosk" ] || { echo "bench_kiosk: build first ($kiosk missing)" >&2; exit 1; }
tmp=$(mktemp -d)
xpid=""
trap '[ -n "$xpid" ] && kill "$xpid" 2>/dev/null; rm -rf "$tmp"' EXIT
conf=tests/kiosk/test.conf
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { awk -v k="$1" '$1==k {print $2}'; }

echo "== Wijkloket kiosk benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)) =="

# 1. Process start to first frame, headless software renderer, 7 runs.
for i in 1 2 3 4 5 6 7; do
  SDL_VIDEODRIVER=dummy "$kiosk" --headless --config $conf --db "$tmp/ff.db" --stats 2>/dev/null | field first_frame_ms
done | median > "$tmp/ff"
echo "first frame, headless 1080x1920 (median of 7): $(cat "$tmp/ff") ms   goal <= 150 ms"

# 2. Peak RSS over a full zelfdoener journey (all screens, typing, save), without golden compares.
grep -v '^compare' tests/kiosk/zelfdoener.script > "$tmp/journey.script"
SDL_VIDEODRIVER=dummy "$kiosk" --headless --config $conf --db "$tmp/j.db" --script "$tmp/journey.script" \
  --screenshots "$tmp/shots" --stats 2>/dev/null > "$tmp/journey.txt"
rss=$(field peak_rss_kb < "$tmp/journey.txt")
echo "peak RSS over a full journey (VmHWM): $((rss / 1024)) MB ($rss kB)   goal < 60 MB"
awk '$1=="frames" {printf "frame time over the journey (%s frames, first draw of every screen included): median %s ms, p99 %s ms, max %s ms\n", $2, $4, $6, $8}' "$tmp/journey.txt"

# 3. Frame time at 1080x1920 on the keyboard question (the busiest screen): 400 frames of a
#    letter typed and taken back, drawn as the kiosk draws them (only what changed), and the
#    same frames forced to redraw the whole screen.
cat > "$tmp/kbd.script" <<'S'
tap "Start"
tap "Entreevragenlijst invullen"
tap "Ja, ik doe mee"
type "Sanne de Vries"
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --config $conf --db "$tmp/k.db" --script "$tmp/kbd.script" \
  --screenshots "$tmp/shots" --bench-frames 400 2>/dev/null > "$tmp/kbd.txt"
awk '$1=="typing" {printf "frame time, typing on the keyboard screen (partial redraw, %s frames): median %s ms, p99 %s ms   goal p99 < 8 ms\n", $3, $5, $7}
     $1=="full_redraw" {printf "frame time, same frames redrawing the whole 1080x1920 screen: median %s ms, p99 %s ms\n", $5, $7}' "$tmp/kbd.txt"

# 5. Languages. All seven offered (tests/kiosk/languages.conf) against nl+en (test.conf): the
#    Arabic and Ethiopic fonts are found and opened only when a text needs them, so a Dutch
#    session must cost the same. Then the whole journey in Arabic (shaping and bidi included).
for c in test.conf languages.conf; do
  for i in 1 2 3 4 5; do
    SDL_VIDEODRIVER=dummy "$kiosk" --headless --config tests/kiosk/$c --db "$tmp/l$i.db" --stats 2>/dev/null | field first_frame_ms
  done | median > "$tmp/ff_$c"
  SDL_VIDEODRIVER=dummy "$kiosk" --headless --config tests/kiosk/$c --db "$tmp/lj_$c.db" --script "$tmp/journey.script" \
    --screenshots "$tmp/shots" --stats 2>/dev/null > "$tmp/lj_$c.txt"
  printf "%-15s first frame (median of 5) %s ms, Dutch journey: peak RSS %s MB, %s\n" "$c" "$(cat "$tmp/ff_$c")" \
    "$(( $(field peak_rss_kb < "$tmp/lj_$c.txt") / 1024 ))" "$(awk '$1=="font_faces" {print $2 " font face(s) opened"}' "$tmp/lj_$c.txt")"
done
for l in nl ar ti; do
  if [ $l = nl ]; then cp "$tmp/journey.script" "$tmp/lang.script"; else
    python3 tests/kiosk/lang_journey.py $l tests/kiosk/zelfdoener.script | grep -v '^compare' > "$tmp/lang.script"; fi
  SDL_VIDEODRIVER=dummy "$kiosk" --headless --config tests/kiosk/languages.conf --db "$tmp/la_$l.db" --script "$tmp/lang.script" \
    --screenshots "$tmp/shots" --stats 2>/dev/null > "$tmp/la_$l.txt"
  awk -v l=$l '$1=="frames" {printf "journey in %s (%s frames, first draw of every screen included): median %s ms, p99 %s ms, max %s ms   goal every frame < 16.7 ms\n", l, $2, $4, $6, $8}
       $1=="frames_cpu" {printf "  the same frames in CPU time of the drawing thread (less sensitive to a loaded machine): median %s ms, p99 %s ms, max %s ms\n", $4, $6, $8}
       $1=="peak_rss_kb" {printf "  peak RSS %d MB\n", $2 / 1024}' "$tmp/la_$l.txt"
done

# 4. Idle CPU on the welcome screen over 10 s in the real event loop (SDL_WaitEvent).
if command -v Xvfb >/dev/null; then
  disp=""
  for n in $(seq 150 190); do [ ! -e "/tmp/.X$n-lock" ] && disp=":$n" && break; done
  Xvfb "$disp" -screen 0 1200x2000x24 -nolisten tcp >/dev/null 2>&1 &
  xpid=$!
  sleep 1
  DISPLAY=$disp "$kiosk" --config tests/kiosk/xvfb.conf --db "$tmp/i.db" \
    --exit-after 10 --stats 2>/dev/null > "$tmp/idle.txt"
  awk '$1=="event_loop_ms" {printf "idle welcome screen, real X window under Xvfb, 10 s: %s ms CPU = %s %%   goal < 1 %%\n", $4, $6}' "$tmp/idle.txt"
  awk '$1=="first_frame_ms" {printf "first frame, real X window under Xvfb: %s ms   goal <= 150 ms\n", $2}' "$tmp/idle.txt"
  awk '$1=="peak_rss_kb" {printf "peak RSS of the window process (software renderer): %d MB\n", $2 / 1024}' "$tmp/idle.txt"
  kill "$xpid" 2>/dev/null || true
  xpid=""
else
  echo "idle CPU: skipped (Xvfb not installed)"
fi
