#!/usr/bin/env bash
# probe-mul-add-mix.sh: how many FP multiplies, adds and FMAs per cycle can this core really run,
# alone and mixed, and with which dependency structure? The experiment behind the separate
# multiply-and-add kernels (scalar, sse2, avx) and the FMA+ADD mix (docs/mul-add-limits.md).
#
#   scripts/probe-mul-add-mix.sh [CPU] [ROUNDS] [NAMES]   (default CPU 0, 7 rounds, all; ~10 s)
#
# NAMES: a comma-separated list of substrings; only variants whose name contains one are run
# (scripts/probe-mul-add-mix.sh 1 30 dep14 runs the four 14-chain mul->add orders, 30 rounds).
#
# Builds, in build/probe-mul-add-mix/, one assembly loop per variant (exactly the instructions
# listed, on registers, no memory access, plus dec/jnz) and times each ROUNDS times in alternation,
# pinned to CPU; prints cycles per iteration and instructions per cycle at the core clock measured
# with dependent 1-cycle integer adds. Needs AVX2 and FMA. Noisy hosts only make rates lower: the
# best round is kept. Register roles: ymm15 = M (1 - 2^-6), ymm14 = A (2^-6), ymm13 = 1.0; chains
# start at 1.0. Multiply-only chains multiply by 1.0 and add-only chains converge (x + A stops
# changing), so no value is ever denormal or infinite.
#
# The kernels before and after the change of docs/mul-add-limits.md are marked OLD and NEW in the last
# column (scalar shown; sse2 and avx have the same structure):
#   scripts/probe-mul-add-mix.sh 0 60 dep14_sd,8xfma+7xadd,dep15_fma_add,6xmul
#
# Variant names: lat_* = one dependent chain (cycles/iter = latency), NxOP = N independent chains
# of OP, "dep" = chains of x = x*M; x = x + A (the kernels' arithmetic: a mul feeding an add).
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${1:-0}
rounds=${2:-7}
names=${3:-}
if ! [[ "$cpu" =~ ^[0-9]+$ && "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "probe-mul-add-mix: usage: $0 [CPU] [ROUNDS]" >&2
  exit 2
fi
dir=build/probe-mul-add-mix
mkdir -p "$dir"
asm=$dir/variants.S
hdr=$dir/probe_variants.h

# One instruction, AT&T syntax, from a token OP:REG.
insn() {
  local op=${1%%:*} r=${1##*:}
  case $op in
    F) echo "vfmadd213pd %ymm14, %ymm15, %ymm$r" ;;    # x = x*M + A (3 distinct registers)
    G) echo "vfmadd213pd %ymm15, %ymm15, %ymm$r" ;;    # x = x*M + M (the mix kernel's form)
    Fs) echo "vfmadd213ps %ymm15, %ymm15, %ymm$r" ;;
    M) echo "vmulpd %ymm13, %ymm$r, %ymm$r" ;;         # x = x*1
    Mm) echo "vmulpd %ymm15, %ymm$r, %ymm$r" ;;        # x = x*M
    A) echo "vaddpd %ymm14, %ymm$r, %ymm$r" ;;         # x = x + A
    Am) echo "vaddpd %ymm15, %ymm$r, %ymm$r" ;;        # x = x + M
    As) echo "vaddps %ymm15, %ymm$r, %ymm$r" ;;
    sm) echo "mulsd %xmm13, %xmm$r" ;;
    smm) echo "mulsd %xmm15, %xmm$r" ;;
    sa) echo "addsd %xmm14, %xmm$r" ;;
    pm) echo "mulpd %xmm13, %xmm$r" ;;
    pmm) echo "mulpd %xmm15, %xmm$r" ;;
    pa) echo "addpd %xmm14, %xmm$r" ;;
    *) echo "probe-mul-add-mix: bad op $op" >&2; exit 1 ;;
  esac
}
kind() {
  case ${1%%:*} in F | G | Fs) echo fma ;; M | Mm | sm | smm | pm | pmm) echo mul ;; *) echo add ;; esac
}

