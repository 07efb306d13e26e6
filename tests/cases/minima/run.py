#!/usr/bin/env python3
"""Runs every minima case file (household in, expected statuses out) through `wijkloket-staff minima`.

usage: run.py WIJKLOKET_STAFF ASSETS_DIR [CASE.json ...]   (default: every *.json next to this file)
A case is {"description", "date", "household", "expect": {scheme: status},
           "expect_reasons": {scheme: [substring, ...]}} or, for bad input,
          {"description", "date", "household", "expect_error": substring of the error message}.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

STATUSES = {"eligible", "maybe", "not_eligible", "not_offered"}


def run_case(staff, assets, path):
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    problems = []
    for key in ("description", "date", "household"):
        if key not in case:
            return [f"case file lacks '{key}'"]
    if "expect" not in case and "expect_error" not in case:
        return ["case file needs 'expect' or 'expect_error'"]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
        json.dump(case["household"], tmp, ensure_ascii=False)
        hpath = tmp.name
    try:
        proc = subprocess.run([staff, "minima", hpath, "--date", case["date"], "--assets", assets],
                              capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(hpath)
    if "expect_error" in case:
        if proc.returncode != 3:
            problems.append(f"expected exit code 3 (bad input), got {proc.returncode}")
        if case["expect_error"] not in proc.stderr:
            problems.append(f"error message lacks {case['expect_error']!r}: {proc.stderr.strip()!r}")
        if proc.stdout.strip():
            problems.append("printed a result for bad input")
        return problems
    if proc.returncode != 0:
        return [f"exit code {proc.returncode}: {proc.stderr.strip()}"]
    out = json.loads(proc.stdout)
    schemes = {s["id"]: s for s in out["schemes"]}
    for s in out["schemes"]:
        if s["status"] not in STATUSES:
            problems.append(f"{s['id']}: unknown status {s['status']!r}")
        if not s["reasons"]:
            problems.append(f"{s['id']}: no reasons given")
    for sid, want in case["expect"].items():
        if want not in STATUSES:
            problems.append(f"{sid}: expected status {want!r} is not a status")
        elif sid not in schemes:
            problems.append(f"{sid}: scheme missing from output")
        elif schemes[sid]["status"] != want:
            problems.append(f"{sid}: expected {want}, got {schemes[sid]['status']}: "
                            + " | ".join(schemes[sid]["reasons"]))
    for sid, subs in case.get("expect_reasons", {}).items():
        text = " ".join(schemes.get(sid, {}).get("reasons", []))
        for sub in subs:
            if sub not in text:
                problems.append(f"{sid}: reasons lack {sub!r}: {text}")
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    staff, assets = sys.argv[1], sys.argv[2]
    files = sys.argv[3:] or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.json")))
    if not files:
        print("no case files found", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        problems = run_case(staff, assets, path)
        name = os.path.basename(path)
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for p in problems:
                print(f"     {p}")
        else:
            print(f"ok   {name}")
    print(f"{len(files) - failed}/{len(files)} minima cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
