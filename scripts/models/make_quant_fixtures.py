#!/usr/bin/python3
"""make_quant_fixtures.py: the small quantized models of tests/data/quant/ (tests/test_quant.c).

    /usr/bin/python3 scripts/models/make_quant_fixtures.py tests/data/quant

Needs the onnx package (Debian python3-onnx); no numpy. Every model is small and has its weights
inline (constant bytes: the figures under test are shapes, types and sizes, not values), so that
ONNX Runtime can run the well-formed ones (scripts/models/check_quant_ort.mjs):

  qdq_conv.onnx     QDQ: x -> QuantizeLinear (uint8) -> DequantizeLinear -> Conv (3x3, 8 -> 16
                    channels, 16x16, pad 1; weight DequantizeLinear of int8, bias of int32) ->
                    QuantizeLinear -> DequantizeLinear -> y: the Conv is int8 (QLinearConv in ORT)
  qop_conv.onnx     the same as QOperator: QuantizeLinear -> QLinearConv -> DequantizeLinear
  qdq_matmul.onnx   QDQ MatMul [1,4,32] x int8 [32,64] (per-column scales), no QuantizeLinear after:
                    MatMulIntegerToFloat in ORT
  qop_ops.onnx      ORT's contrib QOperator ops on one path: DynamicQuantizeLinear,
                    MatMulInteger, QLinearMatMul, QGemm, QLinearAdd, QLinearSigmoid,
                    QLinearConcat, QLinearGlobalAveragePool, ConvInteger, DynamicQuantizeMatMul,
                    MatMulIntegerToFloat
  dyn_matmul.onnx   dynamic quantization as quantize_dynamic writes it: DynamicQuantizeLinear ->
                    MatMulInteger [1,8,64] x int8 [64,32] -> Cast -> Mul by the scale product ->
                    Add bias (ORT: one DynamicQuantizeMatMul)
  dyn_matmul_shared.onnx  two such products of one DynamicQuantizeLinear (ORT: it stays, and
                    each product is a MatMulIntegerToFloat)
  bad_dq_zero_point.onnx    DequantizeLinear of uint8 with an int8 zero point
  bad_q_no_scale.onnx       QuantizeLinear with no y_scale
  bad_qlinearconv_bias.onnx QLinearConv with a float bias
  bad_qdq_int32_zp.onnx     QuantizeLinear with an int32 zero point

The hand-computed figures the tests check are in tests/test_quant.c beside each assertion."""
import os
import sys

from onnx import TensorProto, helper, save

U8, I8, I32, F = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32, TensorProto.FLOAT
MS = "com.microsoft"


def const(name, dtype, dims, value=1):
    n = 1
    for d in dims:
        n *= d
    if dtype == F:
        return helper.make_tensor(name, dtype, dims, [0.02 * value] * n)
    return helper.make_tensor(name, dtype, dims, [value] * n)


def scale_zp(prefix, zp_type, n=1, zp=None):
    dims = [] if n == 1 else [n]
    z = zp if zp is not None else (128 if zp_type == U8 else 0)
    return [const(prefix + "_scale", F, dims), const(prefix + "_zp", zp_type, dims, z)]


def model(nodes, inputs, outputs, inits, name, ms=False):
    g = helper.make_graph(nodes, name, inputs, outputs, inits)
    opsets = [helper.make_opsetid("", 13)] + ([helper.make_opsetid(MS, 1)] if ms else [])
    m = helper.make_model(g, opset_imports=opsets, producer_name="make_quant_fixtures.py")
    m.ir_version = 7
    return m


def conv_qdq():
    x = helper.make_tensor_value_info("x", F, [1, 8, 16, 16])
    y = helper.make_tensor_value_info("y", F, [1, 16, 16, 16])
    inits = scale_zp("x", U8) + scale_zp("w", I8) + scale_zp("y", U8)
    # the bias scale is x_scale x w_scale, as quantizers write it (ONNX Runtime fuses the QDQ Conv
    # into a QLinearConv only then)
    inits += [const("w_q", I8, [16, 8, 3, 3]), const("b_q", I32, [16]),
              helper.make_tensor("b_scale", F, [], [0.02 * 0.02])]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["x_q"], "quant_x"),
        helper.make_node("DequantizeLinear", ["x_q", "x_scale", "x_zp"], ["x_dq"], "dq_x"),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"], ["w_dq"], "dq_w"),
        helper.make_node("DequantizeLinear", ["b_q", "b_scale"], ["b_dq"], "dq_b"),
        helper.make_node("Conv", ["x_dq", "w_dq", "b_dq"], ["c"], "conv", pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["c", "y_scale", "y_zp"], ["c_q"], "quant_y"),
        helper.make_node("DequantizeLinear", ["c_q", "y_scale", "y_zp"], ["y"], "dq_y"),
    ]
    return model(nodes, [x], [y], inits, "qdq_conv")


