#!/usr/bin/python3
"""The table of scripts/model-vs-ort.sh (which documents the flags): for every model and thread
count, roofline's calibrated prediction beside ONNX Runtime's measured median, the error, and the
layers that miss most. Run from the repository root.

usage: model_vs_ort.py --runtime P.json --out DIR --threads 1,2 [--runs 30] [--roofline ./roofline]
                       [--worst 3] [--list ort_models.txt] MODEL ...
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ort_explain  # noqa: E402

NODE_ENV = dict(os.environ, NODE_PATH=os.environ.get("NODE_PATH", "/tmp/ortnode/node_modules"))
ORT_PROFILE = os.path.join(HERE, "..", "..", "..", "shared", "models", "make", "ort_profile.mjs")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def read_list(path):
    """name -> (set, ["--dim", "k=v", ...]) from scripts/models/ort_models.txt's format."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#") or len(f) < 2:
            continue
        dims = []
        if len(f) > 2 and f[2] != "-":
            for kv in f[2].split(","):
                dims += ["--dim", kv]
        out[f[0]] = (f[1], dims)
    return out


def measure(model, threads, runs, stat, dims):
    out = sh(["node", os.path.join(HERE, "time_ort.mjs"), "--threads", str(threads), "--runs",
              str(runs), "--min-time", "0", "--max-runs", str(runs)] + dims + [model],
             env=NODE_ENV)
    r = json.loads(out.splitlines()[-1])
    if "error" in r:
        raise SystemExit(f"model_vs_ort: {model}: {r['error']}")
    return r["median_s"] if stat == "median" else r["min_s"]


def trace(model, threads, prefix, dims):
    """ORT's profile of the model at opt 'all' (a separate, profiled session): the executed nodes."""
    for f in glob.glob(prefix + "_*.json"):
        os.remove(f)
    sh(["node", ORT_PROFILE, model, "--threads", str(threads), "--runs", "1", "--warmup", "2",
        "--profile-runs", "5", "--opt", "all", "--prefix", prefix] + dims, env=NODE_ENV)
    return sorted(glob.glob(prefix + "_*.json"))[-1]


def roofline_predict(roofline, model, prof, threads, out, machine, dims):
    cmd = [roofline, "model", model, "--runtime", prof, "--threads", str(threads), "--json",
           out] + dims
    if machine:
        cmd += ["--machine", machine]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        print(f"  roofline model failed ({p.returncode}): {p.stderr.strip()[:300]}", flush=True)
        return None
    with open(out) as f:
        return json.load(f)


