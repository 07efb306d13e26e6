#!/usr/bin/env python3
"""Portal security checks: CSRF, session expiry, resume codes that reveal nothing, drafts unreadable
without the code, and hostile requests (bad encodings, huge bodies, wrong methods) that get a clear
page while the server keeps serving.

usage: security_test.py BUILD_DIR SOURCE_DIR WORK_DIR"""
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_client import Client, Server, fresh_work_with_keys  # noqa: E402

BUILD, ROOT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PORTAL = os.path.join(BUILD, "server/portal/wijkloket-portal")
STAFF = os.path.join(BUILD, "staff/wijkloket-staff")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def csrf(page):
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    return m.group(1) if m else ""


def error_text(page):
    m = re.search(r'<p id="e-code" class="[^"]*">([^<]*)</p>', page.text)
    return m.group(1) if m else None


def begin(c):
    r = c.get("/")
    r, loc = c.post("/start", [("csrf", csrf(r)), ("toestemming", "ja")])
    return r, loc


def test_csrf(port):
    a = Client(port)
    r = a.get("/")
    token = csrf(r)
    e, _ = a.post("/start", [("toestemming", "ja")], follow=False)
    check(e.status == 403 and "Dit formulier is verlopen" in e.text, "form without CSRF token refused (got %d)" % e.status)
    e, _ = a.post("/start", [("csrf", "0" * 64), ("toestemming", "ja")], follow=False)
    check(e.status == 403, "form with a wrong CSRF token refused")
    b = Client(port)
    b.get("/")
    e, _ = b.post("/start", [("csrf", token), ("toestemming", "ja")], follow=False)
    check(e.status == 403, "another session's CSRF token refused")
    # Nothing changed for a: the start page is still there, the first question not reachable.
    q = a.get("/vraag/naam")
    check(q.status == 303 and q.header("location") == "/", "refused form changed nothing")
    ok, loc = a.post("/start", [("csrf", token), ("toestemming", "ja")])
    check(loc == "/vraag/naam", "the right token works")


def test_expiry(port):
    c = Client(port)
    r, loc = begin(c)
    check(loc == "/vraag/naam", "short-session server starts a journey")
    time.sleep(2.5)
    e = c.get("/vraag/naam")
    check(e.status == 200 and "Uw sessie is verlopen" in e.text, "expired session shows the expiry page")
    p, _ = c.post("/vraag/naam", [("csrf", csrf(r)), ("actie", "volgende"), ("a", "Jan")], follow=False)
    check("Uw sessie is verlopen" in p.text, "a form of an expired session shows the expiry page")


def test_extend(port):
    """On a server with 6-second sessions: Meer tijd at 4 s keeps the session alive at 8 s."""
    c2 = Client(port)
    r, _ = begin(c2)
    check("Meer tijd" in r.text and "/verlengen" in r.text, "session warning with Meer tijd")
    time.sleep(4)
    ext, eloc = c2.post("/verlengen", [("csrf", csrf(r)), ("terug", "/vraag/naam")])
    check(eloc == "/vraag/naam" and ext.status == 200, "Meer tijd keeps the session")
    time.sleep(4)
    again = c2.get("/vraag/naam")
    check("Uw sessie is verlopen" not in again.text, "extended session still alive")


