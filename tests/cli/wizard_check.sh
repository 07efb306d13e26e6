#!/usr/bin/env bash
# `wijkloket-staff check` validates assets/minima/wizard.json: the shipped file passes; a range
# turned around, a choice step with an option missing, an option without a pictogram or with a
# pictogram that has no image, and an unknown field are each refused
# naming the file, line and field. usage: wizard_check.sh STAFF ROOT
set -u
staff=$1 root=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail=0
"$staff" check --assets "$root/assets" >"$work/ok" 2>&1 || { echo "FAIL shipped assets"; cat "$work/ok"; fail=1; }
grep -q "^ok      minima/wizard.json" "$work/ok" || { echo "FAIL no wizard line"; cat "$work/ok"; fail=1; }
bad() { # NAME PYTHON-EDIT EXPECTED
  rm -rf "$work/a"; cp -r "$root/assets" "$work/a"
  python3 - "$work/a/minima/wizard.json" "$2" <<'PY'
import json, sys
p, edit = sys.argv[1], sys.argv[2]
w = json.load(open(p, encoding="utf-8"))
steps = {s["id"]: s for s in w["steps"]}
exec(edit)
open(p, "w", encoding="utf-8").write(json.dumps(w, ensure_ascii=False, indent=2))
PY
  if "$staff" check --assets "$work/a" >"$work/out" 2>&1; then echo "FAIL $1: accepted"; fail=1;
  elif ! grep -qF -- "$3" "$work/out"; then echo "FAIL $1: expected '$3'"; cat "$work/out"; fail=1;
  else echo "ok   $1"; fi
}
bad "range turned around" 'steps["child_age"]["min"] = 50' "minima/wizard.json:"
bad "range message" 'steps["child_age"]["min"] = 50' "steps.child_age: min is larger than max"
bad "option missing" 'steps["partner"]["options"].pop()' "steps.partner.options: this step needs exactly 2 options"
bad "pictogram missing" 'steps["children"]["pictograms"].pop()' "steps.children.pictograms: needs one pictogram name per option"
bad "unknown pictogram" 'steps["student"]["pictograms"][0] = "eenhoorn"' "minima/wizard.json:"
bad "unknown pictogram message" 'steps["student"]["pictograms"][0] = "eenhoorn"' "steps.student.pictograms: no image for 'eenhoorn'"
bad "unknown field" 'steps["age"]["maximum"] = 3' 'steps.age: unknown field "maximum"'
bad "school ages out of order" 'w["school_age"]["ask_from"] = 30' "school_age: needs none_below <= primary_below <= ask_from <= ask_to"
exit $fail