# variant NAME "WHAT" LEGACY(0/1) TOKEN...
variant() {
  local name=$1 what=$2 legacy=$3 nf=0 nm=0 na=0 t sym
  sym=v_${1//+/_}
  shift 3
  {
    echo ".globl $sym"
    echo ".type $sym, @function"
    echo ".p2align 6"
    echo "$sym:"
    for r in $(seq 0 15); do echo "  vbroadcastsd c_one(%rip), %ymm$r"; done
    echo "  vbroadcastsd c_m(%rip), %ymm15"
    echo "  vbroadcastsd c_a(%rip), %ymm14"
    if [ "$legacy" = 1 ]; then
      # legacy SSE after 256-bit VEX: clear the upper halves first, keep the low 128 bits
      echo "  vzeroupper"
    fi
    echo "  .p2align 6"
    echo "1:"
    for t in "$@"; do
      echo "  $(insn "$t")"
      case $(kind "$t") in fma) nf=$((nf + 1)) ;; mul) nm=$((nm + 1)) ;; *) na=$((na + 1)) ;; esac
    done
    echo "  dec %rdi"
    echo "  jnz 1b"
    echo "  vzeroupper"
    echo "  ret"
  } >>"$asm"
  echo "void $sym(uint64_t iters);" >>"$hdr.decl"
  echo "    {\"$name\", $sym, $nf, $nm, $na, \"$what\"}," >>"$hdr.tab"
}
seqtok() { local op=$1 from=$2 to=$3 i; for i in $(seq "$from" "$to"); do echo -n "$op:$i "; done; }
# interleave A B: a0 b0 a1 b1 ... (the longer list's tail at the end)
interleave() {
  local -a a=($1) b=($2)
  local i n=$((${#a[@]} > ${#b[@]} ? ${#a[@]} : ${#b[@]}))
  for ((i = 0; i < n; i++)); do echo -n "${a[i]:-} ${b[i]:-} "; done
}
dep() { # dep OPMUL OPADD FROM TO ORDER: chains x = x*M; x = x + A
  local m=$1 a=$2 from=$3 to=$4 order=$5 i
  if [ "$order" = pairs ]; then
    for i in $(seq "$from" "$to"); do echo -n "$m:$i $a:$i "; done
  else # all muls, then all adds (what gcc emits for the kernels' STEP macros)
    seqtok "$m" "$from" "$to"
    seqtok "$a" "$from" "$to"
  fi
}
skew() { # skew OPMUL OPADD FROM TO LAG: chain i's add is emitted LAG muls after its mul
  local m=$1 a=$2 from=$3 to=$4 lag=$5 n i j
  n=$((to - from + 1))
  for ((i = 0; i < n; i++)); do
    j=$(((i - lag + n) % n))
    echo -n "$m:$((from + i)) $a:$((from + j)) "
  done
}
gccorder() { # the order gcc 12 gives fma_scalar.c's 14 chains (see objdump of kernels/x86/fma_scalar.o)
  local m=$1 a=$2
  echo -n "$m:0 $m:1 $m:2 $m:3 $m:4 $m:5 $a:0 $m:6 $a:1 $m:7 $a:2 $m:8 $a:3 $m:9 $a:4 $m:10 "
  echo -n "$a:5 $m:11 $a:6 $m:12 $a:7 $m:13 $a:8 $a:9 $a:10 $a:11 $a:12 $a:13"
}

: >"$asm"
: >"$hdr.decl"
: >"$hdr.tab"
{
  echo ".section .rodata"
  echo ".p2align 3"
  echo "c_one: .double 1.0"
  echo "c_m: .double 0.984375"
  echo "c_a: .double 0.015625"
  echo ".text"
} >>"$asm"

# Latencies (one chain): FMUL, FADD, FMA, and a multiply feeding an add (any bypass delay between
# the multiply pipes and the add pipes shows up as more than FMUL + FADD).
variant lat_mul "1 chain vmulpd: latency" 0 M:0
variant lat_add "1 chain vaddpd: latency" 0 A:0
variant lat_fma "1 chain vfmadd: latency" 0 F:0
variant lat_muladd "1 chain vmulpd->vaddpd" 0 Mm:0 A:0
variant lat_muladd_sd "1 chain mulsd->addsd" 1 smm:0 sa:0
# Throughput of one kind alone.
variant 12xmul "independent vmulpd" 0 $(seqtok M 0 11)
variant 12xadd "independent vaddpd" 0 $(seqtok A 0 11)
variant 12xfma "independent vfmadd" 0 $(seqtok F 0 11)
# Independent multiplies beside independent adds: is 2 MUL + 2 ADD per cycle reachable at all?
variant 6xmul+6xadd "independent, interleaved" 0 $(interleave "$(seqtok M 0 5)" "$(seqtok A 6 11)")
variant 6xmulsd+6xaddsd "scalar, independent" 1 $(interleave "$(seqtok sm 0 5)" "$(seqtok sa 6 11)")
variant 6xmulpd+6xaddpd "sse2, independent" 1 $(interleave "$(seqtok pm 0 5)" "$(seqtok pa 6 11)")
# The kernels' structure: dependent mul->add chains.
variant dep12_grouped "12 chains, muls then adds" 0 $(dep Mm A 0 11 grouped)
variant dep12_pairs "12 chains, mul add pairs" 0 $(dep Mm A 0 11 pairs)
variant dep13_grouped "13 chains, muls then adds" 0 $(dep Mm A 0 12 grouped)
variant dep13_pairs "13 chains, mul add pairs" 0 $(dep Mm A 0 12 pairs)
variant dep14_grouped "14 chains, muls then adds" 0 $(dep Mm A 0 13 grouped)
variant dep14_pairs "14 chains, mul add pairs" 0 $(dep Mm A 0 13 pairs)
variant dep14_skew6 "14 chains, add lags mul by 6" 0 $(skew Mm A 0 13 6)
variant dep14_sd_gcc "OLD scalar kernel: gcc's order" 1 $(gccorder smm sa)
variant dep14_sd_grouped "14 chains scalar, muls then adds" 1 $(dep smm sa 0 13 grouped)
variant dep14_sd_pairs "NEW scalar kernel: mul add pairs" 1 $(dep smm sa 0 13 pairs)
variant dep12_sd_grouped "12 chains scalar" 1 $(dep smm sa 0 11 grouped)
variant dep13_sd_grouped "13 chains scalar" 1 $(dep smm sa 0 12 grouped)
variant dep13_pd_grouped "13 chains sse2" 1 $(dep pmm pa 0 12 grouped)
# FMA beside ADD.
# FMA feeding an add in each chain: x = x*M + M; x = x + M (latency 4 + 3 = 7 per iteration)
variant dep14_fma_add "14 chains fma->add" 0 $(dep G Am 0 13 pairs)
variant dep15_fma_add "NEW mix kernel: 15 chains fma->add" 0 $(dep G Am 0 14 pairs)
variant dep15_fma_add_g "15 chains fma->add, grouped" 0 $(dep G Am 0 14 grouped)
variant 8xfma+7xadd "OLD mix kernel (x*M+M, s+M)" 0 $(interleave "$(seqtok G 0 7)" "$(seqtok Am 8 14)")
variant 8xfmaps+7xaddps "same, fp32" 0 $(interleave "$(seqtok Fs 0 7)" "$(seqtok As 8 14)")
variant 6xfma+6xadd_2reg "x*M+M (2 distinct srcs)" 0 $(interleave "$(seqtok G 0 5)" "$(seqtok Am 6 11)")
variant 6xfma+6xadd_3reg "x*M+A (3 distinct srcs)" 0 $(interleave "$(seqtok F 0 5)" "$(seqtok A 6 11)")
variant 10xfma+5xadd "2:1" 0 $(interleave "$(seqtok G 0 9)" "$(seqtok Am 10 14)")
variant 12xfma+3xadd "4:1" 0 $(interleave "$(seqtok G 0 11)" "$(seqtok Am 12 14)")
variant 8xfma+4xmul "FMA beside MUL" 0 $(interleave "$(seqtok G 0 7)" "$(seqtok M 8 11)")

{
  echo "/* generated by scripts/probe-mul-add-mix.sh */"
  cat "$hdr.decl"
  echo "static const variant variants[] = {"
  cat "$hdr.tab"
  echo "};"
} >"$hdr"
rm -f "$hdr.decl" "$hdr.tab"
${CC:-cc} -O2 -std=c11 -Wa,--noexecstack -I"$dir" -o "$dir/probe" scripts/probe_mul_add_mix.c "$asm"
exec "$dir/probe" "$cpu" "$rounds" ${names:+"$names"}
