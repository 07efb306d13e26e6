#!/usr/bin/env bash
# Must show: the Kansen in Kaart table on 300 generated intakes; its totals agree with the day list and the decisions.
. "$(dirname "$0")/common.sh"
setup_keys_and_users
"$GEN" --db "$DB" --public-key "$KEYS/public.key" --count 300 --seed 42 --location vinkhuizen --location selwerd \
    --spacing 7200 --decide 40 --abandoned 12 || exit 1
export WL_PIN=4821
check "stats for one location and period" 0 S --user anna stats --location vinkhuizen --from 2026-01-01 --to 2026-01-31
cat "$W/out"
has "table title" "Kansen in Kaart: vinkhuizen, 2026-01-01 t/m 2026-01-31"
has "participatiepotentieel row" "Participatiepotentieel"
has "routes" "Klantondersteuning (Centrum voor Werk)"
has "signals" "Signalen"
S --user anna stats --location vinkhuizen --from 2026-01-01 --to 2026-01-31 --json >"$W/stats.json" || bad "stats --json"
S --user anna list --location vinkhuizen --from 2026-01-01 --to 2026-01-31 --status completed --json >"$W/list.json" || bad "list --json"
python3 - "$W/stats.json" "$W/list.json" <<'PY' && ok "table totals match the day list" || bad "table totals do not match"
import json, sys, collections
s = json.load(open(sys.argv[1]))["locations"][0]
rows = json.load(open(sys.argv[2]))
assert s["location"] == "vinkhuizen", s
assert s["completed"] == len(rows), (s["completed"], len(rows))
assert sum(s["routes"].values()) == len(rows)
assert sum(s["kik_status"].values()) == len(rows)
assert collections.Counter(r["route"] for r in rows) == collections.Counter({k: v for k, v in s["routes"].items() if v})
sig = collections.Counter(x for r in rows for x in r["signals"])
assert sig == collections.Counter(s["signals"]), (sig, s["signals"])
assert len(rows) > 50
PY
check "all locations" 0 S --user anna stats
has "per location" "Kansen in Kaart: selwerd"
has "and a total" "Kansen in Kaart: alle locaties"
check "a bad date is refused" 3 S --user anna stats --from 2026-02-30
check "agreement" 0 S --user anna agreement
cat "$W/out"
has "matrix header" "advice \\ decision"
S --user anna agreement --json >"$W/agree.json"
d=$(sqlite3 "$DB" "SELECT count(*) FROM decisions")
python3 - "$W/agree.json" "$d" <<'PY' && ok "agreement counts every decision once" || bad "agreement counts"
import json, sys
a = json.load(open(sys.argv[1]))
assert a["decided"] == int(sys.argv[2]) and a["decided"] > 0, a
assert a["agreed"] == sum(a["matrix"][r][r] for r in a["routes"])
assert 0 < a["agreed"] < a["decided"]
PY
finish
