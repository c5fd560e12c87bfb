#!/usr/bin/env bash
# bench-bandwidth-vs-likwid.sh: roofline bandwidth against likwid-bench, one thread on the first
# core, at L1 16 KiB, L2 256 KiB, L3 4 MiB and DRAM 1 GiB (working set = all arrays together, as
# likwid's -w counts it), run alternately ROUNDS times; prints the best of each and ours/likwid.
#
# Like with like (both count bytes the STREAM way: every array touched, no write-allocate):
#   load                 vs load_avx                        1 stream
#   copy                 vs copy_avx                        2 streams
#   triad  a=b+s*c       vs best of stream_avx, stream_avx_fma      3 streams
#   triad4 a=b*c+d       vs best of triad_avx, triad_avx_fma        4 streams (likwid's "triad")
#   copy nt  (DRAM)      vs copy_mem_avx                    non-temporal stores
#   triad nt (DRAM)      vs best of stream_mem_avx, stream_mem_avx_fma
# Then our DRAM figures with regular and non-temporal stores, counted and estimated traffic, and
# whether the two traffic estimates agree within 15%.
#
# Usage: scripts/bench-bandwidth-vs-likwid.sh [ROOFLINE_BINARY]
#   ROUNDS=3 (alternations), SIZES="L1:16384 L2:262144 L3:4194304 DRAM:1073741824", LIKWID=likwid-bench
# The host should be quiet: on a loaded machine both tools lose, unevenly; rerun then.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/roofline}
rounds=${ROUNDS:-3}
likwid=${LIKWID:-likwid-bench}
sizes=${SIZES:-"L1:16384 L2:262144 L3:4194304 DRAM:1073741824"}
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
run_likwid() {
    local test=$1 bytes=$2 out
    out=$(timeout "$per_run_timeout" "$likwid" -t "$test" -w "S0:${bytes}B:1" 2>&1) || return 1
    awk -F'\t+' '/^MByte\/s:/ { printf "%.3f\n", $2 / 1000 }' <<<"$out" | head -1
}

# One roofline run over the kernels; appends "level ours kernel[_nt] round gbs traffic" lines.
run_ours() {
    local level=$1 bytes=$2 round=$3 json=$tmp/ours.json nt=--no-nt
    [[ $level == DRAM ]] && nt=
    if ! timeout "$per_run_timeout" "$bin" bandwidth --size "$bytes" --threads 1 \
        --kernel load,copy,triad,triad4 $nt --repeat 5 --quiet --json "$json" >/dev/null 2>"$tmp/err"; then
        echo "bench: roofline failed at $level: $(head -1 "$tmp/err")" >&2
        return 1
    fi
    jq -r --arg l "$level" --arg r "$round" \
        '.bandwidth[] | [$l, "ours", (.kernel + (if .nt_stores then "_nt" else "" end)), $r,
          .gbs, .gbs_traffic] | @tsv' "$json" >>"$results"
}

likwid_tests() { # level -> "ourkernel:likwid_test" pairs
    local l="load:load_avx copy:copy_avx triad:stream_avx triad:stream_avx_fma"
    l+=" triad4:triad_avx triad4:triad_avx_fma"
    [[ $1 == DRAM ]] && l+=" copy_nt:copy_mem_avx triad_nt:stream_mem_avx triad_nt:stream_mem_avx_fma"
    echo "$l"
}

# Ours at DRAM with every core (the default DRAM working set), regular and non-temporal stores:
# the memory interface is busier there, so the two traffic estimates should meet.
run_ours_all() {
    local round=$1 json=$tmp/all.json
    if ! timeout "$per_run_timeout" "$bin" bandwidth --level DRAM --kernel copy,triad --threads all \
        --repeat 5 --quiet --json "$json" >/dev/null 2>"$tmp/err"; then
        echo "bench: roofline failed at DRAM, all threads: $(head -1 "$tmp/err")" >&2
        return 1
    fi
    jq -r --arg r "$round" '.bandwidth[] | select(.level == "DRAM") | ["DRAM-all", "ours",
          (.kernel + (if .nt_stores then "_nt" else "" end)), $r, .gbs, .gbs_traffic,
          .threads, .bytes_per_thread] | @tsv' "$json" >>"$results"
}

