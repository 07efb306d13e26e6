#!/usr/bin/env bash
# Makes the reduced screenshots in docs/screens/ from the golden screenshots (1080x1920) and
# from replays at 1920x1080 and 800x480. usage: tests/kiosk/make_docs_screens.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
out=docs/screens
mkdir -p "$out"
for f in tests/kiosk/golden/*.png; do
  convert "$f" -filter Lanczos -resize 360x640 -strip -colors 128 -define png:compression-level=9 "PNG8:$out/$(basename "$f")"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^compare /screenshot /' tests/kiosk/zelfdoener.script > "$tmp/j.script"
for size in 1920x1080 800x480; do
  SDL_VIDEODRIVER=dummy "$build/tests/wijkloket-test" --headless --config tests/kiosk/test.conf --db "$tmp/$size.db" \
    --script "$tmp/j.script" --screenshots "$tmp/$size" --size "$size" --test-refcodes --epoch 1795000000 2>/dev/null
  for s in welcome menu question_single question_text summary result; do
    if [ "$size" = 1920x1080 ]; then geom=640x360; else geom=400x240; fi
    convert "$tmp/$size/$s.png" -filter Lanczos -resize "$geom" -strip -colors 128 "PNG8:$out/${size}_$s.png"
  done
done
# The screens of issue 12: emergency (three sizes), help over a question, confirmations, the
# recommended offer and the on-screen slip. Made by the replays that test them.
small() { convert "$1" -filter Lanczos -resize "$2" -strip -colors 128 "PNG8:$3"; }
tests/kiosk/run_replay.sh "$build/tests/wijkloket-test" "$build/tests/kiosk_test_setup" tests/kiosk/urgent.script "$tmp/r" >"$tmp/log" 2>&1 || { tail -5 "$tmp/log" >&2; exit 1; }
for size in 1080x1920 1920x1080 800x480; do
  case $size in 1080x1920) geom=360x640 ;; 1920x1080) geom=640x360 ;; *) geom=400x240 ;; esac
  small "$tmp/r/urgent-$size/urgent.png" "$geom" "$out/urgent_$size.png"
  small "$tmp/r/urgent-$size/result_urgent.png" "$geom" "$out/result_urgent_$size.png"
  # Two yes/no questions of one topic on one screen (the questionnaire's "group").
  small "$tmp/r/urgent-$size/group.png" "$geom" "$out/group_$size.png"
done
tests/kiosk/run_replay.sh "$build/tests/wijkloket-test" "$build/tests/kiosk_test_setup" tests/kiosk/walk_away.script "$tmp/r" >"$tmp/log" 2>&1 || { tail -5 "$tmp/log" >&2; exit 1; }
small "$tmp/r/walk_away/help_overlay.png" 360x640 "$out/help_overlay.png"
tests/kiosk/run_replay.sh "$build/tests/wijkloket-test" "$build/tests/kiosk_test_setup" tests/kiosk/staff_lock.script "$tmp/r" >"$tmp/log" 2>&1 || { tail -5 "$tmp/log" >&2; exit 1; }
small "$tmp/r/staff_lock/confirm_quit.png" 360x640 "$out/confirm_quit.png"
WL_ROOT="$PWD" bash tests/appointments/kiosk_replay.sh "$build/tests/wijkloket-test" "$build/tests/wijkloket-staff-testclock" "$tmp/a" >"$tmp/log" 2>&1 || { tail -5 "$tmp/log" >&2; exit 1; }
small "$tmp/a/booking/appt_offers.png" 360x640 "$out/offers.png"
small "$tmp/a/booking/appt_slip.png" 360x640 "$out/slip.png"
small "$tmp/a/lookup/lookup_confirm_cancel.png" 360x640 "$out/confirm_cancel.png"
ls "$out" | wc -l
