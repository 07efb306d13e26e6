#!/usr/bin/env bash
# Portal throughput with wrk at 100 connections: a question page (GET) and an answer post, and the
# same question page saved as a static file served by nginx as the physical reference.
# usage: bench/portal_bench.sh BUILD_DIR   (scripts/run-bench passes build-release)
set -euo pipefail
build=${1:-build-release}
root="$(cd "$(dirname "$0")/.." && pwd)"
for t in wrk nginx curl; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "portal_bench: $t missing (scripts/install-deps.sh --test)"; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
dur=${WL_BENCH_SECONDS:-10}
tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx workers (www-data) read the static copy
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
port() { python3 -c "import sys; sys.path.insert(0, '$root/tests/portal'); import portal_client; print(portal_client.free_port())"; }

WL_PASSPHRASE=bench-passphrase-1 "$build/staff/wijkloket-staff" keygen --out "$tmp/keys" --kdf interactive >/dev/null
pp=$(port)
# Rate limiting off for the measurement (one client address makes every request here).
"$build/server/portal/wijkloket-portal" --port "$pp" --db "$tmp/p.db" --public-key "$tmp/keys/public.key" \
  --assets "$root/assets" --locale "$root/locale" --web "$root/server/portal/web" \
  --rate-per-minute 1000000000 --threads 2 >"$tmp/portal.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$pp/static/portal.css" && break; sleep 0.05; done

# One session with consent given, on the first question.
jar="$tmp/jar"
start=$(curl -s -c "$jar" "http://127.0.0.1:$pp/")
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$start" | head -1 | sed 's/.*value="\(.*\)"/\1/')
curl -s -b "$jar" -o /dev/null -d "csrf=$csrf&toestemming=ja" "http://127.0.0.1:$pp/start"
sid=$(awk '$6 == "wl_sessie" {print $7}' "$jar")
curl -s -b "$jar" "http://127.0.0.1:$pp/vraag/naam" > "$tmp/naam.html"
bytes=$(wc -c < "$tmp/naam.html")

np=$(port)
mkdir -p "$tmp/www/vraag" "$tmp/nginx"
cp "$tmp/naam.html" "$tmp/www/vraag/naam"
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
  uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  default_type text/html;
  server { listen 127.0.0.1:$np; root $tmp/www; }
}
CONF
"$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g "daemon off;" &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$np/vraag/naam" && break; sleep 0.05; done

cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$csrf&actie=volgende&a=Ria+Hoekstra"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "wl_sessie=$sid"
LUA

run() { # name, wrk args...
  local name=$1; shift
  local out; out=$(wrk -t2 -c100 -d"${dur}s" --latency "$@")
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf "%-34s %12s req/s   p99 %8s   %s\n" "$name" "$rps" "$p99" "${non2xx:+($non2xx non-2xx: redirects)}"
  echo "$rps" > "$tmp/$name.rps"
}
echo "wrk -t2 -c100 -d${dur}s, question page $bytes bytes, on $(nproc) cores"
run portal_question -H "Cookie: wl_sessie=$sid" "http://127.0.0.1:$pp/vraag/naam"
run portal_answer_post -s "$tmp/post.lua" "http://127.0.0.1:$pp/vraag/naam"
run nginx_static "http://127.0.0.1:$np/vraag/naam"
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
q = float(open(t + "/portal_question.rps").read())
n = float(open(t + "/nginx_static.rps").read())
print("portal question page / nginx static: %.2f (goal >= 0.5)" % (q / n if n else 0))
PY