def worst_layers(rj, tr_nodes, k):
    """Group roofline's nodes under the node ORT runs them in; match ORT's profiled nodes by name
    (NCHWc kernels are named after the output tensor of their last fused node + '_nchwc')."""
    nodes = rj["nodes"]
    by_name, by_out = {}, {}
    for n in nodes:
        if n.get("name"):
            by_name[n["name"]] = n["index"]
        for o in n.get("outputs", []):
            by_out[o["name"]] = n["index"]

    def root(i):
        seen = 0
        while nodes[i].get("fused_into") is not None and seen < 64:
            i = int(nodes[i]["fused_into"])
            seen += 1
        return i

    pred, meas, unmatched = {}, {}, 0.0
    for n in nodes:
        if n.get("predicted_s"):
            r = root(n["index"])
            pred[r] = pred.get(r, 0.0) + n["predicted_s"]
    for t in tr_nodes:
        nm = t["name"]
        if nm.startswith("fused "):  # FusedGemm / FusedConv outside NCHWc: "fused <first node>"
            nm = nm[len("fused "):]
        i = by_name.get(nm)
        if i is None and nm.endswith("_nchwc"):
            i = by_out.get(nm[: -len("_nchwc")])
        if i is None:
            i = by_out.get(nm)
        # a fused node keeps its first node's name plus a suffix ("/MatMulAddFusion", "/Gelu...",
        # "_token_N"): try the name with trailing parts cut off
        parts = nm.rstrip("/").split("/")
        while i is None and len(parts) > 2:
            parts.pop()
            i = by_name.get("/".join(parts))
        d = statistics.median(t["durs"])
        if i is None:
            unmatched += d
            continue
        r = root(i)
        meas[r] = meas.get(r, 0.0) + d
    rows = []
    for r in set(pred) | set(meas):
        n = nodes[r]
        shp = (n["outputs"][0].get("shape") if n.get("outputs") else None) or []
        rows.append((abs(pred.get(r, 0.0) - meas.get(r, 0.0)), n.get("class", "?"), n["op"],
                     "x".join(str(d) for d in shp if d is not None), pred.get(r, 0.0),
                     meas.get(r, 0.0), n.get("name", "")))
    rows.sort(reverse=True)
    return rows[:k], unmatched


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--runtime", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--roofline", default="./roofline")
    ap.add_argument("--worst", type=int, default=3)
    ap.add_argument("--stat", choices=["median", "min"], default="median")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--machine", help="a `roofline --json` result: adds the roofline bound")
    ap.add_argument("--list", help="scripts/models/ort_models.txt: each model's set and dims")
    a = ap.parse_args()
    listed = read_list(a.list)

    def dims_of(m):
        return listed.get(m, ("", []))[1]

    def set_of(m):
        return listed.get(m, ("unlisted", []))[0]
    prof = json.load(open(a.runtime))
    threads = [int(t) for t in a.threads.split(",")]
    os.makedirs(os.path.join(a.out, "ort"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "roof"), exist_ok=True)
    results = []
    # The host is shared: every model and thread count is timed in --rounds rounds, one after the
    # other in turn, and the lowest round (each a median of --runs) is kept, so a burst of
    # another machine's load during one model's turn does not decide its figure.
    best = {}
    for rnd in range(a.rounds):
        for m in a.models:
            for t in threads:
                v = measure(os.path.join(a.out, "models", m + ".onnx"), t, a.runs, a.stat,
                            dims_of(m))
                best[(m, t)] = min(v, best.get((m, t), v))
        print(f"  round {rnd + 1} of {a.rounds} timed", flush=True)
    for m in a.models:
        path = os.path.join(a.out, "models", m + ".onnx")
        for t in threads:
            meas = best[(m, t)]
            tr = trace(path, t, os.path.join(a.out, "ort", f"{m}_{t}t"), dims_of(m))
            try:
                proto, proto_rows = ort_explain.explain(prof, tr, t)
            except Exception as e:  # a diagnostic only: the table goes on without it
                print(f"  {m} {t}t: ort_explain failed: {e!r}", flush=True)
                proto, proto_rows = 0.0, []
            rj = roofline_predict(a.roofline, path, a.runtime, t,
                                  os.path.join(a.out, "roof", f"{m}_{t}t.json"), a.machine,
                                  dims_of(m))
            pred = rj["totals"]["predicted_s"] if rj and "predicted_s" in rj["totals"] else None
            lo = rj["totals"].get("predicted_lo_s") if pred else None
            hi = rj["totals"].get("predicted_hi_s") if pred else None
            far = len(rj["runtime"].get("far_nodes", [])) if pred else 0
            tr_nodes, _ = ort_explain.load_trace(tr)
            try:
                worst, unmatched = worst_layers(rj, tr_nodes, a.worst) if pred else ([], 0.0)
            except Exception as e:  # the worst layers are a diagnostic: keep the table
                print(f"  {m} {t}t: worst layers failed: {e!r}", flush=True)
                worst, unmatched = [], 0.0
            if not pred:  # no --runtime in this roofline: the worst of the ORT-graph prediction
                proto_rows.sort(key=lambda r: -abs(r["predicted_s"] - r["profiled_s"]))
                worst = [(0, r["class"], r["op"], r["shape"], r["predicted_s"], r["profiled_s"],
                          r["name"]) for r in proto_rows[: a.worst]]
            bound = rj["totals"].get("time_s") if rj and a.machine else None
            results.append({"model": m, "set": set_of(m), "threads": t, "measured_s": meas,
                            "predicted_s": pred, "lo_s": lo, "hi_s": hi, "far_nodes": far,
                            "bound_s": bound,
                            "ort_graph_s": proto, "worst": worst, "unmatched_s": unmatched})
            e = f"{pred / meas - 1:+.1%}" if pred else "n/a"
            print(f"  {m} {t}t: measured {meas * 1e3:.2f} ms, predicted "
                  f"{pred * 1e3 if pred else float('nan'):.2f} ms ({e}), from ORT's graph "
                  f"{proto * 1e3:.2f} ms ({proto / meas - 1:+.1%})", flush=True)
    with open(os.path.join(a.out, "table.json"), "w") as f:
        json.dump(results, f, indent=1)

    rt = prof["runtime"]
    print(f"\nONNX Runtime {rt['name']} {rt['version']}, CPU EP, opt 'all' (its default), "
          f"interOpNumThreads 1, the best of {a.rounds} alternating rounds of the {a.stat} of "
          f"{a.runs} runs; runtime profile {a.runtime} "
          f"({prof['machine']['cpu']}, {prof['created']})")
    print("predicted: `roofline model M --runtime P --threads N`; ORT graph: the same profile "
          "applied to the nodes ORT's own profile shows it executing (scripts/models/ort_explain.py)")
    print("interval: totals.predicted_lo_s .. predicted_hi_s (each class curve's leave-one-out "
          "spread); in: the measured time inside it; far: executed nodes with no calibration "
          "point within 4x of their size")
    sets = [x for x in ("dev", "heldout", "unlisted") if any(r["set"] == x for r in results)]
    for st in sets:
        print(f"\n[{st}]" + (" (held out: run once, never tuned against)" if st == "heldout"
                             else ""))
        print(f"{'model':28s} {'thr':>3} {'predicted ms':>12} {'measured ms':>12} {'error':>8} "
              f"{'interval ms':>19} {'in':>3} {'far':>4} {'ORT graph ms':>12} {'error':>8}"
              + (f" {'bound ms':>9}" if a.machine else ""))
        for r in results:
            if r["set"] != st:
                continue
            p, ms, g = r["predicted_s"], r["measured_s"], r["ort_graph_s"]
            pp = f"{p * 1e3:12.2f}" if p else f"{'n/a':>12}"
            pe = f"{p / ms - 1:+8.1%}" if p else f"{'n/a':>8}"
            iv = (f"{r['lo_s'] * 1e3:8.2f} .. {r['hi_s'] * 1e3:8.2f}" if r["lo_s"] is not None
                  else f"{'n/a':>19}")
            inside = ("yes" if r["lo_s"] is not None and r["lo_s"] <= ms <= r["hi_s"] else
                      "no" if r["lo_s"] is not None else "-")
            b = r["bound_s"]
            print(f"{r['model']:28s} {r['threads']:3d} {pp} {ms * 1e3:12.2f} {pe} {iv} "
                  f"{inside:>3} {r['far_nodes']:4d} {g * 1e3:12.2f} {g / ms - 1:+8.1%}"
                  + (f" {b * 1e3:9.2f}" if b else ""))
    print()
    for st in sets:
        for t in threads:
            rs = [r for r in results if r["threads"] == t and r["set"] == st]
            for key, label in (("predicted_s", "roofline --runtime"), ("ort_graph_s", "ORT graph")):
                errs = [(abs(r[key] / r["measured_s"] - 1), r["model"], r[key] / r["measured_s"] - 1)
                        for r in rs if r[key]]
                if not errs:
                    continue
                med = statistics.median(e[0] for e in errs)
                w = max(errs)
                w20 = sum(1 for e in errs if e[0] <= 0.20)
                w30 = sum(1 for e in errs if e[0] <= 0.30)
                extra = ""
                if key == "predicted_s":
                    iv = [r for r in rs if r["lo_s"] is not None]
                    inside = sum(1 for r in iv if r["lo_s"] <= r["measured_s"] <= r["hi_s"])
                    extra = f", {inside}/{len(iv)} inside their interval"
                print(f"{st:8s} {t} thread{'s' if t > 1 else ' '} {label:18s}: median |error| "
                      f"{med:6.1%}, worst {w[1]} {w[2]:+.1%}, {w20}/{len(errs)} within +-20%, "
                      f"{w30}/{len(errs)} within +-30%{extra}")
    print(f"\nworst layers (|predicted - ORT profiled|; ORT's profiler inflates small nodes):")
    for r in results:
        print(f"{r['model']} {r['threads']}t:" + (f" (ORT nodes matched to none: "
                                                  f"{r['unmatched_s'] * 1e3:.2f} ms)"
                                                  if r["unmatched_s"] else ""))
        for _, cls, op, shp, p, mm, nm in r["worst"]:
            print(f"    {op:14s} {cls:15s} {shp:18s} predicted {p * 1e3:7.3f} ms  profiled "
                  f"{mm * 1e3:7.3f} ms  {nm[-48:]}")


if __name__ == "__main__":
    sys.exit(main())
