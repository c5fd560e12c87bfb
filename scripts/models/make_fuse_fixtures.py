#!/usr/bin/python3
"""Writes the small ONNX graphs that tests/test_ort_fuse.c checks roofline's view of ONNX
Runtime's fusions on (model/ort_fuse.c): one pattern per file, random inline weights, opset 13.
Each can also be checked against ORT itself:
  NODE_PATH=/tmp/ortnode/node_modules node scripts/models/ort_optimized_ops.mjs \
      tests/data/fuse/conv_bn_relu.onnx

Usage: /usr/bin/python3 scripts/models/make_fuse_fixtures.py [OUT_DIR]   (default tests/data/fuse)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/fuse"
rng = np.random.default_rng(12)
F = TensorProto.FLOAT


def w(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.1, name)


def c(name, value, dtype=np.float32):
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def save(name, nodes, inputs, outputs, inits):
    g = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="roofline-tests")
    m.ir_version = 7
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def vi(name, *shape):
    return helper.make_tensor_value_info(name, F, list(shape))


N = helper.make_node
C = 16  # one AVX-512 NCHWc block
os.makedirs(OUT, exist_ok=True)

# Conv + BatchNormalization + Relu: one Conv with a Relu activation
save("conv_bn_relu",
     [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
      N("BatchNormalization", ["c", "s", "bb", "m", "v"], ["n"]),
      N("Relu", ["n"], ["y"])],
     [vi("x", 1, C, 8, 8)], [vi("y", 1, C, 8, 8)],
     [w("w", C, C, 3, 3), w("b", C), w("s", C), w("bb", C), w("m", C), c("v", np.ones(C))])

# Conv + Mul/Add by per-channel constants + Clip(0, 6)
save("conv_mul_add_clip",
     [N("Conv", ["x", "w"], ["c"]),
      N("Mul", ["c", "k"], ["d"]), N("Add", ["d", "a"], ["e"]),
      N("Clip", ["e", "lo", "hi"], ["y"])],
     [vi("x", 1, C, 8, 8)], [vi("y", 1, C, 8, 8)],
     [w("w", C, C, 1, 1), w("k", C, 1, 1), w("a", 1, C, 1, 1), c("lo", 0.0), c("hi", 6.0)])

# four Convs, each with another activation: all fused
acts = ["LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid"]
nodes, inits, prev = [], [], "x"
for i, a in enumerate(acts):
    nodes += [N("Conv", [prev, f"w{i}"], [f"c{i}"]), N(a, [f"c{i}"], [f"a{i}"])]
    inits.append(w(f"w{i}", C, C, 1, 1))
    prev = f"a{i}"
save("conv_activations", nodes, [vi("x", 1, C, 8, 8)], [vi(prev, 1, C, 8, 8)], inits)

# a Conv whose output is also a graph output keeps its Relu apart
save("conv_two_consumers",
     [N("Conv", ["x", "w"], ["c"]), N("Relu", ["c"], ["y"])],
     [vi("x", 1, C, 8, 8)], [vi("y", 1, C, 8, 8), vi("c", 1, C, 8, 8)], [w("w", C, C, 1, 1)])

# residual block: Conv+Relu, Conv, Add(identity), Relu: the Add and Relu go into the second Conv
save("conv_residual",
     [N("Conv", ["x", "w0"], ["c0"]), N("Relu", ["c0"], ["r0"]),
      N("Conv", ["r0", "w1"], ["c1"]), N("Relu", ["c1"], ["r1"]),
      N("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
      N("Add", ["c2", "r0"], ["s"]), N("Relu", ["s"], ["y"])],
     [vi("x", 1, C, 8, 8)], [vi("y", 1, C, 8, 8)],
     [w("w0", C, C, 1, 1), w("w1", C, C, 1, 1), w("w2", C, C, 3, 3)])

# Conv, x * HardSigmoid(x) (alpha 1/6, as torch exports hardswish): a Conv with HardSwish; then SiLU (x * Sigmoid(x)) -> QuickGelu
save("conv_hardswish_silu",
     [N("Conv", ["x", "w0"], ["c0"]), N("HardSigmoid", ["c0"], ["h"], alpha=1.0 / 6), N("Mul", ["c0", "h"], ["hs"]),
      N("Conv", ["hs", "w1"], ["c1"]), N("Sigmoid", ["c1"], ["s"]), N("Mul", ["c1", "s"], ["y"])],
     [vi("x", 1, C, 8, 8)], [vi("y", 1, C, 8, 8)], [w("w0", C, C, 1, 1), w("w1", C, C, 1, 1)])

# MatMul (batched A) + bias -> Gemm; Gelu (Erf) after it -> one Gelu
save("matmul_bias_gelu",
     [N("MatMul", ["x", "w"], ["m"]), N("Add", ["m", "b"], ["z"]),
      N("Div", ["z", "sq2"], ["d"]), N("Erf", ["d"], ["e"]), N("Add", ["e", "one"], ["f"]),
      N("Mul", ["z", "f"], ["g"]), N("Mul", ["g", "half"], ["y"])],
     [vi("x", 1, 4, 32)], [vi("y", 1, 4, 64)],
     [w("w", 32, 64), w("b", 64), c("sq2", 1.4142135), c("one", 1.0), c("half", 0.5)])

# attention scores: Transpose(k) and a scalar Div fold into the MatMul (FusedMatMul)
save("matmul_scale_transpose",
     [N("Transpose", ["k"], ["kt"], perm=[0, 2, 1]), N("MatMul", ["q", "kt"], ["s"]),
      N("Div", ["s", "scale"], ["y"])],
     [vi("q", 2, 8, 16), vi("k", 2, 8, 16)], [vi("y", 2, 8, 8)], [c("scale", 4.0)])

# Add + the LayerNorm pattern -> SkipLayerNormalization
D = 32
save("skip_layernorm",
     [N("Add", ["x", "r"], ["s"]),
      N("ReduceMean", ["s"], ["mu"], axes=[-1]), N("Sub", ["s", "mu"], ["d"]),
      N("Pow", ["d", "two"], ["p"]), N("ReduceMean", ["p"], ["var"], axes=[-1]),
      N("Add", ["var", "eps"], ["ve"]), N("Sqrt", ["ve"], ["sd"]), N("Div", ["d", "sd"], ["n"]),
      N("Mul", ["n", "g"], ["ng"]), N("Add", ["ng", "b"], ["y"])],
     [vi("x", 1, 4, D), vi("r", 1, 4, D)], [vi("y", 1, 4, D)],
     [c("two", 2.0), c("eps", 1e-5), w("g", D), w("b", D)])

# channels-last LayerNorm between permutes (ConvNeXt's LayerNorm2d): ORT's transpose optimizer
# moves the permute through ReduceMean and Sub, the mean is no longer over the last axis, and the
# pattern stays unfused
save("permuted_layernorm",
     [N("Transpose", ["x"], ["xt"], perm=[0, 2, 3, 1]),
      N("ReduceMean", ["xt"], ["mu"], axes=[-1]), N("Sub", ["xt", "mu"], ["d"]),
      N("Pow", ["d", "two"], ["p"]), N("ReduceMean", ["p"], ["var"], axes=[-1]),
      N("Add", ["var", "eps"], ["ve"]), N("Sqrt", ["ve"], ["sd"]), N("Div", ["d", "sd"], ["n"]),
      N("Mul", ["n", "g"], ["ng"]), N("Add", ["ng", "b"], ["z"]),
      N("Transpose", ["z"], ["y"], perm=[0, 3, 1, 2])],
     [vi("x", 1, D, 4, 4)], [vi("y", 1, D, 4, 4)],
     [c("two", 2.0), c("eps", 1e-6), w("g", D), w("b", D)])

# constants: a weight Transpose and shape arithmetic fold at load; three Slices -> one Split
save("folding_and_split",
     [N("Transpose", ["wt"], ["w"], perm=[1, 0]), N("MatMul", ["x", "w"], ["m"]),
      N("Shape", ["m"], ["sh"]), N("Gather", ["sh", "i1"], ["n"], axis=0),
      N("Div", ["n", "three"], ["third"]), N("Unsqueeze", ["third", "ax0"], ["t1"]),
      N("Mul", ["t1", "two_i"], ["t2"]),
      N("Slice", ["m", "z1", "t1", "ax"], ["a"]), N("Slice", ["m", "t1", "t2", "ax"], ["b"]),
      N("Slice", ["m", "t2", "big", "ax"], ["cc"]),
      N("Add", ["a", "b"], ["ab"]), N("Add", ["ab", "cc"], ["y"])],
     [vi("x", 4, 8)], [vi("y", 4, 4)],
     [w("wt", 12, 8), c("i1", 1, np.int64), c("three", 3, np.int64), c("two_i", [2], np.int64),
      c("z1", [0], np.int64), c("ax0", [0], np.int64), c("big", [1 << 30], np.int64), c("ax", [1], np.int64)])
# one node of each remaining class (tests/test_predict.c): grouped Conv, ConvTranspose,
# BatchNormalization left alone, AveragePool, Softmax, ReduceMax, MatMul of two activations,
# Transpose, Cast, Sqrt
save("classes",
     [N("Conv", ["x", "wg"], ["g"], group=2, pads=[1, 1, 1, 1]),
      N("ConvTranspose", ["g", "wt"], ["t"], strides=[2, 2]),
      N("BatchNormalization", ["x", "s", "bb", "m", "v"], ["bn"]),
      N("AveragePool", ["bn"], ["ap"], kernel_shape=[2, 2], strides=[2, 2]),
      N("Softmax", ["a"], ["sm"], axis=-1), N("ReduceMax", ["sm"], ["rm"], axes=[-1]),
      N("MatMul", ["a", "b"], ["ab"]), N("Transpose", ["ab"], ["tr"], perm=[0, 2, 1]),
      N("Cast", ["tr"], ["cd"], to=TensorProto.DOUBLE), N("Sqrt", ["a"], ["sq"])],
     [vi("x", 1, C, 8, 8), vi("a", 1, 4, 8), vi("b", 1, 8, 4)],
     [vi("t", 1, C, 16, 16), vi("ap", 1, C, 4, 4), vi("rm", 1, 4, 1),
      helper.make_tensor_value_info("cd", TensorProto.DOUBLE, [1, 4, 4]), vi("sq", 1, 4, 8)],
     [w("wg", C, C // 2, 3, 3), w("wt", C, C, 2, 2), w("s", C), w("bb", C), w("m", C),
      c("v", np.ones(C))])
print("wrote", OUT)
