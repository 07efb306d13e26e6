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

To see it fail, add a forbidden include and run it from the repository root:
    echo '#include <sqlite3.h>' >> staff/main.c && tests/layering/check.py    # rule 1
    echo '#include "minima/minima_internal.h"' >> core/src/slip/printer.c       # rule 3
    echo '#include "wijkloket/journey.h"' >> core/src/base/i18n.c               # rule 4
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
    "message": "base", "msg": "base", "env": "base", "paths": "base",
    "questionnaire": "intake", "logic": "intake", "intake": "intake",
    "classify": "routing",
    "store": "store",
    "seal": "privacy", "audit": "privacy", "auth": "privacy", "retention": "privacy", "harden": "privacy",
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

if not failed:
    print("layering: ok")
sys.exit(1 if failed else 0)
