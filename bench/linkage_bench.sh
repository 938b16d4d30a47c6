#!/usr/bin/env bash
# Linkage quality and speed on the benchmark datasets (../shared/data/linkage), end to end
# through `memoria link` with the settings shipped in linkage/settings/.
#
#   bench/linkage_bench.sh [MEMORIA_BINARY] [WORK_DIR]
#
# Prints a Markdown table: records, candidate pairs, scoring time, pairs scored per second per
# core, wall time, peak RSS, pairwise precision / recall / F1. Also builds a 10x replica of
# historical_50k with random typos (seeded; ~506k records, same persons) to show scaling.
# Build a Release binary first, e.g.
#   cmake --preset release && cmake --build build/release --target memoria
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/bench/link_figures.sh"
bin="${1:-$here/build/release/src/cli/memoria}"
work="${2:-$(mktemp -d)}"
data="${MEMORIA_SHARED_DATA:-$here/../shared/data}/linkage"
settings="$here/linkage/settings"
threads="${THREADS:-$(nproc)}"
mkdir -p "$work"

# historical_50k x 10: copy k of every record gets id suffix -r<k> (same person, same cluster)
# and, for k > 0, one random edit in each of first_name, surname (p = 0.3 each) and a changed
# dob day (p = 0.1).
replica="$work/historical_500k.csv"
if [[ ! -s "$replica" ]]; then
  python3 - "$data/splink_historical_50k.csv" "$replica" <<'PY'
import csv, random, sys
random.seed(20261129)
src, dst = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, newline='', encoding='utf-8')))
letters = 'abcdefghijklmnopqrstuvwxyz'
def typo(s):
    if not s or random.random() > 0.3: return s
    i = random.randrange(len(s)); op = random.randrange(3)
    if op == 0: return s[:i] + random.choice(letters) + s[i+1:]
    if op == 1: return s[:i] + s[i+1:]
    return s[:i] + random.choice(letters) + s[i:]
with open(dst, 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator='\n')
    w.writeheader()
    for k in range(10):
        for r in rows:
            r2 = dict(r)
            r2['unique_id'] = f"{r['unique_id']}-r{k}"
            # A replica is another record of the same person (ground truth kept): 10x the
            # records, ~100x the true pairs. It measures scale more than quality.
            if k > 0:
                r2['first_name'] = typo(r['first_name']); r2['surname'] = typo(r['surname'])
                if r['dob'] and random.random() < 0.1:
                    r2['dob'] = r['dob'][:8] + '%02d' % random.randint(1, 28)
            w.writerow(r2)
PY
fi

run() {  # name, settings file, inputs...
  local name="$1" s="$2"; shift 2
  local out="$work/$name.out" tm="$work/$name.time"
  /usr/bin/time -f "%e %M" -o "$tm" "$bin" link --input "$@" --settings "$settings/$s" \
    --output "$work/$name.clusters.csv" --threads "$threads" > "$out"
  local records pairs score p r f1 pps wall rss
  link_figures "$out" "$threads"
  read -r wall rss < "$tm"
  printf '| %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %s |\n' "$name" "$records" "$pairs" \
    "$score" "$pps" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$p" "$r" "$f1"
}

echo "threads: $threads, binary: $bin"
echo
echo "| dataset | records | candidate pairs | scoring s | pairs/s/core | wall s | peak RSS MiB | precision | recall | F1 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
run febrl1 febrl_dedupe.json "$data/febrl1.csv"
run febrl2 febrl_dedupe.json "$data/febrl2.csv"
run febrl3 febrl_dedupe.json "$data/febrl3.csv"
run febrl4 febrl4_link.json "$data/febrl4a.csv" "$data/febrl4b.csv"
run rldata500 rldata.json "$data/rldata500.csv"
run rldata10000 rldata.json "$data/rldata10000.csv"
run splink_fake_1000 splink_fake_1000.json "$data/splink_fake_1000.csv"
run historical_50k splink_historical_50k.json "$data/splink_historical_50k.csv"
run historical_500k splink_historical_50k.json "$replica"
