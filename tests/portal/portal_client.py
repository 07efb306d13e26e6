"""A small stdlib HTTP client for the portal tests: cookie jar, no automatic redirects, form parsing."""
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse



def fresh_work_with_keys(work, staff):
    """Empties work and makes a staff key pair in work/keys (passphrase in work/pass); returns
    (keys folder, passphrase file)."""
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    keys = os.path.join(work, "keys")
    pp = os.path.join(work, "pass")
    with open(pp, "w") as f:
        f.write("portal-test-passphrase\n")
    subprocess.run([staff, "keygen", "--out", keys, "--kdf", "interactive", "--passphrase-file", pp], check=True,
                   stdout=subprocess.DEVNULL)
    return keys, pp


def free_port(lo=18200, hi=18299):
    """A free TCP port in the range this project may use (WL_PORT_RANGE=LO-HI overrides it)."""
    if os.environ.get("WL_PORT_RANGE"):
        lo, hi = map(int, os.environ["WL_PORT_RANGE"].split("-"))
    start = lo + (os.getpid() % (hi - lo + 1))
    for k in range(hi - lo + 1):
        p = lo + (start - lo + k) % (hi - lo + 1)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
            return p
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port in %d-%d" % (lo, hi))


class Server:
    """Starts wijkloket-portal on a free port and stops it."""

    def __init__(self, binary, root, db, public_key, *extra):
        self.port = free_port()
        self.log = open(db + ".log", "w")
        args = [binary, "--port", str(self.port), "--db", db, "--public-key", public_key,
                "--assets", os.path.join(root, "assets"), "--locale", os.path.join(root, "locale"),
                "--web", os.path.join(root, "server/portal/web")] + list(extra)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("wijkloket-portal exited: see " + db + ".log")
                time.sleep(0.05)
        raise RuntimeError("wijkloket-portal did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class FormParser(html.parser.HTMLParser):
    """Every form on a page: action, method and fields (hidden values, radios, checkboxes)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.cur = None
        self.labels = {}
        self.ids = set()
        self.label_for = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "form":
            self.cur = {"action": a.get("action"), "method": a.get("method", "get"), "fields": []}
            self.forms.append(self.cur)
        elif tag in ("input", "button", "textarea", "select") and self.cur is not None:
            self.cur["fields"].append(a | {"tag": tag})
        elif tag == "label":
            self.label_for = a.get("for")
            if self.label_for:
                self.labels[self.label_for] = ""

    def handle_data(self, data):
        if self.label_for:
            self.labels[self.label_for] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.cur = None
        elif tag == "label":
            self.label_for = None


def parse(text):
    p = FormParser()
    p.feed(text)
    return p


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, raw=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if body is not None and not raw:
            body = urllib.parse.urlencode(body, doseq=True).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        c.close()
        for k, v in resp.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                val = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        return resp

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, follow=True):
        r = self.request("POST", path, fields)
        if follow and r.status == 303:
            return self.get(r.header("location")), r.header("location")
        return r, None

    def csrf(self, page):
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
        return m.group(1) if m else None
