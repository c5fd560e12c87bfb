#!/usr/bin/python3
"""Copy an ONNX model with every node output also listed as a graph output, so that running it
(ONNX Runtime, scripts/check-model-shapes.sh) reports the shape of every tensor the graph makes.

Usage: /usr/bin/python3 scripts/models/expose_outputs.py IN.onnx OUT.onnx

Outputs of nodes inside subgraphs (If/Loop bodies) are not exposed. The element type of an exposed
output comes from ONNX shape inference where it knows it; its shape is left out, so the runtime
reports what it computed rather than checking a declared shape.
"""
import os
import sys

import onnx
from onnx import helper, shape_inference


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    src, dst = sys.argv[1], sys.argv[2]
    m = onnx.load(src)
    try:
        inferred = shape_inference.infer_shapes(m)
        vis = list(inferred.graph.value_info) + list(inferred.graph.output)
    except Exception:  # noqa: BLE001 (a model ONNX cannot infer still runs)
        vis = []
    elem = {vi.name: vi.type.tensor_type.elem_type for vi in vis
            if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type}
    have = {o.name for o in m.graph.output}
    inputs = {i.name for i in m.graph.input}
    added = 0
    for nd in m.graph.node:
        for o in nd.output:
            if not o or o in have or o in inputs:
                continue
            have.add(o)
            if o in elem:
                m.graph.output.append(helper.make_tensor_value_info(o, elem[o], None))
            else:
                m.graph.output.append(helper.make_empty_tensor_value_info(o))
            added += 1
    # large models: keep weights inline when they fit protobuf's 2 GB, else beside the file
    size = m.ByteSize()
    if size < 1_900_000_000:
        onnx.save(m, dst)
    else:
        onnx.save(m, dst, save_as_external_data=True, location=os.path.basename(dst) + ".data")
    print(f"{dst}: {added} node outputs exposed ({len(m.graph.output)} graph outputs)")


if __name__ == "__main__":
    main()
