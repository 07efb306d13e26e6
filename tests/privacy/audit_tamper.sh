#!/usr/bin/env bash
# Must show: `audit verify` finds the first changed or removed entry after someone drops the trigger and edits the trail with sqlite3.
. "$(dirname "$0")/common.sh"
setup_keys_and_users
"$GEN" --db "$DB" --public-key "$KEYS/public.key" --count 4 --seed 11 || exit 1
refs=($(sqlite3 "$DB" "SELECT ref FROM intakes ORDER BY ref"))
export WL_PIN=4821
check "show" 0 S --user anna show "${refs[0]}"
check "pull" 0 S --user anna pull "${refs[0]}"
check "decide" 0 S --user anna decide "${refs[1]}" --route participatie --reason "Gesprek: eerst zorg"
check "export" 0 S --user anna export --format json --out "$W/export.json"
check "verify on an untouched trail" 0 S --user anna audit verify
has "intact" "Audit trail intact"
n=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action IN ('show','pull','decide','export') AND actor = 'anna'")
if [ "$n" = 4 ]; then ok "show, pull, decide and export are each recorded with who"; else bad "found $n audit entries"; fi

if sqlite3 "$DB" "UPDATE audit SET actor = 'mallory' WHERE action = 'show'" 2>"$W/err"; then
    bad "the trigger let an UPDATE through"
else
    grep -q "append-only" "$W/err" && ok "an UPDATE is refused: append-only" || bad "unexpected error: $(cat "$W/err")"
fi
if sqlite3 "$DB" "DELETE FROM audit" 2>/dev/null; then bad "the trigger let a DELETE through"; else ok "a DELETE is refused"; fi

cp "$DB" "$W/copy.db"
# The install key and the audit head belong with the file (they are what a copy is checked against).
cp "$DB-install.key" "$W/copy.db-install.key"
cp "$DB-audit.head" "$W/copy.db-audit.head"
show_id=$(sqlite3 "$DB" "SELECT id FROM audit WHERE action = 'show' LIMIT 1")
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE id = $show_id;" || exit 1
check "verify after tampering fails" 1 S --user anna audit verify
has "names the first bad entry" "BROKEN at entry $show_id"
has "says what is wrong" "changed after it was written"

DB="$W/copy.db"
pull_id=$(sqlite3 "$DB" "SELECT id FROM audit WHERE action = 'pull' LIMIT 1")
sqlite3 "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = $pull_id;" || exit 1
check "verify after removing an entry fails" 1 S --user anna audit verify
has "names the removed entry" "entry $pull_id is missing"
finish
