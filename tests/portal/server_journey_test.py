#!/usr/bin/env python3
"""The portal as wijkloket-server serves it at /: a fresh PostgreSQL cluster, the server started
with a test staff key pair, the same journey through the HTML forms as journey_test.py (consent,
every question type, validation errors, summary, submit, booking); the hold on a chosen time
(hold_test.py: the race for the last seat, release, expiry); then `wijkloket-staff --db
postgresql://... list` shows the intake with channel portal, `show REF` (secret key) matches the
answers, and the database holds no answer in clear.

usage: server_journey_test.py BUILD_DIR SOURCE_DIR WORK_DIR   (exit 77: no PostgreSQL)"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BUILD, ROOT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import journey_test as jt  # noqa: E402  (the journey itself; reads the same argv)
import hold_test  # noqa: E402
from portal_client import free_port, fresh_work_with_keys  # noqa: E402

SERVER = os.path.join(BUILD, "server/wijkloket-server")
STAFF = os.path.join(BUILD, "staff/wijkloket-staff")
PG = os.path.join(ROOT, "scripts/pg-local")
check = jt.check
HOLD = 10  # seconds: the shortest hold the server allows


def staff(db, *args, user="anna"):
    """wijkloket-staff on the central database as a signed-in staff member (records and counts
    are read with PIN and audit entry, as on a kiosk's file); the first call makes the user."""
    key = os.path.join(WORK, "central-install.key")
    env = dict(os.environ, WL_PIN="4821", WL_NEW_PIN="4821")
    base = [STAFF, "--db", db, "--central-key", key]
    if not getattr(staff, "made", False):
        made = subprocess.run(base + ["user", "add", user, "--role", "admin"], capture_output=True, text=True, env=env)
        check(made.returncode == 0, "first staff user on the central database: " + made.stderr)
        staff.made = True
    return subprocess.run(base + ["--user", user] + list(args), capture_output=True, text=True, env=env)


def wait_up(port, proc, log):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("wijkloket-server exited:\n" + open(log).read())
            time.sleep(0.05)
    raise RuntimeError("wijkloket-server did not start")


def main():
    keys, pp = fresh_work_with_keys(WORK, STAFF)
    # The server's origin key and the public half staff pin, in the test's own folder.
    os.environ["WL_ORIGIN_KEY"] = os.path.join(WORK, "server-origin.key")
    os.environ["WL_SERVER_KEY"] = os.path.join(WORK, "server-origin.pub")
    case = json.load(open(os.path.join(ROOT, "tests/cases/routing/schulden_gezondheid_wonen.json")))
    answers = dict(case["answers"])
    answers.update({"bsn": "111222333", "telefoon": "0612345678"})
    # The cluster lives under /tmp: as root it runs as nobody, who cannot enter a 0700 home.
    pgdir = tempfile.mkdtemp(prefix="wl-portal-pg.")
    os.chmod(pgdir, 0o755)
    srv = None
    try:
        r = subprocess.run([PG, "start", pgdir], capture_output=True, text=True)
        if r.returncode == 3:
            print("SKIP: PostgreSQL server binaries are not installed")
            return 77
        if r.returncode != 0:
            print("could not start PostgreSQL:", r.stderr)
            return 1
        db = r.stdout.strip()
        port = free_port()
        log = os.path.join(WORK, "server.log")
        # Short holds so the test can watch one run out; a rate limit above the three journeys.
        srv = subprocess.Popen([SERVER, "serve", "--db", db, "--port", str(port), "--threads", "4",
                                "--hold-seconds", str(HOLD), "--portal-rate", "3000",
                                "--public-key", os.path.join(keys, "public.key"),
                                "--locale", os.path.join(ROOT, "locale"),
                                "--web", os.path.join(ROOT, "server/portal/web")],
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
        wait_up(port, srv, log)
        jt.run(port, answers)
        hold_test.run(port, dict(answers), db, ROOT, HOLD)
        jt.minima(port)
        # The kiosk API still answers beside the portal.
        c = jt.Client(port)
        h = c.get("/health")
        check(h.status == 200 and b'"ok"' in h.body, "/health beside the portal: %d" % h.status)
        a = c.get("/api/v1/slots")
        check(a.status == 401, "/api/ still needs a kiosk signature, got %d" % a.status)
        srv.send_signal(signal.SIGTERM)
        check(srv.wait(20) == 0, "server did not stop cleanly")
        verify(db, keys, pp, answers)
        counts = staff(db, "minima-counts", "2000-01-01", "2100-01-01")
        rows = json.loads(counts.stdout or "[]") if counts.returncode == 0 else []
        check(rows and all(r["location"] == "online" and r["status"] in ("eligible", "maybe") and r["count"] == 1
                           and set(r) == {"date", "location", "scheme", "status", "count"} for r in rows)
              and any("leergeld" in r["scheme"] for r in rows),
              "staff minima-counts on PostgreSQL shows the portal's check, anonymously: %s %s"
              % (counts.stdout[:300], counts.stderr[:300]))
        forwarded_for(db, keys)
    finally:
        if srv and srv.poll() is None:
            srv.kill()
            srv.wait()
        subprocess.run([PG, "stop", pgdir])
        shutil.rmtree(pgdir, ignore_errors=True)
    if jt.failures:
        print("%d failure(s)" % len(jt.failures))
        return 1
    print("portal on wijkloket-server: ok")
    return 0


def forwarded_for(db, keys):
    """The portal's rate limit (3 a minute here) counts X-Forwarded-For's last entry only when
    the request comes from a --trusted-proxy address; otherwise the peer, whatever the header."""
    def serve(*extra):
        port = free_port()
        log = os.path.join(WORK, "server-xff.log")
        p = subprocess.Popen([SERVER, "serve", "--db", db, "--port", str(port), "--portal-rate", "3",
                              "--public-key", os.path.join(keys, "public.key"), "--locale", os.path.join(ROOT, "locale"),
                              "--web", os.path.join(ROOT, "server/portal/web")] + list(extra),
                             stdout=open(log, "w"), stderr=subprocess.STDOUT)
        wait_up(port, p, log)
        return p, port

    def status(port, xff):
        return jt.Client(port).request("GET", "/", headers={"X-Forwarded-For": xff}).status

    for extra, trusted in ((["--trusted-proxy", "127.0.0.1"], True), ([], False),
                           (["--trusted-proxy", "192.0.2.1"], False)):
        if time.time() % 60 > 55:  # the limit counts per clock minute: stay inside one
            time.sleep(61 - time.time() % 60)
        p, port = serve(*extra)
        try:
            first = [status(port, "198.51.100.1, 203.0.113.1") for _ in range(3)]
            fourth = status(port, "203.0.113.1")
            other = status(port, "203.0.113.2")
            what = "with --trusted-proxy %s" % extra[1] if extra else "without --trusted-proxy"
            check(first == [200] * 3 and fourth == 429, "%s: the 4th request from one client is refused: %r %d"
                  % (what, first, fourth))
            if trusted:
                check(other == 200, "%s: another forwarded client has its own count, got %d" % (what, other))
            else:
                check(other == 429, "%s: X-Forwarded-For is ignored (same peer, same count), got %d" % (what, other))
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(20)


def verify(db, keys, pp, answers):
    ref = getattr(jt.main, "ref", None)
    if not check(ref, "no reference to verify"):
        return
    lst = staff(db, "list", "--json")
    check(lst.returncode == 0, "staff list failed: " + lst.stderr)
    rows = [x for x in json.loads(lst.stdout or "[]") if x.get("ref") == ref]
    check(len(rows) == 1 and rows[0].get("channel") == "portal" and rows[0].get("kiosk") is None
          and rows[0].get("location") == "online", "staff list --json row of %s: %r" % (ref, rows))
    txt = staff(db, "list")
    line = [ln for ln in txt.stdout.splitlines() if ln.startswith(ref)]
    check(line and " portal " in line[0], "staff list shows %s with channel portal: %r" % (ref, line))
    out = staff(db, "show", ref, "--keys", keys, "--passphrase-file", pp)
    check(out.returncode == 0, "staff show failed: " + out.stderr)
    if out.returncode != 0:
        return
    rec = json.loads(out.stdout)
    check(rec.get("format") == "wijkloket-sealed-intake/1", "record format %r" % rec.get("format"))
    check(rec.get("channel") == "portal", "channel is %r" % rec.get("channel"))
    stored = dict(rec.get("answers") or {})
    stored.update(rec.get("personal") or {})
    for k, v in answers.items():
        check(stored.get(k) == v, "stored %s = %r, answered %r" % (k, stored.get(k), v))
    extra = set(stored) - set(answers)
    check(not extra, "stored answers nobody gave: %s" % sorted(extra))
    check(isinstance(rec.get("detail"), dict) and rec["detail"].get("route") == rec.get("route"),
          "the sealed detail holds the full result")
    # Without the secret key the database shows no answer: the stored bytes are sealed.
    raw = subprocess.run(["psql", db, "-Atc", "SELECT encode(record, 'escape') FROM intakes WHERE ref = '%s'" % ref],
                         capture_output=True, text=True)
    check(raw.returncode == 0 and ref in raw.stdout, "psql reads the stored record: " + raw.stderr)
    check("Ria Hoekstra" not in raw.stdout and "111222333" not in raw.stdout and '"encoding":"sealed"' in raw.stdout,
          "the stored record holds personal data in clear")


if __name__ == "__main__":
    sys.exit(main())
