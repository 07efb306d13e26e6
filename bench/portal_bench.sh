#!/usr/bin/env bash
# Portal throughput with wrk at 100 (and 10) connections against wijkloket-server on PostgreSQL: a
# question page (GET) and an answer post, and the same question page saved as a static file served
# by nginx as the physical reference; CPU time per request of the server and of nginx.
# WL_BENCH_CONNS="100 10" and WL_BENCH_SECONDS=10 change the runs.
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
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  portal_server_stop 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
port() { python3 -c "import sys; sys.path.insert(0, '$root/tests/portal'); import portal_client; print(portal_client.free_port())"; }

# wijkloket-server on a private PostgreSQL cluster, the portal at /, as deployed. Rate limiting
# off for the measurement (one client address makes every request here).
. "$root/tests/portal/server_env.sh"
# WL_BENCH_SERVE_ARGS adds serve options (e.g. "--threads 2").
rc=0; portal_server_start "$build" "$root" "$tmp" --portal-rate 10000000 --max-connections 1024 ${WL_BENCH_SERVE_ARGS:-} || rc=$?
if [ "$rc" -eq 77 ]; then echo "portal_bench: skipped (PostgreSQL is not installed)"; exit 0; fi
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
pids+=("$PORTAL_PID")
pp=${PORTAL_URL##*:}
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

ticks() { # utime+stime of processes (all their threads), in clock ticks
  local t=0 p
  for p in $1; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
hz=$(getconf CLK_TCK)
run() { # name, connections, pid whose CPU is counted, wrk args...
  local name=$1 conns=$2 pid=$3; shift 3
  local t0 t1 out rps p50 p99 reqs
  t0=$(ticks "$pid")
  out=$(wrk -t2 -c"$conns" -d"${dur}s" --latency "$@")
  t1=$(ticks "$pid")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  printf "%-20s c=%-4s %10s req/s   p50 %8s   p99 %8s   CPU %s us/request\n" "$name" "$conns" "$rps" "$p50" "$p99" \
    "$(awk -v d=$((t1 - t0)) -v n="$reqs" -v hz="$hz" 'BEGIN { printf "%.1f", n ? d * 1e6 / hz / n : 0 }')"
  echo "$rps" > "$tmp/$name.$conns.rps"
}
echo "wrk -t2 -d${dur}s --latency, question page $bytes bytes, on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
ngpid=$(pgrep -P "$(cat "$tmp/nginx/nginx.pid")" | tr '\n' ' ') # the workers: they serve
for c in ${WL_BENCH_CONNS:-100 10}; do
  run portal_question "$c" "$PORTAL_PID" -H "Cookie: wl_sessie=$sid" "http://127.0.0.1:$pp/vraag/naam"
  run portal_answer_post "$c" "$PORTAL_PID" -s "$tmp/post.lua" "http://127.0.0.1:$pp/vraag/naam"
  run nginx_static "$c" "$ngpid" "http://127.0.0.1:$np/vraag/naam"
done
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
import glob
for f in sorted(glob.glob(t + "/portal_question.*.rps")):
    c = f.split(".")[-2]
    q = float(open(f).read())
    n = float(open(t + "/nginx_static.%s.rps" % c).read())
    print("c=%s: portal question page / nginx static: %.2f (goal >= 0.5)" % (c, q / n if n else 0))
PY
