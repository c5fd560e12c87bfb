#!/usr/bin/env bash
# calibrate-ort.sh: measure how close ONNX Runtime gets to the roof on this machine, for every class
# of work, and write a runtime profile (schema roofline-runtime/1) for `roofline model --runtime`.
#
#   scripts/calibrate-ort.sh OUT.json [--threads N] [--stat median|min] [--quick] [--keep DIR]
#                            [--classes a,b,...]
#
# --threads N   calibrate 1..N intra-op threads (default: nproc)
# --stat        the statistic of the timed runs (default median; min is steadier on a busy machine)
# --quick       shorter chains (a rough profile in about half the time)
# --keep DIR    generate the micro-models into DIR and keep them (default: a scratch folder)
# --classes L   only these classes (a rough profile to look at one class; the full list is in
#               scripts/models/make_micro_models.py: the contract's, the tail classes transpose,
#               resize, concat, split, broadcast, quantize, and the int8 ones conv_int8,
#               conv_int8_depthwise, gemm_int8, matmul_int8, elementwise_int8)
#
# Only micro-models generated here are timed (scripts/models/make_micro_models.py: chains of k
# identical nodes of one class and shape, random weights), never the models to be predicted. Each
# point is timed at two chain lengths in onnxruntime-node (npm, CPU EP, default optimisation 'all',
# interOpNumThreads 1; scripts/models/time_ort.mjs, median of >= 30 runs, no profiler) and its
# per-node time is the slope, so run overhead and boundary reorders cancel. A near-empty model gives
# the run overhead, a chain of 201 tiny Adds the per-node overhead. Flops and bytes of each node are
# roofline's own (`roofline model --json`); the CPU identity is `roofline probe`'s. The int8 classes
# are QDQ chains (uint8 activations, int8 per-channel weights) that ORT runs as QLinearConv and
# QLinearMatMul. Each curve's leave-one-out spread is printed: the profile's "how sure".
# Needs /usr/bin/python3 with the onnx package (Debian python3-onnx) and Node with onnxruntime-node
# in /tmp/ortnode (installed here if missing). About 6-8 minutes for 2 threads on a 2-core Zen 4
# before the 74 tail and int8 points were added (226 points now; not yet timed).
set -euo pipefail
cd "$(dirname "$0")/.."
out= threads=$(nproc) stat=median quick= keep= classes=
while [ $# -gt 0 ]; do
    case $1 in
    --threads) threads=$2; shift ;;
    --stat) stat=$2; shift ;;
    --quick) quick=--quick ;;
    --keep) keep=$2; shift ;;
    --classes) classes=$2; shift ;;
    -h | --help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "calibrate-ort.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "calibrate-ort.sh: one OUT.json only" >&2; exit 2; }; out=$1 ;;
    esac
    shift
done
[ -n "$out" ] || { echo "usage: scripts/calibrate-ort.sh OUT.json [--threads N]" >&2; exit 2; }
case $threads in '' | *[!0-9]* | 0) echo "calibrate-ort.sh: --threads needs a positive integer" >&2; exit 2 ;; esac

make -s roofline
if [ ! -d /tmp/ortnode/node_modules/onnxruntime-node ]; then
    npm install --prefix /tmp/ortnode --ignore-scripts onnxruntime-node@1.30.0 >/dev/null
fi
if [ -n "$keep" ]; then
    dir=$keep
else
    dir=$(mktemp -d /tmp/roofline-calibrate.XXXXXX)
    trap 'rm -rf "$dir"' EXIT
fi
echo "generating micro-models in $dir ..."
/usr/bin/python3 scripts/models/make_micro_models.py "$dir" $quick ${classes:+--classes=$classes}
/usr/bin/python3 scripts/models/calibrate.py "$dir" "$out" --threads "$threads" --stat "$stat" \
    ${classes:+--classes "$classes"}
