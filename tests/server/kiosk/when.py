#!/usr/bin/env python3
"""Picks the kiosk's virtual clock for tests/server/kiosk_booking.sh: 08:00 on a Monday two or
more weeks ahead (the server's real clock must find its slots in the future), skipping days
the assets close (all locations, and the services the test books). Prints three lines: the
epoch, the Monday's day words and the Tuesday's, as the kiosk's day buttons show them."""
import datetime
import json
import os
import sys
import time

assets = sys.argv[1]
closed = set()
for name, key in (("locations.json", None), ("services.json", None)):
    with open(os.path.join(assets, name), encoding="utf-8") as f:
        d = json.load(f)
    closed |= {c["datum"] for c in d.get("gesloten_dagen", [])}
    for item in d.get("locaties", []) + d.get("diensten", []):
        closed |= {c["datum"] for c in item.get("gesloten_dagen", [])}
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]
day = datetime.date.today() + datetime.timedelta(days=14)
day += datetime.timedelta(days=(7 - day.weekday()) % 7)
while day.isoformat() in closed or (day + datetime.timedelta(days=1)).isoformat() in closed:
    day += datetime.timedelta(days=7)
epoch = int(time.mktime(datetime.datetime(day.year, day.month, day.day, 8, 0).timetuple()))
words = lambda d: f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"
print(epoch)
print(words(day))
print(words(day + datetime.timedelta(days=1)))
