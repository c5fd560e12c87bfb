#!/usr/bin/python3
"""Time the micro-models of make_micro_models.py in ONNX Runtime and write a roofline-runtime/1
profile. Called by scripts/calibrate-ort.sh (which documents the flags); run from the repository root.

usage: calibrate.py MICRO_DIR OUT.json --threads N [--roofline ./roofline] [--stat median|min]
                    [--classes a,b,...]
"""
import argparse
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import time

# classes indexed by FLOPs; the others (gemv, an optional class: MatMul/Gemm by weights with one
# row, M = 1, which streams its weights) by bytes
COMPUTE = {"conv_pointwise", "conv_kxk", "conv_strided", "conv_stem", "conv_depthwise",
           "conv_grouped", "conv_transpose", "gemm", "matmul"}
# the int8 products, indexed by int8 operations (2 per multiply-add, as roofline counts them)
INT8 = {"conv_int8", "conv_int8_depthwise", "gemm_int8", "matmul_int8"}
COMPUTE |= INT8
HERE = os.path.dirname(os.path.abspath(__file__))
NODE_ENV = dict(os.environ, NODE_PATH=os.environ.get("NODE_PATH", "/tmp/ortnode/node_modules"))


def node_costs(roofline, model):
    """roofline's own flops and bytes of every node of a micro-model (roofline model --json)."""
    out = model + ".roofline.json"
    if not os.path.exists(out):
        subprocess.run([roofline, "model", model, "--peak", "1", "--bandwidth", "1", "--json", out],
                       check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        j = json.load(f)
    return [(n["flops"], n["bytes_read"] + n["bytes_written"]) for n in j["nodes"]]


def time_models(files, threads, runs, stat):
    # 1 thread: interleaved rounds, so a point's short and long chains meet the same background
    # load. More threads: one model after the other (between sessions, the idle one's intra-op
    # workers spin on a core for a while, and the first runs after a pause start cold)
    if threads == 1:
        cmd = ["node", os.path.join(HERE, "time_ort.mjs"), "--threads", "1", "--runs", str(runs),
               "--rounds", "6"] + files
    else:
        cmd = ["node", os.path.join(HERE, "time_ort.mjs"), "--threads", str(threads), "--runs",
               str(runs), "--min-time", "0.15"] + files
    p = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, env=NODE_ENV, text=True)
    res = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        if "error" in r:
            raise SystemExit(f"calibrate: {r['file']}: ONNX Runtime failed: {r['error']}")
        res[r["file"]] = (r["median_s"] if stat == "median" else r["min_s"],
                          r.get("round_medians_s") or [])
    return res


def slope(r_short, r_long, dk, stat):
    """Per-period time from the two chains. median: the median over the rounds of each round's
    slope (a round times both chains back to back, so a burst of background load that spans a
    few rounds moves few slopes); min: from the two minima."""
    (ts, rs), (tl, rl) = r_short, r_long
    if stat == "median" and len(rs) == len(rl) and rs:
        return statistics.median((b - a) / dk for a, b in zip(rs, rl)), tl
    return (tl - ts) / dk, tl


def curve_predict(pts, node_ov, x):
    """roofline's rl_rt_curve_predict (model/runtime.c), for the summary only."""
    def u(p):
        return max(p["time_s"] - node_ov, 0.0) / p["x"]
    if x <= pts[0]["x"]:
        return node_ov + u(pts[0]) * x
    if x >= pts[-1]["x"]:
        return node_ov + u(pts[-1]) * x
    i = max(j for j in range(len(pts) - 1) if pts[j]["x"] <= x)
    f = (math.log(x) - math.log(pts[i]["x"])) / (math.log(pts[i + 1]["x"]) - math.log(pts[i]["x"]))
    return node_ov + (u(pts[i]) + f * (u(pts[i + 1]) - u(pts[i]))) * x


def loo_spread(pts, node_ov):
    """The curve's leave-one-out spread, as roofline computes it when it reads the profile."""
    rs = []
    for i, p in enumerate(pts):
        rest = pts[:i] + pts[i + 1:]
        if len(rest) < 2:
            return 0.0
        pred = curve_predict(rest, node_ov, p["x"])
        if pred > 0:
            rs.append(math.log(p["time_s"] / pred))
    return math.sqrt(sum(r * r for r in rs) / len(rs)) if rs else 0.0


