#!/usr/bin/env bash
# Peak FLOP/s of `roofline flops` against its peers, run alternately in one session, 1 thread:
# cpufp (github.com/pigirons/cpufp) and peakperf (github.com/Dr-Noob/peakperf), each built by this
# script into a scratch folder and never kept, and likwid-bench (Debian's, when installed). Prints one row per ISA and precision: roofline, each
# peer, roofline / the best peer (target >= 0.99) and roofline's share of its theoretical peak at the
# measured clock (target >= 97%).
#
#   scripts/bench-flops-vs-peers.sh [ROUNDS]        (default 3 rounds; cpufp takes about 1 min each)
#
# Environment:
#   CPUFP=/path/to/cpufp      use this cpufp binary instead of building one
#   CPUFP_SRC=DIR             build cpufp from DIR (a checkout, or a git directory: its HEAD)
#                             instead of cloning https://github.com/pigirons/cpufp
#   PEAKPERF=/path/to/peakperf, PEAKPERF_SRC=DIR   the same for peakperf (cmake, CPU only)
# Exit status: 0 when every row meets the targets, 3 when one misses them (the table is printed
# either way), 1 when roofline fails, 2 for a bad ROUNDS. A peer that cannot be built or run is left
# out with a message.
#
# Row mapping. cpufp: "AVX512F 512b FMA" = avx512f, "FMA 256b FMA" = avx2-fma, "AVX 256b
# ADD(MUL)" = avx, "SSE/SSE2 128b ADD(MUL)" = sse2, "AVX512_BF16 512b" = avx512_bf16,
# "AVX512_VNNI 512b DP4A" = avx512_vnni, "AVX_VNNI 256b DP4A" = avx_vnni, "AVX512_FP16 512b" =
# avx512_fp16. peakperf measures FP32 FMA only, with the benchmark it picks for this CPU ("Zen 4
# (AVX2)" = avx2-fma fp32, "... (AVX512)" = avx512f fp32, "(AVX)" = avx, "(SSE)" = sse2) and, where
# the CPU has AVX-512F, also its skylake_512 benchmark (avx512f fp32). likwid-bench: peakflops[_sp] = scalar, _sse = sse2, _avx = avx, _avx_fma = avx2-fma,
# _avx512_fma = avx512f (its kernels add one load per iteration; it counts FLOPs as we do).
#
# On an AArch64 host (docs/arm.md): cpufp is built with its build_arm64.sh and its rows map as
# "asimd fmla.vv(f64..)" = neon fp64, "fmla.vv(f32..)" = neon fp32, "asimd_hp fmla.vv(fp16..)" =
# neon fp16, "asimd_dp dp4a.vv(s32,s8,s8)" = sdot int8, "bf16 dp2a.vv" = bfdot, "bf16 mmla" =
# bfmmla, "i8mm mmla(s32,s8,s8)" = smmla (the best of its .vs and .vv forms); likwid-bench's armv8
# kernels peakflops[_sp]_neon_fma = neon and peakflops[_sp]_sveN_fma = sve at the machine's vector
# length N (/proc/sys/abi/sve_default_vector_length); peakperf has no ARM kernels (left out).
set -euo pipefail
arch=$(uname -m)
cd "$(dirname "$0")/.."

