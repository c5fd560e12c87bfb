#!/usr/bin/env bash
# gpu-peers-run.sh -- run the peer GPU benchmarks built by
# scripts/build-gpu-peers.sh, each under a time bound (total <= ~2 min on an
# H100/H200), so their figures can be set beside roofline's device-memory
# copy/triad, L2 and FP32-peak numbers.
#
# Usage: scripts/gpu-peers-run.sh [PEER_DIR]     (default .peers; falls back
#        to <repo>/.peers). Timeouts (seconds) can be overridden with
#        T_STREAM, T_L2, T_CACHE, T_MIX. Tee the output to keep it.
# None of the peers takes flags; the bounds come from `timeout`. Every peer
# prints a row as soon as it is measured (flushed), in increasing size order,
# so a run cut by its timeout still holds all rows printed before the cut.
# All "GB/s" below are 1e9 bytes/s; "kB" is 1024 bytes.
#
# What each prints and what to compare:
#
# cuda-stream (gpu-benches/gpu-stream; expected ~5-10 s):
#   one row per thread-block size 32..1024 (2 blocks/SM forced):
#     blockSize  threads(=SMs*blockSize)  %occ  | GB/s: init read scale triad 3pt 5pt
#   Arrays are 128M+2 doubles (1 GiB each, far beyond L2). GB/s counts the
#   arrays touched once each, no write-allocate: init = 1 write; read = 1 read;
#   scale A=1.2*B = 1 read + 1 write (STREAM "copy/scale" traffic);
#   triad A=1.2*B+C = 2 reads + 1 write (STREAM triad); 3pt/5pt stencils
#   = 1 read + 1 write. Time = median of 9 (each the mean of 2 launches).
#   COMPARE: roofline DRAM copy <-> max of the "scale" column; roofline triad
#   <-> max of the "triad" column (the best rows are the high-occupancy ones,
#   blockSize >= ~512); "read" is read-only bandwidth.
#
# cuda-l2-cache (gpu-benches/gpu-l2-cache; expected ~20-40 s, bound 45 s):
#   a header line (its labels do not line up), then one row per data set:
#     <512> kB  <data set> kB  <min time> ms  <spread> %  <Eff. bw> GB/s  0 GB/s x4
#   col 1 = bytes each thread block reads (always 512 kB), col 2 = total data
#   set (blocks cycle over it; read-only, doubles),
#   col 3 = fastest of 11 runs of one 200000-block kernel (~105 GB read),
#   col 5 = effective read bandwidth from that fastest run. The four trailing
#   "0 GB/s" columns are CUPTI DRAM/L2 counters that upstream has commented out.
#   COMPARE: roofline L2 bandwidth <-> the plateau of col 5 for data sets of
#   ~2..20 MB (H200 L2 = 50 MB in two ~25 MB halves; bandwidth falls as the set
#   grows past them); the tail (data set >= ~200 MB) is DRAM read-only bw.
#
# cuda-cache (gpu-benches/gpu-cache; full run > 60 s, cut at 30 s):
#   "clock: <SM MHz> ..." (NVML, printed while warming the GPU up), a header,
#   then one row per data-set size:
#     <data set> kB  <time> ms  <spread> %  <Eff. bw> GB/s  0 GB/s x4
#   One 256-thread block per SM, every block repeatedly sums the same buffer of
#   floats (4-byte loads) of the size in col 1; col 4 = aggregate read bw over
#   all SMs from the fastest of 15 runs; trailing zeros are disabled CUPTI
#   counters. Rows up to ~200 kB are L1-resident (the L1 plateau); larger
#   rows come from L2 and are slow to measure, hence the cut.
#   COMPARE: roofline L1/shared-memory bandwidth (if any) <-> L1 plateau.
#
# mixbench-cuda (mixbench; expected a few seconds, bound 15 s):
#   a device block (name, clocks, SMs, "Compute throughput" = theoretical FP32
#   FMA GFLOPS from the reported max SM clock, theoretical "Memory
#   bandwidth"), then a CSV table, one row per "Compute iters" (0..1024),
#   4 groups of 4 columns: Single, Double, Half(half2, 2 flops per lane op),
#   Integer; each group = Flops/byte, ex.time (ms), GFLOPS, GB/sec.
#   A FMA counts as 2 flops; each kernel runs ONCE (no repeats), 32M-element
#   buffer (128 MB as float, 256 MB as double), read-only.
#   COMPARE: roofline FP32 peak <-> max Single-precision GFLOPS (rows with
#   256..1024 iters); Double GFLOPS likewise for FP64. The iters=0 row's
#   GB/sec (SP/DP) is a single-shot read-only DRAM figure (rough).
set -uo pipefail

dir=${1:-.peers}
if [[ ! -d $dir && $# -eq 0 ]]; then
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.peers
fi
dir=$(cd "$dir" && pwd) || { echo "no peer folder: $dir" >&2; exit 1; }

T_STREAM=${T_STREAM:-30}
T_L2=${T_L2:-45}
T_CACHE=${T_CACHE:-30}
T_MIX=${T_MIX:-15}

# mixbench uses printf: line-buffer it so a timeout loses nothing.
linebuf=()
command -v stdbuf >/dev/null && linebuf=(stdbuf -oL -eL)

failed=0
run_peer() {  # title seconds binary
  local title=$1 secs=$2 bin=$dir/$3 rc t0
  echo
  echo "=================================================================="
  echo "== PEER: $title"
  echo "== binary: $bin   (time bound ${secs}s)"
  echo "=================================================================="
  if [[ ! -x $bin ]]; then echo "!! missing $bin"; failed=1; return; fi
  t0=$SECONDS
  timeout -k 5 "$secs" "${linebuf[@]}" "$bin"
  rc=$?
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    echo "== $3: stopped by the ${secs}s bound; rows above are complete measurements"
  elif [[ $rc -ne 0 ]]; then
    echo "== $3: FAILED, exit status $rc"; failed=1
  fi
  echo "== $3: wall $((SECONDS - t0)) s"
}

echo "== gpu peers from $dir"
[[ -f $dir/PEERS.txt ]] && sed -n '1,4p' "$dir/PEERS.txt"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.limit,ecc.mode.current \
    --format=csv 2>/dev/null || true
fi

run_peer "gpu-benches gpu-stream: DRAM init/read/scale/triad/stencil GB/s vs block size" "$T_STREAM" cuda-stream
run_peer "gpu-benches gpu-l2-cache: read GB/s vs data-set size (L2 -> DRAM)" "$T_L2" cuda-l2-cache
run_peer "gpu-benches gpu-cache: read GB/s vs per-SM data set (L1 plateau first)" "$T_CACHE" cuda-cache
run_peer "mixbench-cuda: GFLOPS / GB/s vs flops-per-byte (SP, DP, HP, INT)" "$T_MIX" mixbench-cuda

exit "$failed"
