#!/usr/bin/env bash
# Bad input at the staff command line: every case gets a clear message naming what and where,
# the documented non-zero exit code, no crash, and no half-written data.
set -u
staff=$1; root=$2
work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
pass=0; fail=0
. "$(dirname "$0")/lib.sh"
# answers NAME PYTHON-EDIT: writes $work/NAME.json, a changed copy of the zelfdoener case's answers.
answers() {
  python3 - "$root/tests/cases/routing/zelfdoener_duidelijk.json" "$work/$1.json" "$2" <<'PY'
import json, sys
src, dst, edit = sys.argv[1:4]
a = json.load(open(src, encoding="utf-8"))["answers"]
exec(edit)
json.dump(a, open(dst, "w", encoding="utf-8"), ensure_ascii=False)
PY
}

answers good 'pass'
expect "valid answers classify" 0 '"route"' "$staff" --today 2026-11-22 classify "$work/good.json"
answers string_for_number 'a["uren_werk"] = "veertig"'
expect "a string for a number" 3 "uren_werk" "$staff" --today 2026-11-22 classify "$work/string_for_number.json"
answers out_of_range 'a["uren_werk"] = 500'
expect "a number out of range" 3 "uren_werk" "$staff" --today 2026-11-22 classify "$work/out_of_range.json"
answers unknown_option 'a["opleiding"] = "universiteit_van_het_leven"'
expect "an option that does not exist" 3 "opleiding" "$staff" --today 2026-11-22 classify "$work/unknown_option.json"
answers impossible_date 'a["geboortedatum"] = "1990-02-30"'
expect "an impossible date" 3 "geboortedatum" "$staff" --today 2026-11-22 classify "$work/impossible_date.json"
answers unknown_question 'a["lievelingskleur"] = "blauw"'
expect "an unknown question" 3 "lievelingskleur" "$staff" --today 2026-11-22 classify "$work/unknown_question.json"
# schulden_regeling is only asked when there are debts; this citizen has none.
irrelevant=$(python3 -c "
import json
q = json.load(open('$root/assets/questionnaires/entreevragenlijst.json'))
for s in q['sections']:
    for x in s['questions']:
        if x.get('relevant') and 'schulden' in json.dumps(x['relevant']) and x['id'] != 'schulden':
            print(x['id'], x['type']); raise SystemExit
")
set -- $irrelevant
answers irrelevant "a['$1'] = {'yesno': True, 'number': 1}.get('$2', 'x')"
expect "an answer to a question that does not apply ($1)" 3 "$1" "$staff" --today 2026-11-22 classify "$work/irrelevant.json"
printf '{"uren_werk": 12,' > "$work/truncated.json"
# A case file with an impossible "today" blames today, not the birth date it would skew.
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); c['today']='2026-13-45'; json.dump(c, open(sys.argv[2],'w'))" \
  "$root/tests/cases/routing/zelfdoener_duidelijk.json" "$work/bad_today.json"
expect "an impossible today in a case file" 3 "bad_today\.json: today: " "$staff" classify "$work/bad_today.json"
if grep -q geboortedatum "$work/out"; then echo "FAIL the bad today is blamed on geboortedatum"; fail=$((fail+1)); fi
expect "a truncated answers file" 3 "truncated\.json:[0-9]+:[0-9]+" "$staff" classify "$work/truncated.json"
expect "a missing answers file" 4 "nothing\.json" "$staff" classify "$work/nothing.json"

# Databases that are not ours, or not whole.
WL_NEW_PIN=4321 "$staff" --db "$work/good.db" user add beheer --role admin >/dev/null
head -c 3000 "$work/good.db" > "$work/truncated.db"
expect "a truncated database" 4 "truncated\.db" "$staff" --db "$work/truncated.db" user list
sqlite3 "$work/foreign.db" "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('stamppot');"
expect "a foreign SQLite database" 4 "foreign\.db" "$staff" --db "$work/foreign.db" user list
if [ "$(sqlite3 "$work/foreign.db" 'SELECT name FROM recipes')" = stamppot ]; then echo "ok   the foreign database is left untouched"; pass=$((pass+1));
else echo "FAIL the foreign database was changed"; fail=$((fail+1)); fi
head -c 5000 /dev/urandom > "$work/noise.db"
expect "a file of random bytes" 4 "noise\.db" "$staff" --db "$work/noise.db" user list

# A read-only data folder (as an unprivileged user: root ignores permissions).
mkdir -p "$work/ro"; chmod 755 "$work"; chmod 555 "$work/ro"
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
  # nobody must be able to run the program wherever the checkout lies (a clone under /root or in
  # a mktemp -d folder is mode 0700): a copy goes into this test's own folder (issue 14, finding 13).
  mkdir -p "$work/bin"; cp "$staff" "$work/bin/wijkloket-staff"; chmod 755 "$work/bin" "$work/bin/wijkloket-staff"
  expect "a read-only data folder" 4 "ro/k\.db" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env WL_NEW_PIN=4321 "$work/bin/wijkloket-staff" --db "$work/ro/k.db" user add piet --role staff
else
  expect "a read-only data folder" 4 "ro/k\.db" env WL_NEW_PIN=4321 "$staff" --db "$work/ro/k.db" user add piet --role staff
fi

# A full disk: a file-size limit of 4 KiB makes the first write to the journal fail with EFBIG,
# as a full disk would (SIGXFSZ is ignored, so the program sees the error instead of dying).
WL_NEW_PIN=4321 "$staff" --db "$work/full.db" user add eerste --role staff >/dev/null
expect "a full disk" 4 "full\.db.*disk is full" bash -c "trap '' XFSZ; ulimit -f 4; WL_NEW_PIN=4321 exec '$staff' --db '$work/full.db' user add tweede --role staff"
after=$(sqlite3 "$work/full.db" "PRAGMA integrity_check; SELECT count(*) FROM users" | tr '\n' ' ')
case "$after" in
  "ok 1 ") echo "ok   after the full disk the database is whole ($after)"; pass=$((pass+1));;
  *) echo "FAIL after the full disk: $after"; fail=$((fail+1));;
esac

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
