#!/usr/bin/env bash
# check-gpu-sass.sh: disassembles the CUDA plugin's machine code (cuobjdump -sass) and checks that
# every kernel contains the instruction its row declares (`roofline gpu --list`): FFMA, DFMA, HFMA2,
# HMMA, IMMA, HGMMA, QGMMA (fp8), IGMMA (int8), LDG, STG, LDS; and the latency kernels (the pointer
# chases load, the empty launch kernel does not). Prints one line per kernel and architecture with
# the count.
# A kernel with none of its instruction fails the check (exit 1), except where the architecture
# has no such path (the kernel body is empty there: bf16/mma before sm_80, wgmma outside sm_90a).
#
# Usage: scripts/check-gpu-sass.sh [PLUGIN] [ARCH...]   (default ./libroofline-cuda.so, sm_90a)
# Needs cuobjdump (CUDA toolkit; on this project's build machine only nvcc may be installed: then
# tests/test_gpu.c checks the PTX instead).
set -uo pipefail
cd "$(dirname "$0")/.."
plugin=${1:-./libroofline-cuda.so}
shift || true
archs=("${@:-sm_90a}")
cuobjdump=$(command -v cuobjdump || echo /usr/local/cuda/bin/cuobjdump)
[[ -x $cuobjdump ]] || { echo "check-gpu-sass: no cuobjdump here" >&2; exit 2; }
fail=0
while read -r id kind path prec op insn kernel; do
  [[ $id == id ]] && continue
  for arch in "${archs[@]}"; do
    n=$("$cuobjdump" -sass -arch "$arch" -fun "$kernel" "$plugin" 2>/dev/null |
        grep -cE "[[:space:]]${insn}([[:space:].;_]|$)")
    expect=1
    case $insn:$arch in
      [HQI]GMMA:sm_90a) ;; [HQI]GMMA:*) expect=0 ;;
      HFMA2.BF16:sm_75|HMMA:sm_75|IMMA:sm_75) expect=0 ;;
    esac
    status=ok
    if [[ $expect == 1 && $n == 0 ]]; then status=MISSING; fail=1; fi
    printf '%-12s %-22s %-7s %-11s %6s  %s\n' "$id" "$kernel" "$arch" "$insn" "$n" "$status"
  done
done < <(./roofline gpu --list)
# The latency kernels (kernels/cuda/latency.cu; not rows of --list): each chase holds its loads
# (LDG; the .ca/.cg cache hints are checked in the PTX by tests/test_gpu.c), the empty kernel none.
for arch in "${archs[@]}"; do
  for spec in rl_gpu_chase_ca:LDG:1 rl_gpu_chase_cg:LDG:1 rl_gpu_empty:LDG:0; do
    IFS=: read -r kernel insn expect <<<"$spec"
    n=$("$cuobjdump" -sass -arch "$arch" -fun "$kernel" "$plugin" 2>/dev/null |
        grep -cE "[[:space:]]${insn}([[:space:].;_]|$)")
    status=ok
    if [[ $expect == 1 && $n == 0 ]] || [[ $expect == 0 && $n != 0 ]]; then status=WRONG; fail=1; fi
    printf '%-12s %-22s %-7s %-11s %6s  %s\n' latency "$kernel" "$arch" "$insn" "$n" "$status"
  done
done
exit $fail
