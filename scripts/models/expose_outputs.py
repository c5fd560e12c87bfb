#!/usr/bin/python3
"""Copy an ONNX model with every node output also listed as a graph output, so that running it
(ONNX Runtime, scripts/check-model-shapes.sh) reports the shape of every tensor the graph makes.

Usage: /usr/bin/python3 scripts/models/expose_outputs.py IN.onnx OUT.onnx

Outputs of nodes inside subgraphs (If/Loop bodies) are not exposed. An exposed output declares
neither type nor shape, so the runtime reports what it computed rather than checking what ONNX's
own inference (which may not know a newer opset) would declare. Weights in external data files
stay there: OUT's folder gets hard links to them (copies across file systems).
"""
import os
import shutil
import sys

import onnx
from onnx import helper


def external_locations(m):
    """Files the model's external-data initializers (and Constant values) point at."""
    locs = set()
    tensors = list(m.graph.initializer)
    for nd in m.graph.node:
        tensors += [a.t for a in nd.attribute if a.HasField("t")]
    for t in tensors:
        if t.data_location == onnx.TensorProto.EXTERNAL:
            for kv in t.external_data:
                if kv.key == "location":
                    locs.add(kv.value)
    return sorted(locs)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    src, dst = sys.argv[1], sys.argv[2]
    # weights stored beside the model stay where they are: the copy links to them (a decoder of
    # several GB is never read into memory here)
    m = onnx.load(src, load_external_data=False)
    srcdir = os.path.dirname(os.path.abspath(src))
    dstdir = os.path.dirname(os.path.abspath(dst))
    for loc in external_locations(m):
        target, link = os.path.join(srcdir, loc), os.path.join(dstdir, loc)
        if srcdir != dstdir and os.path.exists(target) and not os.path.lexists(link):
            os.makedirs(os.path.dirname(link), exist_ok=True)
            try:  # ONNX Runtime refuses a symbolic link that leads out of the model's folder
                os.link(target, link)
            except OSError:
                shutil.copyfile(target, link)
    have = {o.name for o in m.graph.output}
    inputs = {i.name for i in m.graph.input}
    added = 0
    for nd in m.graph.node:
        for o in nd.output:
            if not o or o in have or o in inputs:
                continue
            have.add(o)
            m.graph.output.append(helper.make_empty_tensor_value_info(o))
            added += 1
    onnx.save(m, dst)
    print(f"{dst}: {added} node outputs exposed ({len(m.graph.output)} graph outputs)")


if __name__ == "__main__":
    main()
