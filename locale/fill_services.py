#!/usr/bin/env python3
"""Writes the translated service texts (naam, omschrijving, meenemen) into assets/services.json.

The slip and the appointments screen read a service's texts per language from services.json
({"nl": ..., "en": ..., "ar": ...}). This takes each Dutch text's translation from
locale/translations/<lang>.json (the same tables as the .po files) and sets the language's key;
a Dutch text without a translation is left alone (the slip then shows the Dutch text).
usage: python3 locale/fill_services.py [LANG ...]   (default: every table)
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "assets", "services.json")


def main():
    tdir = os.path.join(ROOT, "locale", "translations")
    langs = sys.argv[1:] or sorted(f[:-5] for f in os.listdir(tdir) if f.endswith(".json"))
    tables = {lang: json.load(open(os.path.join(tdir, lang + ".json"), encoding="utf-8")) for lang in langs}
    # Text-level edit, so the file keeps its layout and a merge stays small: after each
    # localized object's last line ("en": ...), this language's key is set or added.
    lines = open(PATH, encoding="utf-8").read().split("\n")
    out, nl, missing = [], None, set()
    key = re.compile(r'^(\s*)"([a-z]{2,3})": (".*")(,?)$')
    def end_object(indent):
        adds = []
        for lang in langs:
            t = tables[lang].get(nl)
            t = t.get("text") if isinstance(t, dict) else t
            if t:
                adds.append(f'{indent}"{lang}": {json.dumps(t, ensure_ascii=False)}')
            else:
                missing.add((lang, nl))
        if adds:
            out[-1] = out[-1].rstrip(",") + ","
            out.extend(a + "," for a in adds[:-1])
            out.append(adds[-1])

    for line in lines:
        m = key.match(line)
        if m and m.group(2) == "nl":
            nl = json.loads(m.group(3))
        last = bool(m) and nl is not None and m.group(4) == ""
        if m and m.group(2) in tables:
            if last:  # this language's old line closed the object: close it after the rest
                out[-1] = out[-1].rstrip(",")
                end_object(m.group(1))
                nl = None
            continue
        out.append(line)
        if last:
            end_object(m.group(1))
            nl = None
    open(PATH, "w", encoding="utf-8").write("\n".join(out))
    json.load(open(PATH, encoding="utf-8"))  # still valid JSON
    for lang, nl in sorted(missing):
        print(f"{lang}: no translation for \"{nl}\"")


main()
