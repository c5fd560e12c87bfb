#!/usr/bin/python3
"""Compare `roofline model --json` with the shapes ONNX Runtime measured (ort_profile.mjs
--dump-outputs of a model whose every node output is a graph output), and the multiply-adds with
torch's profiler. Called by scripts/check-model-shapes.sh; see there.

Usage: compare_shapes.py ROOFLINE.json ORT.json [--ref REF.json] [--dim NAME=V ...]

Prints one line per node output whose shape differs (or is unknown to roofline), one per
Conv/ConvTranspose/Gemm/MatMul whose cost roofline left out, the summary
"N of M node shapes equal", and the multiply-adds beside the torch profiler figure of the export's
reference record when one is given and matches the --dim values. Exit 0 when everything agrees,
1 on any difference, 2 on bad arguments or files.
"""
import json
import sys

COSTED = {"Conv", "ConvTranspose", "Gemm", "MatMul", "MatMulInteger", "QLinearMatMul",
          "QLinearConv", "ConvInteger", "Einsum", "MatMulNBits", "FusedMatMul"}


def shape_str(s):
    if s is None:
        return "?"
    if not s:
        return "scalar"
    return "x".join(str(d) if isinstance(d, int) else (d if isinstance(d, str) else "?")
                    for d in s)


def pick_profile(ref, dims):
    """-> (macs, what) from a reference record for these --dim values, or (None, why)."""
    profs = ref.get("profiles")
    if not profs:
        if dims and ref.get("dynamic_axes"):
            return None, "the record has no figure for these dims"
        v = ref.get("macs_gemm_conv_from_profiler")
        return (v, "reference record") if v is not None else (None, "no profiler figure")
    for p in profs:
        pd = p.get("dims", {})
        if all(k in pd and pd[k] == v for k, v in dims.items()) and \
                (not ref.get("dynamic_axes") or all(k in dims for k in
                                                     ref["dynamic_axes"]["input"].values())):
            return p["macs_gemm_conv_from_profiler"], "profile at " + ",".join(
                f"{k}={v}" for k, v in pd.items())
    return None, "no profile at " + ",".join(f"{k}={v}" for k, v in dims.items())


def main(argv):
    args, ref_path, dims = [], None, {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--ref":
            ref_path = argv[i + 1]
            i += 1
        elif a == "--dim":
            k, _, v = argv[i + 1].partition("=")
            dims[k] = int(v)
            i += 1
        else:
            args.append(a)
        i += 1
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        rl = json.load(open(args[0]))
        ort = json.load(open(args[1]))
    except (OSError, ValueError) as e:
        sys.stderr.write(f"compare_shapes.py: {e}\n")
        return 2
    bad = 0
    total = equal = 0
    for n in rl.get("nodes", []):
        for o in n.get("outputs", []):
            name = o.get("name")
            if not name:
                continue
            total += 1
            got = o.get("shape")
            want = ort.get(name, {}).get("dims") if name in ort else None
            if name not in ort:
                print(f"MISMATCH node {n['index']} '{n['name']}' ({n['op']}) output '{name}': "
                      f"roofline {shape_str(got)}, not reported by ONNX Runtime")
                bad += 1
                continue
            if got is not None and all(isinstance(d, int) for d in got) and list(got) == list(want):
                equal += 1
                continue
            bad += 1
            print(f"MISMATCH node {n['index']} '{n['name']}' ({n['op']}) output '{name}': "
                  f"roofline {shape_str(got)}, ONNX Runtime {shape_str(want)}"
                  + (f" [{n['status']}: {n['note']}]" if n.get("note") else ""))
    uncosted = 0
    for n in rl.get("nodes", []):
        if n["op"] in COSTED and "macs" not in n:
            uncosted += 1
            print(f"NO COST node {n['index']} '{n['name']}' ({n['op']})"
                  + (f" [{n['status']}: {n['note']}]" if n.get("note") else ""))
    print(f"{equal} of {total} node shapes equal")
    macs = rl.get("totals", {}).get("macs")
    if ref_path:
        try:
            ref = json.load(open(ref_path))
        except (OSError, ValueError) as e:
            sys.stderr.write(f"compare_shapes.py: {ref_path}: {e}\n")
            return 2
        want, what = pick_profile(ref, dims)
        if want is None:
            print(f"MACs: roofline {macs:,.0f}; torch profiler: none ({what})")
        else:
            same = macs is not None and round(macs) == want
            diff = "" if same or not want else f", differ by {100 * (macs / want - 1):+.3f}%"
            print(f"MACs: roofline {macs:,.0f}, torch profiler {want:,} ({what}): "
                  f"{'equal' if same else 'DIFFERENT'}{diff}")
            if not same:
                bad += 1
    else:
        print(f"MACs: roofline {macs:,.0f}; torch profiler: no reference record")
    if uncosted:
        print(f"{uncosted} Conv/Gemm/MatMul nodes without a cost")
    return 1 if bad or uncosted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
