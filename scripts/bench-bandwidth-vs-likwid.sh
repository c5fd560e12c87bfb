#!/usr/bin/env bash
# bench-bandwidth-vs-likwid.sh: roofline bandwidth against likwid-bench at L1 16 KiB, L2 256 KiB,
# L3 4 MiB and DRAM 1 GB (1e9 B) per thread (working set = all arrays together, as likwid's -w counts it),
# with 1 thread and with every core (one thread each: likwid gets the threads' sizes summed over
# its node domain N), run alternately ROUNDS times; prints the best of each and ours/likwid.
#
# Like with like (both count bytes the STREAM way: every array touched, no write-allocate); the
# likwid side of a row is the best of ALL its ISA variants this CPU runs (scalar, SSE, AVX, AVX-512,
# with and without FMA), as roofline's side is the best of its ISAs:
#   load                 vs load, load_sse, load_avx, load_avx512                       1 stream
#   copy                 vs copy, copy_sse, copy_avx, copy_avx512                       2 streams
#   triad  a=b+s*c       vs stream, stream_{sse,avx,avx512}[_fma]                       3 streams
#   triad4 a=b*c+d       vs triad, triad_{sse,avx,avx512}[_fma] (likwid's "triad")      4 streams
#   copy nt  (DRAM)      vs copy_mem, copy_mem_{sse,avx,avx512}       non-temporal stores
#   triad nt (DRAM)      vs stream_mem, stream_mem_{sse,avx,avx512}[_fma]
# Then our DRAM figures with regular and non-temporal stores, counted and estimated traffic, and
# whether the two traffic estimates agree within 15%.
#
# Usage: scripts/bench-bandwidth-vs-likwid.sh [ROOFLINE_BINARY]
#   ROUNDS=3 (alternations), SIZES="L1:16384 L2:262144 L3:4194304 DRAM:1000000000" (per thread),
#   KERNELS="load copy triad" (add triad4 for likwid's 4-stream triad), THREADS="1 all",
#   LIKWID=likwid-bench. About 13 min per round on a 2-core machine (39 min for the default 3).
# The host should be quiet: on a loaded machine both tools lose, unevenly; rerun then.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/roofline}
rounds=${ROUNDS:-3}
likwid=${LIKWID:-likwid-bench}
sizes=${SIZES:-"L1:16384 L2:262144 L3:4194304 DRAM:1000000000"}
kernels=${KERNELS:-"load copy triad"}
thread_settings=${THREADS:-"1 all"}
cores=$(nproc)
per_run_timeout=${RUN_TIMEOUT:-300}

if [[ ! -x $bin ]]; then
    echo "bench: $bin is not built (run make)" >&2
    exit 1
fi
for tool in jq python3; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done
have_likwid=1
if ! command -v "$likwid" >/dev/null; then
    echo "bench: $likwid not found: only our figures are printed" >&2
    have_likwid=0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results=$tmp/results.tsv # level  tool  kernel  round  gbs  traffic
: >"$results"

# One likwid-bench run: prints GB/s (1e9) or nothing.
run_likwid() { # test, bytes per thread, threads
    local test=$1 bytes=$2 threads=$3 out total size
    # likwid-bench reads "...B" sizes into 32 bits (2 GiB and up: "Stream size cannot be read");
    # its kB is 1000 B, so whole thousands go as kB.
    total=$((bytes * threads))
    if ((total % 1000 == 0)); then
        size="$((total / 1000))kB"
    elif ((total < 2147483648)); then
        size="${total}B"
    else
        echo "bench: likwid-bench cannot take $total B (not whole kB): use sizes in thousands" >&2
        return 1
    fi
    out=$(timeout "$per_run_timeout" "$likwid" -t "$test" -w "N:$size:$threads" 2>&1) || return 1
    awk -F'\t+' '/^MByte\/s:/ { printf "%.3f\n", $2 / 1000 }' <<<"$out" | head -1
}

# One roofline run over the kernels; appends "level@threads ours kernel[_nt] round gbs traffic".
run_ours() {
    local level=$1 bytes=$2 round=$3 threads=$4 json=$tmp/ours.json nt=--no-nt
    [[ $level == DRAM ]] && nt=
    if ! timeout "$per_run_timeout" "$bin" bandwidth --size "$bytes" --threads "$threads" \
        --kernel "${kernels// /,}" $nt --repeat 5 --quiet --json "$json" >/dev/null 2>"$tmp/err"; then
        echo "bench: roofline failed at $level, $threads threads: $(head -1 "$tmp/err")" >&2
        return 1
    fi
    jq -r --arg l "$level@$threads" --arg r "$round" \
        '.bandwidth[] | [$l, "ours", (.kernel + (if .nt_stores then "_nt" else "" end)), $r,
          .gbs, .gbs_traffic, .threads, .bytes_per_thread, .isa] | @tsv' "$json" >>"$results"
}

likwid_tests() { # level -> "ourkernel:likwid_test" pairs, every ISA variant of each
    local l="" k v
    for k in $kernels; do
        case $k in
        load) for v in load load_sse load_avx load_avx512; do l+=" load:$v"; done ;;
        copy) for v in copy copy_sse copy_avx copy_avx512; do l+=" copy:$v"; done ;;
        triad) for v in stream stream_sse stream_sse_fma stream_avx stream_avx_fma stream_avx512 \
            stream_avx512_fma; do l+=" triad:$v"; done ;;
        triad4) for v in triad triad_sse triad_sse_fma triad_avx triad_avx_fma triad_avx512 \
            triad_avx512_fma; do l+=" triad4:$v"; done ;;
        esac
    done
    if [[ $1 == DRAM ]]; then
        [[ " $kernels " == *" copy "* ]] &&
            for v in copy_mem copy_mem_sse copy_mem_avx copy_mem_avx512; do l+=" copy_nt:$v"; done
        [[ " $kernels " == *" triad "* ]] &&
            for v in stream_mem stream_mem_sse stream_mem_sse_fma stream_mem_avx stream_mem_avx_fma \
                stream_mem_avx512 stream_mem_avx512_fma; do l+=" triad_nt:$v"; done
    fi
    echo "$l"
}

