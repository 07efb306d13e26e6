#!/usr/bin/env bash
# Must show: a known answer text and a BSN stored through the sealed path are nowhere in the raw database bytes (main file and -wal).
. "$(dirname "$0")/common.sh"
setup_keys_and_users
NAME="Henriëtte Zwanenburg-Oosterhuis"
BSN=123456782

# A second connection holds a read transaction so the generator's close cannot checkpoint
# and remove the WAL: the fresh commits must be searched in the -wal file itself.
S user list >/dev/null
coproc HOLD { sqlite3 "$DB" 2>&1; }
echo "BEGIN; SELECT count(*) FROM sqlite_schema;" >&"${HOLD[1]}"
read -r -t 10 _ <&"${HOLD[0]}"
"$GEN" --db "$DB" --public-key "$KEYS/public.key" --count 25 --seed 7 --name "$NAME" --bsn "$BSN" || exit 1

search() { # search FILE: how many times the name or the BSN occurs in its raw bytes
    local n=0
    [ -f "$1" ] || { echo missing; return; }
    n=$(( $(grep -c -a -F -- "$NAME" "$1") + $(grep -c -a -F -- "$BSN" "$1") + $(grep -c -a -F -- "Zwanenburg" "$1") ))
    echo "$n"
}
if [ -s "$DB-wal" ]; then ok "the commits are in the -wal file ($(stat -c %s "$DB-wal") bytes)"; else bad "no -wal file to search"; fi
w=$(search "$DB-wal"); m=$(search "$DB")
if [ "$w" = 0 ]; then ok "-wal holds neither the name nor the BSN"; else bad "-wal: $w hits"; fi
if [ "$m" = 0 ]; then ok "main file holds neither the name nor the BSN"; else bad "main file: $m hits"; fi
echo ".quit" >&"${HOLD[1]}"
wait "$HOLD_PID" 2>/dev/null

# After the last connection closed everything was checkpointed into the main file.
S user list >/dev/null
m=$(search "$DB")
if [ "$m" = 0 ]; then ok "after checkpoint the main file still holds neither"; else bad "after checkpoint: $m hits"; fi
hits=$(grep -c -a -F -- "vinkhuizen" "$DB")
if [ "$hits" -gt 0 ]; then ok "the clear fields (location) are there, so the search itself works"; else bad "search sees nothing at all"; fi

# The data is there, only sealed: the secret key opens it.
ref=$(sqlite3 "$DB" "SELECT ref FROM intakes LIMIT 1")
check "show opens a sealed record with the passphrase" 0 env WL_PIN=4821 "$STAFF" --db "$DB" --now "$NOW" --user anna show "$ref" --json
has "the opened record has the name" "Zwanenburg-Oosterhuis"
has "the opened record has the BSN" "$BSN"
enc=$(sqlite3 "$DB" "SELECT group_concat(DISTINCT encoding) FROM intake_data")
if [ "$enc" = sealed ]; then ok "every intake_data row is sealed"; else bad "encodings: $enc"; fi
finish
