#!/usr/bin/env bash
# clock-check.sh: compares the clock probes/clock measures (dependent integer adds) with the clock
# implied by a peak AVX2 FMA loop on the same core. A check of the probe, not a benchmark: run it on
# a quiet machine; timings on a shared host are noisy.
#   scripts/clock-check.sh [FMA_PIPES]   (default 2: every AVX2+FMA core since Haswell and Zen 2)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/rel/libroofline.a >/dev/null
out=build/rel/clock-check
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -mavx2 -mfma -I. scripts/clock_check.c build/rel/libroofline.a \
    $(pkg-config --libs hwloc libcpuid libcjson) -lm -o "$out"
exec taskset -c "${RL_CHECK_CPU:-0}" "$out" "${1:-2}"
