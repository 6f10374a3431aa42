#!/usr/bin/env bash
# Benchmark of `safehub import missing` (issue 4: 1,000,000 rows in under 20 s).
#
# The scene of the issue's benchmark: a hub of BENCH_PERSONS fictional persons (default 300,000,
# made by `safehub demo --years 0`, or a copy of BENCH_DB with BENCH_PASSWORD) receives a police
# extract of BENCH_ROWS missing episodes (default 1,000,000) over ten years. The extract is made
# from the hub's own persons as the police would know them: a minority of children have many
# episodes and most none (one person in BENCH_SHARE, default 5, is a child with episodes; episode
# counts are skewed), each row carries the child's NHS number or local-authority id when the hub
# has one (the sure keys), and BENCH_NEW_PCT percent of rows (default 1) are about children the hub
# has never met, with names and dates of birth only, so the matcher decides them.
# Then the same file is imported again (every row unchanged). Prints both times, rows/s and the
# peak memory. Everyone in it is fictional (the demo's generator; new children from short lists of
# common names).
# Usage: bench/import.sh [path/to/safehub]      (BENCH_KEEP=1 keeps the work directory;
# BENCH_RUNS=N imports N times, each first import on a fresh copy of the hub, and prints the medians)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/safehub}")
rows=${BENCH_ROWS:-1000000}
persons=${BENCH_PERSONS:-300000}
share=${BENCH_SHARE:-5}
new_pct=${BENCH_NEW_PCT:-1}
runs=${BENCH_RUNS:-1}
work=$(mktemp -d /tmp/safehub-import-bench-XXXXXX)
cleanup() { if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
db=$work/bench.db
csv=$work/extract.csv

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_DB:-}" ]; then
  cp "$BENCH_DB" "$db"
  # Write the copy out now, so that its writeback does not slow the fsyncs measured below.
  sync
  : "${BENCH_PASSWORD:?BENCH_PASSWORD is the demo password of BENCH_DB}"
  echo "hub: a copy of $BENCH_DB"
