#!/usr/bin/env bash
# Idle memory latency of `roofline latency` against lmbench's lat_mem_rd (-t: random order within
# and across pages) and tinymembench (single random read), run alternately in one session on the
# same machine, at the working sets roofline picks per level (L1, L2, L3, DRAM) and on the same
# pages: lat_mem_rd mallocs (4 KiB pages unless THP=always) so it is compared with roofline's 4k
# rows; tinymembench's [MADV_NOHUGEPAGE] table with 4k, its [MADV_HUGEPAGE] table with thp. Each
# peer is read at its largest size not above roofline's set. Neither peer is in Debian's main
# archive: both are built by this script in a scratch folder and never kept.
#
#   scripts/bench-latency-vs-peers.sh [ROUNDS]      (default 3; tinymembench takes ~1 min a round)
#
# Environment: LMBENCH_SRC=DIR, TINYMEMBENCH_SRC=DIR: a checkout or a git directory (its HEAD) to
# build from instead of cloning github.com/intel/lmbench and github.com/ssvb/tinymembench;
# LAT_MEM_RD=/path, TINYMEMBENCH=/path: use these binaries. lat_mem_rd needs Sun RPC headers
# (libtirpc-dev). A peer that cannot be built or run is left out with a message.
#
# Prints per level and page kind: roofline's best ns, each peer's best ns, and roofline / the best
# (lowest) peer. Target: within 3% (0.97-1.03). A reading below a peer is not a win: latency is
# over-estimated by noise and under-estimated only by a prefetcher or LLC hits, so a ratio under
# 0.97 needs explaining (a set the LLC partly holds, a peer's smaller set). tinymembench reports
# the time *beyond* an L1 hit (its Note 1): its figures have roofline's L1 latency added back here.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-latency-vs-peers: ROUNDS must be a positive integer, not '$rounds'" >&2
  exit 2
fi
command -v jq >/dev/null || { echo "bench-latency-vs-peers: needs jq" >&2; exit 1; }
[ -x ./roofline ] || make -s roofline >&2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

peer_source() { # NAME DEST SRC URL
  mkdir -p "$2"
  if [ -n "$3" ] && [ -d "$3/objects" ]; then
    git --git-dir="$3" archive HEAD | tar -x -C "$2"
  elif [ -n "$3" ]; then
    cp -r "$3"/. "$2"
  elif ! git clone -q --depth 1 "$4" "$2" 2>/dev/null; then
    echo "bench-latency-vs-peers: cannot clone $1 (set ${1^^}_SRC): left out" >&2
    return 1
  fi
}

lat_mem_rd=${LAT_MEM_RD:-}
if [ -z "$lat_mem_rd" ] && peer_source lmbench "$scratch/lmbench" "${LMBENCH_SRC:-}" https://github.com/intel/lmbench; then
  s="$scratch/lmbench/src"
  if (cd "$s" && cc -O2 -w -I/usr/include/tirpc -o lat_mem_rd lat_mem_rd.c lib_timing.c lib_mem.c \
    lib_stats.c lib_debug.c lib_sched.c getopt.c -lm -ltirpc) >"$scratch/lmbench.log" 2>&1; then
    lat_mem_rd="$s/lat_mem_rd"
  else
    echo "bench-latency-vs-peers: lat_mem_rd did not build (libtirpc-dev?): left out" >&2
  fi
fi
tinymembench=${TINYMEMBENCH:-}
if [ -z "$tinymembench" ] && peer_source tinymembench "$scratch/tmb" "${TINYMEMBENCH_SRC:-}" https://github.com/ssvb/tinymembench; then
  if make -s -C "$scratch/tmb" >"$scratch/tmb.log" 2>&1; then
    tinymembench="$scratch/tmb/tinymembench"
  else
    echo "bench-latency-vs-peers: tinymembench did not build: left out" >&2
  fi
fi

# roofline's sets per level: "LEVEL BYTES" lines.
./roofline latency -q --pages 4k --repeat 1 --min-time 0.001 --json - |
  jq -r '.latency[] | select(.kind=="idle") | "\(.level) \(.bytes)"' >"$scratch/levels"
dram=$(awk '$1=="DRAM" {print $2}' "$scratch/levels")

best() { # FILE KEY: the lowest value recorded under KEY
  awk -v k="$2" '$1==k && (m=="" || $2<m) {m=$2} END {print m}' "$1"
}
: >"$scratch/results"
for ((r = 1; r <= rounds; r++)); do
  ./roofline latency -q --pages 4k,thp --json - |
    jq -r '.latency[] | select(.kind=="idle") | "roofline-\(.level)-\(.pages) \(.ns)"' >>"$scratch/results"
  if [ -n "$lat_mem_rd" ]; then
    # "size_MB ns" lines on stderr, MB = 2^20 bytes (its argument too); each level read at the
    # largest size not above roofline's set.
    # Capped: on this build a lat_mem_rd -t run grew to 23 GB (its child, never freed); the
    # address space is limited to 4x the set plus 1 GiB and the run to 10 minutes.
    (ulimit -v $((dram / 1024 * 4 + 1048576)); timeout -s KILL 600 "$lat_mem_rd" -t -N 3 \
      "$((dram / 1048576))" 64) 2>"$scratch/lmb.out" >/dev/null || true
    while read -r level bytes; do
      awk -v b="$bytes" -v l="$level" 'NF==2 && $1+0>0 && $1*1048576<=b+1 {v=$2} END {if (v!="") print "lat_mem_rd-" l "-4k", v}' \
        "$scratch/lmb.out" >>"$scratch/results"
    done <"$scratch/levels"
  fi
  if [ -n "$tinymembench" ]; then
    (ulimit -v 4194304; timeout -s KILL 1200 "$tinymembench") >"$scratch/tmb.out" 2>&1 || true
    l1=$(best "$scratch/results" roofline-L1-4k)
    while read -r level bytes; do
      awk -v b="$bytes" -v l="$level" -v l1="$l1" '
        /MADV_NOHUGEPAGE/ {p="4k"} /MADV_HUGEPAGE\]/ {p="thp"}
        p!="" && $2==":" && $1+0>0 && $1<=b {v[p]=$3}
        END {for (k in v) print "tinymembench-" l "-" k, v[k]+l1}' "$scratch/tmb.out" >>"$scratch/results"
    done <"$scratch/levels"
  fi
  echo "bench-latency-vs-peers: round $r of $rounds done" >&2
done

printf '%-5s %-5s %10s %12s %14s %16s\n' level pages roofline lat_mem_rd tinymembench "roofline/best"
while read -r level bytes; do
  for pages in 4k thp; do
    rf=$(best "$scratch/results" "roofline-$level-$pages")
    lm=$(best "$scratch/results" "lat_mem_rd-$level-$pages")
    tm=$(best "$scratch/results" "tinymembench-$level-$pages")
    peer=$(printf '%s\n%s\n' "$lm" "$tm" | grep . | sort -g | head -1 || true)
    ratio=-
    [ -n "$rf" ] && [ -n "$peer" ] && ratio=$(awk -v a="$rf" -v b="$peer" 'BEGIN {printf "%.3f", a / b}')
    num() { [ -n "$1" ] && awk -v v="$1" 'BEGIN {printf "%.2f", v}' || echo -; }
    printf '%-5s %-5s %10s %12s %14s %16s\n' "$level" "$pages" "$(num "$rf")" "$(num "$lm")" \
      "$(num "$tm")" "$ratio"
  done
done <"$scratch/levels"
