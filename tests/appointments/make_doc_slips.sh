#!/usr/bin/env bash
# Regenerates the example slips in docs/slips/ from the real assets (not a test; run by hand).
# Usage: make_doc_slips.sh path/to/wijkloket-staff-testclock (the test-only build: it takes --now)
set -euo pipefail
S="$1"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
T=$(mktemp -d /tmp/wl-doc-slips-XXXXXX)
trap 'rm -rf "$T"' EXIT
export TZ=Europe/Amsterdam WL_ROOT="$ROOT"
NOW=$(date -d "2026-11-23 08:00" +%s)
WL_NEW_PIN=4821 "$S" --db "$T/d.db" --now "$NOW" user add anna --role staff >/dev/null
export WL_PIN=4821
W=("$S" --db "$T/d.db" --now "$NOW" --today 2026-11-23 --user anna)
OUT="$ROOT/docs/slips"
R1=$("${W[@]}" book --service gkb_spreekuur --location wij_vinkhuizen --start 2026-11-24T09:45 --lang nl 2>/dev/null)
R2=$("${W[@]}" book --service collectieve_voorlichting --location harm_buiterplein --start 2026-11-26T10:00 --lang en 2>/dev/null)
"${W[@]}" slip "$R1" --png "$OUT/thermal_nl.png" --a6-png "$OUT/a6_nl.png" --screen-png "$OUT/screen_nl.png"
"${W[@]}" slip "$R2" --png "$OUT/thermal_en_nl.png" --a6-png "$OUT/a6_en_nl.png" --pdf "$T/a6.pdf"
# Arabic (shaped, right to left) and Tigrinya (Ethiopic script), each followed by the Dutch part.
for l in ar ti; do
  R=$("${W[@]}" book --service collectieve_voorlichting --location harm_buiterplein --start 2026-11-26T10:00 --lang $l 2>/dev/null)
  "${W[@]}" slip "$R" --png "$OUT/thermal_${l}_nl.png" --a6-png "$OUT/a6_${l}_nl.png"
done
pdftoppm -r 100 -png -singlefile "$T/a6.pdf" "$OUT/a6_en_nl_pdf_rendered"
for f in "$OUT"/*.png; do printf '%s: %s\n' "$(basename "$f")" "$(zbarimg -q --raw "$f" 2>/dev/null)"; done
