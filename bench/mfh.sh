#!/usr/bin/env bash
# The MFH dashboard benchmark of issue 4, printing figures as it goes:
#   1. the data: BENCH_PERSONS persons (default 300,000; safehub demo --years 0) and, when the
#      database has no missing episodes yet, BENCH_EPISODES episodes (default 1,000,000) over
#      BENCH_YEARS years (default 10) made with SQL (bench/mfh-gen.sql) with their gradings,
#      return home interviews, notifications and repeat-missing flags. BENCH_DB=FILE (with
#      BENCH_PASSWORD, its demo password) uses a copy of a database made earlier instead, such as
#      one from `safehub demo --years N` once the demo makes episodes.
#   2. GET /api/v1/dashboard/missing as the practitioner, p50/p99 in three ways (the statistics are
#      cached per data generation, src/mfh_cache.h, so each is told apart honestly):
#      a. misses: 12 months (month=) x 6 filter sets, each asked for once - every one computed;
#      b. misses after a write: BENCH_WRITES (default 20) rounds of POST an episode through the
#         API, then GET the dashboard (the write changed the generation: computed again);
#      c. a live dashboard: the same request every BENCH_REFRESH seconds (default 1) for
#         BENCH_SECONDS (default 10) x 3 while another client writes an episode every
#         BENCH_WRITE_EVERY seconds (default 5): mostly hits, a miss after each write;
#      d. the same request repeated under wrk, one connection, BENCH_SECONDS, no writes (hits).
#   3. the same aggregates computed by PostgreSQL 15 over the same rows (exported from SQLite,
#      loaded with COPY, the same indexes), as pgbench transactions on one connection for the same
#      time: p50/p99 (bench/mfh-pg-dashboard.sql). PostgreSQL is installed from Debian when
#      missing, and runs as the postgres user in a cluster of its own under the work folder.
#   4. a check that both computed the same statistics for the last 12 months.
# Usage: bench/mfh.sh [path/to/safehub]      (as root: it installs PostgreSQL and runs it as postgres)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/safehub}")
persons=${BENCH_PERSONS:-300000}
episodes=${BENCH_EPISODES:-1000000}
years=${BENCH_YEARS:-10}
duration=${BENCH_SECONDS:-10}
out=$here/out
mkdir -p "$out"
work=$(mktemp -d /tmp/safehub-mfh-bench-XXXXXX)
chmod 755 "$work"
db=$work/bench.db
pw=bench-password-$(date +%s)
port=$((20000 + RANDOM % 20000))
pgport=$((port + 1))
pgbin=/usr/lib/postgresql/15/bin
server=""
pg_started=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$pg_started" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for t in wrk curl sqlite3 node; do
  command -v $t >/dev/null || { echo "bench: $t is missing (make bench installs wrk)" >&2; exit 1; }
done
if [ ! -x "$pgbin/postgres" ] || [ ! -x "$pgbin/pgbench" ]; then
  echo "== installing PostgreSQL 15 from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null; }
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- 1. the data -----------------------------------------------------------------------------
if [ -n "${BENCH_DB:-}" ]; then
  cp "$BENCH_DB" "$db"
  pw=${BENCH_PASSWORD:?BENCH_PASSWORD is the demo password of BENCH_DB}
  echo "== 1. data: a copy of $BENCH_DB"
else
  echo "== 1. data: $persons persons (safehub demo --years 0)"
  start=$(date +%s.%N)
  "$bin" demo --db "$db" --persons "$persons" --seed 42 --years 0 --password "$pw" >/dev/null 2>"$work/demo.err"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "demo persons: %.1f s\n", e - s }'
fi
now=$(date +%s)
if [ "$(sqlite3 "$db" "SELECT count(*) FROM missing_episodes")" -eq 0 ]; then
  start=$(date +%s.%N)
  sqlite3 "$db" "CREATE TEMP TABLE mfh_gen AS SELECT $episodes AS episodes, $years AS years, $now AS now;" \
    ".read $here/mfh-gen.sql"
  awk -v s="$start" -v e="$(date +%s.%N)" -v n="$episodes" -v y="$years" \
    'BEGIN { printf "episodes: %d over %d years made with SQL (bench/mfh-gen.sql) in %.1f s\n", n, y, e - s }'
