#!/usr/bin/env python3
"""A TCP proxy that drops connections, for the fleet test: listen_port -> upstream_port on
127.0.0.1. Each accepted connection gets a fate: pass through, cut at once, or cut the reply
after a random number of bytes (the request may already be committed: the ack is lost).
Prints the counts on SIGTERM. Usage: cutting_proxy.py LISTEN_PORT UPSTREAM_PORT SEED"""
import random, signal, socket, sys, threading

listen_port, upstream_port, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
counts = {"passed": 0, "cut_at_once": 0, "cut_reply": 0, "upstream_down": 0}
lock = threading.Lock()


def bump(k):
    with lock:
        counts[k] += 1


def pipe(src, dst, limit, done):
    sent = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) > limit:
                dst.sendall(data[: max(0, limit - sent)])
                break
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    finally:
        done.set()


def handle(client):
    fate = rng.random()
    if fate < 0.10:
        bump("cut_at_once")
        client.close()
        return
    try:
        up = socket.create_connection(("127.0.0.1", upstream_port), timeout=5)
        up.settimeout(None)
    except OSError:
        bump("upstream_down")
        client.close()
        return
    # Most connections die somewhere in a reply (curl keeps connections alive, so a limit of a
    # few KiB cuts after a handful of answers, often half way through one).
    limit = rng.randint(0, 6000) if fate < 0.85 else None
    bump("cut_reply" if limit is not None else "passed")
    done = threading.Event()
    threading.Thread(target=pipe, args=(client, up, None, done), daemon=True).start()
    threading.Thread(target=pipe, args=(up, client, limit, done), daemon=True).start()
    done.wait()
    for s in (client, up):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def stop(*_):
    print(" ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(128)
print("proxy ready", flush=True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
