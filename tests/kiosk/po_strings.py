#!/usr/bin/env python3
"""Prints every translated string of the given .po files as "lang<TAB>text" (newlines as \\n), and the msgids once as "nl"."""
import os
import sys


def entries(path):
    """(msgid, msgstr) pairs of a .po file; enough of the format for our catalogues."""
    out, cur, field = [], {}, None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if line.startswith("msgid "):
            if "msgstr" in cur:
                out.append(cur)
            cur, field = {"msgid": ""}, "msgid"
            line = line[6:]
        elif line.startswith("msgstr "):
            cur["msgstr"], field = "", "msgstr"
            line = line[7:]
        elif not line.startswith('"'):
            continue
        if field and line.startswith('"'):
            cur[field] = cur.get(field, "") + line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    if "msgstr" in cur:
        out.append(cur)
    return [(e["msgid"], e["msgstr"]) for e in out if e["msgid"]]


def main():
    seen = set()
    for path in sys.argv[1:]:
        lang = os.path.basename(path).split(".")[0]
        for mid, mstr in entries(path):
            if mid not in seen:
                seen.add(mid)
                print("nl\t" + mid.replace("\n", "\\n"))
            if mstr and lang != "wijkloket":
                print(lang + "\t" + mstr.replace("\n", "\\n"))


main()