else
  start=$(date +%s.%N)
  "$bin" demo --db "$db" --persons "$persons" --seed 42 --years 0 --password "bench-password-$(date +%s)" \
    >/dev/null 2>"$work/demo.err" || { cat "$work/demo.err" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v n="$persons" 'BEGIN { printf "hub: safehub demo --persons %d --years 0 in %.1f s\n", n, e - s }'
fi
sqlite3 -csv "$db" "SELECT given_name, family_name, coalesce(dob, ''), sex, coalesce(postcode, ''),
  coalesce(nhs_number, ''), coalesce(la_id, '') FROM persons WHERE merged_into IS NULL ORDER BY id" >"$work/persons.csv"

start=$(date +%s.%N)
python3 - "$rows" "$share" "$new_pct" "$work/persons.csv" "$csv" <<'EOF'
import csv, random, sys, time, zlib
rows, share, new_pct, persons_path, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rnd = random.Random(20261124)
hub = list(csv.reader(open(persons_path, newline="")))
rnd.shuffle(hub)
known = [(g, f, dob, {"female": "F", "male": "M"}.get(sex, "U"), pc, n, la) for g, f, dob, sex, pc, n, la in hub[: max(1, len(hub) // share)]]
# Children the hub has never met: fictional names, no identifiers (the matcher decides).
given = "Olivia Amelia Isla Ava Mia Ivy Lily Rosie Freya Willow Evie Poppy Noah Oliver Leo Arthur Harry Oscar Archie Henry Jack Charlie Alfie Finley Tyler Kai".split()
family = "Quarrington Abernethy Fennimore Ravensworth Okonkwo Draycott Saltmarsh Marchetti Brindley Ashdown Penhallow Strickland Verity Ormerod Blackwood Featherstone Lindqvist Haverford Illingworth Trelawney".split()
n_new = max(1, int(rows * new_pct / 100) // 3)
new = [(rnd.choice(given), rnd.choice(family) + "-" + rnd.choice(family), "%04d-%02d-%02d" % (rnd.randrange(2006, 2016), rnd.randrange(1, 13), rnd.randrange(1, 29)),
        rnd.choice("FM"), "", "", "") for _ in range(n_new)]
end = int(time.mktime((2026, 11, 1, 0, 0, 0, 0, 0, -1)))
span = 10 * 365 * 86400
grades = ["none", "low", "low", "medium", "medium", "medium", "high"]
def t(s):
    # UTC with Z: the same instants whatever the clocks did (a UK local time without an offset is
    # ambiguous in the hour the clocks go back).
    return time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(s))
with open(path, "w") as out:
    out.write("police_force,police_ref,given_name,family_name,dob,sex,postcode,nhs_number,la_id,missing_from,"
              "category,started_at,reported_at,ended_at,grade,graded_at,looked_after,placement_type,"
              "placing_authority,host_authority,locality,notes\n")
    for i in range(rows):
        if rnd.random() * 100 < new_pct:
            g, f, dob, sex, pc, n, la = rnd.choice(new)
        else:
            # A minority of children have many episodes: skew the choice towards the first ones.
            g, f, dob, sex, pc, n, la = known[int(len(known) * rnd.random() ** 1.5)]
            if n and la:
                # the police know one identifier or the other
                n, la = (n, "") if rnd.random() < 0.6 else ("", la)
        care = zlib.crc32((g + f + dob).encode()) % 10 < 3
        start = end - rnd.randrange(span)
        rep = start + rnd.randrange(600, 4 * 3600)
        ended = t(start + rnd.randrange(3600, 96 * 3600)) if rnd.random() < 0.97 else ""
        frm = "care" if care else rnd.choice(["home", "home", "home", "education", "other"])
        placing, host, ptype = "", "", ""
        if care:
            ptype = rnd.choice(["foster", "residential", "kinship", "semi_independent"])
            r = rnd.random()
            placing, host = ("Westshire", "Northby") if r < 0.1 else ("Northby", "Eastmoor") if r < 0.2 else ("Northby", "Northby")
        out.write("Northby Police,BENCH/%07d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n" % (
            i + 1, g, f, dob, sex, pc, n, la, frm, "A" if care and rnd.random() < 0.3 else "M", t(start), t(rep), ended,
            rnd.choice(grades), t(rep + 600), "yes" if care else "no", ptype, placing, host,
            rnd.choice(["North", "South", "East", "West", "Central"]), "fictional benchmark row"))
EOF
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$rows" -v size="$(du -h "$csv" | cut -f1)" \
  'BEGIN { printf "extract: %d rows (%s) generated in %.1f s\n", n, size, e - s }'
# Write the extract out now: left to the kernel, its writeback lands in the import's fsyncs.
sync

run() {
  local what=$1 s e
  s=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" "$bin" import missing --db "$db" --user police_intel "$csv" \
    >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" -v n="$rows" -v what="$what" -v t="$(tail -1 "$work/rss")" -v out="$(cat "$work/out")" \
    'BEGIN { split(t, a, " "); printf "%s: %.1f s wall, %.1f s CPU (%.0f rows/s; max RSS %.0f MiB)\n  %s\n", what, e - s, a[2] + a[3], n / (e - s), a[1] / 1024, out }'
}
echo "command: $bin import missing --db DB --user police_intel extract.csv"
if [ "$runs" -le 1 ]; then
  run "first import"
  run "same file again"
else
  # Several runs, each first import on a fresh copy of the hub: this machine's speed moves from one
  # minute to the next, so the median says more than one run.
  cp "$db" "$work/hub.db"
  for i in $(seq "$runs"); do
    cp "$work/hub.db" "$db"; rm -f "$db-wal" "$db-shm" "$db-views"; sync
    run "first import, run $i" | tee -a "$work/first"
  done
  for i in $(seq "$runs"); do run "same file again, run $i" | tee -a "$work/again"; done
  for f in first again; do
    grep -o '^[^:]*: [0-9.]* s wall' "$work/$f" | awk '{print $(NF-2)}' | sort -n |
      awk -v what="$f" '{v[NR] = $1} END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        printf "%s: median %.1f s of %d runs (%.1f-%.1f s)\n", what == "first" ? "first import" : "same file again", m, NR, v[1], v[NR] }'
  done
fi
echo "database $(du -h "$db" | cut -f1): $(sqlite3 "$db" "SELECT count(*) || ' episodes, ' || (SELECT count(*) FROM persons) || ' persons, ' || (SELECT count(*) FROM missing_gradings) || ' gradings, ' || (SELECT count(*) FROM match_reviews) || ' rows for review' FROM missing_episodes")"
