#!/usr/bin/env bash
# model-vs-ort.sh: roofline's calibrated prediction of ONNX Runtime's inference time beside the
# time ONNX Runtime really takes, for every model at 1..N threads, with the error and the layers
# that miss most.
#
#   scripts/model-vs-ort.sh [--runtime P.json] [--threads 1,2] [--runs 30] [--rounds 3]
#                           [--stat median|min] [--set dev|heldout|all] [--list FILE]
#                           [--machine RESULT.json] [--out DIR] [MODEL ...]
#
# --runtime P.json  a runtime profile of this machine (scripts/calibrate-ort.sh); without it one is
#                   calibrated first into DIR/runtime.json (about 6-8 minutes on 2 cores)
# --threads LIST    intra-op thread counts (default: 1..nproc); each must be in the profile
# --runs N          timed runs per model and thread count (default 30); --stat: their median
# --rounds R        the whole set is timed R times in turn (default 3), the lowest kept: the host
#                   is shared, and another machine's burst of load should not decide a figure
#                   (default) or min (steadier on a busy machine)
# --machine R.json  a `roofline --json` result of this machine: adds the roofline bound column
# --out DIR         models and results (default /tmp/roofline-models, or $ROOFLINE_MODELS_DIR)
# --list FILE       the models, their set and dims (default scripts/models/ort_models.txt: 33
#                   architectures, 22 for development and 11 held out, 7 of them int8)
# --set S           which of the list to run: dev (default), heldout (run once, at the end, and
#                   never tuned against), all (both, each summarised on its own)
# MODEL             instead of the list: these models (dims from the list when it names them);
#                   missing ones are exported (Debian python3-torch, python3-torchvision,
#                   python3-onnx; scripts/models/export_zoo.py, random weights, under nice) into
#                   DIR/models
#
# For each model and thread count: predicted = `roofline model M --runtime P --threads N`
# (totals.predicted_s); measured = scripts/models/time_ort.mjs (onnxruntime-node 1.30 from npm,
# CPU EP, default optimisation 'all', interOpNumThreads 1, median of --runs session.run calls, no
# profiler); error = predicted / measured - 1. "ORT graph" applies the same profile to the nodes
# ORT's own profile shows it executing (scripts/models/ort_explain.py): the calibration's error
# without roofline's fusion view. Worst layers: roofline's per-node prediction (fused nodes summed
# into the node ORT runs them in) beside ORT's profiled time (a separate profiled session, opt
# 'all'). Calibration never uses these models; only generated micro-models. Per set and thread
# count: the median |error|, the worst model, how many are within +-20% (the goal) and +-30%, and
# how many measured times fall inside the prediction's interval (totals.predicted_lo_s .. _hi_s).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${ROOFLINE_MODELS_DIR:-/tmp/roofline-models}
runtime= threads= runs=30 rounds=3 stat=median machine= set=dev list=scripts/models/ort_models.txt
models=()
while [ $# -gt 0 ]; do
    case $1 in
    --runtime) runtime=$2; shift ;;
    --threads) threads=$2; shift ;;
    --runs) runs=$2; shift ;;
    --stat) stat=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --machine) machine=$2; shift ;;
    --out) out=$2; shift ;;
    --set) set=$2; shift ;;
    --list) list=$2; shift ;;
    -h | --help) sed -n '2,37p' "$0"; exit 0 ;;
    -*) echo "model-vs-ort.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1") ;;
    esac
    shift
done
case $set in dev | heldout | all) ;; *) echo "model-vs-ort.sh: --set is dev, heldout or all" >&2; exit 2 ;; esac
[ -f "$list" ] || { echo "model-vs-ort.sh: --list $list: no such file" >&2; exit 2; }
if [ ${#models[@]} -eq 0 ]; then
    mapfile -t models < <(awk -v s="$set" '!/^#/ && NF >= 2 && (s == "all" || $2 == s) { print $1 }' "$list")
fi
[ ${#models[@]} -gt 0 ] || { echo "model-vs-ort.sh: no model in $list for --set $set" >&2; exit 2; }
[ -n "$threads" ] || threads=$(seq -s, 1 "$(nproc)")
make -s roofline
if [ ! -d /tmp/ortnode/node_modules/onnxruntime-node ]; then
    npm install --prefix /tmp/ortnode --ignore-scripts onnxruntime-node@1.30.0 >/dev/null
fi
mkdir -p "$out/models"
for m in "${models[@]}"; do
    if [ ! -s "$out/models/$m.onnx" ]; then
        echo "exporting $m ..."
        nice -n 19 /usr/bin/python3 scripts/models/export_zoo.py --out "$out" "$m" >/dev/null
    fi
done
if [ -z "$runtime" ]; then
    runtime=$out/runtime.json
    maxt=$(tr , '\n' <<<"$threads" | sort -n | tail -1)
    echo "calibrating ONNX Runtime on this machine: scripts/calibrate-ort.sh $runtime --threads $maxt"
    scripts/calibrate-ort.sh "$runtime" --threads "$maxt" --stat "$stat" >"$out/calibrate.log"
fi
/usr/bin/python3 scripts/models/model_vs_ort.py --runtime "$runtime" --out "$out" \
    --threads "$threads" --runs "$runs" --rounds "$rounds" --stat "$stat" --list "$list" \
    ${machine:+--machine "$machine"} "${models[@]}"
