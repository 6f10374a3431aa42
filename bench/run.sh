#!/usr/bin/env bash
# The benchmarks of issue 2, on this machine, printing figures as it goes:
#   1. demo generation of N persons (default 300,000; BENCH_PERSONS) with BENCH_YEARS (10) of casework
#   2. person search latency (name prefix searches, one connection: p50/p99); the daily tasking
#      list and the person page (story) latency
#   3. GET /api/v1/persons/{id} with its view audit, under wrk (req/s, p99)
#   4. person creates per second with durable commits (synchronous=FULL)
#   5. nginx serving a static file: the ceiling of an HTTP stack on this machine
# Usage: bench/run.sh [path/to/safehub]   (make bench installs wrk and nginx first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/safehub}")
persons=${BENCH_PERSONS:-300000}
duration=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
out=$here/out
mkdir -p "$out"
work=$(mktemp -d /tmp/safehub-bench-XXXXXX)
db=$work/bench.db
pw=bench-password-$(date +%s)
port=$((20000 + RANDOM % 20000))
server=""
nginx_pid=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for t in wrk curl; do command -v $t >/dev/null || { echo "bench: $t is missing (make bench installs it)" >&2; exit 1; }; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"
echo

if [ -n "${BENCH_DB:-}" ]; then
  # Reuse a database made earlier by `safehub demo` (BENCH_PASSWORD: its demo users' password).
  cp "$BENCH_DB" "$db"
  # Write the copy out now, so that its writeback does not slow the fsyncs measured below.
  sync
  pw=${BENCH_PASSWORD:?BENCH_PASSWORD is the demo password of BENCH_DB}
  persons=$(sqlite3 "$db" "SELECT count(*) FROM persons")
  echo "== 1. demo generation skipped: reusing $BENCH_DB ($persons persons)"
else
echo "== 1. demo generation: $persons persons"
start=$(date +%s.%N)
"$bin" demo --db "$db" --persons "$persons" --seed 42 --years "${BENCH_YEARS:-10}" --password "$pw" >/dev/null 2>"$work/demo.err"
end=$(date +%s.%N)
awk -v n="$persons" -v s="$start" -v e="$end" -v size="$(du -h "$db" | cut -f1)" \
  'BEGIN { printf "demo: %d persons in %.1f s (%.0f persons/s); database %s\n", n, e - s, n / (e - s), size }'
fi
sqlite3 "$db" "SELECT 'casework: ' || (SELECT count(*) FROM referrals) || ' referrals, ' || (SELECT count(*) FROM cases) || ' cases (' || (SELECT count(*) FROM cases WHERE status = 'open') || ' open), ' || (SELECT count(*) FROM assessments) || ' assessments, ' || (SELECT count(*) FROM contacts) || ' contacts, ' || (SELECT count(*) FROM clocks) || ' clocks'" 2>/dev/null || true
echo

"$bin" serve --db "$db" --listen "127.0.0.1:$port" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 1200); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port
login=$(curl -s -c "$work/cookies" -H 'content-type: application/json' \
  -d "{\"username\":\"practitioner\",\"password\":\"$pw\"}" "$url/api/v1/session")
csrf=$(echo "$login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
cookie=$(awk '$6=="safehub_session"{print "safehub_session="$7}' "$work/cookies")
[ -n "$cookie" ] && [ -n "$csrf" ] || { echo "bench: sign-in failed: $login" >&2; exit 1; }
export BENCH_COOKIE=$cookie BENCH_CSRF=$csrf BENCH_MAX_ID=$persons

echo "== 2. person search latency (1 connection, ${duration}s, random 3-letter surname prefixes)"
wrk -t1 -c1 -d"${duration}s" --latency -s "$here/search.lua" "$url" | tee "$out/search.txt" | \
  grep -E 'Requests/sec|50%|75%|90%|99%|Non-2xx' || true
echo

echo "== 2b. daily tasking list, scope=all (1 connection, ${duration}s)"
wrk -t1 -c1 -d"${duration}s" --latency -s "$here/daily.lua" "$url" | tee "$out/daily.txt" | \
  grep -E 'Requests/sec|50%|99%|Non-2xx' || true
echo

echo "== 2c. person page: GET /api/v1/persons/{id}/story (1 connection, ${duration}s)"
wrk -t1 -c1 -d"${duration}s" --latency -s "$here/story.lua" "$url" | tee "$out/story.txt" | \
  grep -E 'Requests/sec|50%|99%|Non-2xx' || true
echo

echo "== 3. GET /api/v1/persons/{id} with view audit (2 threads, $conns connections, ${duration}s)"
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$here/get.lua" "$url" | tee "$out/get.txt" | \
  grep -E 'Requests/sec|50%|75%|90%|99%|Non-2xx|Socket errors' || true
echo

echo "== 4. POST /api/v1/persons, durable commits (2 threads, 8 connections, ${duration}s)"
wrk -t2 -c8 -d"${duration}s" --latency -s "$here/create.lua" "$url/api/v1/persons" | tee "$out/create.txt" | \
  grep -E 'Requests/sec|50%|99%|Non-2xx' || true
echo

echo "== audit trail after the run"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
"$bin" audit verify --db "$db"
echo

if command -v nginx >/dev/null; then
  echo "== 5. ceiling: nginx serving a static 1 KiB file (2 threads, $conns connections, ${duration}s)"
  nport=$((port + 1))
  mkdir -p "$work/nginx/html" "$work/nginx/logs"
  head -c 1024 /dev/zero | tr '\0' 'x' > "$work/nginx/html/file.json"
  cat > "$work/nginx/nginx.conf" <<NGX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nport; root $work/nginx/html; }
}
NGX
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  sleep 0.5
  wrk -t2 -c"$conns" -d"${duration}s" --latency "http://127.0.0.1:$nport/file.json" | tee "$out/nginx.txt" | \
    grep -E 'Requests/sec|50%|99%' || true
else
  echo "== 5. nginx is not installed: skipped (make bench installs it)"
fi

# 6. The MFH dashboard against PostgreSQL 15 over the same rows (its own data; BENCH_MFH=0 skips it).
if [ "${BENCH_MFH:-1}" = 1 ]; then echo; echo "== 6. MFH dashboard (bench/mfh.sh)"; "$here/mfh.sh" "$bin"; fi
