#!/usr/bin/python3
"""Predict a model's ONNX Runtime time from a runtime profile, node by node, using the graph ORT
really executed (its own profile's node list with shapes), and compare every node with its profiled
time. A diagnostic for scripts/model-vs-ort.sh: it separates the calibration's error (class curves)
from the error of roofline's own view of ORT's fusions (`roofline model --runtime`), since here the
fusions and layout reorders are ORT's own.

usage: ort_explain.py PROFILE.json ORT_TRACE.json --threads N [--worst K] [--json OUT]
  PROFILE.json    a roofline-runtime/1 profile (scripts/calibrate-ort.sh)
  ORT_TRACE.json  ORT's Chrome-trace profile of the model with graphOptimizationLevel 'all'
                  (../shared/models/make/ort_profile.mjs --opt all, or any enableProfiling run)
Prints the predicted total (run overhead + every executed node), the per-class sums beside the
profiled ones, and the K nodes with the largest |predicted - profiled|.
"""
import argparse
import json
import math
import statistics
import sys

DSIZE = {"float": 4, "float16": 2, "double": 8, "int64_t": 8, "int32_t": 4, "int8_t": 1,
         "uint8_t": 1, "bool": 1}
COMPUTE = {"conv_pointwise", "conv_kxk", "conv_strided", "conv_stem", "conv_depthwise",
           "conv_grouped", "conv_transpose", "gemm", "matmul", "conv_int8", "conv_int8_depthwise",
           "gemm_int8", "matmul_int8"}
# the optional classes and the class a profile without them predicts with (model/predict.c)
FALLBACK = {"gemv": "gemm", "transpose": "copy", "resize": "copy", "concat": "copy",
            "split": "copy", "broadcast": "elementwise", "quantize": "elementwise",
            "elementwise_int8": "elementwise", "conv_int8_depthwise": "conv_int8"}
QELEMENTWISE = {"QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu"}
ELEMENTWISE = {"Add", "Sub", "Mul", "Div", "Relu", "Sigmoid", "Tanh", "Clip", "Erf", "Gelu",
               "FastGelu", "BiasGelu", "HardSwish", "HardSigmoid", "Pow", "Sqrt", "Where", "Cast",
               "Exp", "Log", "Neg", "Abs", "LeakyRelu", "Max", "Min", "Equal", "Less",
               "Greater", "Not", "And", "Or", "QuickGelu", "Reciprocal", "Sum", "Mod", "Floor",
               "Ceil", "Round", "Sign", "Softplus", "Elu", "Selu", "Mish", "BiasAdd"}
COPY = {"Transpose", "Concat", "Slice", "Split", "Pad", "Resize", "Upsample", "Gather",
        "GatherElements", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "ReorderInput",
        "ReorderOutput", "GatherND", "ScatterND", "Range", "NonZero"}
FREE = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Shape",
        "Constant", "ConstantOfShape", "Size"}
POOL = {"MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool"}
NORM = {"LayerNormalization", "SkipLayerNormalization", "SimplifiedLayerNormalization",
        "SkipSimplifiedLayerNormalization", "BatchNormalization", "InstanceNormalization",
        "GroupNormalization", "EmbedLayerNormalization"}


def tensor_list(args, key):
    out = []
    for t in args.get(key, []):
        for ty, dims in t.items():
            out.append((ty, dims))
    return out


def nbytes(t):
    ty, dims = t
    n = 1
    for d in dims:
        n *= d
    return n * DSIZE.get(ty, 4)


