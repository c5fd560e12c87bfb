#!/usr/bin/python3
"""Make a test fixture from a small exported model: a stripped copy with short names (small enough
for tests/data) and the shape of every node output that ONNX Runtime computes for some dims
settings, with torch.profiler's multiply-adds from the export's record.

Usage:
  /usr/bin/python3 scripts/models/make_fixture.py MODEL.onnx REF.json OUTDIR

Writes OUTDIR/<name>.onnx (tensors renamed t0, t1, ..., nodes n0, n1, ...; float weights moved to
an external file that is then deleted, as ../shared/models/make/export_models.py strips) and
OUTDIR/<name>.shapes.json: {"model": ..., "settings": [{"dims": {...}, "macs": N,
"shapes": {tensor: [dims]}}]}, one setting per profile of REF.json. tests/test_shape_values.c
reads them. Needs onnxruntime-node in /tmp/ortnode (ORT_NODE_DIR).
"""
import json
import os
import subprocess
import sys
import tempfile

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_transformers  # noqa: E402,F401 (puts export_models on the path)
import export_models as em  # noqa: E402
import expose_outputs  # noqa: E402


def minify(m):
    g = m.graph
    keep = {i.name for i in g.input} | {o.name for o in g.output}
    names = {}

    def short(n):
        if not n or n in keep:
            return n
        if n not in names:
            names[n] = "t%d" % len(names)
        return names[n]

    for t in g.initializer:
        t.name = short(t.name)
    for i, nd in enumerate(g.node):
        nd.name = "n%d" % i
        nd.doc_string = ""
        for k in range(len(nd.input)):
            nd.input[k] = short(nd.input[k])
        for k in range(len(nd.output)):
            nd.output[k] = short(nd.output[k])
    del g.value_info[:]
    m.doc_string = ""


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    src, ref_path, outdir = sys.argv[1:]
    name = os.path.splitext(os.path.basename(src))[0]
    ref = json.load(open(ref_path))
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="fixture.")
    m = onnx.load(src)
    minify(m)
    full = os.path.join(tmp, name + ".onnx")
    onnx.save(m, full)
    out = os.path.join(outdir, name + ".onnx")
    em.strip(full, out)
    # every node output exposed, run once per dims setting
    have = {o.name for o in m.graph.output} | {i.name for i in m.graph.input}
    for nd in m.graph.node:
        for o in nd.output:
            if o and o not in have:
                have.add(o)
                m.graph.output.append(onnx.helper.make_empty_tensor_value_info(o))
    exposed = os.path.join(tmp, "exposed.onnx")
    onnx.save(m, exposed)
    ortdir = os.environ.get("ORT_NODE_DIR", "/tmp/ortnode")
    settings = []
    for p in ref["profiles"]:
        dims = p["dims"]
        dflags = [x for k, v in dims.items() for x in ("--dim", f"{k}={v}")]
        js = os.path.join(tmp, "ort.json")
        subprocess.run(["node", os.path.join(HERE, "ort_shapes.mjs"), exposed, js, "--int-max", "10"]
                       + dflags, check=True, env=dict(os.environ, NODE_PATH=ortdir + "/node_modules"))
        shapes = {k: v["dims"] for k, v in json.load(open(js)).items()}
        settings.append({"dims": dims, "macs": p["macs_gemm_conv_from_profiler"], "shapes": shapes})
    with open(os.path.join(outdir, name + ".shapes.json"), "w") as f:
        json.dump({"model": name + ".onnx", "source": ref.get("name"), "settings": settings}, f,
                  separators=(",", ":"))
    for fn in (name + ".onnx", name + ".shapes.json"):
        print(f"{os.path.join(outdir, fn)}: {os.path.getsize(os.path.join(outdir, fn))} bytes")


if __name__ == "__main__":
    main()