fi
sqlite3 "$db" "SELECT (SELECT count(*) FROM persons) || ' persons, ' || count(*) || ' episodes of ' ||
  count(DISTINCT person_id) || ' children (' || sum(ended_at IS NULL) || ' open), ' ||
  (SELECT count(*) FROM return_interviews) || ' return interviews, ' ||
  (SELECT count(*) FROM missing_notifications) || ' notifications (' ||
  (SELECT count(*) FROM missing_notifications WHERE acknowledged_at IS NULL) || ' open), ' ||
  (SELECT count(*) FROM person_flags WHERE kind = 'repeat_missing') || ' repeat-missing flags; ' ||
  (SELECT count(*) FROM missing_episodes WHERE started_at >= $now - 365 * 86400) || ' episodes in the last 365 days'
  FROM missing_episodes"
echo "database: $(du -h "$db" | cut -f1)"
echo

# ---- 2. safehub --------------------------------------------------------------------------------
# Write the data out first, so that its writeback does not slow the fsyncs measured below (every
# dashboard answer waits for its audit entry's commit).
sync
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port
login=$(curl -s -c "$work/cookies" -H 'content-type: application/json' \
  -d "{\"username\":\"practitioner\",\"password\":\"$pw\"}" "$url/api/v1/session")
cookie=$(awk '$6=="safehub_session"{print "safehub_session="$7}' "$work/cookies")
[ -n "$cookie" ] || { echo "bench: sign-in failed: $login" >&2; exit 1; }
user_id=$(sqlite3 "$db" "SELECT id FROM users WHERE username = 'practitioner'")
export BENCH_COOKIE=$cookie
# One answer to warm the operating system's caches as PostgreSQL's load warms its own (with a
# filter none of the figures below asks for, so that it warms no entry of safehub's own cache).
curl -s -b "$work/cookies" -o /dev/null -w "first answer: %{http_code} in %{time_total} s, %{size_download} bytes\n" \
  "$url/api/v1/dashboard/missing?looked_after=false"

