#!/usr/bin/env bash
# build-gpu-peers.sh -- build third-party GPU "peer" benchmarks whose figures
# roofline's GPU numbers are compared against. The peers are NOT part of
# roofline: their sources are checked out elsewhere (never copied into this
# repository) and only the resulting binaries land in the output folder, which
# is kept out of git via .git/info/exclude.
#
# Usage: scripts/build-gpu-peers.sh [GPU_BENCHES_DIR] [MIXBENCH_DIR] [OUT_DIR]
#   GPU_BENCHES_DIR  checkout of github.com/te42kyfo/gpu-benches (default /tmp/peers/gpu-benches)
#   MIXBENCH_DIR     checkout of github.com/ekondis/mixbench     (default /tmp/peers/mixbench)
#   OUT_DIR          where the binaries go                      (default <repo>/.peers)
# Environment: NVCC (default /usr/local/cuda/bin/nvcc), ARCH (default sm_90, i.e. H100/H200).
#
# Produces in OUT_DIR:
#   cuda-stream     gpu-benches/gpu-stream    (DRAM init/read/scale/triad/stencil GB/s vs block size)
#   cuda-l2-cache   gpu-benches/gpu-l2-cache  (read bandwidth vs data-set size: L2 -> DRAM)
#   cuda-cache      gpu-benches/gpu-cache     (read bandwidth vs per-SM data-set size: L1 -> L2 -> DRAM)
#   mixbench-cuda   mixbench/mixbench-cuda    (FP32/FP64/FP16/INT32 GFLOPS & GB/s vs arithmetic intensity)
#   PEERS.txt       peer commits, compiler and flags used; logs/ holds the build output.
#
# All binaries use the static CUDA runtime (-cudart static), so on the GPU
# machine they need only the driver's libcuda.so.1 (loaded at run time) plus
# libc/libstdc++/libm/libgcc_s.
#
# How the peers' own Makefiles are (not) followed, and why -- no peer source
# file is modified:
#  * gpu-benches' Makefiles target sm_70, add -g/-rdynamic/-fopenmp (nothing
#    uses OpenMP) and link -lnvidia-ml, and for the two cache benchmarks
#    -lcupti -lnvperf_host -lnvperf_target. We compile the same main.cu with
#    -O3 for $ARCH and link only what is used.
#  * gpu-l2-cache and gpu-cache include ../gpu-metrics/gpu-metrics.hpp (CUPTI
#    profiler code). All its measurement calls are commented out in both
#    main.cu files; only initMeasureMetric(), an empty function, is called.
#    Linking it makes the binary need libcupti.so.13 and libnvperf_host.so
#    (GNU ld keeps them NEEDED even with --gc-sections/--as-needed), which the
#    GPU machine may not have on its library path. So we pre-include a tiny
#    header that defines that header's include guard and an empty
#    initMeasureMetric(): same behaviour, no CUPTI dependency.
#  * gpu-cache includes ../gpu-clock.cuh, which uses NVML (<nvml.h>) only to
#    print the SM clock while warming the GPU up. The CUDA 13 toolkit here
#    ships neither nvml.h nor the libnvidia-ml stub, so the build would fail.
#    We put a small nvml.h on the include path that dlopen()s the driver's
#    libnvidia-ml.so.1 at run time for the same three calls (prints clock 0 if
#    NVML is absent). No link-time NVML dependency.
#  * mixbench-cuda is built with its own CMakeLists (already --cudart=static),
#    CMAKE_CUDA_ARCHITECTURES=90. cmake runs with the mixbench checkout as
#    working directory so its `git describe` version stamp is mixbench's, not
#    roofline's. It writes version_info.h into the mixbench source dir (its
#    normal behaviour).
# Nothing needed a patch for CUDA 13.0 (checked with nvcc 13.0.88).
#
# Run-time notes (H100/H200 class): none of the peers take command-line flags.
#   cuda-stream ~5-10 s; cuda-l2-cache ~20-40 s (86 sizes, 11 runs each);
#   cuda-cache well over 60 s (~80 sizes x 15 runs, the L2/DRAM tail is slow):
#   bound it with `timeout` -- rows come out smallest data set first and are
#   flushed per line, so a cut run still has the whole L1 range;
#   mixbench-cuda a few seconds. See scripts/gpu-peers-run.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GB_SRC=$(cd "${1:-/tmp/peers/gpu-benches}" && pwd)
MIX_SRC=$(cd "${2:-/tmp/peers/mixbench}" && pwd)
OUT=${3:-$here/../.peers}
NVCC=${NVCC:-/usr/local/cuda/bin/nvcc}
ARCH=${ARCH:-sm_90}

for f in "$GB_SRC/gpu-stream/main.cu" "$GB_SRC/gpu-l2-cache/main.cu" \
         "$GB_SRC/gpu-cache/main.cu" "$MIX_SRC/mixbench-cuda/CMakeLists.txt"; do
  [[ -f $f ]] || { echo "missing peer source: $f" >&2; exit 1; }
done
command -v cmake >/dev/null || { echo "cmake not found" >&2; exit 1; }
[[ -x $NVCC ]] || { echo "nvcc not found at $NVCC" >&2; exit 1; }

mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d /tmp/gpu-peers-build.XXXXXX)   # shims + cmake build dir
trap 'rm -rf "$work"' EXIT

# --- shim 1: replaces the CUPTI metrics header (see above) -----------------
cat > "$work/no-gpu-metrics.h" <<'EOF'
// Pre-included instead of gpu-metrics/gpu-metrics.hpp: defining its include
// guard skips the CUPTI code; main.cu only calls the (empty) initMeasureMetric.
#pragma once
#define GPU_MEASURE_METRICS_H_
inline void initMeasureMetric() {}
EOF