rounds=${1:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-flops-vs-peers: ROUNDS must be a positive integer, not '$rounds'" >&2
  exit 2
fi
if ! command -v jq >/dev/null 2>&1; then
  echo "bench-flops-vs-peers: 'jq' is not installed (Debian: apt-get install jq)" >&2
  exit 1
fi
if [ ! -x ./roofline ]; then
  make -s roofline >&2
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# A peer's source into the scratch folder DEST: from SRC (a git directory: its HEAD; or a
# checkout), else cloned from URL. Says so and returns 1 when there is none.
peer_source() { # NAME DEST SRC URL
  mkdir -p "$2"
  if [ -n "$3" ] && [ -d "$3/objects" ]; then
    git --git-dir="$3" archive HEAD | tar -x -C "$2"
  elif [ -n "$3" ]; then
    cp -r "$3"/. "$2"
  elif ! git clone -q --depth 1 "$4" "$2" 2>/dev/null; then
    echo "bench-flops-vs-peers: cannot clone $1 (set ${1^^} or ${1^^}_SRC): left out" >&2
    return 1
  fi
}

# ---- cpufp and peakperf: given, or built from a copy of their repositories ----
cpufp=${CPUFP:-}
if [ -z "$cpufp" ] && peer_source cpufp "$scratch/cpufp" "${CPUFP_SRC:-}" https://github.com/pigirons/cpufp; then
  src="$scratch/cpufp"
  build=build_x64.sh
  [ "$arch" = aarch64 ] && build=build_arm64.sh
  if (cd "$src" && bash "$build" >build.log 2>&1) && [ -x "$src/cpufp" ]; then
    cpufp="$src/cpufp"
  else
    echo "bench-flops-vs-peers: cpufp did not build (see its $build): left out" >&2
  fi
fi
peakperf=${PEAKPERF:-}
if [ "$arch" = aarch64 ]; then
  echo "bench-flops-vs-peers: peakperf has no ARM kernels: left out" >&2
elif [ -z "$peakperf" ] &&
  peer_source peakperf "$scratch/peakperf" "${PEAKPERF_SRC:-}" https://github.com/Dr-Noob/peakperf; then
  src="$scratch/peakperf"
  if (cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DENABLE_GPU_DEVICE=false &&
    cmake --build "$src/build" -j "$(nproc)") >"$src/build.log" 2>&1 && [ -x "$src/build/peakperf" ]; then
    peakperf="$src/build/peakperf"
  else
    echo "bench-flops-vs-peers: peakperf did not build (see its CMakeLists.txt): left out" >&2
  fi
fi
likwid=
if command -v likwid-bench >/dev/null 2>&1; then
  likwid=likwid-bench
else
  echo "bench-flops-vs-peers: likwid-bench is not installed (Debian: apt-get install likwid): left out" >&2
fi

# Every tool writes "isa precision gflops [efficiency]" lines.
ours() {
  ./roofline flops --threads 1 --quiet --json - |
    jq -r '.flops[] | "\(.isa) \(.precision) \(.gflops) \(.efficiency)"'
}

cpufp_rows() {
  if [ "$arch" = aarch64 ]; then
    cpufp_rows_arm64
    return
  fi
  "$cpufp" --thread_pool=[0] 2>/dev/null | awk -F'|' '
    NF >= 5 {
      isa = $2; len = $3; op = $4; perf = $5
      gsub(/ /, "", isa); gsub(/ /, "", len); gsub(/ /, "", op)
      split(perf, p, " "); v = p[1]; u = p[2]
      if (u ~ /^T/) v *= 1000; else if (u ~ /^M/) v /= 1000
      key = ""
      if (isa == "AVX512F" && len == "512b" && op == "FMA(f64,f64,f64)") key = "avx512f fp64"
      if (isa == "AVX512F" && len == "512b" && op == "FMA(f32,f32,f32)") key = "avx512f fp32"
      if (isa == "FMA" && len == "256b" && op == "FMA(f64,f64,f64)") key = "avx2-fma fp64"
      if (isa == "FMA" && len == "256b" && op == "FMA(f32,f32,f32)") key = "avx2-fma fp32"
      if (isa == "AVX" && len == "256b" && op == "ADD(MUL(f64,f64),f64)") key = "avx fp64"
      if (isa == "AVX" && len == "256b" && op == "ADD(MUL(f32,f32),f32)") key = "avx fp32"
      if (isa == "SSE2" && op == "ADD(MUL(f64,f64),f64)") key = "sse2 fp64"
      if (isa == "SSE" && op == "ADD(MUL(f32,f32),f32)") key = "sse2 fp32"
      if (isa == "AVX512_BF16" && len == "512b" && op ~ /^DP2A\(f32,bf16/) key = "avx512_bf16 bf16"
      if (isa == "AVX512_VNNI" && len == "512b" && op == "DP4A(s32,u8,s8)") key = "avx512_vnni int8"
      if (isa == "AVX_VNNI" && len == "256b" && op == "DP4A(s32,u8,s8)") key = "avx_vnni int8"
      if (isa == "AVX512_FP16" && len == "512b" && op ~ /^FMA\(f16/) key = "avx512_fp16 fp16"
      if (key != "") print key, v
    }'
}

# cpufp's arm64 table has three columns: instruction set, computation, performance.
cpufp_rows_arm64() {
  "$cpufp" --thread_pool=[0] 2>/dev/null | awk -F'|' '
    NF >= 4 {
      isa = $2; op = $3; perf = $4
      gsub(/ /, "", isa); gsub(/ /, "", op)
      split(perf, p, " "); v = p[1]; u = p[2]
      if (u ~ /^T/) v *= 1000; else if (u ~ /^M/) v /= 1000
      key = ""
      if (isa == "asimd" && op ~ /^fmla\.v[sv]\(f64/) key = "neon fp64"
      if (isa == "asimd" && op ~ /^fmla\.v[sv]\(f32/) key = "neon fp32"
      if (isa == "asimd_hp" && op ~ /^fmla\.v[sv]\(fp16/) key = "neon fp16"
      if (isa == "asimd_dp" && op ~ /^dp4a\.v[sv]\(s32,s8,s8\)/) key = "sdot int8"
      if (isa == "bf16" && op ~ /^dp2a/) key = "bfdot bf16"
      if (isa == "bf16" && op ~ /^mmla/) key = "bfmmla bf16"
      if (isa == "i8mm" && op == "mmla(s32,s8,s8)") key = "smmla int8"
      if (key != "") print key, v
    }'
}

# One peakperf run per benchmark, pinned to CPU 0: "isa fp32 gflops" from its Benchmark line's
# ISA and its average (colour codes stripped).
peakperf_rows() {
  local b out isa
  for b in auto $(grep -qw avx512f /proc/cpuinfo && echo skylake_512); do
    if [ "$b" = auto ]; then
      out=$(taskset -c 0 "$peakperf" -t 1 -r 5 -w 1 2>&1) || continue
    else
      out=$(taskset -c 0 "$peakperf" -t 1 -r 5 -w 1 -b "$b" 2>&1) || continue
    fi
    out=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out")
    case $(awk -F: '/Benchmark:/ { print $2 }' <<<"$out") in
    *"(AVX512)"*) isa=avx512f ;;
    *"(AVX2)"*) isa=avx2-fma ;;
    *"(AVX)"*) isa=avx ;;
    *"(SSE)"*) isa=sse2 ;;
    *) continue ;;
    esac
    awk -v k="$isa fp32" '/Average performance:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { print k, $i; exit } }' <<<"$out"
  done
}

likwid_rows_arm64() {
  local t out vl
  vl=$(($(cat /proc/sys/abi/sve_default_vector_length 2>/dev/null || echo 0) * 8))
  for t in peakflops_neon_fma:neon:fp64 peakflops_sp_neon_fma:neon:fp32 \
    peakflops_sve${vl}_fma:sve:fp64 peakflops_sp_sve${vl}_fma:sve:fp32; do
    IFS=: read -r test isa prec <<<"$t"
    [ "$isa" = sve ] && ! [[ "$vl" =~ ^(128|256|512)$ ]] && continue
    out=$("$likwid" -t "$test" -W S0:16kB:1 2>&1) || continue
    echo "$out" | awk -v k="$isa $prec" '/^MFlops\/s:/ { print k, $2 / 1000 }'
  done
}

likwid_rows() {
  local t key out
  if [ "$arch" = aarch64 ]; then
    likwid_rows_arm64
    return
  fi
  for t in peakflops:scalar:fp64 peakflops_sp:scalar:fp32 peakflops_sse:sse2:fp64 \
    peakflops_sp_sse:sse2:fp32 peakflops_avx:avx:fp64 peakflops_sp_avx:avx:fp32 \
    peakflops_avx_fma:avx2-fma:fp64 peakflops_sp_avx_fma:avx2-fma:fp32 \
    peakflops_avx512_fma:avx512f:fp64 peakflops_sp_avx512_fma:avx512f:fp32; do
    IFS=: read -r test isa prec <<<"$t"
    case $isa in
    avx512f) grep -qw avx512f /proc/cpuinfo || continue ;;
    avx2-fma) grep -qw fma /proc/cpuinfo || continue ;;
    avx) grep -qw avx /proc/cpuinfo || continue ;;
    esac
    out=$("$likwid" -t "$test" -W S0:16kB:1 2>&1) || continue
    echo "$out" | awk -v k="$isa $prec" '/^MFlops\/s:/ { print k, $2 / 1000 }'
  done
}

