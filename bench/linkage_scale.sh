#!/usr/bin/env bash
# Record linkage at scale: a simulated Korean multi-source scenario (the default scenario,
# `memoria simulate`) deduplicated end to end with the default profile at about 100k, 300k and
# 1M records. Prints a Markdown table: records, candidate pairs, scoring time, pairs scored
# per second per core, wall time, CPU time (user + system: a fairer figure than wall time when
# other work shares the machine), peak RSS, pairwise precision / recall / F1 against truth.csv.
#
#   bench/linkage_scale.sh [MEMORIA_BINARY] [WORK_DIR] [PERSONS...]
#
# Defaults: build/release/src/cli/memoria, a temporary directory, and 92600 278000 926000
# persons (the default scenario yields ~1.08 reports per person: ~100k, 300k, 1M records).
# THREADS (default: nproc) sets --threads. With BLOCKING=path/to/linkage_blocking, each size
# also reports blocking recall per rule (bench/linkage_blocking.cc).
# Scenarios are generated once per WORK_DIR (seed 1) and reused.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/bench/link_figures.sh"
bin="${1:-$here/build/release/src/cli/memoria}"
work="${2:-$(mktemp -d)}"
shift 2 || shift $#
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(92600 278000 926000); fi
threads="${THREADS:-$(nproc)}"
mkdir -p "$work"

echo "threads: $threads, binary: $bin, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
rows=()
for n in "${sizes[@]}"; do
  sim="$work/sim$n"
  if [[ ! -s "$sim/truth.csv" ]]; then
    "$bin" simulate --out "$sim" --persons "$n" --seed 1 > /dev/null
  fi
  out="$work/link$n.out" tm="$work/link$n.time"
  /usr/bin/time -f "%e %M %U %S" -o "$tm" "$bin" link --input "$sim/reports.csv" \
    --output "$work/link$n.clusters.csv" --truth "$sim/truth.csv" --threads "$threads" > "$out"
  link_figures "$out" "$threads"
  read -r wall rss user sys < "$tm"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.1f", u + s}')
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %s |' "$n" "$records" \
    "$pairs" "$score" "$pps" "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$p" "$r" \
    "$f1")")
  if [[ -n "${BLOCKING:-}" ]]; then
    echo "blocking at $records records:"
    "$BLOCKING" default "$sim/reports.csv" "$sim/truth.csv" "$threads"
    echo
  fi
done
echo "| persons | records | candidate pairs | scoring s | pairs/s/core | wall s | CPU s | peak RSS MiB | precision | recall | F1 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
