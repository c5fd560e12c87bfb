#!/usr/bin/env bash
# check-model-shapes.sh: every node output shape `roofline model` infers, against the shapes ONNX
# Runtime computes when it runs the model, and the model's multiply-adds against torch's profiler.
#
#   scripts/check-model-shapes.sh MODEL.onnx [--dim NAME=V ...] [--ref REF.json] [--keep DIR]
#                                 [--int-max N]
#
# A copy of MODEL with every node output exposed as a graph output (scripts/models/
# expose_outputs.py, Debian's python3-onnx) runs once in ONNX Runtime (onnxruntime-node 1.30.0
# from npm in /tmp/ortnode, through scripts/models/ort_shapes.mjs, which writes what
# ../shared/models/make/ort_profile.mjs --dump-outputs does and also feeds float16 inputs; graph
# optimisation off so every node's output exists); `roofline model MODEL --json` gives roofline's
# shapes; scripts/models/compare_shapes.py compares them. --dim values go to both (ONNX Runtime
# feeds 1 for a symbolic dim left unset, roofline leaves it unknown: give every one). Integer
# inputs (token ids) are random in [0, N), N 1000 unless --int-max says less (a small vocabulary).
#
# Prints one line per mismatch (MISMATCH ...), one per Conv/Gemm/MatMul left without a cost
# (NO COST ...), then "N of M node shapes equal" and "MACs: roofline X, torch profiler Y". The
# profiler figure comes from --ref, else from the export's record beside the model
# (DIR/models/NAME.onnx -> DIR/ref/NAME.json, as export_models.py and
# scripts/models/export_transformers.py write them); a record with several profiled dims settings
# gives the one equal to the --dim values. Exit 0 when all agree, 1 on any mismatch, 2 on a usage
# error, 3 when a step fails (the model does not load or run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ortdir=${ORT_NODE_DIR:-/tmp/ortnode}

model= ref= keep= intmax=1000
dims=()
while [ $# -gt 0 ]; do
    case $1 in
    --dim) [ $# -ge 2 ] || { echo "check-model-shapes.sh: --dim needs NAME=V" >&2; exit 2; }
        case $2 in *=*) ;; *) echo "check-model-shapes.sh: --dim needs NAME=V, got '$2'" >&2; exit 2 ;; esac
        dims+=("$2"); shift ;;
    --ref) ref=$2; shift ;;
    --keep) keep=$2; shift ;;
    --int-max) intmax=$2; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "check-model-shapes.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$model" ] || { echo "check-model-shapes.sh: one model only" >&2; exit 2; }
        model=$1 ;;
    esac
    shift
done
[ -n "$model" ] || { sed -n '2,24p' "$0" >&2; exit 2; }
[ -f "$model" ] || { echo "check-model-shapes.sh: $model: no such file" >&2; exit 3; }
if [ -z "$ref" ]; then
    cand=$(dirname "$(dirname "$model")")/ref/$(basename "$model" .onnx).json
    [ -f "$cand" ] && ref=$cand
fi
[ -x "$root/roofline" ] || make -s -C "$root" roofline

if [ -n "$keep" ]; then
    tmp=$keep
    mkdir -p "$tmp"
else
    tmp=$(mktemp -d /tmp/check-shapes.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
fi
dimflags=()
for d in "${dims[@]+"${dims[@]}"}"; do dimflags+=(--dim "$d"); done

/usr/bin/python3 "$here/models/expose_outputs.py" "$model" "$tmp/exposed.onnx" >/dev/null ||
    { echo "check-model-shapes.sh: could not expose the outputs of $model" >&2; exit 3; }
NODE_PATH=$ortdir/node_modules node "$here/models/ort_shapes.mjs" "$tmp/exposed.onnx" "$tmp/ort.json" \
    --int-max "$intmax" "${dimflags[@]+"${dimflags[@]}"}" >"$tmp/ort.log" 2>&1 ||
    { cat "$tmp/ort.log" >&2; echo "check-model-shapes.sh: ONNX Runtime could not run $model" >&2; exit 3; }
rm -f "$tmp/exposed.onnx" # (the weights' links go with $tmp)
"$root/roofline" model "$model" --json "$tmp/roofline.json" "${dimflags[@]+"${dimflags[@]}"}" \
    >/dev/null || { echo "check-model-shapes.sh: roofline model failed on $model" >&2; exit 3; }
refflags=()
[ -z "$ref" ] || refflags=(--ref "$ref")
echo "$(basename "$model")${dims[*]+ ${dims[*]}}:"
/usr/bin/python3 "$here/models/compare_shapes.py" "$tmp/roofline.json" "$tmp/ort.json" \
    "${refflags[@]+"${refflags[@]}"}" "${dimflags[@]+"${dimflags[@]}"}"
