#!/usr/bin/env python3
"""Layering test: checks the include graph against the architecture (docs/architecture.md).

Rules:
 1. Front ends (kiosk/, staff/, server/) include only core's public headers (wijkloket/*.h):
    never sqlite3.h or libpq-fe.h, never a header from core/src.
 2. Core never includes SDL, libmicrohttpd or curl: it knows no screen and no network.
 3. A core folder's private header (<folder>/*_internal.h) is included only inside that folder.
 4. Core folders form layers; a folder includes headers (public or core-internal) only from its
    own layer or below: base < intake < routing < store < privacy < casework < minima
    < appointments < slip < central < journey.
 5. Every core source file lives in a subsystem folder.
 6. Source lists are explicit (no file(GLOB) in any CMake file), so every source, unit test,
    test fragment and replay script must be named in its CMake list, or it would silently not
    be built or run.

To see it fail, add a forbidden include and run it from the repository root:
    echo '#include <sqlite3.h>' >> staff/main.c && tests/layering/check.py    # rule 1
    echo '#include "minima/minima_internal.h"' >> core/src/slip/printer.c       # rule 3
    echo '#include "wijkloket/journey.h"' >> core/src/base/i18n.c               # rule 4
    touch kiosk/screen_new.c                                                    # rule 6
then `git checkout` the file again.
usage: check.py [REPO_ROOT]
"""
import os
import re
import sys

LAYERS = ["base", "intake", "routing", "store", "privacy", "casework", "minima",
          "appointments", "slip", "central", "journey"]
# Which folder owns each public header (core/include/wijkloket/<name>.h).
OWNER = {
    "common": "base", "dates": "base", "jsonfile": "base", "refcode": "base", "i18n": "base",
    "message": "base", "msg": "base", "env": "base", "paths": "base", "newfile": "base", "keyfile": "base",
    "questionnaire": "intake", "pictograms": "intake", "logic": "intake", "intake": "intake",
    "classify": "routing",
    "store": "store",
    "seal": "privacy", "origin": "privacy", "audit": "privacy", "auth": "privacy", "retention": "privacy", "harden": "privacy",
    "casework": "casework", "figures": "casework",
    "minima": "minima", "wizard": "minima", "minima_wizard": "minima",
    "appointments": "appointments", "booking": "appointments",
    "slip": "slip", "printer": "slip",
    "central": "central", "outbox": "store",
    "journey": "journey",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
failed = False


def bad(msg):
    global failed
    failed = True
    print("layering: " + msg, file=sys.stderr)


def sources(top):
    for d, _, files in os.walk(top):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(d, f)


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1), m.group(2)


os.chdir(sys.argv[1] if len(sys.argv) > 1 else ".")
core_dirs = tuple(d + "/" for d in LAYERS)

for front in ("kiosk", "staff", "server"):
    for f in sources(front):
        for n, _, inc in includes(f):
            if inc in ("sqlite3.h", "libpq-fe.h"):
                bad(f"rule 1: {f}:{n}: {inc} (front ends reach storage only through core)")
            elif inc.endswith("_internal.h") or inc.startswith(core_dirs):
                bad(f"rule 1: {f}:{n}: {inc} (front ends use core/include/wijkloket/*.h only)")

for f in sources("core"):
    for n, _, inc in includes(f):
        if re.match(r"(SDL|microhttpd|curl/)", inc):
            bad(f"rule 2: {f}:{n}: {inc} (core has no SDL and no HTTP)")

for f in sources("core/src"):
    parts = f.split(os.sep)
    if len(parts) == 3:
        bad(f"rule 5: {f} is not in a subsystem folder")
        continue
    folder = parts[2]
    if folder not in LAYERS:
        bad(f"rule 4: {f} is in folder '{folder}', which is not a known layer")
        continue
    for n, kind, inc in includes(f):
        if kind != '"':
            continue
        if inc.startswith("wijkloket/"):
            of = OWNER.get(os.path.basename(inc)[:-2])
            if of is None:
                bad(f"rule 4: {f}:{n}: {inc} has no owning folder in this test's table")
                continue
        elif "/" in inc:
            of = inc.split("/")[0]
            if inc.endswith("_internal.h") and of != folder:
                bad(f"rule 3: {f}:{n}: {inc} (another folder's private header)")
                continue
        else:
            of = folder
        if of in LAYERS and LAYERS.index(of) > LAYERS.index(folder):
            bad(f"rule 4: {f}:{n}: {inc} ({folder} may not depend on {of}, a higher layer)")

def cmake_words(*paths):
    words = set()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        if re.search(r"file\s*\(\s*GLOB", text):
            bad(f"rule 6: {p} uses file(GLOB); list the files")
        words.update(re.findall(r"[\w./-]+", re.sub(r"#[^\n]*", "", text)))
    return words


def listed(folder, pattern, cmake, stem=False, skip=()):
    words = cmake_words(*cmake)
    for f in sorted(os.listdir(folder)):
        if not re.fullmatch(pattern, f) or f in skip:
            continue
        name = os.path.splitext(f)[0] if stem else f
        if name not in words and not any(w.endswith("/" + f) for w in words):
            bad(f"rule 6: {os.path.join(folder, f)} is not listed in {' or '.join(cmake)}")


cmakes = [os.path.join(d, f) for d, _, fs in os.walk(".") for f in fs
          if (f == "CMakeLists.txt" or f.endswith(".cmake")) and not d.startswith(("./build", "./.git"))]
cmake_words(*cmakes)
listed("kiosk", r".*\.c", ["kiosk/CMakeLists.txt"])
listed("staff", r".*\.c", ["staff/CMakeLists.txt"])
listed("bench", r"bench_.*\.c", ["bench/CMakeLists.txt"], stem=True)
listed("tests/unit", r"test_.*\.c", ["tests/CMakeLists.txt"], stem=True)
listed("tests", r".*\.cmake", ["tests/CMakeLists.txt"], stem=True)
listed("tests/kiosk", r".*\.script", ["tests/kiosk.cmake"], stem=True)
core_words = cmake_words("core/CMakeLists.txt")
for f in sources("core/src"):
    rel = os.path.relpath(f, "core")
    if f.endswith(".c") and rel not in core_words:
        bad(f"rule 6: {f} is not listed in core/CMakeLists.txt")

if not failed:
    print("layering: ok")
sys.exit(1 if failed else 0)
