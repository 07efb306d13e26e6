#!/usr/bin/env bash
# `wijkloket-staff check`: exit 0 on the shipped assets; non-zero with file:line:column (or
# file:line and field) on broken copies, one kind of breakage at a time.
set -u
staff=$1; root=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok()  { echo "ok   $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

if "$staff" check --assets "$root/assets" >"$work/out" 2>&1; then ok "shipped assets are valid"
else bad "shipped assets rejected:"; cat "$work/out"; fi

# expect_broken NAME FILE-IN-ASSETS PYTHON-EDIT REGEX-IN-OUTPUT
expect_broken() {
  local name=$1 rel=$2 edit=$3 pattern=$4 copy="$work/$1"
  rm -rf "$copy"; cp -r "$root/assets" "$copy"
  python3 - "$copy/$rel" "$edit" <<'PY'
import sys
path, edit = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
ns = {"text": text}
exec(edit, ns)
open(path, "w", encoding="utf-8").write(ns["text"])
PY
  if "$staff" check --assets "$copy" >"$work/out" 2>&1; then bad "$name: check passed a broken file"; return; fi
  if grep -Eq "$pattern" "$work/out"; then ok "$name"; else bad "$name: message lacks /$pattern/:"; cat "$work/out"; fi
}

Q=questionnaires/entreevragenlijst.json; R=rules/routing.json
expect_broken json-syntax "$Q" 'i = text.index("\"questions\""); text = text[:i] + "," + text[i:]' "entreevragenlijst\.json:[0-9]+:[0-9]+"
expect_broken rules-syntax "$R" 'text = text.rstrip().rstrip("}")' "routing\.json:[0-9]+:[0-9]+"
expect_broken unknown-key "$Q" 'text = text.replace("\"type\":", "\"tpye\": \"x\", \"type\":", 1)' "entreevragenlijst\.json:[0-9]+.*tpye"
expect_broken unknown-var-in-rules "$R" 'import re; text = re.sub(r"\{\s*\"var\"\s*:\s*\"([a-z_]+)\"", "{\"var\": \"no_such_question\"", text, count=1)' "routing\.json:[0-9]+.*no_such_question"
expect_broken duplicate-question "$Q" 'import json; d = json.loads(text); s = d["sections"][1]; s["questions"].append(dict(s["questions"][0])); text = json.dumps(d, indent=2, ensure_ascii=False)' "entreevragenlijst\.json:[0-9]+.*(duplicate|dubbel)"
expect_broken missing-dutch-text "$Q" 'import json; d = json.loads(text); del d["sections"][1]["questions"][0]["text"]; text = json.dumps(d, indent=2, ensure_ascii=False)' "entreevragenlijst\.json:[0-9]+.*text"
expect_broken duplicate-option "$Q" 'import json; d = json.loads(text); q = [q for s in d["sections"] for q in s["questions"] if q.get("options")][0]; q["options"].append(dict(q["options"][0])); text = json.dumps(d, indent=2, ensure_ascii=False)' "entreevragenlijst\.json:[0-9]+.*(option|duplicate|dubbel)"
expect_broken unknown-option-in-rule "$R" 'text = text.replace("{\"var\": \"p_voorkeur\"}, \"beschut_werk\"", "{\"var\": \"p_voorkeur\"}, \"no_such_option\"", 1); assert "no_such_option" in text' "routing\.json:[0-9]+.*no_such_option"

# Pictograms: a name the questionnaire uses with no image in assets/pictograms.json fails on the
# questionnaire's own line and field (the shipped assets above pass the same check).
P=pictograms.json
L=$(grep -n '"pictogram": "kalender"' "$root/assets/$Q" | cut -d: -f1)
expect_broken pictogram-unknown "$Q" 'text = text.replace("\"pictogram\": \"kalender\"", "\"pictogram\": \"bestaat_niet\"", 1)' \
  "entreevragenlijst\.json:$L: question 'geboortedatum' field 'pictogram': no image for 'bestaat_niet'"
L=$(grep -n '"pictogram": "verslaving"' "$root/assets/$Q" | cut -d: -f1)
expect_broken pictogram-option-unknown "$Q" 'text = text.replace("\"pictogram\": \"verslaving\"", "\"pictogram\": \"onbekend\"", 1)' \
  "entreevragenlijst\.json:$L: question 'beperkingen' option 'verslaving' field 'pictogram': no image for 'onbekend'"
L=$(grep -n '"werk":' "$root/assets/$P" | cut -d: -f1)
expect_broken pictogram-codepoint-not-an-icon "$P" 'text = text.replace("\"codepoint\": \"e8f9\"", "\"codepoint\": \"0041\"", 1)' \
  "pictograms\.json:$L: pictogram 'werk' field 'codepoint'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
