#!/usr/bin/env python3
"""Portal journey through the HTML forms with a cookie jar: consent, every question type, validation
errors, Terug, the summary with Wijzigen, submit, result and proof, a booking with slip page, PDF
and QR; then the stored record opened with the staff key must match the answers, channel portal.

usage: journey_test.py BUILD_DIR SOURCE_DIR WORK_DIR"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_client import Client, Server, fresh_work_with_keys, parse  # noqa: E402

BUILD, ROOT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PORTAL = os.path.join(BUILD, "server/portal/wijkloket-portal")
STAFF = os.path.join(BUILD, "staff/wijkloket-staff")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def fields_for(page, qid, value, answers=None):
    """The form fields that answer qid with value, based on the inputs the page offers. A page
    of several yes/no questions has a field a-<id> for each: those answers come from answers."""
    p = parse(page.text)
    form = [f for f in p.forms if f["action"] == "/vraag/" + qid][0]
    names = {f.get("name") for f in form["fields"]}
    out = [("csrf", page_csrf(page)), ("actie", "volgende")]
    group = sorted(n[2:] for n in names if n and n.startswith("a-"))
    if group:
        for gid in group:
            if isinstance((answers or {}).get(gid), bool):
                out.append(("a-" + gid, "ja" if answers[gid] else "nee"))
        return out
    if "dag" in names:
        y, m, d = value.split("-")
        out += [("dag", str(int(d))), ("maand", str(int(m))), ("jaar", y)]
    elif isinstance(value, bool):
        out.append(("a", "ja" if value else "nee"))
    elif isinstance(value, list):
        out += [("a", v) for v in value]
    elif value is None:
        pass
    else:
        out.append(("a", str(value)))
    return out


def page_csrf(page):
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    return m.group(1) if m else ""


def labels_ok(page, where):
    """Every visible field has a <label for>; every radio/checkbox group sits in a fieldset."""
    p = parse(page.text)
    for f in p.forms:
        for fld in f["fields"]:
            if fld["tag"] == "input" and fld.get("type") not in ("hidden", "submit"):
                check(fld.get("id") in p.labels, "%s: input %s without <label for>" % (where, fld.get("name")))
    if 'type="radio"' in page.text or 'type="checkbox"' in page.text:
        check("<fieldset" in page.text and "<legend" in page.text, where + ": choices without fieldset/legend")


def main():
    keys, pp = fresh_work_with_keys(WORK, STAFF)
    db = os.path.join(WORK, "portal.db")
    case = json.load(open(os.path.join(ROOT, "tests/cases/routing/schulden_gezondheid_wonen.json")))
    answers = dict(case["answers"])
    answers.update({"bsn": "111222333", "telefoon": "0612345678"})
    srv = Server(PORTAL, ROOT, db, os.path.join(keys, "public.key"))
    try:
        run(srv.port, answers)
    finally:
        rc = srv.stop()
        check(rc == 0, "portal did not stop cleanly (rc %s)" % rc)
    srv2 = Server(PORTAL, ROOT, db, os.path.join(keys, "public.key"))
    try:
        minima(srv2.port)
    finally:
        srv2.stop()
    verify_record(db, keys, pp, answers)
    counts = subprocess.run([STAFF, "--db", db, "--user", "anna", "minima-counts", "2000-01-01", "2100-01-01"],
                            capture_output=True, text=True, env=dict(os.environ, WL_PIN="4821"))
    check(counts.returncode == 0 and "online" in counts.stdout and "leergeld" in counts.stdout.lower(),
          "minima check counted anonymously under location online: " + counts.stdout[:300] + counts.stderr[:300])
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("portal journey: ok")
    return 0


def to_result(port, answers):
    """A fresh session straight through consent and every question to the result (no checks on
    the way): for tests that need several citizens at the booking pages."""
    c = Client(port)
    r = c.get("/")
    r, path = c.post("/start", [("csrf", page_csrf(r)), ("toestemming", "ja")])
    for _ in range(120):
        if path == "/overzicht":
            break
        qid = path.split("/")[-1]
        r, path = c.post(path, fields_for(r, qid, answers.get(qid), answers))
        if path is None:
            raise RuntimeError(qid + ": answer not accepted")
    r, loc = c.post("/versturen", [("csrf", page_csrf(r))])
    if loc != "/uitslag":
        raise RuntimeError("submit went to %s" % loc)
    return c, r


def run(port, answers):
    c = Client(port)
    r = c.get("/")
    check(r.status == 200, "start page status %d" % r.status)
    sc = r.header("set-cookie") or ""
    check("HttpOnly" in sc and "SameSite=Strict" in sc, "session cookie flags: " + sc)
    check(r.header("cache-control") == "no-store", "start page is cacheable")
    check("script-src" not in (r.header("content-security-policy") or "x") and
          "default-src 'none'" in (r.header("content-security-policy") or ""), "strict CSP missing")
    check('<html lang="nl" dir="ltr">' in r.text, "lang/dir attributes")
    labels_ok(r, "start")
    # Consent is required.
    r, _ = c.post("/start", [("csrf", page_csrf(r))])
    check(r.status == 400 and 'href="#toestemming"' in r.text, "start without consent must show the error summary")
    r, loc = c.post("/start", [("csrf", page_csrf(r)), ("toestemming", "ja")])
    check(loc == "/vraag/naam", "consent leads to the first question, got %s" % loc)
    seen_types = set()
    injected = {
        "geboortedatum": [("dag", "31"), ("maand", "2"), ("jaar", "1979")],
        "bsn": [("a", "123456789")],
        "uren_werk": [("a", "veel")],
        "werk_ervaring": [],
        "beperkingen": [],
    }
    did_back = False
    saw_group = False
    path = loc
    for _ in range(120):
        if path == "/overzicht":
            break
        qid = path.split("/")[-1]
        check(r.status == 200, "%s: status %d" % (qid, r.status))
        labels_ok(r, qid)
        check("Deel " in r.text, qid + ": no section progress")
        if 'type="checkbox"' in r.text:
            seen_types.add("multiple")
        elif 'value="ja"' in r.text and 'value="nee"' in r.text:
            seen_types.add("yesno")
        elif 'type="radio"' in r.text:
            seen_types.add("single")
        elif 'name="dag"' in r.text:
            seen_types.add("date")
        elif 'inputmode="decimal"' in r.text:
            seen_types.add("number")
        else:
            seen_types.add("text")
        if qid in ("bsn", "telefoon", "email"):
            check("(niet verplicht)" in r.text, qid + ": optional field not marked (niet verplicht)")
        if qid in injected:
            bad = [("csrf", page_csrf(r)), ("actie", "volgende")] + injected.pop(qid)
            e, _ = c.post(path, bad, follow=False)
            check(e.status == 400, "%s: a bad answer must give 400, got %d" % (qid, e.status))
            check('class="utrecht-alert utrecht-alert--error' in e.text and 'href="#f-%s"' % qid in e.text,
                  qid + ": error summary with a link to the field")
            check("<title>Fout:" in e.text, qid + ": title does not say there is an error")
            r = e
        if qid == "opleiding" and not did_back:
            did_back = True
            b, bl = c.post(path, [("csrf", page_csrf(r)), ("actie", "terug")])
            check(bl == "/vraag/werk_ervaring", "Terug from opleiding went to %s" % bl)
            r, path = c.post(bl, fields_for(b, "werk_ervaring", answers["werk_ervaring"]))
            continue
        if 'name="a-' in r.text and not saw_group:
            # Several yes/no questions on one page: one left open is named, with a link to it,
            # and nothing of the page is saved.
            saw_group = True
            check(r.text.count("<fieldset") >= 2 and r.text.count("<h2 class=\"utrecht-heading-2 wl-question\">") >= 2,
                  qid + ": a group page has a fieldset with its own legend per question")
            e, _ = c.post(path, [("csrf", page_csrf(r)), ("actie", "volgende")], follow=False)
            check(e.status == 400 and "Kies bij elke vraag Ja of Nee. Dan kunt u verder." in e.text
                  and 'href="#f-%s"' % qid in e.text, qid + ": an open question on a group page is named")
            r = e
        value = answers.get(qid)
        r, path = c.post(path, fields_for(r, qid, value, answers))
        check(path is not None, qid + ": answer was not accepted: " + re.sub(r"\s+", " ", r.text)[:300])
        if path is None:
            return
    check(path == "/overzicht", "did not reach the summary")
    check(saw_group, "no page with several yes/no questions was seen")
    check(seen_types >= {"single", "multiple", "yesno", "number", "date", "text"},
          "question types seen: %s" % sorted(seen_types))
    check(not injected, "validation errors not exercised for %s" % list(injected))
    check("Ria Hoekstra" in r.text and "14 februari 1979" in r.text, "summary shows the answers")
    # Change one answer from the summary.
    check('href="/vraag/telefoon?van=overzicht"' in r.text, "summary has Wijzigen links")
    q = c.get("/vraag/telefoon?van=overzicht")
    check("0612345678" in q.text, "Wijzigen shows the current answer")
    r, loc = c.post("/vraag/telefoon", [("csrf", page_csrf(q)), ("actie", "volgende"), ("a", "0612345679")])
    check(loc == "/overzicht" and "0612345679" in r.text, "changed answer back on the summary")
    answers["telefoon"] = "0612345679"
    r, loc = c.post("/versturen", [("csrf", page_csrf(r))])
    check(loc == "/uitslag", "submit leads to the result, got %s" % loc)
    m = re.search(r'wl-refbox__code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])<', r.text)
    check(m is not None, "result shows a reference code")
    ref = m.group(1) if m else ""
    check("Waarom dit advies?" in r.text and "Wat gebeurt er nu?" in r.text, "result shows advice and reasons")
    # WCAG 3.3.7: the minima check from the result has the age from the birth date filled in.
    check('href="/minima"' in r.text, "result links to Regelingen checken")
    import datetime
    t = datetime.date.today()
    age = t.year - 1979 - ((t.month, t.day) < (2, 14))
    mp = c.get("/minima")
    m2 = re.search(r'name="leeftijd"[^>]*value="([^"]*)"', mp.text)
    check(m2 is not None and m2.group(1) == str(age) and "Dit weten we uit uw antwoorden." in mp.text,
          "minima check after the questionnaire has the age %d filled in, got %s" % (age, m2.group(1) if m2 else None))
    proof = c.get("/bewijs")
    check(proof.status == 200 and ref in proof.text and "Verstuurd op" in proof.text, "proof page")
    # Replays after submit change nothing and never crash.
    rp, rl = c.post("/vraag/naam", [("csrf", page_csrf(r)), ("actie", "volgende"), ("a", "Iemand Anders")])
    check(rl == "/uitslag", "replayed answer after submit goes to the result, got %s" % rl)
    rp, rl = c.post("/versturen", [("csrf", page_csrf(r))])
    check(rl == "/uitslag" and ref in rp.text, "second submit shows the same result")
    # Booking.
    b = c.get("/afspraak")
    check(b.status == 200, "booking page")
    labels_ok(b, "afspraak")
    choice = re.search(r'name="keuze" id="f-dienst" value="([^"]+)"', b.text)
    check(choice is not None, "booking offers a service")
    if not choice:
        return
    import html as h
    t, tl = c.post("/afspraak", [("csrf", page_csrf(b)), ("keuze", h.unescape(choice.group(1)))])
    check(tl == "/afspraak/tijd", "service choice leads to times")
    labels_ok(t, "afspraak/tijd")
    slot = re.search(r'name="tijd" id="f-tijd" value="([^"]+)"', t.text)
    check(slot is not None, "times page offers a slot")
    if not slot:
        return
    v, vl = c.post("/afspraak/tijd", [("csrf", page_csrf(t)), ("tijd", slot.group(1))])
    check(vl == "/afspraak/bevestigen" and "Bevestig uw afspraak" in v.text, "a chosen time asks for confirmation")
    s, sl = c.post("/afspraak/bevestigen", [("csrf", page_csrf(v))])
    check(sl == "/afspraak/bon" and "Uw afspraak" in s.text, "confirming leads to the slip")
    pdf = c.get("/afspraak/bon.pdf")
    check(pdf.status == 200 and pdf.body.startswith(b"%PDF"), "slip PDF")
    png = c.get("/afspraak/bon.png")
    check(png.status == 200 and png.body.startswith(b"\x89PNG"), "slip QR PNG")
    main.ref = ref


def minima(port):
    """The minima check: household page with an error, children, the schemes with reasons."""
    c = Client(port)
    h = c.get("/minima")
    check(h.status == 200, "minima page")
    check(re.search(r'name="leeftijd"[^>]*value=""', h.text) is not None and "Dit weten we uit" not in h.text,
          "minima check without a questionnaire fills in nothing")
    labels_ok(h, "minima")
    form = [("csrf", page_csrf(h)), ("partner", "alleen"), ("leeftijd", "17"), ("kinderen", "1"), ("inkomen", "1400"),
            ("spaargeld", ""), ("jaren", "4"), ("ziek", "nee"), ("student", "nee")]
    e, _ = c.post("/minima", form, follow=False)
    check(e.status == 400 and 'href="#leeftijd"' in e.text, "minima: age under 18 refused with an error summary")
    form[2] = ("leeftijd", "35")
    k, kl = c.post("/minima", form)
    check(kl == "/minima/kinderen", "minima: children page next, got %s" % kl)
    labels_ok(k, "minima/kinderen")
    res, rl = c.post("/minima/kinderen", [("csrf", page_csrf(k)), ("kind1", "8"), ("school1", "primary")])
    check(rl == "/minima/uitslag", "minima: result next")
    check("Stichting Leergeld" in res.text and "U hebt een kind van 8 jaar." in res.text,
          "minima: schemes with their reasons")
    check("Waarschijnlijk niet" in res.text and "Individuele inkomenstoeslag" in res.text,
          "minima: schemes that do not fit are listed with why")


def verify_record(db, keys, pp, answers):
    ref = getattr(main, "ref", None)
    if not check(ref, "no reference to verify"):
        return
    env = dict(os.environ, WL_NEW_PIN="4821", WL_PIN="4821")
    subprocess.run([STAFF, "--db", db, "--user", "admin", "user", "add", "anna", "--role", "staff"], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run([STAFF, "--db", db, "--user", "anna", "show", ref, "--keys", keys, "--passphrase-file", pp,
                          "--json"], capture_output=True, text=True, env=env)
    check(out.returncode == 0, "staff show failed: " + out.stderr)
    if out.returncode != 0:
        return
    rec = json.loads(out.stdout)
    check(rec.get("channel") == "portal", "channel is %r" % rec.get("channel"))
    stored = dict(rec.get("answers") or {})
    stored.update(rec.get("personal") or {})
    for k, v in answers.items():
        check(stored.get(k) == v, "stored %s = %r, answered %r" % (k, stored.get(k), v))
    extra = set(stored) - set(answers)
    check(not extra, "stored answers nobody gave: %s" % sorted(extra))
    # The clear columns of the file hold no answer.
    raw = open(db, "rb").read()
    check(b"Ria Hoekstra" not in raw and b"111222333" not in raw, "personal data in clear in the database file")


if __name__ == "__main__":
    sys.exit(main())
