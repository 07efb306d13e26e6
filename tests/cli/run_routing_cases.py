#!/usr/bin/env python3
"""Runs every routing case (tests/cases/routing/*.json) through `wijkloket-staff classify`
and compares the printed result with the case's "expect" block. Prints one line per case and
a closing 'N passed, N failed' line; exits non-zero when any case fails."""
import glob
import json
import os
import subprocess
import sys


def fail_reasons(expect, result):
    reasons = []
    signals = {s["id"] if isinstance(s, dict) else s for s in result.get("signals", [])}
    part = result.get("participatie") or {}
    actual = {
        "route": result.get("route"),
        "regie": result.get("regie"),
        "form": part.get("form"),
        "kik_status": result.get("kik_status"),
        "band": (result.get("domains") or {}).get("band"),
        "urgent": result.get("urgent"),
    }
    for key, value in expect.items():
        if key == "signals":
            missing = [s for s in value if s not in signals]
            if missing:
                reasons.append(f"signals {sorted(signals)} lack {missing}")
        elif key == "signals_absent":
            present = [s for s in value if s in signals]
            if present:
                reasons.append(f"signals should not contain {present}")
        elif key == "domains":
            problems = set((result.get("domains") or {}).get("problems", []))
            missing = [d for d in value if d not in problems]
            if missing:
                reasons.append(f"domains {sorted(problems)} lack {missing}")
        elif key == "domains_absent":
            problems = set((result.get("domains") or {}).get("problems", []))
            present = [d for d in value if d in problems]
            if present:
                reasons.append(f"domains should not contain {present}")
        elif key == "gesprek":
            nodig = (result.get("gesprek") or {}).get("nodig")
            if nodig != value:
                reasons.append(f"gesprek.nodig is {nodig!r}, expected {value!r}")
        elif key in ("gesprek_rules", "reasons"):
            got = result.get("gesprek", {}).get("redenen", []) if key == "gesprek_rules" else result.get("reasons", [])
            ids = [e.get("rule") for e in got]
            missing = [r for r in value if r not in ids]
            if missing:
                reasons.append(f"{key} {ids} lack {missing}")
        elif key == "domains_count":
            count = (result.get("domains") or {}).get("count", 0)
            if count != value:
                reasons.append(f"domains.count is {count}, expected {value}")
        elif key == "domains_min":
            count = (result.get("domains") or {}).get("count", 0)
            if count < value:
                reasons.append(f"domains.count {count} < {value}")
        elif key in actual:
            if actual[key] != value:
                reasons.append(f"{key} is {actual[key]!r}, expected {value!r}")
        else:
            reasons.append(f"unknown expectation key {key!r}")
    return reasons


def main():
    staff, cases_dir = sys.argv[1], sys.argv[2]
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(cases_dir, "*.json"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
        run = subprocess.run([staff, "classify", path], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {name}: classify exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        reasons = fail_reasons(case.get("expect", {}), json.loads(run.stdout))
        if reasons:
            print(f"FAIL {name}: " + "; ".join(reasons))
            failed += 1
        else:
            print(f"ok   {name}")
            passed += 1
    if passed + failed == 0:
        print("no routing cases found in " + cases_dir)
        failed = 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