def test_resume(port, db):
    c = Client(port)
    r, loc = begin(c)
    r, loc = c.post("/vraag/naam", [("csrf", csrf(r)), ("actie", "volgende"), ("a", "Ria Hoekstra")])
    r, loc = c.post("/vraag/geboortedatum", [("csrf", csrf(r)), ("actie", "volgende"), ("dag", "14"), ("maand", "2"),
                                               ("jaar", "1979")])
    s = c.get("/bewaren")
    saved, _ = c.post("/bewaren", [("csrf", csrf(s))])
    m = re.search(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", saved.text)
    check(saved.status == 200 and m, "saving shows a resume code")
    if not m:
        return
    code = m.group(1)
    # The draft in the database: ciphertext only, under an id that is not the code.
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, data, expires_at FROM portal_drafts").fetchall()
    con.close()
    check(len(rows) == 1, "one draft stored (got %d)" % len(rows))
    did, data, exp = rows[0]
    check(code.replace("-", "") not in did and code not in did, "draft id is not the code")
    check(data[:4] == b"WLD1" and b"Ria" not in data and b"naam" not in data and b"1979" not in data,
          "draft bytes readable without the code")
    check(exp > time.time() + 86400, "draft has an expiry")
    # Wrong codes: a random one, the right one with one symbol changed, garbage. Same answer each time.
    other = "ABCD-EFGH-JKMN-PQRS" if code != "ABCD-EFGH-JKMN-PQRS" else "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    flip = code[:-1] + ("0" if code[-1] != "0" else "1")
    texts = set()
    statuses = set()
    for wrong in (other, flip, "hallo", ""):
        d = Client(port)
        f = d.get("/hervatten")
        e, _ = d.post("/hervatten", [("csrf", csrf(f)), ("code", wrong)], follow=False)
        statuses.add(e.status)
        texts.add(error_text(e))
        check("Ria" not in e.text, "a wrong code shows nothing of the draft")
    check(statuses == {400} and len(texts) == 1 and None not in texts,
          "wrong codes must all get the same refusal (got %s %s)" % (statuses, texts))
    # The right code, typed sloppily, brings the answers back.
    d = Client(port)
    f = d.get("/hervatten")
    ok, loc = d.post("/hervatten", [("csrf", csrf(f)), ("code", code.lower().replace("-", " "))])
    check(loc == "/vraag/bsn", "resume continues where the citizen was, got %s" % loc)
    back = d.get("/vraag/naam")
    check('value="Ria Hoekstra"' in back.text, "resumed answers are back")


def test_resume_rate_limit(port):
    d = Client(port)
    f = d.get("/hervatten")
    last = None
    for _ in range(11):
        last, _ = d.post("/hervatten", [("csrf", csrf(f)), ("code", "AAAA-AAAA-AAAA-AAAA")], follow=False)
    check(last.status == 429, "resume attempts are limited per address (got %d)" % last.status)


def test_hostile(port):
    c = Client(port)
    r, loc = begin(c)
    tok = csrf(r)
    bad = c.request("POST", "/vraag/naam", ("csrf=%s&actie=volgende&a=%%ff%%fe" % tok).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"}, raw=True)
    check(bad.status == 400 and "kunnen wij niet lezen" in bad.text, "invalid UTF-8 gets a clear 400 page")
    bad = c.request("POST", "/vraag/naam", ("csrf=%s&a=%%zz" % tok).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"}, raw=True)
    check(bad.status == 400, "broken percent escape gets 400")
    bad = c.request("POST", "/vraag/naam", ("csrf=%s&a=\x01" % tok).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"}, raw=True)
    check(bad.status == 400, "control characters get 400")
    big = c.request("POST", "/vraag/naam", b"a=" + b"x" * 200000, {"Content-Type": "application/x-www-form-urlencoded"},
                    raw=True)
    check(big.status == 413 and "te groot" in big.text, "huge body gets 413 (got %d)" % big.status)
    wrong = c.request("POST", "/vraag/naam", b'{"a": "x"}', {"Content-Type": "application/json"}, raw=True)
    check(wrong.status == 400, "JSON body gets 400")
    many = c.request("POST", "/vraag/naam", ("csrf=%s&" % tok + "&".join("f%d=1" % i for i in range(200))).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"}, raw=True)
    check(many.status == 413, "too many fields gets 413 (got %d)" % many.status)
    put = c.request("PUT", "/vraag/naam", b"x", {"Content-Type": "text/plain"}, raw=True)
    check(put.status == 405, "PUT gets 405")
    nf = c.get("/../../etc/passwd")
    check(nf.status in (400, 404), "odd path gets 404")
    nq = c.get("/vraag/bestaat_niet")
    check(nq.status == 404, "unknown question gets 404")
    wt, _ = c.post("/vraag/naam", [("csrf", tok), ("actie", "volgende"), ("a", ["x"] * 3)], follow=False)
    long, _ = c.post("/vraag/naam", [("csrf", tok), ("actie", "volgende"), ("a", "x" * 5000)], follow=False)
    check(long.status == 400, "over-long answer gets an inline error (got %d)" % long.status)
    num, _ = c.post("/vraag/naam", [("csrf", tok), ("actie", "volgende"), ("a", "Jan")])
    # Wrong types: a date in a number field, an unknown option.
    for qid, fields in (("werk_ervaring", [("a", "bestaat_niet")]),):
        e, _ = c.post("/vraag/" + qid, [("csrf", tok), ("actie", "volgende")] + fields, follow=False)
        check(e.status in (303, 400), "unknown option handled (got %d)" % e.status)
    forged = Client(port)
    forged.cookies["wl_sessie"] = "g" * 64
    fp = forged.get("/vraag/naam")
    check(fp.status == 200 and "Uw sessie is verlopen" in fp.text, "a forged cookie is no session")
    # A "return here" field cannot send anyone elsewhere or break a header.
    for evil in ("https://evil.example/", "//evil.example", "/ok\r\nSet-Cookie: x=1", "/a:b"):
        red, _ = c.post("/verlengen", [("csrf", tok), ("terug", evil)], follow=False)
        check(red.status == 303 and red.header("location") == "/", "return path %r not followed" % evil)
    alive = Client(port).get("/")
    check(alive.status == 200, "server still serving after hostile input")
    check(alive.header("cache-control") == "no-store", "no-store on pages")
    css = Client(port).get("/static/portal.css")
    check(css.status == 200 and b"--utrecht" in css.body, "NL Design System CSS served from here")


def main():
    keys, _ = fresh_work_with_keys(WORK, STAFF)
    pk = os.path.join(keys, "public.key")
    db = os.path.join(WORK, "portal.db")
    srv = Server(PORTAL, ROOT, db, pk)
    try:
        test_csrf(srv.port)
        test_resume(srv.port, db)
        test_hostile(srv.port)
        test_resume_rate_limit(srv.port)
    finally:
        check(srv.stop() == 0, "portal did not stop cleanly")
    short = Server(PORTAL, ROOT, os.path.join(WORK, "short.db"), pk, "--session-seconds", "2")
    try:
        test_expiry(short.port)
    finally:
        check(short.stop() == 0, "short-session portal did not stop cleanly")
    six = Server(PORTAL, ROOT, os.path.join(WORK, "six.db"), pk, "--session-seconds", "6")
    try:
        test_extend(six.port)
    finally:
        check(six.stop() == 0, "six-second portal did not stop cleanly")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("portal security: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
