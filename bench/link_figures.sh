# Sourced by the linkage bench scripts: reads what `memoria link` printed (file $1, with
# --truth or labels so that precision/recall/F1 are there) and the threads used ($2) into the
# shell variables records, pairs, score (seconds), p, r, f1 and pps (pairs scored per second
# per thread, "-" when scoring took no measurable time).
link_figures() {
  local out="$1" threads="$2"
  records=$(awk -F': ' '/^records:/{print $2}' "$out")
  pairs=$(awk -F': ' '/^candidate pairs:/{print $2}' "$out")
  score=$(awk '/^scoring:/{print $2}' "$out")
  p=$(awk -F': ' '/^precision:/{print $2}' "$out")
  r=$(awk -F': ' '/^recall:/{print $2}' "$out")
  f1=$(awk -F': ' '/^f1:/{print $2}' "$out")
  pps=$(awk -v n="$pairs" -v s="$score" -v t="$threads" \
    'BEGIN{ if (s > 0) printf "%.0f", n / s / t; else print "-" }')
}
