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
ls "$out" | wc -l
