#!/usr/bin/env bash
# Import benchmark (issue 2): 1,000,000 JSON Lines entities into memoria vs a bare SQLite baseline.
# Usage: bench/import_bench.sh [N] — builds the release preset, prints the figures and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
cmake --preset release >/dev/null
cmake --build --preset release --target import_bench >/dev/null
bin=build/release/bench/import_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin generate "$n" "$work/entities.jsonl"
echo "input: $(wc -l <"$work/entities.jsonl") lines, $(du -m "$work/entities.jsonl" | cut -f1) MiB"
base=$($bin baseline "$work/entities.jsonl" "$work/baseline.db")
echo "$base"
imp=$($bin import "$work/entities.jsonl" "$work/memoria.db")
echo "$imp"
python3 - "$base" "$imp" <<'PY'
import json, sys
b, i = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"ratio import/baseline time: {i['seconds'] / b['seconds']:.2f}x; "
      f"import {i['records_per_s']:.0f} records/s, peak RSS {i['peak_rss_mib']:.0f} MiB")
PY