def conv_qop():
    x = helper.make_tensor_value_info("x", F, [1, 8, 16, 16])
    y = helper.make_tensor_value_info("y", F, [1, 16, 16, 16])
    inits = scale_zp("x", U8) + scale_zp("w", I8) + scale_zp("y", U8)
    inits += [const("w_q", I8, [16, 8, 3, 3]), const("b_q", I32, [16])]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["x_q"], "quant_x"),
        helper.make_node("QLinearConv", ["x_q", "x_scale", "x_zp", "w_q", "w_scale", "w_zp",
                                         "y_scale", "y_zp", "b_q"], ["c_q"], "qconv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["c_q", "y_scale", "y_zp"], ["y"], "dq_y"),
    ]
    return model(nodes, [x], [y], inits, "qop_conv")


def matmul_qdq():
    x = helper.make_tensor_value_info("x", F, [1, 4, 32])
    y = helper.make_tensor_value_info("y", F, [1, 4, 64])
    inits = scale_zp("x", U8) + scale_zp("w", I8, 64) + [const("w_q", I8, [32, 64])]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["x_q"], "quant_x"),
        helper.make_node("DequantizeLinear", ["x_q", "x_scale", "x_zp"], ["x_dq"], "dq_x"),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"], ["w_dq"], "dq_w", axis=1),
        helper.make_node("MatMul", ["x_dq", "w_dq"], ["y"], "matmul"),
    ]
    return model(nodes, [x], [y], inits, "qdq_matmul")


def qop_ops():
    """One path through the contrib QOperator ops, shapes chosen so every figure is easy."""
    a = helper.make_tensor_value_info("a", F, [4, 32])
    img = helper.make_tensor_value_info("img", U8, [1, 8, 6, 6])
    outs = [helper.make_tensor_value_info(n, t, None)
            for n, t in (("mi", I32), ("gap", F), ("ci", I32), ("dqm", F), ("mif", F))]
    inits = scale_zp("s", U8) + scale_zp("w", I8) + scale_zp("o", U8)
    inits += [const("w8", I8, [32, 16]), const("wg", I8, [16, 32]), const("bg", I32, [16]),
              const("wc", U8, [4, 8, 3, 3], 1), const("img_zp", U8, [], 0), const("wc_zp", U8, [], 0)]
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["a"], ["a_q", "a_s", "a_z"], "dql"),
        # [4,32] x [32,16] int8 -> int32: 2048 MACs
        helper.make_node("MatMulInteger", ["a_q", "w8", "a_z"], ["mi"], "matmul_integer"),
        # [4,32] x [32,16] -> uint8 [4,16]
        helper.make_node("QLinearMatMul", ["a_q", "s_scale", "s_zp", "w8", "w_scale", "w_zp",
                                           "o_scale", "o_zp"], ["qm"], "qlinear_matmul"),
        # QGemm [4,32] x [16,32]^T (transB) + int32 bias -> uint8 [4,16]
        helper.make_node("QGemm", ["a_q", "s_scale", "s_zp", "wg", "w_scale", "w_zp", "bg",
                                   "o_scale", "o_zp"], ["qg"], "qgemm", domain=MS, transB=1),
        helper.make_node("QLinearAdd", ["qm", "o_scale", "o_zp", "qg", "o_scale", "o_zp",
                                        "o_scale", "o_zp"], ["qa"], "qadd", domain=MS),
        helper.make_node("QLinearSigmoid", ["qa", "o_scale", "o_zp", "o_scale", "o_zp"], ["qs"],
                         "qsigmoid", domain=MS),
        helper.make_node("QLinearConcat", ["o_scale", "o_zp", "qs", "o_scale", "o_zp", "qa",
                                           "o_scale", "o_zp"], ["qc"], "qconcat", domain=MS,
                         axis=1),
        helper.make_node("ConvInteger", ["img", "wc", "img_zp", "wc_zp"], ["ci"], "conv_integer"),
        helper.make_node("Reshape", ["qc", "shape4"], ["qc4"], "to4d"),
        helper.make_node("QLinearGlobalAveragePool", ["qc4", "o_scale", "o_zp", "o_scale", "o_zp"],
                         ["gap_q"], "qgap", domain=MS),
        helper.make_node("DequantizeLinear", ["gap_q", "o_scale", "o_zp"], ["gap"], "dq_gap"),
        helper.make_node("DynamicQuantizeMatMul", ["a", "w8", "w_scale", "w_zp"], ["dqm"],
                         "dyn_quant_matmul", domain=MS),
        helper.make_node("MatMulIntegerToFloat", ["a_q", "w8", "a_s", "w_scale", "a_z", "w_zp"],
                         ["mif"], "matmul_integer_to_float", domain=MS),
    ]
    inits.append(helper.make_tensor("shape4", TensorProto.INT64, [4], [1, 4, 8, 4]))
    return model(nodes, [a, img], outs, inits, "qop_ops", ms=True)


