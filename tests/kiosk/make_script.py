#!/usr/bin/env python3
"""Writes the kiosk taps for one answers file (tests/cases/routing/*.json) as script lines.

Developer tool for writing replays: `tests/kiosk/make_script.py ANSWERS.json > part.script`.
Each question gets an `expect` of its text before the taps, so a replay fails loudly when the
questionnaire changes under it. Optional questions absent from the answers are skipped with
Volgende; questions with a `relevant` rule that are absent are assumed not shown.
"""
import json
import sys

ROOT = __file__.rsplit("/tests/kiosk/", 1)[0]


def q_lines(q, answers):
    out = []
    qid = q["id"]
    if qid not in answers:
        if "relevant" in q:
            return out
        out.append(f'expect "{q["text"]}"')
        out.append('tap "Volgende"')
        return out
    a = answers[qid]
    out.append(f'expect "{q["text"]}"')
    t = q["type"]
    opts = {o["value"]: o["text"] for o in q.get("options", [])}
    if t == "single":
        out.append(f'tap "{opts[a]}"')
    elif t == "multiple":
        for v in a:
            out.append(f'tap "{opts[v]}"')
    elif t == "yesno":
        out.append('tap "Ja"' if a else 'tap "Nee"')
    elif t == "number":
        out.append(f'type "{a}"')
    elif t == "date":
        y, m, d = a.split("-")
        out.append(f'type "{d}{m}{y}"')
    else:
        out.append(f'type "{a}"')
    out.append('tap "Volgende"')
    return out


def main():
    data = json.load(open(sys.argv[1]))
    answers = data.get("answers", data)
    qn = json.load(open(f"{ROOT}/assets/questionnaires/entreevragenlijst.json"))
    for s in qn["sections"]:
        for q in s["questions"]:
            for line in q_lines(q, answers):
                print(line)


main()