# --- shim 2: nvml.h resolving the 3 NVML calls of gpu-clock.cuh at run time -
mkdir -p "$work/include"
cat > "$work/include/nvml.h" <<'EOF'
// Minimal stand-in for nvml.h (absent from this CUDA toolkit): the calls used
// by gpu-benches' gpu-clock.cuh, resolved from the driver's libnvidia-ml.so.1
// with dlopen at run time. If NVML is unavailable the clock reads as 0.
#pragma once
#include <dlfcn.h>
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef int nvmlReturn_t;
typedef enum { NVML_CLOCK_GRAPHICS = 0, NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2,
               NVML_CLOCK_VIDEO = 3 } nvmlClockType_t;
static inline void *shimNvmlSym(const char *name) {
  static void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  return lib ? dlsym(lib, name) : nullptr;
}
static inline nvmlReturn_t nvmlInit(void) {
  auto f = (nvmlReturn_t(*)(void))shimNvmlSym("nvmlInit_v2");
  return f ? f() : 999;
}
static inline nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int i, nvmlDevice_t *d) {
  auto f = (nvmlReturn_t(*)(unsigned int, nvmlDevice_t *))shimNvmlSym("nvmlDeviceGetHandleByIndex_v2");
  *d = nullptr;
  nvmlReturn_t r = f ? f(i, d) : 999;
  if (r != 0) *d = nullptr;
  return r;
}
static inline nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, nvmlClockType_t t, unsigned int *c) {
  auto f = (nvmlReturn_t(*)(nvmlDevice_t, nvmlClockType_t, unsigned int *))shimNvmlSym("nvmlDeviceGetClockInfo");
  *c = 0;
  return (f && d) ? f(d, t, c) : 999;
}
EOF

# Common nvcc flags: device -O3 for the target arch only, host -O2, static
# cudart. (Peers' Makefiles: -O3 -arch=sm_70 plus debug/profiling extras.)
NVFLAGS=(-O3 -arch="$ARCH" -cudart static -Xcompiler=-O2 -Xcompiler=-pipe -Wno-deprecated-gpu-targets)

build_gb() {  # name std extra-flags...  -> $OUT/cuda-<name>
  local name=$1 std=$2; shift 2
  echo "== building cuda-$name ($GB_SRC/gpu-$name/main.cu)"
  "$NVCC" -std="$std" "${NVFLAGS[@]}" "$@" -o "$OUT/cuda-$name" \
    "$GB_SRC/gpu-$name/main.cu" > "$OUT/logs/cuda-$name.log" 2>&1 \
    || { cat "$OUT/logs/cuda-$name.log" >&2; exit 1; }
}

build_gb stream   c++11                                   # as its Makefile: -std=c++11
build_gb l2-cache c++17 -include "$work/no-gpu-metrics.h" # as its Makefile: -std=c++17
build_gb cache    c++17 -include "$work/no-gpu-metrics.h" -I"$work/include"

# --- mixbench-cuda via its CMakeLists ---------------------------------------
echo "== building mixbench-cuda ($MIX_SRC/mixbench-cuda)"
(
  cd "$MIX_SRC/mixbench-cuda"   # so `git describe` in CMakeLists sees mixbench
  cmake -S . -B "$work/mixbench" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="${ARCH#sm_}"
  cmake --build "$work/mixbench" -j "$(nproc)"
) > "$OUT/logs/mixbench-cuda.log" 2>&1 || { tail -40 "$OUT/logs/mixbench-cuda.log" >&2; exit 1; }
cp "$work/mixbench/mixbench-cuda" "$OUT/mixbench-cuda"

# --- record what was built, sanity-check arch and dependencies --------------
rev() { git -C "$1" log -1 --format='%H (%cd)' 2>/dev/null || echo "unknown (not a git checkout)"; }
{
  echo "gpu-benches: $GB_SRC @ $(rev "$GB_SRC")"
  echo "mixbench:    $MIX_SRC @ $(rev "$MIX_SRC")"
  echo "nvcc:        $("$NVCC" --version | tail -1)"
  echo "arch:        $ARCH; nvcc flags: ${NVFLAGS[*]}"
} > "$OUT/PEERS.txt"

# cuobjdump is not in every CUDA install (not in this one); without it fall
# back to looking for the arch string that the embedded fatbin carries.
cuobjdump=$(command -v cuobjdump || echo "$(dirname "$NVCC")/cuobjdump")
for b in cuda-stream cuda-l2-cache cuda-cache mixbench-cuda; do
  if [[ -x $cuobjdump ]]; then
    "$cuobjdump" --list-elf "$OUT/$b" | grep -q "$ARCH" || echo "warning: $b has no $ARCH cubin" >&2
  else
    grep -a -q "$ARCH" "$OUT/$b" || echo "warning: no '$ARCH' string in $b" >&2
  fi
  # Libraries beyond libc/libstdc++/libm/libgcc/libcuda would have to exist on the GPU machine.
  extra=$(ldd "$OUT/$b" | awk '{print $1}' | grep -v -E '^(linux-vdso|/lib64/ld-linux|lib(c|m|stdc\+\+|gcc_s|cuda|dl|rt|pthread)\.so)' || true)
  printf '%-14s %6s  extra libs: %s\n' "$b" "$(du -h "$OUT/$b" | cut -f1)" "${extra:-none}" | tee -a "$OUT/PEERS.txt"
done
du -sh "$OUT"
