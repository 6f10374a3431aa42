#!/usr/bin/env bash
# Benchmark of the record-linkage engine (issue 5), printing the figures docs/matching.md reports:
#   1. FEBRL dataset3 deduplicated (the mapping of the issue), with and without the social
#      security id as other_id: pairwise precision, recall, F1 against the truth in rec_id, time.
#   2. A noisy multi-agency demo extract of about 1,000,000 records (`safehub demo extract`,
#      BENCH_PERSONS persons, default 446,000, which gives ~997,000 rows) deduplicated on
#      BENCH_THREADS threads (default 2): wall time, peak memory, candidate pairs and pairs
#      compared and scored per second per core (CPU time of the comparing stage), pairwise
#      precision and recall against the generator's true_id.
# Each step prints the command it ran. Needs node (for the scoring of the outputs) and the FEBRL
# files in ../shared/data/febrl (or SAFEHUB_FEBRL).
# Usage: bench/match.sh [path/to/safehub]    (BENCH_KEEP=1 keeps the work directory)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/safehub}")
febrl=${SAFEHUB_FEBRL:-$here/../../shared/data/febrl}
persons=${BENCH_PERSONS:-446000}
threads=${BENCH_THREADS:-2}
work=$(mktemp -d /tmp/safehub-match-bench-XXXXXX)
cleanup() { if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

command -v node >/dev/null || { echo "bench: node is missing" >&2; exit 1; }
[ -f "$febrl/dataset3.csv" ] || { echo "bench: $febrl/dataset3.csv is missing (set SAFEHUB_FEBRL)" >&2; exit 1; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"

# score CLUSTERS INPUT ID_COLUMN TRUTH_COLUMN: pairwise precision/recall/F1 of id,cluster_id
# against the truth (TRUTH_COLUMN of INPUT, or "febrl": the N of rec-N-... in the id).
score() {
  node - "$@" <<'JS'
const fs = require('fs');
const [clusters, input, idCol, truthCol] = process.argv.slice(2);
function* rows(file) {
  const text = fs.readFileSync(file, 'utf8');
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field.trim()); field = ''; }
    else if (c === '\n') { row.push(field.trim()); yield row; row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field.trim()); yield row; }
}
const truth = new Map();
let head = null;
for (const r of rows(input)) {
  if (!head) { head = r; continue; }
  const id = r[head.indexOf(idCol)];
  truth.set(id, truthCol === 'febrl' ? id.match(/^rec-(\d+)-/)[1] : r[head.indexOf(truthCol)]);
}
const count = new Map(), pc = new Map(), tc = new Map();
let first = true;
for (const [id, c] of rows(clusters)) {
  if (first) { first = false; continue; }
  const t = truth.get(id);
  pc.set(c, (pc.get(c) || 0) + 1);
  tc.set(t, (tc.get(t) || 0) + 1);
  const k = c + '\u0000' + t;
  count.set(k, (count.get(k) || 0) + 1);
}
const pairs = (m) => [...m.values()].reduce((a, n) => a + n * (n - 1) / 2, 0);
const P = pairs(pc), T = pairs(tc), TP = pairs(count);
const p = P ? TP / P : 1, r = T ? TP / T : 1;
console.log(`pairwise precision ${p.toFixed(4)}  recall ${r.toFixed(4)}  F1 ${(2 * p * r / (p + r)).toFixed(4)}` +
  `  (${TP} of ${P} predicted pairs true; ${T} true pairs)`);
JS
}

# run LABEL ARGS...: time a command, keep its stderr in $work/LABEL.err, print its last lines.
run() {
  local label=$1; shift
  echo "\$ safehub $*"
  local start end
  start=$(date +%s.%N)
  "$bin" "$@" 2> "$work/$label.err" || { cat "$work/$label.err" >&2; exit 1; }
  end=$(date +%s.%N)
  grep -E "read [0-9]+ records|model trained|too few|compared [0-9]|wrote" "$work/$label.err" | sed 's/^safehub [a-z]*: /  /'
  awk -v s="$start" -v e="$end" 'BEGIN { printf "  wall time %.2f s\n", e - s }'
}

map=(--map id=rec_id --map family_name=surname --map dob=date_of_birth --map address=street_number
     --map address=address_1 --map address=address_2 --map locality=suburb)

echo
echo "== 1. FEBRL dataset3 (5,000 records, 6,538 true pairs)"
run febrl-id dedupe --in "$febrl/dataset3.csv" --out "$work/febrl-id.csv" "${map[@]}" --map other_id=soc_sec_id
echo "  with other_id: $(score "$work/febrl-id.csv" "$febrl/dataset3.csv" rec_id febrl)"
run febrl-noid dedupe --in "$febrl/dataset3.csv" --out "$work/febrl-noid.csv" "${map[@]}"
echo "  without other_id: $(score "$work/febrl-noid.csv" "$febrl/dataset3.csv" rec_id febrl)"

echo
echo "== 2. a noisy demo extract of $persons persons"
echo "\$ safehub demo extract --out $work/extract --persons $persons --seed 42"
start=$(date +%s.%N)
"$bin" demo extract --out "$work/extract" --persons "$persons" --seed 42 2> "$work/extract.err" >&2 ||
  { cat "$work/extract.err" >&2; exit 1; }
end=$(date +%s.%N)
rows=$(($(wc -l < "$work/extract/all.csv") - 1))
awk -v s="$start" -v e="$end" -v n="$rows" 'BEGIN { printf "  %d records in %.1f s\n", n, e - s }'
run extract dedupe --in "$work/extract/all.csv" --out "$work/extract-clusters.csv" --threads "$threads"
grep -E "peak memory" "$work/extract.err" | sed 's/.*peak memory/  peak memory (maximum resident set)/'
echo "  $(score "$work/extract-clusters.csv" "$work/extract/all.csv" id true_id)"
