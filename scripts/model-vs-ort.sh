#!/usr/bin/env bash
# model-vs-ort.sh: the roofline's predicted inference time beside ONNX Runtime's measured time, for
# ResNet-50, MobileNetV3-small and YOLOv5s (full models, random weights), with their ratio.
#
#   scripts/model-vs-ort.sh [--machine RESULT.json | --peak GFLOPS --bandwidth GBS]
#                           [--threads N] [--runs N] [--out DIR] [MODEL ...]
#
# The machine: --machine (a `roofline --json` result), or --peak/--bandwidth; without either the
# script runs `./roofline --json` to measure this machine. --peak or --bandwidth alone replace
# that figure of the machine (a VM may expose no DRAM configuration). ONNX Runtime comes from npm
# (onnxruntime-node 1.30.0, installed into /tmp/ortnode with --ignore-scripts) and runs through
# ../shared/models/make/ort_profile.mjs with --opt basic; its per-node profile is fed to
# `roofline model --profile`, so each layer's measured time also stands beside its roofline time.
# Full models are exported with ../shared/models/make/export_models.py (Debian python3-torch,
# python3-torchvision, python3-onnx) into --out (default /tmp/roofline-models).
#
# The prediction is a lower bound: every layer at its roof, one after another. ratio = measured /
# predicted; 1.0 would be a runtime at the roofline.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${ROOFLINE_MODELS_DIR:-/tmp/roofline-models}
machine= peak= bw= threads=$(nproc) runs=30
models=()
while [ $# -gt 0 ]; do
    case $1 in
    --machine) machine=$2; shift ;;
    --peak) peak=$2; shift ;;
    --bandwidth) bw=$2; shift ;;
    --threads) threads=$2; shift ;;
    --runs) runs=$2; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "model-vs-ort.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1") ;;
    esac
    shift
done
[ ${#models[@]} -gt 0 ] || models=(resnet50 mobilenet_v3_small yolov5s_v5)
make -s roofline

if [ -n "$peak" ] && [ -n "$bw" ] && [ -z "$machine" ]; then
    mflags=(--peak "$peak" --bandwidth "$bw")
else
    if [ -z "$machine" ]; then
        machine=$out/machine.json
        mkdir -p "$out"
        echo "measuring this machine: ./roofline --json $machine"
        if ! ./roofline --json "$machine" >/dev/null; then
            echo "model-vs-ort.sh: could not measure this machine; give --machine or --peak/--bandwidth" >&2
            exit 1
        fi
    fi
    # --peak or --bandwidth beside a machine replace that figure (a VM may not show its DRAM)
    mflags=(--machine "$machine")
    [ -z "$peak" ] || mflags+=(--peak "$peak")
    [ -z "$bw" ] || mflags+=(--bandwidth "$bw")
fi

if [ ! -d /tmp/ortnode/node_modules/onnxruntime-node ]; then
    npm install --prefix /tmp/ortnode --ignore-scripts onnxruntime-node@1.30.0 >/dev/null
fi
mkdir -p "$out/ort" "$out/roof"
for m in "${models[@]}"; do
    if [ ! -s "$out/models/$m.onnx" ]; then
        echo "exporting $m ..."
        /usr/bin/python3 ../shared/models/make/export_models.py --out "$out" "$m" >/dev/null
    fi
done

jsonget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));
let v=j; for (const k of process.argv[2].split(".")) v=v?.[k]; console.log(v ?? "null")' "$1" "$2"; }

rows=()
for m in "${models[@]}"; do
    rm -f "$out/ort/${m}_"*.json
    NODE_PATH=/tmp/ortnode/node_modules node ../shared/models/make/ort_profile.mjs \
        "$out/models/$m.onnx" --threads "$threads" --runs "$runs" --profile-runs 10 --opt basic \
        --prefix "$out/ort/${m}_${threads}t" --json "$out/ort/$m.json" >/dev/null
    prof=$(jsonget "$out/ort/$m.json" profile_file)
    ./roofline model "$out/models/$m.onnx" "${mflags[@]}" --profile "$prof" \
        --json "$out/roof/$m.json" >"$out/roof/$m.txt"
    rows+=("$m $(jsonget "$out/roof/$m.json" totals.flops) $(jsonget "$out/roof/$m.json" totals.time_s) \
$(jsonget "$out/ort/$m.json" median_ms) $(jsonget "$out/ort/$m.json" min_ms) \
$(jsonget "$out/roof/$m.json" totals.measured_matched_s) $(jsonget "$out/roof/$m.json" totals.measured_unmatched_s)")
done

r=$out/roof/${models[0]}.json
echo
printf 'machine: %s: peak %.1f GFLOP/s (%s), DRAM %.1f GB/s (%s)\n' "$(jsonget "$r" machine.name)" \
    "$(jsonget "$r" machine.peak_gflops)" "$(jsonget "$r" machine.peak_source)" \
    "$(jsonget "$r" machine.bandwidth_gbs)" "$(jsonget "$r" machine.bandwidth_source)"
echo "ONNX Runtime 1.30.0 (npm), CPU EP, $threads intra-op threads, --opt basic, $runs timed runs"
printf '\n%-20s %8s %12s %14s %11s %8s %10s %15s\n' model GFLOPs "roofline ms" "ORT median ms" \
    "ORT min ms" ratio "ratio min" "ORT kernels ms"
for row in "${rows[@]}"; do
    read -r m fl t med mn matched unmatched <<<"$row"
    awk -v m="$m" -v fl="$fl" -v t="$t" -v med="$med" -v mn="$mn" -v a="$matched" -v u="$unmatched" 'BEGIN{
        printf "%-20s %8.2f %12.2f %14.2f %11.2f %7.2fx %9.2fx %15.2f\n", m, fl/1e9, t*1e3, med, mn,
            med/(t*1e3), mn/(t*1e3), (a+u)*1e3 }'
done
echo
echo "ratio = ORT median / roofline prediction (ratio min: ORT's fastest run). ORT kernels: the sum of"
echo "the per-node medians in ORT's profile (a separate, profiled session). Per-layer tables (roofline"
echo "time beside ORT's measured time, achieved GFLOP/s, fraction of the roof): $out/roof/<model>.txt"
