#!/usr/bin/python3
"""quantize_qdq.py: a float ONNX model with its weights -> the same model in QDQ int8, as
onnxruntime.quantization.quantize_static writes it for op_types_to_quantize Conv, MatMul, Gemm
(npm's ONNX Runtime has no Python quantizer, and PyPI is not used here).

    /usr/bin/python3 scripts/models/quantize_qdq.py MODEL.onnx OUT.onnx [--dynamic]

Every Conv, MatMul and Gemm gets:
  - its data input(s) through QuantizeLinear -> DequantizeLinear, uint8 (activations; a tensor
    that is already the output of an inserted DequantizeLinear is used as it is, so a chain of
    quantized layers has one Q/DQ pair between two layers);
  - a constant weight stored as int8, symmetric, one scale per output channel (Conv: axis 0;
    MatMul [K,N]: axis 1; Gemm: the N axis of B), through DequantizeLinear; a weight that is not
    constant (attention's K and V) is an activation, uint8;
  - a constant bias stored as int32 at scale x_scale x w_scale (what ORT requires before it fuses
    a QDQ Conv into QLinearConv);
  - its output through QuantizeLinear -> DequantizeLinear (uint8).
--dynamic writes what onnxruntime.quantization.quantize_dynamic writes instead, for MatMul and
Gemm by a constant weight (Conv stays float): DynamicQuantizeLinear of the input (one per
tensor, shared by its products) -> MatMulInteger by the int8 weight (one scale per tensor, zero
point 0) -> Cast to float -> Mul by the input's scale times the weight's [-> Add the bias], which
ORT runs as DynamicQuantizeMatMul (or MatMulIntegerToFloat beside a shared DynamicQuantizeLinear).

Activation scales are not calibrated: every activation gets scale 1/64 and zero point 128. ONNX
Runtime's int8 kernels take the same time whatever the scales are, and the weights of the models
this is for (scripts/models/export_zoo.py) are random anyway; the outputs are not meaningful, the
times and the graph ORT runs are. Needs Debian's python3-onnx (and numpy)."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

A_SCALE, A_ZP = 1.0 / 64, 128


def main():
    args = [a for a in sys.argv[1:] if a != "--dynamic"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if "--dynamic" in sys.argv:
        return dynamic(*args)
    m = onnx.load(args[0])
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    consts = {n.output[0]: n for n in g.node if n.op_type == "Constant"}
    new_inits, counter = [], [0]

    def uniq(base):
        counter[0] += 1
        return f"{base}_q{counter[0]}"

    def const_array(name):
        if name in inits:
            return numpy_helper.to_array(inits[name])
        if name in consts:
            return numpy_helper.to_array(consts[name].attribute[0].t)
        return None

    a_scale, a_zp = uniq("act_scale"), uniq("act_zp")
    new_inits += [numpy_helper.from_array(np.array(A_SCALE, np.float32), a_scale),
                  numpy_helper.from_array(np.array(A_ZP, np.uint8), a_zp)]

    out_nodes = []
    dq_outputs = set()  # tensors that are outputs of an inserted DequantizeLinear
    qdq_of = {}  # activation tensor -> its DequantizeLinear output

    def act_qdq(t, before):
        if t in dq_outputs:
            return t
        if t not in qdq_of:
            q, dq = uniq(t + "_quant"), uniq(t + "_dequant")
            before.append(helper.make_node("QuantizeLinear", [t, a_scale, a_zp], [q],
                                           name=uniq("QuantizeLinear")))
            before.append(helper.make_node("DequantizeLinear", [q, a_scale, a_zp], [dq],
                                           name=uniq("DequantizeLinear")))
            qdq_of[t] = dq
            dq_outputs.add(dq)
        return qdq_of[t]

    def weight_dq(w, axis, before):
        co = w.shape[axis]
        wa = np.moveaxis(w.astype(np.float32), axis, 0).reshape(co, -1)
        sc = (np.abs(wa).max(axis=1) / 127 + 1e-12).astype(np.float32)
        shp = [1] * w.ndim
        shp[axis] = co
        q = np.clip(np.round(w / sc.reshape(shp)), -127, 127).astype(np.int8)
        qn, sn, zn, out = uniq("w_int8"), uniq("w_scale"), uniq("w_zp"), uniq("w_dequant")
        new_inits.extend([numpy_helper.from_array(q, qn), numpy_helper.from_array(sc, sn),
                          numpy_helper.from_array(np.zeros(co, np.int8), zn)])
        before.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [out], axis=axis,
                                       name=uniq("DequantizeLinear")))
        return out, sc

    def bias_dq(b, w_scale, before):
        bs = (A_SCALE * w_scale).astype(np.float32)
        q = np.round(b.astype(np.float64) / bs).astype(np.int32)
        qn, sn, zn, out = uniq("b_int32"), uniq("b_scale"), uniq("b_zp"), uniq("b_dequant")
        new_inits.extend([numpy_helper.from_array(q, qn), numpy_helper.from_array(bs, sn),
                          numpy_helper.from_array(np.zeros(len(bs), np.int32), zn)])
        before.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [out], axis=0,
                                       name=uniq("DequantizeLinear")))
        return out

    n_quantized = 0
    for n in g.node:
        if n.op_type not in ("Conv", "MatMul", "Gemm") or n.domain not in ("", "ai.onnx"):
            out_nodes.append(n)
            continue
        before = []
        ins = list(n.input)
        w = const_array(ins[1]) if len(ins) > 1 else None
        ins[0] = act_qdq(ins[0], before)
        w_scale = None
        if w is None:
            ins[1] = act_qdq(ins[1], before)
        else:
            if n.op_type == "Conv":
                axis = 0
            elif n.op_type == "MatMul":
                axis = w.ndim - 1
            else:
                tb = next((a.i for a in n.attribute if a.name == "transB"), 0)
                axis = 0 if tb else 1
            ins[1], w_scale = weight_dq(w, axis, before)
        if len(ins) > 2 and ins[2] and w_scale is not None and n.op_type in ("Conv", "Gemm"):
            b = const_array(ins[2])
            if b is not None and b.ndim == 1 and len(b) == len(w_scale):
                ins[2] = bias_dq(b, w_scale, before)
        y = n.output[0]
        y_pre, y_q = uniq(y + "_float"), uniq(y + "_quant")
        del n.input[:]
        n.input.extend(ins)
        n.output[0] = y_pre
        after = [helper.make_node("QuantizeLinear", [y_pre, a_scale, a_zp], [y_q],
                                  name=uniq("QuantizeLinear")),
                 helper.make_node("DequantizeLinear", [y_q, a_scale, a_zp], [y],
                                  name=uniq("DequantizeLinear"))]
        dq_outputs.add(y)
        out_nodes += before + [n] + after
        n_quantized += 1
    del g.node[:]
    g.node.extend(out_nodes)
    g.initializer.extend(new_inits)
    # the float weights and biases now unused go
    used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
    keep = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    # opset >= 13 for per-channel DequantizeLinear
    for o in m.opset_import:
        if o.domain in ("", "ai.onnx") and o.version < 13:
            o.version = 13
    del g.value_info[:]
    onnx.save(m, args[1])
    print(f"{args[1]}: {n_quantized} Conv/MatMul/Gemm nodes quantized (QDQ, u8 activations, "
          f"s8 per-channel weights)")


def dynamic(src, dst):
    m = onnx.load(src)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    new_inits, out_nodes, dql_of, n_quantized = [], [], {}, 0
    count = [0]

    def uniq(base):
        count[0] += 1
        return f"{base}_dq{count[0]}"

    for n in g.node:
        b = inits.get(n.input[1]) if n.op_type in ("MatMul", "Gemm") and len(n.input) > 1 else None
        attrs = {a.name: a for a in n.attribute}
        plain_gemm = n.op_type == "Gemm" and all(
            (k in ("transA",) and attrs[k].i == 0) or k == "transB" or
            (k in ("alpha", "beta") and attrs[k].f == 1.0) for k in attrs)
        if b is None or n.domain not in ("", "ai.onnx") or (n.op_type == "Gemm" and not plain_gemm):
            out_nodes.append(n)
            continue
        w = numpy_helper.to_array(b).astype(np.float32)
        if n.op_type == "Gemm" and "transB" in attrs and attrs["transB"].i:
            w = w.T
        x = n.input[0]
        if x not in dql_of:
            q, s, z = uniq(x + "_q"), uniq(x + "_scale"), uniq(x + "_zp")
            out_nodes.append(helper.make_node("DynamicQuantizeLinear", [x], [q, s, z],
                                              name=uniq("DynamicQuantizeLinear")))
            dql_of[x] = (q, s, z)
        q, s, z = dql_of[x]
        ws = float(np.abs(w).max() / 127 + 1e-12)
        wq = np.clip(np.round(w / ws), -127, 127).astype(np.int8)
        wn, wsn, wzn = uniq("w_int8"), uniq("w_scale"), uniq("w_zp")
        new_inits += [numpy_helper.from_array(wq, wn),
                      numpy_helper.from_array(np.array(ws, np.float32), wsn),
                      numpy_helper.from_array(np.array(0, np.int8), wzn)]
        mi, mf, sc = uniq("int32"), uniq("float"), uniq("scale")
        y = n.output[0]
        has_bias = n.op_type == "Gemm" and len(n.input) > 2 and n.input[2]
        y0 = uniq("unbiased") if has_bias else y
        out_nodes += [
            helper.make_node("MatMulInteger", [q, wn, z, wzn], [mi], name=n.name or uniq("mmi")),
            helper.make_node("Cast", [mi], [mf], to=TensorProto.FLOAT, name=uniq("Cast")),
            helper.make_node("Mul", [s, wsn], [sc], name=uniq("Mul")),
            helper.make_node("Mul", [mf, sc], [y0], name=uniq("Mul")),
        ]
        if has_bias:
            out_nodes.append(helper.make_node("Add", [y0, n.input[2]], [y], name=uniq("Add")))
        n_quantized += 1
    del g.node[:]
    g.node.extend(out_nodes)
    g.initializer.extend(new_inits)
    used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
    keep = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    for o in m.opset_import:
        if o.domain in ("", "ai.onnx") and o.version < 11:
            o.version = 11
    del g.value_info[:]
    onnx.save(m, dst)
    print(f"{dst}: {n_quantized} MatMul/Gemm nodes quantized dynamically (DynamicQuantizeLinear + "
          f"MatMulInteger, s8 per-tensor weights)")


if __name__ == "__main__":
    main()
