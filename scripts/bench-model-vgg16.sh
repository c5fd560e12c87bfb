#!/usr/bin/env bash
# bench-model-vgg16.sh: time `roofline model` on the full VGG16 (553 MB, weights inline) and compare
# it with the onnx Python package reading the same file (onnx.load + shape inference), run in the same
# session. The goal: the analysis costs what the graph costs, not what the weights cost
# (< 100 ms wall time and < 64 MB peak RSS).
#
#   scripts/bench-model-vgg16.sh [--install] [--cold] [--out DIR]
#
#   --install  install Debian's python3-torch python3-torchvision python3-onnx (~670 MB) if missing
#   --cold     also time one run with the page cache dropped (root; slows other work on the host)
#   --out DIR  where the full model goes (default /tmp/roofline-models; never inside the repo)
#
# Prints wall time (mean of 20 runs; /usr/bin/time -v counts in 10 ms steps) and peak RSS (largest
# of 5 runs under /usr/bin/time -v), and the ratio against the peer (best of 5). Timings on a
# shared, loaded machine are noisy: read them as orders of magnitude.
set -euo pipefail
cd "$(dirname "$0")/.."
install=0 cold=0 out=${ROOFLINE_MODELS_DIR:-/tmp/roofline-models}
while [ $# -gt 0 ]; do
    case $1 in
    --install) install=1 ;;
    --cold) cold=1 ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench-model-vgg16.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
py=/usr/bin/python3
if ! $py -c 'import torch, torchvision, onnx' 2>/dev/null; then
    if [ $install = 1 ]; then
        apt-get install -y --no-install-recommends python3-torch python3-torchvision python3-onnx
    else
        echo "needs Debian's python3-torch python3-torchvision python3-onnx: run with --install" >&2
        exit 1
    fi
fi
model=$out/models/vgg16.onnx
if [ ! -s "$model" ]; then
    echo "exporting the full VGG16 to $model ..."
    $py ../shared/models/make/export_models.py --out "$out" vgg16 >/dev/null
fi
make -s roofline
echo "model: $model ($(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$model")/1e6}") MB)"

# best of 5 warm runs: wall seconds and max RSS kB
measure() {
    local best_t=999 best_m=0 t m
    for _ in 1 2 3 4 5; do
        /usr/bin/time -v "$@" >/dev/null 2>/tmp/rl-bench-time.$$
        t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' /tmp/rl-bench-time.$$)
        m=$(awk -F': ' '/Maximum resident set size/ {print $2}' /tmp/rl-bench-time.$$)
        if awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; fi
        if [ "$m" -gt "$best_m" ]; then best_m=$m; fi
    done
    rm -f /tmp/rl-bench-time.$$
    echo "$best_t $best_m"
}
# /usr/bin/time reports wall time in 10 ms steps: also time 20 runs in a row for a finer figure
per_run_ms() {
    local t0 t1
    t0=$(date +%s.%N)
    for _ in $(seq 20); do "$@" >/dev/null; done
    t1=$(date +%s.%N)
    awk "BEGIN{printf \"%.1f\", ($t1 - $t0) * 1000 / 20}"
}

read -r rt rm < <(measure ./roofline model "$model")
rl_ms=$(per_run_ms ./roofline model "$model")
peer_py='import sys, onnx; m = onnx.load(sys.argv[1]); onnx.shape_inference.infer_shapes(m)'
read -r pt pm < <(measure $py -c "$peer_py" "$model")

printf '\n%-44s %12s %14s\n' "tool (warm page cache)" "wall" "peak RSS"
printf '%-44s %9.1f ms %11.1f MB   (wall: mean of 20 runs; /usr/bin/time: %.2f s)\n' \
    "roofline model vgg16.onnx" "$rl_ms" "$(awk "BEGIN{print $rm/1024}")" "$rt"
printf '%-44s %9.0f ms %11.1f MB   (best of 5)\n' "python onnx.load + infer_shapes (peer)" \
    "$(awk "BEGIN{print $pt*1000}")" "$(awk "BEGIN{print $pm/1024}")"
printf 'ratio peer/roofline: wall %.0fx, RSS %.0fx\n' \
    "$(awk "BEGIN{print $pt*1000/($rl_ms>0?$rl_ms:0.1)}")" "$(awk "BEGIN{print $pm/$rm}")"
ok_t=$(awk "BEGIN{print ($rl_ms < 100) ? \"yes\" : \"NO\"}")
ok_m=$(awk "BEGIN{print ($rm < 64*1024) ? \"yes\" : \"NO\"}")
echo "targets: wall < 100 ms: $ok_t; peak RSS < 64 MB: $ok_m"

if [ $cold = 1 ]; then
    sync
    if echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
        /usr/bin/time -v ./roofline model "$model" >/dev/null 2>/tmp/rl-bench-time.$$
        echo "cold page cache: $(grep -E 'Elapsed' /tmp/rl-bench-time.$$ | sed 's/^\s*//'), $(grep -E 'Maximum resident' /tmp/rl-bench-time.$$ | sed 's/^\s*//')"
        rm -f /tmp/rl-bench-time.$$
    else
        echo "cold page cache: not measured (needs root to drop caches)"
    fi
fi