declare -A r_best r_eff c_best l_best p_best
keep() { # keep ARRAY KEY VALUE: the larger
  local -n a=$1
  if [ -z "${a[$2]:-}" ] || awk -v x="$3" -v y="${a[$2]}" 'BEGIN { exit !(x + 0 > y + 0) }'; then
    a[$2]=$3
    return 0
  fi
  return 1
}

run_ours() {
  local isa prec g e
  while read -r isa prec g e; do
    if keep r_best "$isa $prec" "$g"; then r_eff["$isa $prec"]=$e; fi
  done < <(ours)
}
run_cpufp() {
  [ -n "$cpufp" ] || return 0
  local isa prec g
  while read -r isa prec g; do keep c_best "$isa $prec" "$g" || true; done < <(cpufp_rows)
}
run_peakperf() {
  [ -n "$peakperf" ] || return 0
  local isa prec g
  while read -r isa prec g; do keep p_best "$isa $prec" "$g" || true; done < <(peakperf_rows)
}
run_likwid() {
  [ -n "$likwid" ] || return 0
  local isa prec g
  while read -r isa prec g; do keep l_best "$isa $prec" "$g" || true; done < <(likwid_rows)
}

for ((r = 1; r <= rounds; r++)); do
  echo "round $r of $rounds" >&2
  # Alternate which tool goes first, so none always runs on a warmer core.
  if ((r % 2)); then
    run_ours
    run_cpufp
    run_peakperf
    run_likwid
  else
    run_likwid
    run_peakperf
    run_cpufp
    run_ours
  fi
