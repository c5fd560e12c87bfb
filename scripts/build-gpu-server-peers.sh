#!/usr/bin/env bash
# build-gpu-server-peers.sh -- builds the peers of the GPU-server rows (issue 21) into .peers/,
# beside scripts/build-gpu-peers.sh's: each from a checkout made elsewhere (never copied into
# this repository), each optional: a peer whose source or build tool is missing is named and
# skipped.
#   cuda-latency    gpu-benches/gpu-latency: pointer chase over growing working sets (cycles)
#   bandwidthTest   NVIDIA cuda-samples 1_Utilities/bandwidthTest: H2D/D2H/D2D, pinned or pageable
#   nvbandwidth     NVIDIA nvbandwidth: copy-engine host<->device and device<->device matrices
#                   (needs cmake and Boost program_options; often not buildable on the GPU image)
#
# Usage: scripts/build-gpu-server-peers.sh [GPU_BENCHES_DIR] [CUDA_SAMPLES_DIR] [NVBANDWIDTH_DIR] [OUT]
#   defaults /tmp/peers/gpu-benches, /tmp/peers/cuda-samples, /tmp/peers/nvbandwidth, .peers
# Environment: NVCC (default /usr/local/cuda/bin/nvcc), ARCH (default sm_90).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GB=${1:-/tmp/peers/gpu-benches}
CS=${2:-/tmp/peers/cuda-samples}
NB=${3:-/tmp/peers/nvbandwidth}
OUT=${4:-$here/../.peers}
NVCC=${NVCC:-/usr/local/cuda/bin/nvcc}
ARCH=${ARCH:-sm_90}
mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d /tmp/gpu-server-peers.XXXXXX)
trap 'rm -rf "$work"' EXIT
NVFLAGS=(-O3 -arch="$ARCH" -cudart static -Xcompiler=-O2 -Wno-deprecated-gpu-targets)
built=()

# gpu-latency includes ../gpu-clock.cuh, which needs nvml.h: the same dlopen shim as
# build-gpu-peers.sh writes (the toolkit here has no nvml.h); the shim is that script's.
if [[ -f $GB/gpu-latency/main.cu ]]; then
  mkdir -p "$work/include"
  sed -n "/^cat > \"\$work\/include\/nvml.h\" <<'EOF'$/,/^EOF$/p" "$here/build-gpu-peers.sh" |
    sed '1d;$d' > "$work/include/nvml.h"
  if "$NVCC" -std=c++17 "${NVFLAGS[@]}" -Xcompiler=-fopenmp -I"$work/include" \
       -o "$OUT/cuda-latency" "$GB/gpu-latency/main.cu" > "$OUT/logs/cuda-latency.log" 2>&1; then
    built+=(cuda-latency)
  else
    echo "cuda-latency: build failed (see $OUT/logs/cuda-latency.log)" >&2
  fi
else
  echo "cuda-latency: skipped: no $GB/gpu-latency/main.cu" >&2
fi

src=$CS/Samples/1_Utilities/bandwidthTest/bandwidthTest.cu
if [[ -f $src ]]; then
  if "$NVCC" -std=c++17 "${NVFLAGS[@]}" -I"$CS/Common" -o "$OUT/bandwidthTest" "$src" \
       > "$OUT/logs/bandwidthTest.log" 2>&1; then
    built+=(bandwidthTest)
  else
    echo "bandwidthTest: build failed (see $OUT/logs/bandwidthTest.log)" >&2
  fi
else
  echo "bandwidthTest: skipped: no $src" >&2
fi

if [[ -f $NB/CMakeLists.txt ]] && command -v cmake >/dev/null; then
  if (cmake -S "$NB" -B "$work/nvbandwidth" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="${ARCH#sm_}" &&
      cmake --build "$work/nvbandwidth" -j "$(nproc)") > "$OUT/logs/nvbandwidth.log" 2>&1; then
    cp "$work/nvbandwidth/nvbandwidth" "$OUT/nvbandwidth" && built+=(nvbandwidth)
  else
    echo "nvbandwidth: build failed, often Boost program_options missing (see $OUT/logs/nvbandwidth.log)" >&2
  fi
else
  echo "nvbandwidth: skipped: no $NB/CMakeLists.txt or no cmake" >&2
fi

rev() { git -C "$1" log -1 --format='%H (%cd)' 2>/dev/null || echo "unknown"; }
{
  echo "gpu-benches:  $GB @ $(rev "$GB")"
  echo "cuda-samples: $CS @ $(rev "$CS")"
  echo "nvbandwidth:  $NB @ $(rev "$NB")"
  echo "built: ${built[*]:-none}; nvcc flags: ${NVFLAGS[*]}"
} | tee "$OUT/PEERS-server.txt"