echo "bench: $rounds rounds, alternating roofline and likwid-bench, 1 thread on core 0" >&2
for ((round = 1; round <= rounds; round++)); do
    for spec in $sizes; do
        level=${spec%%:*} bytes=${spec#*:}
        echo "bench: round $round/$rounds: $level ($bytes B)" >&2
        run_ours "$level" "$bytes" "$round"
        ((have_likwid)) || continue
        for pair in $(likwid_tests "$level"); do
            ours=${pair%%:*} test=${pair#*:}
            if gbs=$(run_likwid "$test" "$bytes") && [[ -n $gbs ]]; then
                printf '%s\tlikwid\t%s\t%s\t%s\t%s\t%s\n' "$level" "$ours" "$round" "$gbs" "" "$test" >>"$results"
            else
                echo "bench: likwid-bench -t $test failed at $level" >&2
            fi
        done
    done
    echo "bench: round $round/$rounds: DRAM, all threads (ours only)" >&2
    run_ours_all "$round"
done

python3 - "$results" "$sizes" <<'EOF'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sizes = [s.split(":") for s in sys.argv[2].split()]
ours = collections.defaultdict(list)      # (level, kernel) -> [(gbs, traffic)]
theirs = collections.defaultdict(list)    # (level, kernel) -> [(gbs, test)]
for r in rows:
    level, tool, kernel, _round, gbs = r[:5]
    if tool == "ours":
        ours[(level, kernel)].append((float(gbs), float(r[5])))
    else:
        theirs[(level, kernel)].append((float(gbs), r[6]))

def human(b):
    x, i, units = float(b), 0, ("B", "KiB", "MiB", "GiB")
    while x >= 1024 and i < 3:
        x, i = x / 1024, i + 1
    return f"{x:.3g} {units[i]}"

print()
print("Best of each over all rounds, GB/s (1e9 B/s) of counted bytes, 1 thread")
print(f"{'level':<6} {'size':>9} {'ours':<9} {'GB/s':>8}   {'likwid-bench':<19} {'GB/s':>8}  {'ours/likwid':>11}")
worst = None
for level, nbytes in sizes:
    for k in ("load", "copy", "triad", "triad4", "copy_nt", "triad_nt"):
        if (level, k) not in ours:
            continue
        o = max(g for g, _ in ours[(level, k)])
        t = theirs.get((level, k))
        if t:
            best, test = max(t)
            ratio = o / best
            worst = ratio if worst is None else min(worst, ratio)
            print(f"{level:<6} {human(nbytes):>9} {k:<9} {o:8.1f}   {test:<19} {best:8.1f}  {ratio:11.3f}")
        else:
            print(f"{level:<6} {human(nbytes):>9} {k:<9} {o:8.1f}   {'(not run)':<19} {'':>8}  {'':>11}")
if worst is not None:
    print(f"lowest ratio: {worst:.3f} ({'ours >= likwid everywhere' if worst >= 1 else 'likwid ahead somewhere'})")

extra = {}
for r in rows:
    if r[0] == "DRAM-all" and len(r) >= 8:
        extra["threads"], extra["bytes"] = r[6], r[7]

print()
print("DRAM, ours: regular vs non-temporal stores, counted GB/s and estimated traffic (best)")
print(f"{'threads':<20} {'kernel':<7} {'regular':>9} {'traffic':>9} {'nt':>9} {'traffic':>9}  traffic nt/regular")
for level, label in (("DRAM", "1, 1 GiB"), ("DRAM-all", f"{extra.get('threads', 'all')}, {human(extra.get('bytes', 0))} each")):
    for k in ("copy", "triad"):
        reg, nt = ours.get((level, k)), ours.get((level, k + "_nt"))
        if not reg or not nt:
            continue
        rg, rt = max(reg)
        ng, ntr = max(nt)
        ratio = ntr / rt
        verdict = "agree within 15%" if abs(ratio - 1) <= 0.15 else "differ by more than 15%"
        print(f"{label:<20} {k:<7} {rg:9.1f} {rt:9.1f} {ng:9.1f} {ntr:9.1f}  {ratio:.3f} ({verdict})")
EOF