def dynamic(n_products):
    a = helper.make_tensor_value_info("a", F, [1, 8, 64])
    nodes = [helper.make_node("DynamicQuantizeLinear", ["a"], ["aq", "as", "az"], "dql")]
    inits, outs = [const("wz", I8, [], 0)], []
    for j in range(n_products):
        nodes += [
            helper.make_node("MatMulInteger", ["aq", f"w{j}", "az", "wz"], [f"mi{j}"], f"mmi{j}"),
            helper.make_node("Cast", [f"mi{j}"], [f"mf{j}"], f"cast{j}", to=F),
            helper.make_node("Mul", ["as", f"ws{j}"], [f"sc{j}"], f"scale_mul{j}"),
            helper.make_node("Mul", [f"mf{j}", f"sc{j}"], [f"y{j}"], f"out_mul{j}"),
        ]
        inits += [const(f"w{j}", I8, [64, 32], j + 1), const(f"ws{j}", F, [], j + 1)]
        if n_products == 1:
            nodes.append(helper.make_node("Add", [f"y{j}", "bias"], ["y"], "bias_add"))
            inits.append(const("bias", F, [32]))
            outs.append(helper.make_tensor_value_info("y", F, None))
        else:
            outs.append(helper.make_tensor_value_info(f"y{j}", F, None))
    return model(nodes, [a], outs, inits, "dyn_matmul")


def bad(kind):
    x = helper.make_tensor_value_info("x", F, [1, 8])
    y = helper.make_tensor_value_info("y", F, [1, 8])
    inits = [const("s", F, [])]
    if kind == "bad_dq_zero_point":
        inits += [const("zp8", U8, [], 128), const("zpi", I8, [], 0)]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s", "zp8"], ["xq"], "quant_x"),
                 helper.make_node("DequantizeLinear", ["xq", "s", "zpi"], ["y"], "dq_wrong_zp")]
    elif kind == "bad_q_no_scale":
        nodes = [helper.make_node("QuantizeLinear", ["x"], ["xq"], "quant_no_scale"),
                 helper.make_node("DequantizeLinear", ["xq", "s"], ["y"], "dq_x")]
    elif kind == "bad_qdq_int32_zp":
        inits += [const("zp32", I32, [], 0)]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s", "zp32"], ["xq"], "quant_int32_zp"),
                 helper.make_node("DequantizeLinear", ["xq", "s", "zp32"], ["y"], "dq_x")]
    else:  # bad_qlinearconv_bias
        x = helper.make_tensor_value_info("x", F, [1, 8, 4, 4])
        y = helper.make_tensor_value_info("y", F, [1, 16, 4, 4])
        inits = scale_zp("x", U8) + scale_zp("w", I8) + scale_zp("y", U8)
        inits += [const("w_q", I8, [16, 8, 1, 1]), const("b_f", F, [16])]
        nodes = [
            helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["x_q"], "quant_x"),
            helper.make_node("QLinearConv", ["x_q", "x_scale", "x_zp", "w_q", "w_scale", "w_zp",
                                             "y_scale", "y_zp", "b_f"], ["c_q"], "qconv_float_bias"),
            helper.make_node("DequantizeLinear", ["c_q", "y_scale", "y_zp"], ["y"], "dq_y"),
        ]
    return model(nodes, [x], [y], inits, kind)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/quant"
    os.makedirs(out, exist_ok=True)
    models = {"qdq_conv": conv_qdq(), "qop_conv": conv_qop(), "qdq_matmul": matmul_qdq(),
              "qop_ops": qop_ops(), "dyn_matmul": dynamic(1), "dyn_matmul_shared": dynamic(2)}
    for k in ("bad_dq_zero_point", "bad_q_no_scale", "bad_qdq_int32_zp", "bad_qlinearconv_bias"):
        models[k] = bad(k)
    for name, m in models.items():
        save(m, os.path.join(out, name + ".onnx"))
        print(name + ".onnx")


if __name__ == "__main__":
    main()