# The likwid variants this CPU runs, from its flags (likwid-bench does not check them itself).
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
cpu_runs() { # likwid test name -> 0 when this CPU has what it needs
    [[ $1 == *avx512* && $flags != *" avx512f "* ]] && return 1
    [[ $1 == *avx* && $flags != *" avx "* ]] && return 1
    [[ $1 == *fma* && $flags != *" fma "* ]] && return 1
    return 0
}

echo "bench: $rounds rounds, alternating roofline and likwid-bench, threads: $thread_settings" >&2
for ((round = 1; round <= rounds; round++)); do
    for tset in $thread_settings; do
        threads=$tset
        [[ $tset == all ]] && threads=$cores
        for spec in $sizes; do
            level=${spec%%:*} bytes=${spec#*:}
            echo "bench: round $round/$rounds: $level ($bytes B per thread), $threads threads" >&2
            run_ours "$level" "$bytes" "$round" "$tset"
            ((have_likwid)) || continue
            for pair in $(likwid_tests "$level"); do
                ours=${pair%%:*} test=${pair#*:}
                cpu_runs "$test" || continue
                if gbs=$(run_likwid "$test" "$bytes" "$threads") && [[ -n $gbs ]]; then
                    printf '%s\tlikwid\t%s\t%s\t%s\t%s\t%s\n' "$level@$tset" "$ours" "$round" "$gbs" "" \
                        "$test" >>"$results"
                else
                    echo "bench: likwid-bench -t $test failed at $level, $threads threads" >&2
                fi
            done
        done
    done
done

python3 - "$results" "$sizes" "$thread_settings" "$cores" <<'EOF'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sizes = [s.split(":") for s in sys.argv[2].split()]
tsets = sys.argv[3].split()
cores = sys.argv[4]
ours = collections.defaultdict(list)      # (level@threads, kernel) -> [(gbs, traffic, isa)]
theirs = collections.defaultdict(list)    # (level@threads, kernel) -> [(gbs, test)]
for r in rows:
    key, tool, kernel, _round, gbs = r[:5]
    if tool == "ours":
        ours[(key, kernel)].append((float(gbs), float(r[5]), r[8] if len(r) > 8 else ""))
    else:
        theirs[(key, kernel)].append((float(gbs), r[6]))

def human(b):
    x, i, units = float(b), 0, ("B", "KiB", "MiB", "GiB")
    while x >= 1024 and i < 3:
        x, i = x / 1024, i + 1
    return f"{x:.3g} {units[i]}"

print()
print("Best of each over all rounds, GB/s (1e9 B/s) of counted bytes; size per thread;")
print("likwid-bench: the best of every ISA variant of the kernel that runs here")
print(f"{'level':<6} {'size':>9} {'thr':>3} {'ours':<9} {'isa':<7} {'GB/s':>8}   {'likwid-bench':<19} {'GB/s':>8}  {'ours/likwid':>11}")
worst = None
for tset in tsets:
    thr = cores if tset == "all" else tset
    for level, nbytes in sizes:
        key = f"{level}@{tset}"
        for k in ("load", "copy", "triad", "triad4", "copy_nt", "triad_nt"):
            if (key, k) not in ours:
                continue
            o, _, isa = max(ours[(key, k)])
            t = theirs.get((key, k))
            if t:
                best, test = max(t)
                ratio = o / best
                worst = ratio if worst is None else min(worst, ratio)
                flag = "" if ratio >= 1 else "  <- below"
                print(f"{level:<6} {human(nbytes):>9} {thr:>3} {k:<9} {isa:<7} {o:8.1f}   {test:<19} {best:8.1f}  {ratio:11.3f}{flag}")
            else:
                print(f"{level:<6} {human(nbytes):>9} {thr:>3} {k:<9} {isa:<7} {o:8.1f}   {'(not run)':<19} {'':>8}  {'':>11}")
if worst is not None:
    print(f"lowest ratio: {worst:.3f} ({'ours >= likwid everywhere' if worst >= 1 else 'likwid ahead somewhere'})")

print()
print("DRAM, ours: regular vs non-temporal stores, counted GB/s and estimated traffic (best)")
print(f"{'threads':<8} {'kernel':<7} {'regular':>9} {'traffic':>9} {'nt':>9} {'traffic':>9}  traffic nt/regular")
for tset in tsets:
    key = f"DRAM@{tset}"
    for k in ("copy", "triad"):
        reg, nt = ours.get((key, k)), ours.get((key, k + "_nt"))
        if not reg or not nt:
            continue
        rg, rt, _ = max(reg)
        ng, ntr, _ = max(nt)
        ratio = ntr / rt
        verdict = "agree within 15%" if abs(ratio - 1) <= 0.15 else "differ by more than 15%"
        print(f"{(cores if tset == 'all' else tset):<8} {k:<7} {rg:9.1f} {rt:9.1f} {ng:9.1f} {ntr:9.1f}  {ratio:.3f} ({verdict})")
EOF
