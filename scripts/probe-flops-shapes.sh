#!/usr/bin/env bash
# probe-flops-shapes.sh: every shape of the compute rows named (the registry's variants), timed in
# turn at one call length, best of ROUNDS kept, 1 thread, pinned to CPU 0. Compare call lengths:
#
#   scripts/probe-flops-shapes.sh avx,sse2 2 7      # 2 ms calls, 7 rounds
#   scripts/probe-flops-shapes.sh avx,sse2 40 7     # the 40 ms calls of `roofline flops`
#
# On the Zen 4 guest of 2026-11-27 the avx fp64 and sse2 fp32 split shapes reached cpufp's figure
# (58.4, 58.7 GFLOP/s) in 2 ms calls and stayed near 55-57 in the 40 ms ones, where only
# square8+add8 held it (docs/flops.md). An experiment, not a benchmark: no peer is run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { sed -n '2,11p' "$0"; exit 2; }
make -s build/rel/libroofline.a >/dev/null
out=build/probe-flops-shapes
mkdir -p "$out"
# shellcheck disable=SC2046
${CC:-gcc} -O2 -I. scripts/probe_flops_shapes.c build/rel/libroofline.a -o "$out/probe" \
    $(pkg-config --libs hwloc libcjson) -lcpuid -lgomp -lm
exec taskset -c 0 "$out/probe" "$@"