def ort_version():
    p = subprocess.run(["node", "-e", "console.log(require('onnxruntime-node/package.json').version)"],
                       stdout=subprocess.PIPE, env=NODE_ENV, text=True)
    return p.stdout.strip() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("micro")
    ap.add_argument("out")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--roofline", default="./roofline")
    ap.add_argument("--stat", choices=["median", "min"], default="median")
    ap.add_argument("--runs", type=int, default=36)
    ap.add_argument("--classes", default="")
    a = ap.parse_args()
    with open(os.path.join(a.micro, "manifest.json")) as f:
        man = json.load(f)
    points = man["points"]
    if a.classes:
        keep = set(a.classes.split(","))
        points = [p for p in points if p["class"] in keep]
    classes = []
    for p in points:
        for c in [p["class"]] + p.get("also", []):
            if c not in classes:
                classes.append(c)

    # flops and bytes of each point's node(s), as roofline counts them
    for p in points:
        costs = node_costs(a.roofline, p["long"])
        sel = [costs[i] for i in p["nodes"]]
        p["flops"] = sum(c[0] for c in sel) / len(sel)
        p["bytes"] = sum(c[1] for c in sel) / len(sel)

    probe = json.loads(subprocess.run([a.roofline, "probe", "--quick", "--json", "-"], check=True,
                                      stdout=subprocess.PIPE, text=True).stdout)
    prof = {
        "schema": "roofline-runtime/1",
        "runtime": {"name": "onnxruntime-node", "version": ort_version(), "optimization": "all",
                    "provider": "cpu"},
        "machine": {"cpu": probe["cpu"]["brand"], "vendor": probe["cpu"]["vendor"],
                    "family": probe["cpu"]["family"], "model": probe["cpu"]["model"],
                    "logical_cpus": probe["topology"]["threads"]},
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "calibration": "generated single-operator micro-models only (never the predicted models)",
        "statistic": a.stat,
        "threads": [],
    }
    # no node beats the FMA peak: a faster slope is background noise between the two chains
    ghz = probe["clock"].get("measured_ghz") or probe["clock"].get("nominal_ghz") or 0
    per_core = max([f["per_core"] for f in probe["theoretical"]["flops_per_cycle"]
                    if f["precision"] == "fp32" and not f["mix"] and f["unit"] == "FLOP"] or [0])
    # the int8 classes are clamped at the int8 dot-product peak (VNNI, AMX) where the CPU has one,
    # else at 4x the fp32 FMA peak (the widest int8 path, 8-bit multiplies into 32-bit sums)
    per_core8 = max([f["per_core"] for f in probe["theoretical"]["flops_per_cycle"]
                     if f["precision"] == "int8" and not f["mix"]] or [4 * per_core])
    summary = []
    t_start = time.time()
    for nt in range(1, a.threads + 1):
        ov = man["overhead"]
        r = time_models([ov["short"], ov["long"]], nt, a.runs, a.stat)
        node_ov, _ = slope(r[ov["short"]], r[ov["long"]], ov["k_long"] - ov["k_short"], a.stat)
        node_ov = max(node_ov, 0.0)
        run_ov = max(r[ov["short"]][0] - node_ov, 0.0)
        print(f"threads {nt}: run overhead {run_ov * 1e6:.1f} us, node overhead "
              f"{node_ov * 1e6:.2f} us", flush=True)
        entry = {"threads": nt, "run_overhead_s": run_ov, "node_overhead_s": node_ov,
                 "classes": {}}
        for cls in classes:
            pts = [p for p in points if p["class"] == cls or cls in p.get("also", [])]
            t0 = time.time()
            files = [f for p in pts for f in (p["short"], p["long"])]
            r = time_models(files, nt, a.runs, a.stat)
            out = []
            for p in pts:
                # the slope per period of the chain, shared by the period's costed nodes
                scale = p["period"] / len(p["nodes"])
                per, tl = slope(r[p["short"]], r[p["long"]], p["k_long"] - p["k_short"], a.stat)
                per *= scale
                if per <= 0:  # noise swamped the slope: fall back to the long chain's average
                    per = tl / p["k_long"] * scale
                peak = (per_core8 if cls in INT8 else per_core) * ghz * 1e9 * nt
                if cls in COMPUTE and peak > 0 and p["flops"] / per > peak:
                    per = p["flops"] / peak
                x = p["flops"] if cls in COMPUTE else p["bytes"]
                out.append({"x": x, "time_s": per, "flops": p["flops"], "bytes": p["bytes"],
                            "what": p["what"]})
            out.sort(key=lambda q: q["x"])
            # equal x: keep one point (their mean), so the curve is a function of x
            merged = []
            for q in out:
                if merged and merged[-1]["x"] == q["x"]:
                    m = merged[-1]
                    m["n"] += 1
                    m["time_s"] += (q["time_s"] - m["time_s"]) / m["n"]  # running mean
                    m["what"] = f"{m['first']} (+{m['n'] - 1} more of equal size)"
                else:
                    merged.append(dict(q, n=1, first=q["what"][:64]))
            for m in merged:
                del m["n"], m["first"]
            entry["classes"][cls] = merged
            rates = [(q["flops"] / q["time_s"] / 1e9 if cls in COMPUTE else
                      q["bytes"] / q["time_s"] / 1e9) for q in merged]
            unit = "GOP/s" if cls in INT8 else "GFLOP/s" if cls in COMPUTE else "GB/s"
            print(f"threads {nt}: {cls:15s} {len(merged):2d} points, {min(rates):7.1f} .. "
                  f"{max(rates):7.1f} {unit}  ({time.time() - t0:.1f} s)", flush=True)
            summary.append((nt, cls, merged, unit))
            spread = loo_spread(merged, node_ov)
            print(f"threads {nt}: {cls:15s} leave-one-out spread {spread:.3f} "
                  f"(the curve misses its own points by x{math.exp(spread):.2f})", flush=True)
        prof["threads"].append(entry)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(prof, f, indent=1)
    os.replace(tmp, a.out)

    print()
    print(f"{'threads':>7} {'class':15s} {'x (FLOPs or bytes)':>18} {'time us':>10} {'rate':>12}  shape")
    for nt, cls, pts, unit in summary:
        for q in pts:
            rate = (q["flops"] if cls in COMPUTE else q["bytes"]) / q["time_s"] / 1e9
            print(f"{nt:7d} {cls:15s} {q['x']:18.4g} {q['time_s'] * 1e6:10.1f} {rate:7.1f} "
                  f"{unit:7s} {q['what']}")
    print(f"\nwrote {a.out} ({time.time() - t_start:.0f} s of timing)")


if __name__ == "__main__":
    sys.exit(main())
