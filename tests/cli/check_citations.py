#!/usr/bin/env python3
"""Every rule in the routing rules cites a section that exists in the named seed, or says it is
an own choice ("eigen_keuze", with why). Usage: check_citations.py RULES.json SEEDS_DIR.
Prints one line per bad citation and a closing count; exits non-zero when any is bad."""
import json
import os
import re
import sys

NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
BIJLAGE = re.compile(r"^(Bijlage \d+)\s*$")


def headings(path):
    """Section names of one seed: numbers ('§2.2', '§6') of numbered headings outside the table
    of contents, 'Bijlage N', and short stand-alone heading lines (seeds without numbering)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    found = set()
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or "...." in line or "\t" in raw:  # the table of contents has dots or tabs
            continue
        m = NUMBERED.match(line)
        if m and len(line) < 90 and not line.endswith((".", ",", ";")):
            found.add("§" + m.group(1))
        m = BIJLAGE.match(line)
        if m:
            found.add(m.group(1))
        plain = line.strip("#*_ ").strip()
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if alone and plain and len(plain) <= 60 and not plain.endswith((".", ",", ":", ";")):
            found.add(plain)
    return found


def sources(node, where="rules"):
    """Yields (where, source) for every "source" object in the rules document."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{node.get('id', key)}" if key == "source" else f"{where}/{key}"
            if key == "source" and isinstance(value, dict):
                yield here.rsplit("/", 1)[0], value
            else:
                yield from sources(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from sources(item, f"{where}[{item.get('id', i) if isinstance(item, dict) else i}]")


def main():
    rules_path, seeds_dir = sys.argv[1], sys.argv[2]
    rules = json.load(open(rules_path, encoding="utf-8"))
    cache, bad, n = {}, 0, 0
    for where, src in sources(rules):
        n += 1
        if "eigen_keuze" in src:
            if not str(src["eigen_keuze"]).strip():
                print(f"BAD  {where}: eigen_keuze must say why")
                bad += 1
            continue
        seed, section = src.get("seed"), src.get("section")
        path = os.path.join(seeds_dir, seed or "")
        if not seed or not os.path.isfile(path):
            print(f"BAD  {where}: seed file {seed!r} not found in {seeds_dir}")
            bad += 1
            continue
        if seed not in cache:
            cache[seed] = headings(path)
        if section not in cache[seed]:
            print(f"BAD  {where}: {seed} has no section {section!r}")
            bad += 1
    if n < 50:
        print(f"only {n} sources found in {rules_path}: is this the rules file?")
        bad += 1
    print(f"{n - bad} of {n} citations ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
