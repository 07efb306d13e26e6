#!/usr/bin/env bash
# Must show (issue 14, findings 1-2): whoever can write the database file but not read its install key cannot swap or forge sealed parts, nor insert, truncate or back-date audit entries unseen.
. "$(dirname "$0")/common.sh"
setup_keys_and_users
"$GEN" --db "$DB" --public-key "$KEYS/public.key" --count 3 --seed 21 --start $((NOW - 86400)) || exit 1
refs=($(sqlite3 "$DB" "SELECT ref FROM intakes WHERE status = 'completed' ORDER BY ref"))
export WL_PIN=4821
check "an untouched record opens" 0 S --user anna show "${refs[0]}"
check "an untouched trail verifies" 0 S --user anna audit verify

# Swap: the personal parts of two records exchanged with plain SQL.
sqlite3 "$DB" "CREATE TEMP TABLE t AS SELECT ref, payload FROM intake_data WHERE kind = 'personal';
  UPDATE intake_data SET payload = (SELECT payload FROM t WHERE ref = '${refs[1]}') WHERE ref = '${refs[0]}' AND kind = 'personal';
  UPDATE intake_data SET payload = (SELECT payload FROM t WHERE ref = '${refs[0]}') WHERE ref = '${refs[1]}' AND kind = 'personal';" || exit 1
check "a swapped personal part is not shown as the record's" 1 S --user anna show "${refs[0]}"
has "the swap is named" "not written by this installation for record ${refs[0]}"
# Kind: the answers part put where the personal part belongs.
sqlite3 "$DB" "UPDATE intake_data SET payload = (SELECT payload FROM intake_data WHERE ref = '${refs[2]}' AND kind = 'answers')
  WHERE ref = '${refs[2]}' AND kind = 'personal'" || exit 1
check "a part moved to another kind is refused" 1 S --user anna show "${refs[2]}"
has "the kind is named" "sealed personal part was not written by this installation"

# Forge: someone with only the public key runs their own Wijkloket (own install key) and copies
# the sealed part it made into this database.
"$GEN" --db "$W/forger.db" --public-key "$KEYS/public.key" --count 1 --seed 99 --name "Mallory Vals" || exit 1
fref=$(sqlite3 "$W/forger.db" "SELECT ref FROM intakes LIMIT 1")
sqlite3 "$DB" "ATTACH '$W/forger.db' AS f;
  UPDATE intake_data SET payload = (SELECT payload FROM f.intake_data WHERE ref = '$fref' AND kind = 'personal')
  WHERE ref = '${refs[1]}' AND kind = 'personal'" || exit 1
check "a part forged with the public key is not shown" 1 S --user anna show "${refs[1]}"
if grep -q "Mallory" "$W/out"; then bad "the forged name was shown"; else ok "the forged name is not shown"; fi

# Insert: a back-dated admin export written with plain SQL, then another command runs.
cp "$DB" "$W/plain.db"; cp "$DB-install.key" "$W/plain.db-install.key"; cp "$DB-audit.head" "$W/plain.db-audit.head"
sqlite3 "$DB" "INSERT INTO audit(at, actor, action, detail) VALUES ($((NOW - 400 * 86400)), 'beheer', 'export', 'format=csv')" || exit 1
check "an inserted entry breaks verify" 1 S --user anna audit verify
has "it is named as written around Wijkloket" "written straight into the database file"
check "a later command still works" 0 S --user anna list
check "the inserted entry stays visible after the next command" 1 S --user anna audit verify
has "still named" "written straight into the database file"

# Truncate: drop the delete trigger and remove the newest entries.
DB="$W/plain.db"
n=$(sqlite3 "$DB" "SELECT max(id) FROM audit")
sqlite3 "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= $((n - 1))" || exit 1
check "removing the newest entries breaks verify" 1 S --user anna audit verify
has "the removal is named" "entries were removed from the end"

# Back-date: a clock set back (a program writing an earlier time than the entry before it).
DB="$W/back.db"
WL_NEW_PIN=4821 "$STAFF" --db "$DB" --now "$NOW" user add anna --role staff >/dev/null || exit 1
check "list today" 0 S --user anna list
check "a list dated a year back" 0 "$STAFF" --db "$DB" --now $((NOW - 365 * 86400)) --user anna list
check "verify refuses times that go back" 1 S --user anna audit verify
has "back-dating is named" "times went back"
finish
