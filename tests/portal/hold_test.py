"""The short hold on a chosen time, against wijkloket-server on PostgreSQL (run by
server_journey_test.py while its server runs with --hold-seconds HOLD): two citizens race for the
last seat of a slot (one holds it, the other gets the clear "just taken" page with fresh times
that no longer offer it); "Andere tijd kiezen" frees the seat at once; a hold that runs out frees
the seat for someone else, and the first citizen's late confirmation then gets the fresh times."""
import html
import json
import os
import re
import subprocess
import threading
import time

import journey_test as jt

check = jt.check


def psql(db, sql):
    r = subprocess.run(["psql", db, "-Atc", sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("psql: " + r.stderr)
    return r.stdout.strip()


def offered_times(page):
    return re.findall(r'name="tijd" id="f-tijd[-0-9]*" value="([^"]+)"', page.text)


def to_times(port, answers):
    """A citizen at the times page of the first offered service: (client, page, service, location)."""
    c, r = jt.to_result(port, answers)
    b = c.get("/afspraak")
    choice = re.search(r'name="keuze" id="f-dienst" value="([^"]+)"', b.text)
    value = html.unescape(choice.group(1))
    t, tl = c.post("/afspraak", [("csrf", jt.page_csrf(b)), ("keuze", value)])
    if tl != "/afspraak/tijd":
        raise RuntimeError("service choice went to %s" % tl)
    svc, loc = value.split("|")
    return c, t, svc, loc


def run(port, answers, db, root, hold_seconds):
    a, ta, svc, loc = to_times(port, answers)
    b, tb, _, _ = to_times(port, answers)
    times = offered_times(ta)
    if not check(len(times) >= 2, "the times page offers at least two times: %r" % times[:3]):
        return
    start = times[0]
    cap = [s for s in json.load(open(os.path.join(root, "assets/services.json")))["diensten"] if s["id"] == svc][0]
    cap = int(cap["capaciteit"])
    # Kiosks booked every seat but one (written as the booking statements leave it).
    psql(db, "INSERT INTO slot_usage (service, location, start, capacity, used) VALUES ('%s', '%s', '%s', %d, %d) "
             "ON CONFLICT (service, location, start) DO UPDATE SET used = excluded.used" % (svc, loc, start, cap, cap - 1))

    # The race: both choose the last seat at the same moment.
    results = {}

    def choose(name, c, page):
        results[name] = c.post("/afspraak/tijd", [("csrf", jt.page_csrf(page)), ("tijd", start)])
    threads = [threading.Thread(target=choose, args=("a", a, ta)), threading.Thread(target=choose, args=("b", b, tb))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [n for n, (_, loc_) in results.items() if loc_ == "/afspraak/bevestigen"]
    if not check(len(won) == 1, "exactly one citizen holds the last seat: %r" %
                 {n: (r.status, l) for n, (r, l) in results.items()}):
        return
    w, wc = won[0], (a if won[0] == "a" else b)
    lc = b if w == "a" else a
    confirm = results[w][0]
    lost = results["b" if w == "a" else "a"][0]
    check("Bevestig uw afspraak" in confirm.text and "voor u vast tot" in confirm.text,
          "the holder sees the confirmation with the hold's end time")
    check(lost.status == 409 and "net door iemand anders gekozen" in lost.text and
          'class="utrecht-alert utrecht-alert--error' in lost.text, "the other gets the clear 'just taken' page")
    check(start not in offered_times(lost) and offered_times(lost), "its fresh times no longer offer the held seat")
    check(psql(db, "SELECT count(*) FROM holds WHERE start = '%s'" % start) == "1", "one hold row for the seat")

    # "Andere tijd kiezen" gives the seat back at once.
    t2, l2 = wc.post("/afspraak/vrijgeven", [("csrf", jt.page_csrf(confirm))])
    check(l2 == "/afspraak/tijd" and start in offered_times(t2), "Andere tijd kiezen frees the held seat")
    check(psql(db, "SELECT count(*) FROM holds WHERE start = '%s'" % start) == "0", "released hold is gone")
    check(start in offered_times(lc.get("/afspraak/tijd")), "the other citizen sees the freed seat again")

    # Held again; it runs out unconfirmed and the seat goes to the other citizen.
    confirm, l3 = wc.post("/afspraak/tijd", [("csrf", jt.page_csrf(t2)), ("tijd", start)])
    check(l3 == "/afspraak/bevestigen", "the seat can be held again")
    check(start not in offered_times(lc.get("/afspraak/tijd")), "a held seat is not offered to others")
    time.sleep(hold_seconds + 1.5)
    tl = lc.get("/afspraak/tijd")
    check(start in offered_times(tl), "an expired hold frees the seat for others")
    v, vl = lc.post("/afspraak/tijd", [("csrf", jt.page_csrf(tl)), ("tijd", start)])
    s, sl = lc.post("/afspraak/bevestigen", [("csrf", jt.page_csrf(v))])
    check(vl == "/afspraak/bevestigen" and sl == "/afspraak/bon", "the other citizen books the freed seat")
    late, ll = wc.post("/afspraak/bevestigen", [("csrf", jt.page_csrf(confirm))])
    check(late.status == 409 and "net door iemand anders gekozen" in late.text and start not in offered_times(late)
          and offered_times(late), "a late confirmation of a lost seat gets the fresh times")
    used = psql(db, "SELECT used FROM slot_usage WHERE service = '%s' AND location = '%s' AND start = '%s'"
                % (svc, loc, start))
    booked = psql(db, "SELECT count(*) FROM appointments WHERE start = '%s' AND status = 'booked'" % start)
    check(used == str(cap) and booked == "1", "the slot is exactly full: used %s of %d, %s portal booking(s)"
          % (used, cap, booked))
    print("hold: race, release and expiry checked (slot %s, capacity %d)" % (start, cap))
