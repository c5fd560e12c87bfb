#!/usr/bin/env bash
# What the latency section adds to the main job's run time: `roofline` and `roofline --quick`, each
# with and without --no-latency, alternating, ROUNDS times; prints the median wall time of each and
# the difference beside the issue's budget (3 s full, 0.3 s --quick). Measure on a quiet machine.
#
#   scripts/latency-runtime.sh [ROUNDS]        (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "latency-runtime: ROUNDS must be a positive integer, not '$rounds'" >&2
  exit 2
fi
[ -x ./roofline ] || make -s roofline >&2
# Wall seconds of one run.
wall() {
  local t0 t1
  t0=$(date +%s.%N)
  ./roofline -q "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
declare -A t
for mode in full quick; do
  for lat in with without; do t[$mode-$lat]=""; done
done
for ((r = 1; r <= rounds; r++)); do
  for mode in full quick; do
    q=(); [ $mode = quick ] && q=(--quick)
    t[$mode-with]+="$(wall "${q[@]}") "
    t[$mode-without]+="$(wall "${q[@]}" --no-latency) "
  done
  echo "latency-runtime: round $r of $rounds done" >&2
done
printf '%-7s %14s %14s %10s %8s\n' run "with latency" "--no-latency" added budget
for mode in full quick; do
  w=$(tr ' ' '\n' <<<"${t[$mode-with]}" | grep . | median)
  wo=$(tr ' ' '\n' <<<"${t[$mode-without]}" | grep . | median)
  budget=$([ $mode = full ] && echo 3 || echo 0.3)
  printf '%-7s %13.2fs %13.2fs %9.2fs %7ss\n' "$mode" "$w" "$wo" "$(echo "$w - $wo" | bc -l)" "$budget"
done
