#!/usr/bin/env bash
# Generation speed of `memoria simulate`: records (reports) per second at two sizes.
#
#   bench/sim_bench.sh [path/to/memoria] [persons...]
#
# Defaults: build/release/src/cli/memoria (build it with the release preset; a Debug build is
# several times slower) and 100k and 1M-record runs. The default scenario yields about 1.08
# reports per person, so the person counts below give about 100,000 and 1,000,000 records.
set -euo pipefail
bin=${1:-build/release/src/cli/memoria}
shift || true
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(93000 930000); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%10s %10s %9s %12s %10s\n' persons records seconds records/s MB
for n in "${sizes[@]}"; do
  start=$(date +%s.%N)
  line=$("$bin" simulate --out "$out/run" --persons "$n" --seed 1 | head -1)
  end=$(date +%s.%N)
  records=$(echo "$line" | sed -E 's/.* ([0-9]+) reports .*/\1/')
  mb=$(du -sm "$out/run" | cut -f1)
  awk -v n="$n" -v r="$records" -v s="$start" -v e="$end" -v mb="$mb" \
    'BEGIN { t = e - s; printf "%10d %10d %9.2f %12.0f %10d\n", n, r, t, r / t, mb }'
  rm -rf "$out/run"
done