def classify(op, ins, outs, args):
    """(class, x, flops, bytes) of one executed ORT node."""
    by = sum(nbytes(t) for t in ins) + sum(nbytes(t) for t in outs)
    if op in ("QLinearConv", "ConvInteger") and outs:
        # QLinearConv: x, x_scale, x_zp, w, ...; ORT lists no pre-packed weight (its profile then
        # shows w_scale where w was), so the kernel size, and the FLOPs, are unknown: x = 0, and
        # the node is predicted at the node overhead (roofline's own view has them)
        wi = 3 if op == "QLinearConv" else 1
        w = ins[wi][1] if len(ins) > wi else []
        if len(w) < 3:
            return "conv_int8", 0, 0, by
        fl = 2.0 * _prod(outs[0][1]) * w[1] * _prod(w[2:])
        return ("conv_int8_depthwise" if w[1] == 1 and w[0] > 1 else "conv_int8"), fl, fl, by
    if op in ("QLinearMatMul", "MatMulIntegerToFloat", "QGemm", "DynamicQuantizeMatMul") and outs:
        a, y = ins[0][1], outs[0][1]
        fl = 2.0 * _prod(y) * a[-1]
        bi = 3 if op in ("QLinearMatMul", "QGemm") else 1
        weights = len(ins) <= bi or int(args.get("parameter_size", "0")) > 0
        return ("gemm_int8" if weights else "matmul_int8"), fl, fl, by
    if op in QELEMENTWISE:
        return "elementwise_int8", by, 0, by
    if op in ("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"):
        return "quantize", by, 0, by
    if op == "QLinearGlobalAveragePool":
        return "pool", by, 0, by
    if op == "QLinearConcat":
        return "concat", by, 0, by
    if op in ("Conv", "FusedConv", "NchwcConv", "ConvTranspose"):
        x, w = ins[0][1], ins[1][1]
        y = outs[0][1]
        cin = x[1]
        if op == "ConvTranspose":
            fl = 2.0 * _prod(x) * w[1] * _prod(w[2:])
            return "conv_transpose", fl, fl, by
        g = max(1, cin // w[1])
        fl = 2.0 * _prod(y) * w[1] * _prod(w[2:])
        stride = max(1, round(x[2] / y[2])) if len(x) > 2 and y[2] else 1
        if g == cin and cin > 1:
            cls = "conv_depthwise"
        elif g > 1:
            cls = "conv_grouped"
        elif cin < 8:
            cls = "conv_stem"
        elif stride > 1:
            cls = "conv_strided"
        elif _prod(w[2:]) == 1:
            cls = "conv_pointwise"
        else:
            cls = "conv_kxk"
        return cls, fl, fl, by
    if op in ("MatMul", "FusedMatMul", "Gemm", "MatMulInteger") and ins and outs:
        a = ins[0][1]  # the profile may omit an input's shape (a shared, pre-packed weight)
        y = outs[0][1]
        kdim = a[-1]
        fl = 2.0 * _prod(y) * kdim
        # ORT lists a pre-packed weight with no shape (Gemm: [A, bias]; lm_head MatMul: [A])
        weights = op == "Gemm" or len(ins) < 2 or int(args.get("parameter_size", "0")) > 0
        if not weights:
            return "matmul", fl, fl, by
        if _prod(y[:-1]) == 1:  # one row: streams its weights
            by = nbytes(ins[0]) + nbytes(outs[0]) + 4 * kdim * y[-1]
            return "gemv", by, fl, by
        return "gemm", fl, fl, by
    if op in ("Softmax", "LogSoftmax"):
        return "softmax", by, 0, by
    if op in NORM:
        return "norm", by, 0, by
    if op.startswith("Reduce") or op in ("ArgMax", "ArgMin", "TopK"):
        return "reduce", by, 0, by
    if op in POOL:
        return "pool", by, 0, by
    if op in FREE:
        return "free", 0, 0, 0
    if op in ("Gather", "GatherElements", "GatherND") and outs:
        # reads only the rows it gathers (an embedding table is mostly untouched)
        by = 2 * nbytes(outs[0]) + sum(nbytes(t) for t in ins[1:])
        return "copy", by, 0, by
    if op == "Transpose":
        return "transpose", by, 0, by
    if op in ("Resize", "Upsample"):
        return "resize", by, 0, by
    if op == "Concat":
        return "concat", by, 0, by
    if op in ("Split", "Slice"):
        return "split", by, 0, by
    if op in COPY:
        return "copy", by, 0, by
    if len(ins) > 1 and outs and any(1 < _prod(t[1]) != _prod(outs[0][1]) for t in ins):
        return "broadcast", by, 0, by  # an operand of another shape than the output
    return "elementwise", by, 0, by


def _prod(s):
    p = 1
    for d in s:
        p *= d
    return p


def curve_time(pts, node_ov, x):
    """The contract's prediction: u = max(t - node_ov, 0) / x per point, linear in log x, clamped."""
    us = [(p["x"], max(p["time_s"] - node_ov, 0.0) / p["x"]) for p in pts]
    if x <= us[0][0]:
        u = us[0][1]
    elif x >= us[-1][0]:
        u = us[-1][1]
    else:
        for (x0, u0), (x1, u1) in zip(us, us[1:]):
            if x0 <= x <= x1:
                f = (math.log(x) - math.log(x0)) / (math.log(x1) - math.log(x0))
                u = u0 + f * (u1 - u0)
                break
    return node_ov + u * x


def load_trace(path):
    ev = json.load(open(path))
    runs = sum(1 for e in ev if e.get("cat") == "Session" and e.get("name") == "model_run")
    nodes, order = {}, []
    for e in ev:
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time"):
            continue
        nm = e["name"][: -len("_kernel_time")]
        if nm not in nodes:
            a = e["args"]
            nodes[nm] = {"name": nm, "op": a.get("op_name", "?"), "durs": [],
                         "ins": tensor_list(a, "input_type_shape"),
                         "outs": tensor_list(a, "output_type_shape"), "args": a}
            order.append(nm)
        nodes[nm]["durs"].append(e["dur"] * 1e-6)
    return [nodes[n] for n in order], runs


def explain(profile, trace, threads):
    th = [t for t in profile["threads"] if t["threads"] == threads]
    if not th:
        raise SystemExit(f"ort_explain: the profile has no entry for {threads} threads")
    th = th[0]
    nodes, _ = load_trace(trace)
    total = th["run_overhead_s"]
    rows = []
    for n in nodes:
        cls, x, fl, by = classify(n["op"], n["ins"], n["outs"], n["args"])
        meas = statistics.median(n["durs"])
        pred = 0.0
        if cls == "gemv" and cls not in th["classes"]:
            cls, x = "gemm", fl
        elif cls in FALLBACK and cls not in th["classes"]:
            cls = FALLBACK[cls]
        if cls == "free":
            pass
        elif cls in th["classes"] and x > 0:
            pred = curve_time(th["classes"][cls], th["node_overhead_s"], x)
        else:
            pred = th["node_overhead_s"]
        total += pred
        rows.append({"name": n["name"], "op": n["op"], "class": cls, "x": x, "flops": fl,
                     "bytes": by, "predicted_s": pred, "profiled_s": meas,
                     "shape": "x".join(map(str, n["outs"][0][1])) if n["outs"] else ""})
    return total, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("trace")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--worst", type=int, default=8)
    ap.add_argument("--json")
    a = ap.parse_args()
    prof = json.load(open(a.profile))
    total, rows = explain(prof, a.trace, a.threads)
    by = {}
    for r in rows:
        c = by.setdefault(r["class"], [0, 0.0, 0.0])
        c[0] += 1
        c[1] += r["predicted_s"]
        c[2] += r["profiled_s"]
    prof_sum = sum(r["profiled_s"] for r in rows)
    print(f"predicted from ORT's executed graph: {total * 1e3:.3f} ms (profiled kernels sum "
          f"{prof_sum * 1e3:.3f} ms)")
    print(f"{'class':15s} {'nodes':>5} {'pred ms':>9} {'prof ms':>9} {'pred/prof':>9}")
    for c, (n, p, m) in sorted(by.items(), key=lambda kv: -kv[1][2]):
        print(f"{c:15s} {n:5d} {p * 1e3:9.3f} {m * 1e3:9.3f} {p / m if m else 0:9.2f}")
    print(f"worst {a.worst} nodes by |predicted - profiled|:")
    for r in sorted(rows, key=lambda r: -abs(r["predicted_s"] - r["profiled_s"]))[: a.worst]:
        print(f"  {r['op']:14s} {r['class']:15s} {r['shape']:18s} pred {r['predicted_s'] * 1e6:8.1f} us"
              f"  prof {r['profiled_s'] * 1e6:8.1f} us  {r['name'][-60:]}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"predicted_s": total, "profiled_sum_s": prof_sum, "nodes": rows}, f)


if __name__ == "__main__":
    sys.exit(main())
