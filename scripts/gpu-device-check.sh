#!/usr/bin/env bash
# gpu-device-check.sh: the one prepared run on a machine with an NVIDIA GPU (this project is lent
# one only now and then, for minutes): the environment, `roofline probe`, the SASS check of every
# CUDA kernel, the benchmark against the peers (scripts/bench-gpu-vs-peers.sh), the GPU-server
# rows (host links, power and throttling per row, latency; GPU-to-GPU copies where there are two
# GPUs) beside nvidia-smi's view and their peers (scripts/bench-gpu-server-vs-peers.sh), a cuBLAS
# bf16 GEMM through PyTorch as the tensor-core reference where PyTorch exists, and a quick CPU run
# on the host. Everything is written under OUT (default /tmp/rl-gpu) and echoed; the ratio tables
# are last.
#
# Usage: OUT=dir RL_LIBS=.devlibs scripts/gpu-device-check.sh
#   RL_LIBS: a folder of the host libraries roofline links (hwloc, libcpuid, cJSON, libgomp) for a
#   machine that has no package registry: copy them there with `ldd roofline`.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/rl-gpu}
mkdir -p "$out"
if [[ -n ${RL_LIBS:-} ]]; then export LD_LIBRARY_PATH=$PWD/$RL_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; fi
section() { printf '\n======== %s ========\n' "$*"; }

section environment
date -u; uname -r; nproc
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,clocks.max.mem,power.limit,temperature.gpu --format=csv 2>&1
lscpu | grep -E "Model name|^CPU\(s\)|Thread|Socket|NUMA node\(s\)" 2>&1
./roofline --version

section "roofline probe --quick"
./roofline probe --quick 2>&1 | tail -45

section "SASS check (cuobjdump, sm_90a)"
scripts/check-gpu-sass.sh ./libroofline-cuda.so sm_90a 2>&1 | tee "$out/sass.txt"

section "error paths"
./roofline gpu --device 7 -q; echo "--device 7: rc=$?"
RL_CUDA_PLUGIN=/nonexistent ./roofline gpu -q; echo "no plugin: rc=$?"
CUDA_VISIBLE_DEVICES= ./roofline gpu -q; echo "no visible device: rc=$?"

section "benchmark against the peers"
scripts/bench-gpu-vs-peers.sh "$out" 2>&1 | tee "$out/bench.txt"

section "GPU-server rows: links, power, clocks and throttling as the driver reports them"
nvidia-smi --query-gpu=index,pcie.link.gen.current,pcie.link.gen.max,pcie.link.width.current,pcie.link.width.max,power.limit,power.default_limit --format=csv 2>&1
nvidia-smi -q -d PERFORMANCE 2>&1 | head -30
nvidia-smi topo -m 2>&1 | head -20

section "GPU-server rows: roofline gpu (every row: power per row, host links, latency, p2p)"
timeout 300 ./roofline gpu -q --json "$out/server-full.json" --svg "$out/server-full.svg" 2>&1 |
    sed -n '/Power, clocks/,$p' | head -80

section "GPU-server rows beside their peers (bandwidthTest, nvbandwidth, gpu-latency, torch)"
scripts/bench-gpu-server-vs-peers.sh "$out" 2>&1 | tee "$out/bench-server.txt"

section "tensor reference: PyTorch bf16 GEMM (cuBLAS), 8192^3, random data"
timeout 120 python3 - <<'PY' 2>&1 | tee "$out/torch.txt"
import torch, time
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
for _ in range(3): a @ b
torch.cuda.synchronize()
s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
best = 0
for _ in range(5):
    s.record()
    for _ in range(10): a @ b
    e.record(); torch.cuda.synchronize()
    best = max(best, 10 * 2 * 8192**3 / (s.elapsed_time(e) * 1e-3) / 1e9)
print(f"torch {torch.__version__} bf16 matmul 8192^3: best {best:.0f} GFLOP/s (of 5 x 10)")
# Device-to-device copy (cudaMemcpy's kernel), 2 GiB, counting bytes read and written.
x = torch.empty(1 << 29, device="cuda", dtype=torch.float32).uniform_()
y = torch.empty_like(x)
for _ in range(3): y.copy_(x)
torch.cuda.synchronize()
best = 0
for _ in range(5):
    s.record()
    for _ in range(10): y.copy_(x)
    e.record(); torch.cuda.synchronize()
    best = max(best, 10 * 2 * x.numel() * 4 / (s.elapsed_time(e) * 1e-3) / 1e9)
print(f"torch device-to-device copy 2 GiB: best {best:.0f} GB/s (read + write, of 5 x 10)")
PY

section "host CPU: AMX and AVX-512 under load (roofline flops), where the host has them"
timeout 90 ./roofline flops --isa amx-bf16,amx-int8,avx512f,avx512_bf16 --threads 1,all -q 2>&1 | tail -30 ||
    echo "(the host runs no AMX: the error above says why)"

section "the main job: roofline --quick (host CPU, then the GPU)"
timeout 120 ./roofline --quick -q --json "$out/host.json" 2>&1 | tail -60

section "summary"
tail -12 "$out/bench.txt"
tail -11 "$out/bench-server.txt"
cat "$out/torch.txt" 2>/dev/null | tail -2
