#!/usr/bin/env python3
"""Turns a Dutch kiosk replay script into the same journey in another language.

Every quoted text of a tap or expect that is a catalogue msgid is replaced by its translation
from locale/LANG.po (a date like "dinsdag 24 november" word by word); an expect on a text the
catalogue does not hold (a name typed, a service from services.json) is kept only when
it is not Dutch interface text. `screenshot NAME` / `compare NAME` become `compare LANG_NAME`
for the names given with --golden, and are dropped otherwise. The language is chosen on the
welcome screen first.

usage: lang_journey.py LANG SCRIPT [NAME=GOLDEN ...] > OUT.script   ("welcome" names the
welcome screen just after the language is chosen; NAME may also be the Dutch text of an expect,
to compare the screen that shows it)
"""
import json
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "locale"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ENDONYM = {"nl": "Nederlands", "en": "English", "ar": "العربية", "tr": "Türkçe", "pl": "Polski",
           "uk": "Українська", "ti": "ትግርኛ"}


def catalogue(lang):
    ns = {"__name__": "po"}
    src = open(os.path.join(ROOT, "tests", "kiosk", "po_strings.py"), encoding="utf-8").read()
    exec(src.replace("\nmain()\n", "\n"), ns)
    return {mid: mstr for mid, mstr in ns["entries"](os.path.join(ROOT, "locale", lang + ".po")) if mstr}


def main():
    lang, script = sys.argv[1], sys.argv[2]
    golden = dict(a.split("=", 1) for a in sys.argv[3:])
    tr = catalogue(lang)
    # Service names come from assets/services.json, not from the catalogue.
    services = json.load(open(os.path.join(ROOT, "assets", "services.json"), encoding="utf-8"))
    for svc in services["diensten"]:
        for field in ("naam", "naam_inwoner", "omschrijving"):
            if lang in svc.get(field, {}):
                tr.setdefault(svc[field]["nl"], svc[field][lang])

    def translate(text):
        if text in tr:
            return tr[text], True
        words = text.split(" ")
        if len(words) > 1 and any(w in tr for w in words) and all(w in tr or re.fullmatch(r"[0-9:]+", w) for w in words):
            return " ".join(tr.get(w, w) for w in words), True
        return text, False

    out = [f"# Generated from {os.path.basename(script)} by tests/kiosk/lang_journey.py for '{lang}'.",
           'expect "Welkom bij het Wijkloket"', f'tap "{ENDONYM[lang]}"', f'expect "{tr["Welkom bij het Wijkloket"]}"']
    if "welcome" in golden:
        out.append(f"compare {golden['welcome']}")
    for line in open(script, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = shlex.split(line)
        cmd = parts[0]
        if cmd in ("screenshot", "compare"):
            if parts[1] in golden and parts[1] != "welcome":
                out.append(f"compare {golden[parts[1]]}")
            continue
        if cmd in ("tap", "expect", "expect_not") and len(parts) == 2:
            text, ok = translate(parts[1])
            if cmd == "expect" and not ok and text not in ("Sanne de Vries",):
                continue  # Dutch text the catalogue does not hold: not on a translated screen
            out.append(f'{cmd} "{text}"')
            if cmd == "expect" and parts[1] in golden:
                out.append(f"compare {golden[parts[1]]}")
            continue
        if cmd in ("tap", "doubletap", "quicktap") and len(parts) == 3 and parts[2].isdigit() and not parts[1].isdigit():
            out.append(f'{cmd} "{translate(parts[1])[0]}" {parts[2]}')  # the n-th button with that text
            continue
        if cmd == "expect_record" and parts[1] == "language":
            out.append(f'expect_record language "{lang}"')
            continue
        out.append(line)
    print("\n".join(out))


main()
