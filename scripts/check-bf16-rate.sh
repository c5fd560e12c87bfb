#!/usr/bin/env bash
# check-bf16-rate.sh: the AVX-512 BF16 dot product (vdpbf16ps zmm) beside the 512-bit FMA, on one
# core and on all, with the efficiency against the table (docs/sources.md: Sapphire, Emerald and
# Granite Rapids issue one vdpbf16ps zmm per two cycles, 32 bf16 FLOPs/cycle/core, against 64
# fp32 FLOPs/cycle/core of two 512-bit FMAs). Run it on an Emerald Rapids host (a GPU machine's
# host VM): both efficiencies should be near 100%; a bf16 efficiency near 25% would mean the table
# went back to the FMA rate, near 50% that the kernel lacks independent chains (it has 24; the
# instruction's latency of 8 at one every two cycles needs 4).
#
#   scripts/check-bf16-rate.sh [OUT.json]     (about 10 s; needs AVX-512 BF16)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bf16-rate.json}
[ -x build/rel/roofline ] || make -j"$(nproc)" >/dev/null
grep -q avx512_bf16 /proc/cpuinfo || { echo "check-bf16-rate: this CPU has no AVX-512 BF16" >&2; exit 1; }
build/rel/roofline flops --isa avx512_bf16,avx512f --precision bf16,fp32 --threads 1,all \
    --json "$out"
echo
echo "efficiency = measured / (cores x clock under load x FLOPs/cycle/core); JSON in $out"
