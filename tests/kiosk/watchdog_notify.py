#!/usr/bin/env python3
"""The kiosk under a systemd watchdog: READY=1 after the first frame, then WATCHDOG=1 from the
event loop at least every half WatchdogSec (here 0.4 s, so every 0.2 s) while nothing happens.
A fake $NOTIFY_SOCKET (a datagram socket in a temp folder) plays systemd.
usage: watchdog_notify.py KIOSK KEYGEN_STAFF"""
import os
import socket
import subprocess
import sys
import tempfile
import time

kiosk, staff = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory(prefix="wl-wd-") as t:
    env = dict(os.environ, WL_PASSPHRASE="watchdog-test-passphrase-1")
    subprocess.run([staff, "keygen", "--out", t + "/keys"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = t + "/notify.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.05)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000", SDL_VIDEODRIVER="dummy")
    t0 = time.monotonic()
    p = subprocess.Popen([kiosk, "--public-key", t + "/keys/public.key", "--db", t + "/k.db"],
                         env=env, stderr=subprocess.PIPE, text=True)
    msgs = []
    ready_at = None
    # Listen until 2 s after READY=1 (or 30 s without it), then stop the kiosk as systemd does.
    while p.poll() is None:
        now = time.monotonic() - t0
        if now > 30 or (ready_at is not None and now > ready_at + 2):
            break
        try:
            m = s.recv(4096).decode()
            msgs.append((time.monotonic() - t0, m))
            if m.startswith("READY=1") and ready_at is None:
                ready_at = msgs[-1][0]
        except socket.timeout:
            pass
    if p.poll() is not None:
        sys.exit("FAIL: the kiosk stopped by itself (exit %d): %s" % (p.returncode, p.stderr.read()))
    p.terminate()
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    ready = [at for at, m in msgs if m.startswith("READY=1")]
    kicks = [at for at, m in msgs if m == "WATCHDOG=1"]
    if not ready:
        sys.exit("FAIL: no READY=1 (got %r)" % msgs)
    after = [k for k in kicks if k >= ready[0]]
    gaps = [b - a for a, b in zip(after, after[1:])]
    # 2 s of an idle kiosk with a 0.4 s watchdog: a keep-alive at least every 0.4 s.
    if len(after) < 5 or max(gaps) > 0.4:
        sys.exit("FAIL: %d keep-alives, largest gap %.2f s: %r" % (len(after), max(gaps or [0]), msgs))
    print("ok: READY=1 at %.2f s, %d WATCHDOG=1 in the idle loop, largest gap %.2f s"
          % (ready[0], len(after), max(gaps)))
