#!/usr/bin/env python3
"""Writes the kiosk taps for one answers file (tests/cases/routing/*.json) as script lines.

Developer tool for writing replays: `tests/kiosk/make_script.py ANSWERS.json > part.script`.
`tests/kiosk/make_script.py --count ANSWERS.json ...` prints the taps of each journey instead
(each typed character is one key tap, plus Start, the menu choice, "Ja, ik doe mee",
Versturen and Klaar), shortest first (docs/kiosk.md, "Length of the journey").
Each question gets an `expect` of its text before the taps, so a replay fails loudly when the
questionnaire changes under it. Optional questions absent from the answers are skipped with
Volgende; questions with a `relevant` rule that are absent are assumed not shown.
Yes/no questions with the same "group" share one screen: an expect per question, `tap "Ja" N`
(the N-th Ja from the top) per answer, and one Volgende.
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


def group_lines(qs, answers):
    """One screen of yes/no questions: the shown ones (answered, or optional without a rule)."""
    shown = [q for q in qs if q["id"] in answers or "relevant" not in q]
    if not shown:
        return []
    out = [f'expect "{q["text"]}"' for q in shown]
    for n, q in enumerate(shown, 1):
        if q["id"] in answers:
            out.append(f'tap "{"Ja" if answers[q["id"]] else "Nee"}" {n}')
    out.append('tap "Volgende"')
    return out


def script_lines(path, qn):
    data = json.load(open(path))
    answers = data.get("answers", data)
    out = []
    for s in qn["sections"]:
        qs = s["questions"]
        i = 0
        while i < len(qs):
            g = qs[i].get("group")
            if g:
                j = i
                while j < len(qs) and qs[j].get("group") == g:
                    j += 1
                out += group_lines(qs[i:j], answers)
                i = j
            else:
                out += q_lines(qs[i], answers)
                i += 1
    return out


def taps(lines):
    n = 5  # Start, "Entreevragenlijst invullen", "Ja, ik doe mee", Versturen, Klaar
    for line in lines:
        if line.startswith("tap "):
            n += 1
        elif line.startswith("type "):
            n += len(line[6:-1])
    return n


def main():
    qn = json.load(open(f"{ROOT}/assets/questionnaires/entreevragenlijst.json"))
    if sys.argv[1] == "--count":
        rows = sorted((taps(script_lines(p, qn)), p.rsplit("/", 1)[-1][:-5]) for p in sys.argv[2:])
        for n, name in rows:
            print(n, name)
        return
    for line in script_lines(sys.argv[1], qn):
        print(line)


main()