# p50 and p99 in milliseconds from wrk's --latency output.
wrk_figures() {
  awk '$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $0 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%s: p50 %.1f ms, p99 %.1f ms (%s req/s)%s\n", label, ms(p50), ms(p99), rps, bad ? "; " bad : "" }' label="$1"
}
# p50 and p99 of the milliseconds on stdin, one a line.
pct_figures() {
  sort -n | awk -v label="$1" '{ v[NR] = $1 }
    END { if (!NR) { print label ": no requests"; exit 1 }
          i50 = int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5)); i99 = int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))
          printf "%s: p50 %.1f ms, p99 %.1f ms (%d requests)\n", label, v[i50 ? i50 : 1], v[i99 ? i99 : 1], NR }'
}
# GET the dashboard with query $1; prints the milliseconds (fails on anything but 200).
dash_ms() {
  local r
  r=$(curl -s -b "$work/cookies" -o /dev/null -w '%{http_code} %{time_total}' "$url/api/v1/dashboard/missing?$1")
  [ "${r%% *}" = 200 ] || { echo "bench: dashboard ?$1 answered ${r%% *}" >&2; return 1; }
  awk -v t="${r#* }" 'BEGIN { printf "%.2f\n", t * 1000 }'
}
csrf=$(curl -s -b "$work/cookies" "$url/api/v1/session" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrf_token))')
# Persons to write episodes for (one each: a person's episodes may not overlap), never restricted.
mapfile -t write_persons < <(sqlite3 "$db" "SELECT id FROM persons WHERE restricted = 0 AND merged_into IS NULL
  AND id NOT IN (SELECT person_id FROM person_access) AND id NOT IN (SELECT person_id FROM missing_episodes)
  ORDER BY id LIMIT 1000")
# POST a returned episode of write_persons[$1] through the API (a durable, audited write that
# changes the dashboard's numbers).
write_episode() {
  local t r
  t=$(date +%s)
  r=$(curl -s -b "$work/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -o /dev/null -w '%{http_code}' \
    -d "{\"person_id\":${write_persons[$1]},\"missing_from\":\"home\",\"category\":\"M\",\"police_force\":\"Bench Police\",
      \"started_at\":\"$(date -u -d @$((t - 10800)) +%FT%TZ)\",\"reported_at\":\"$(date -u -d @$((t - 7200)) +%FT%TZ)\",
      \"ended_at\":\"$(date -u -d @$((t - 3600)) +%FT%TZ)\",\"team\":\"Bench\"}" "$url/api/v1/missing-episodes")
  [ "$r" = 201 ] || { echo "bench: writing an episode answered $r" >&2; return 1; }
}
echo "== 2. safehub: GET /api/v1/dashboard/missing"
months=()
for i in $(seq 0 11); do months+=("$(date -u -d "$(date -u +%Y-%m-15) -$i months" +%Y-%m)"); done
filters=("" "team=Phoenix" "age_band=14-15" "sex=female" "looked_after=true" "team=Phoenix&age_band=14-15")
for f in "${filters[@]}"; do for m in "${months[@]}"; do dash_ms "month=$m${f:+&$f}"; done; done \
  | tee "$out/mfh-miss.txt" | pct_figures "a. misses, 12 months x 6 filter sets, each once"
writes=${BENCH_WRITES:-20}
for i in $(seq "$writes"); do write_episode "$i"; dash_ms ""; done | tee "$out/mfh-write-miss.txt" \
  | pct_figures "b. misses after a write through the API, whole hub"
refresh=${BENCH_REFRESH:-1}
every=${BENCH_WRITE_EVERY:-5}
live=$((duration * 3))
( i=500; end=$(($(date +%s) + live)); while [ "$(date +%s)" -lt "$end" ]; do sleep "$every"; write_episode $((i++)); done ) &
writer=$!
( end=$(($(date +%s) + live)); while [ "$(date +%s)" -lt "$end" ]; do dash_ms ""; sleep "$refresh"; done ) \
  | tee "$out/mfh-live.txt" | pct_figures "c. a live dashboard: refresh every ${refresh}s, a write every ${every}s, ${live}s"
wait "$writer"
BENCH_PATH=/api/v1/dashboard/missing wrk -t1 -c1 -d"${duration}s" --latency -s "$here/mfh.lua" "$url" \
  | tee "$out/mfh.txt" | wrk_figures "d. the same request repeated under wrk (1 connection, ${duration}s, no writes)"
BENCH_PATH='/api/v1/dashboard/missing?team=Phoenix&age_band=14-15' \
  wrk -t1 -c1 -d"${duration}s" --latency -s "$here/mfh.lua" "$url" \
  | tee "$out/mfh-filtered.txt" | wrk_figures "   the same, team Phoenix, age 14-15"
# The answer to compare with PostgreSQL's, after every write above.
curl -s -b "$work/cookies" -o "$work/dashboard.json" "$url/api/v1/dashboard/missing"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
echo

# ---- 3. PostgreSQL 15 --------------------------------------------------------------------------
echo "== 3. PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'): the same aggregates over the same rows"
start=$(date +%s.%N)
sqlite3 -csv "$db" "SELECT id, given_name, family_name, dob, sex, restricted FROM persons" >"$work/persons.csv"
sqlite3 -csv "$db" "SELECT person_id, user_id FROM person_access" >"$work/person_access.csv"
sqlite3 -csv "$db" "SELECT id, person_id, started_at, reported_at, ended_at, missing_from, category, looked_after,
  out_of_area, rhi_by, team, locality, grade_latest, grade_rank, rhi_due_at FROM missing_episodes" >"$work/missing_episodes.csv"
sqlite3 -csv "$db" "SELECT episode_id, offered_at, responded_at, completed_at, response FROM return_interviews" \
  >"$work/return_interviews.csv"
sqlite3 -csv "$db" "SELECT id, episode_id, to_authority, reason, rhi_by, created_at, acknowledged_at
  FROM missing_notifications" >"$work/missing_notifications.csv"
sqlite3 -csv "$db" "SELECT id, person_id, kind, set_at, removed_at FROM person_flags" >"$work/person_flags.csv"
chmod 644 "$work"/*.csv
mkdir "$work/pg"
chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres --no-sync >"$work/initdb.log"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-p $pgport -k $work/pg -c listen_addresses='' -c shared_buffers=512MB -c work_mem=64MB -c jit=off -c fsync=off" \
  start >/dev/null
pg_started=1
psql() { runuser -u postgres -- "$pgbin/psql" -h "$work/pg" -p "$pgport" -d postgres -X -q "$@"; }
psql -v dir="$work" -f "$here/mfh-pg-schema.sql" >/dev/null
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "export, COPY, indexes and ANALYZE: %.1f s\n", e - s }'
# The 12 local months' bounds, as constants for the planner (see bench/mfh-pg-dashboard.sql).
read -r from to < <(psql -A -t -F ' ' -c "SELECT extract(epoch FROM ((b - interval '11 months') AT TIME ZONE
  'Europe/London'))::bigint, extract(epoch FROM ((b + interval '1 month') AT TIME ZONE 'Europe/London'))::bigint
  FROM (SELECT date_trunc('month', to_timestamp($now) AT TIME ZONE 'Europe/London') AS b) x")
vars=(-v now="$now" -v user="$user_id" -v from="$from" -v to="$to")
# Warm PostgreSQL's caches with one run, as safehub's were by its first answer; keep its answer.
psql "${vars[@]}" -A -t -F '|' -f "$here/mfh-pg-dashboard.sql" >"$work/pg-answer.txt"
mkdir "$work/pglog"
chown postgres "$work/pglog"
(cd "$work/pglog" && runuser -u postgres -- "$pgbin/pgbench" -h "$work/pg" -p "$pgport" -n -c1 -T "$duration" \
  -f "$here/mfh-pg-dashboard.sql" -D now="$now" -D user="$user_id" -D from="$from" -D to="$to" \
  --log --log-prefix="$work/pglog/pgbench" \
  postgres >"$work/pgbench.out" 2>&1) || { cat "$work/pgbench.out" >&2; exit 1; }
cat "$work"/pglog/pgbench.* | awk '{ print $3 / 1000 }' | sort -n | awk '{ v[NR] = $1 }
  END { if (!NR) { print "pgbench: no transactions"; exit 1 }
        printf "PostgreSQL, the same aggregates (pgbench, 1 connection): p50 %.1f ms, p99 %.1f ms (%d runs)\n",
          v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], NR }' \
  | tee "$out/mfh-pg.txt"
echo

# ---- 4. the same numbers ---------------------------------------------------------------------
# pg-answer.txt holds the statements' rows, '|'-separated: 13 rows of statistics (i = 0..12), then
# rows led by the part they belong to (missing_now, awaiting, notifications) and its counts.
echo "== 4. check: safehub's and PostgreSQL's numbers"
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => l.split("|"));
  const stats = rows.filter((r) => /^\d+$/.test(r[0]));
  const span = stats.find((r) => r[0] === "12");
  const part = (name) => rows.find((r) => r[0] === name) || [name, 0, 0, 0];
  const now = part("missing_now");
  const l = d.last_12_months;
  const ours = [l.episodes, l.children, l.repeat_children, l.median_duration_hours, l.returns, l.rhi_offered_72h.count,
    l.rhi_completed_72h.count, l.rhi_accepted.count, l.rhi_declined.count, d.missing_now.count,
    d.out_of_area.placed_here_missing.count, d.out_of_area.placed_elsewhere_missing.count, d.awaiting_rhi.count,
    d.notifications_unacknowledged.count].map(String);
  const theirs = [...span.slice(1, 10), now[1], now[2], now[3], part("awaiting")[1], part("notifications")[1]]
    .map((x) => String(Number(x)));
  console.log("last 12 months: episodes, children, repeat children, median hours, returns, RHI offered and");
  console.log("completed within 72 h, accepted, declined; now: missing, placed here, placed elsewhere, awaiting");
  console.log("RHI, notifications not acknowledged");
  console.log(`safehub:    ${ours.join(" ")}`);
  console.log(`PostgreSQL: ${theirs.join(" ")}`);
  const months = d.by_month.map((m) => m.episodes).join(" ");
  const pgMonths = stats.filter((r) => r[0] !== "12").map((r) => r[1]).join(" ");
  console.log(`episodes by month: ${months === pgMonths ? "the same" : `MISMATCH ${months} / ${pgMonths}`}`);
  if (ours.join() !== theirs.join() || months !== pgMonths) { console.log("MISMATCH"); process.exit(1); }
  console.log("the same");
' "$work/dashboard.json" "$work/pg-answer.txt"