done

echo "best of $rounds rounds, 1 thread ($(grep -m1 -e 'model name' -e 'CPU part' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
printf "%-18s %-6s %10s %10s %10s %10s %10s %8s\n" isa precision roofline cpufp likwid peakperf vs_best_peer theory
status=0
while read -r isa prec; do
  k="$isa $prec"
  g=${r_best[$k]}
  c=${c_best[$k]:--}
  l=${l_best[$k]:--}
  p=${p_best[$k]:--}
  line=$(awk -v g="$g" -v c="$c" -v l="$l" -v p="$p" -v e="${r_eff[$k]}" 'BEGIN {
    best = 0; if (c != "-") best = c; if (l != "-" && l + 0 > best) best = l
    if (p != "-" && p + 0 > best) best = p
    ratio = best > 0 ? sprintf("%.3f", g / best) : "-"
    eff = e + 0 > 0 ? sprintf("%.1f%%", e * 100) : "-"
    ok = (best == 0 || g / best >= 0.99) && (e + 0 <= 0 || e >= 0.97)
    printf "%10.2f %10s %10s %10s %10s %8s %d", g, c, l, p, ratio, eff, ok }')
  ok=${line##* }
  printf "%-18s %-6s %s%s\n" "$isa" "$prec" "${line% *}" "$([ "$ok" = 1 ] || echo '  <- below target')"
  [ "$ok" = 1 ] || status=3
done < <(printf '%s\n' "${!r_best[@]}" | sort)
exit $status
