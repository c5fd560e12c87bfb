#!/usr/bin/python3
"""Generate the single-operator micro-models that scripts/calibrate-ort.sh times in ONNX Runtime.

usage: /usr/bin/python3 scripts/models/make_micro_models.py OUT_DIR [--quick] [--classes=a,b,...]

Writes OUT_DIR/<point>_k<K>.onnx and OUT_DIR/manifest.json. Each calibration point is one node
shape of one runtime-profile class (docs: the roofline-runtime/1 contract), built twice: with k_short
and k_long copies of that node. The per-node time is the slope (T_long - T_short) / (k_long - k_short),
so the session's run overhead and the layout reorders ONNX Runtime puts at the model's boundary
cancel out.

Two layouts:
  chain   node i reads node i-1's output (shape-preserving ops), so activations move through the
          caches as they do in a real network; a pair chain alternates two shapes (A->B->A...).
  fanout  every node reads the graph input and writes its own graph output (small outputs:
          reductions, global pooling).
  sink    fan-out whose every output goes through a GlobalMaxPool to a tiny graph output (ops that
          change the shape: strided convolutions, stems, pooling): a big graph output costs a fresh
          allocation and, for NCHWc, a reorder per node, which no inner node of a real model pays.
  grow    a chain whose every node changes the size by a step (DenseNet's Concat of g more
          channels each layer; a Slice that drops g): the point is the mean of the nodes between
          k_short and k_long, the nodes the slope times.

The tail classes (issue 22) are parametrised generators like the others, at the shapes the
networks that missed have (ShuffleNetV2's channel shuffle, LR-ASPP's bilinear upsampling and
sigmoid gate, RegNetY's squeeze-excite, DenseNet's concatenations), spread over sizes so that a
shape the calibration never saw falls on its class's curve:
  transpose            the 5-D channel shuffle [1,g,C/g,H,W] perm 0,2,1,3,4 between two Reshapes
  resize               nearest and bilinear x2, x4, x8, align modes (asymmetric, half_pixel,
                       align_corners), each followed by the strided Slice that undoes it
  concat, split        grow chains of Concat (+g channels) and Slice (-g channels)
  broadcast            x * s[1,C,1,1] and x + b[1,C,1,1] (SE gates, sigmoid gating)
  conv_* (small)       convolutions of 8-32 channels at 7-14 pixels, where the fixed cost dominates
  quantize             QuantizeLinear + DequantizeLinear (uint8) around a float Add
  conv_int8, conv_int8_depthwise, gemm_int8, matmul_int8
                       QDQ chains as onnxruntime.quantization writes them (uint8 activations,
                       int8 per-channel weights, int32 bias): DequantizeLinear -> Conv/MatMul ->
                       QuantizeLinear, which ORT runs as QLinearConv (NHWC), QLinearMatMul
  elementwise_int8     com.microsoft QLinearAdd chains
Thread scaling on small nodes is the same points at every thread count; the per-run overhead is
the near-empty model (overhead_k1).
Weights are random and distinct per node (a real network reads each layer's weights once per run),
and no activation, BatchNormalization or residual Add follows a Conv: ORT fuses those into the Conv,
so they are not what a conv point measures. Calibration never touches the models being predicted.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization; the highest the Debian onnx 1.12 checker accepts
RNG = np.random.default_rng(12)
# A model's weights stay under this many bytes (file size, generation time); k_long shrinks to fit.
WEIGHT_CAP = 96 << 20
# The long chain is sized for about this much node time at 1 thread, from a rough speed guess.
TARGET_S = 6e-3


def rand(shape, scale=0.1):
    return (RNG.standard_normal(shape, dtype=np.float32) * scale).astype(np.float32)


def prod(s):
    p = 1
    for d in s:
        p *= d
    return p


class Graph:
    """Collects nodes, initializers and inputs of one micro-model."""

    def __init__(self):
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.n = 0

    def name(self, p):
        self.n += 1
        return f"{p}{self.n}"

    def input(self, shape, name="x"):
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
        return name

    def init(self, arr, p="w"):
        nm = self.name(p)
        self.inits.append(numpy_helper.from_array(arr, nm))
        return nm

    def node(self, op, ins, **attrs):
        out = self.name("t")
        self.nodes.append(helper.make_node(op, ins, [out], name=self.name(op.lower()), **attrs))
        return out

    def output(self, nm):
        self.outputs.append(helper.make_tensor_value_info(nm, TensorProto.FLOAT, None))

    def save(self, path):
        g = helper.make_graph(self.nodes, "micro", self.inputs, self.outputs, self.inits)
        opsets = [helper.make_opsetid("", OPSET)]
        if any(n.domain == "com.microsoft" for n in self.nodes):
            opsets.append(helper.make_opsetid("com.microsoft", 1))
        m = helper.make_model(g, opset_imports=opsets, producer_name="roofline-calibrate")
        m.ir_version = 8
        onnx.save(m, path)


# ---- node builders: each takes (graph, input name) and returns the output name ----------------

def conv(cin, cout, k, s=1, g=1, p=None):
    if p is None:
        p = k // 2
    wshape = (cout, cin // g, k, k)

    def f(G, x):
        w = G.init(rand(wshape, 1.0 / np.sqrt(cin // g * k * k)))
        b = G.init(rand((cout,), 0.01), "b")
        return G.node("Conv", [x, w, b], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4,
                      group=g)
    f.weight_bytes = 4 * (prod(wshape) + cout)
    return f


def convt(cin, cout, k, s):
    def f(G, x):
        w = G.init(rand((cin, cout, k, k), 0.05))
        return G.node("ConvTranspose", [x, w], kernel_shape=[k, k], strides=[s, s])
    f.weight_bytes = 4 * cin * cout * k * k
    return f


def gemm(kdim, n):
    def f(G, x):
        w = G.init(rand((kdim, n), 1.0 / np.sqrt(kdim)))
        return G.node("MatMul", [x, w])
    f.weight_bytes = 4 * kdim * n
    return f


def binary(op, other):
    def f(G, x):
        return G.node(op, [x, other])
    f.weight_bytes = 0
    return f


def unary(op, **attrs):
    def f(G, x):
        return G.node(op, [x], **attrs)
    f.weight_bytes = 0
    return f


# ---- int8 (QDQ) builders: the activation travels as uint8 between nodes; a node is
# DequantizeLinear -> op -> QuantizeLinear, its weight DequantizeLinear of int8 per channel ---------

A_SCALE, A_ZP = 0.05, 128  # the activations' scale and zero point (values do not change the time)


def qparams(G):
    """The shared activation scale and zero point initializers (created once per graph)."""
    if not getattr(G, "qp", None):
        G.qp = (G.init(np.array(A_SCALE, dtype=np.float32), "as"),
                G.init(np.array(A_ZP, dtype=np.uint8), "az"))
    return G.qp


def quantize_input(G, x):
    s, z = qparams(G)
    return G.node("QuantizeLinear", [x, s, z])


def dequant(G, xq):
    s, z = qparams(G)
    return G.node("DequantizeLinear", [xq, s, z])


def int8_weight(G, w, axis=0):
    """Int8 weight with one scale per index of `axis` (a Conv's output channels, axis 0; a
    MatMul's output columns, axis 1), symmetric; its DequantizeLinear's output and the scales."""
    co = w.shape[axis]
    wa = np.moveaxis(w, axis, 0)
    sc = (np.abs(wa).reshape(co, -1).max(axis=1) / 127 + 1e-8).astype(np.float32)
    shp = [1] * w.ndim
    shp[axis] = co
    q = np.clip(np.round(w / sc.reshape(shp)), -127, 127).astype(np.int8)
    wq, ws = G.init(q, "wq"), G.init(sc, "ws")
    wz = G.init(np.zeros(co, dtype=np.int8), "wz")
    return G.node("DequantizeLinear", [wq, ws, wz], axis=axis), sc


def qconv(cin, cout, k, s=1, g=1):
    p = k // 2
    wshape = (cout, cin // g, k, k)

    def f(G, xq):
        x = dequant(G, xq)
        w, ws = int8_weight(G, rand(wshape, 1.0 / np.sqrt(cin // g * k * k)))
        # int32 bias at x_scale x w_scale, as quantizers write it (ORT fuses only then)
        bs = (A_SCALE * ws).astype(np.float32)
        bq = G.init(np.zeros(cout, dtype=np.int32), "bq")
        b = G.node("DequantizeLinear", [bq, G.init(bs, "bs"), G.init(np.zeros(cout, np.int32), "bz")],
                   axis=0)
        y = G.node("Conv", [x, w, b], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4, group=g)
        return quantize_input(G, y)
    f.weight_bytes = prod(wshape) + 4 * cout
    f.int8 = True
    return f


def qgemm(kdim, n):
    def f(G, xq):
        x = dequant(G, xq)
        w, _ = int8_weight(G, rand((kdim, n), 1.0 / np.sqrt(kdim)), axis=1)
        return quantize_input(G, G.node("MatMul", [x, w]))
    f.weight_bytes = kdim * n
    f.int8 = True
    return f


def qlinear_add():
    def f(G, xq):
        s, z = qparams(G)
        out = G.name("t")
        G.nodes.append(helper.make_node("QLinearAdd", [xq, s, z, "x0q", s, z, s, z], [out],
                                        name=G.name("qlinearadd"), domain="com.microsoft"))
        return out
    f.weight_bytes = 0
    f.int8 = True
    return f


def layernorm(d):
    def f(G, x):
        sc = G.init(rand((d,), 1.0) + 1.0, "g")
        bi = G.init(rand((d,), 0.1), "b")
        return G.node("LayerNormalization", [x, sc, bi], axis=-1, epsilon=1e-5)
    f.weight_bytes = 8 * d
    return f


# ---- points -------------------------------------------------------------------------------------

def chw(c, h, w=None):
    return [1, c, h, h if w is None else w]


POINTS = []


def point(cls, what, shape, layout, builders, speed, extra_inputs=None, costed=None, also=(),
          costed_op=None):
    """speed: a rough time guess for one node (s), used only to size k_long. costed: which nodes
    of a period of the chain the point is (default all; a free Reshape is not). costed_op: for the
    QDQ chains, whose periods have several nodes per builder, the op type of the costed ones (the
    Conv or MatMul each DequantizeLinear/QuantizeLinear group runs as)."""
    POINTS.append(dict(cls=cls, what=what, shape=shape, layout=layout, builders=builders,
                       speed=speed, extra=extra_inputs or {},
                       costed=costed if costed is not None else list(range(len(builders))),
                       also=list(also), costed_op=costed_op))


def conv_flops(cin, cout, k, h_out, g=1, w_out=None):
    return 2.0 * cin // g * cout * k * k * h_out * (w_out or h_out)


def add_points():
    gf1 = 60e9  # rough conv/gemm FLOP/s at 1 thread, only to size chains
    bw1 = 15e9  # rough bytes/s of a memory-bound op at 1 thread

    # conv_pointwise: 1x1, C -> C (chain), and expand/project pairs (pair chain)
    for c, h in [(16, 112), (32, 56), (64, 56), (128, 28), (256, 14), (256, 28), (512, 7),
                 (512, 14), (1024, 7), (96, 56)]:
        fl = conv_flops(c, c, 1, h)
        point("conv_pointwise", f"Conv 1x{c}x{h}x{h} k1 ->{c}", chw(c, h), "chain",
              [conv(c, c, 1)], fl / gf1 + 8 * c * h * h / bw1)
    for a, b, h in [(64, 256, 56), (24, 144, 56), (160, 960, 7), (128, 512, 28), (16, 96, 112),
                    (40, 240, 28)]:
        fl = conv_flops(a, b, 1, h)
        point("conv_pointwise", f"Conv 1x{a}x{h}x{h} k1 ->{b} ->{a} (pair)", chw(a, h), "chain",
              [conv(a, b, 1), conv(b, a, 1)], fl / gf1 + 4 * (a + b) * h * h / bw1)

    # conv_kxk: stride 1, C -> C
    for c, h, k in [(16, 112, 3), (32, 112, 3), (64, 56, 3), (128, 28, 3), (256, 14, 3),
                    (512, 7, 3), (256, 28, 3), (32, 56, 5), (64, 28, 7), (128, 56, 3)]:
        fl = conv_flops(c, c, k, h)
        point("conv_kxk", f"Conv 1x{c}x{h}x{h} k{k} ->{c}", chw(c, h), "chain", [conv(c, c, k)],
              fl / gf1)

    # conv_strided: stride 2, C -> 2C, H -> H/2 (fan-out)
    for c, h, k, co in [(32, 112, 3, 64), (64, 56, 3, 128), (128, 28, 3, 256), (256, 14, 3, 512),
                        (64, 56, 1, 128), (256, 56, 1, 512), (16, 112, 3, 32), (512, 14, 1, 1024)]:
        fl = conv_flops(c, co, k, h // 2)
        point("conv_strided", f"Conv 1x{c}x{h}x{h} k{k} s2 ->{co}", chw(c, h), "sink",
              [conv(c, co, k, 2)], fl / gf1)

    # conv_stem: 3 input channels (image stems, patch embeddings)
    for co, h, k, s, p in [(16, 224, 3, 2, 1), (32, 224, 3, 2, 1), (64, 224, 7, 2, 3),
                           (96, 224, 4, 4, 0), (768, 224, 16, 16, 0), (32, 640, 6, 2, 2),
                           (64, 640, 3, 2, 1)]:
        ho = (h + 2 * p - k) // s + 1
        fl = conv_flops(3, co, k, ho)
        point("conv_stem", f"Conv 1x3x{h}x{h} k{k} s{s} ->{co}", chw(3, h), "sink",
              [conv(3, co, k, s, 1, p)], fl / (gf1 / 3))

    # conv_depthwise: group == C (chain for stride 1, fan-out for stride 2)
    for c, h, k in [(32, 112, 3), (96, 56, 3), (144, 56, 3), (192, 28, 3), (384, 14, 3),
                    (960, 7, 3), (672, 14, 5), (96, 56, 7), (384, 14, 7), (768, 7, 7),
                    (240, 28, 5)]:
        by = 8 * c * h * h
        point("conv_depthwise", f"Conv 1x{c}x{h}x{h} k{k} g{c}", chw(c, h), "chain",
              [conv(c, c, k, 1, c)], by / bw1 + conv_flops(c, c, k, h, c) / 10e9)
    for c, h, k in [(96, 112, 3), (144, 56, 5), (240, 28, 3), (672, 14, 5)]:
        by = 5 * c * h * h
        point("conv_depthwise", f"Conv 1x{c}x{h}x{h} k{k} s2 g{c}", chw(c, h), "sink",
              [conv(c, c, k, 2, c)], by / bw1)

    # conv_grouped: 1 < group < C
    for c, h, g in [(64, 56, 4), (128, 28, 8), (256, 14, 32), (128, 56, 32), (512, 7, 16)]:
        fl = conv_flops(c, c, 3, h, g)
        point("conv_grouped", f"Conv 1x{c}x{h}x{h} k3 g{g}", chw(c, h), "chain",
              [conv(c, c, 3, 1, g)], fl / (gf1 / 3))

    # conv_transpose (fan-out)
    for c, h, k, s in [(16, 56, 2, 2), (64, 28, 2, 2), (256, 14, 2, 2), (32, 56, 4, 2)]:
        fl = conv_flops(c, c, k, h)
        point("conv_transpose", f"ConvTranspose 1x{c}x{h}x{h} k{k} s{s} ->{c}", chw(c, h),
              "sink", [convt(c, c, k, s)], fl / (gf1 / 3))

    # gemm: MatMul by a weight, [M, K] x [K, N]; square chains and K<->N pairs
    for m, kd in [(1, 512), (1, 1024), (1, 2048), (1, 4096), (49, 768), (128, 768),
                  (197, 768), (128, 256), (3136, 96), (784, 192), (196, 384), (128, 1024),
                  (512, 512)]:
        fl = 2.0 * m * kd * kd
        # M = 1 (a classifier's matrix-vector product) is also the optional class gemv, by bytes
        point("gemm", f"MatMul 1x{m}x{kd} x {kd}x{kd}", [1, m, kd], "chain", [gemm(kd, kd)],
              fl / gf1 + 4 * kd * kd / bw1, also=["gemv"] if m == 1 else [])
    for m, kd, n in [(128, 768, 3072), (197, 768, 3072), (3136, 96, 384), (49, 768, 3072),
                     (1, 1280, 1000), (1, 4096, 1000), (1, 576, 1024), (1, 8192, 2048),
                     (128, 768, 16384)]:
        fl = 2.0 * m * kd * n
        point("gemm", f"MatMul 1x{m}x{kd} x {kd}x{n} x {n}x{kd} (pair)", [1, m, kd], "chain",
              [gemm(kd, n), gemm(n, kd)], fl / gf1 + 4 * kd * n / bw1,
              also=["gemv"] if m == 1 else [])

    # matmul: attention-shaped pairs, scores [L,d]x[d,L] then context [L,L]x[L,d]
    for b, hh, l, d in [(1, 12, 128, 64), (1, 12, 197, 64), (64, 3, 49, 32), (16, 6, 49, 32),
                        (1, 12, 64, 64), (1, 4, 256, 64), (4, 24, 49, 32), (1, 12, 32, 64)]:
        fl = 2.0 * b * hh * l * l * d
        shp = [b, hh, l, d]
        point("matmul", f"MatMul {b}x{hh}x{l}x{d} x {d}x{l} x {l}x{d} (pair)", shp, "chain",
              ["attn_scores", "attn_context"], fl / (gf1 / 2),
              extra_inputs={"kt": [b, hh, d, l], "v": [b, hh, l, d]})

    # elementwise: Add of two activations, Mul, Sigmoid and the erf GELU (Div, Erf, Add, Mul, Mul,
    # which ORT runs as one Gelu node) in one chain: 4 executed nodes per period, the GELU's
    # bytes taken from its Div (the group reads and writes one tensor each, as the Div does)
    for n in [1024, 16384, 65536, 262144, 802816, 2408448, 6422528]:
        shp = [1, n // 256, 256] if n >= 256 else [1, n]
        point("elementwise", f"Add/Mul/Sigmoid/Gelu [{n}]", shp, "chain",
              [binary("Add", "x0"), binary("Mul", "x0"), unary("Sigmoid"), "gelu_div", "gelu_erf",
               "gelu_add", "gelu_mul", "gelu_half"], 16 * n / bw1 + 1e-6,
              extra_inputs={"x0": shp}, costed=[0, 1, 2, 3])

    # softmax over the last axis (attention scores, classifier)
    for shp in [[1, 1000], [1, 12, 32, 32], [1, 12, 128, 128], [1, 12, 197, 197],
                [64, 3, 49, 49], [1, 4, 256, 256], [16, 6, 49, 49]]:
        n = prod(shp)
        point("softmax", f"Softmax {'x'.join(map(str, shp))}", shp, "chain",
              [unary("Softmax", axis=-1)], 8 * n / (bw1 / 3) + 1e-6)

    # norm: LayerNormalization over the last axis
    for l, d in [(1, 768), (49, 768), (128, 768), (197, 768), (3136, 96), (784, 192), (128, 256),
                 (196, 384)]:
        point("norm", f"LayerNormalization 1x{l}x{d}", [1, l, d], "chain", [layernorm(d)],
              8 * l * d / (bw1 / 3) + 1e-6)

    # reduce: ReduceMean over the last axis, and over the channels of NCHW (a channel LayerNorm
    # left unfused; strided) (fan-out, small graph outputs)
    for shp in [[1, 128, 768], [1, 3136, 96], [1, 12, 128, 128], [1, 32, 256], [1, 256, 56, 56]]:
        point("reduce", f"ReduceMean {'x'.join(map(str, shp))} axis -1", shp, "fanout",
              [unary("ReduceMean", axes=[-1], keepdims=1)], 4 * prod(shp) / bw1 + 1e-6)
    for shp in [[1, 96, 56, 56], [1, 192, 28, 28], [1, 384, 14, 14], [1, 768, 7, 7]]:
        point("reduce", f"ReduceMean {'x'.join(map(str, shp))} axis 1", shp, "fanout",
              [unary("ReduceMean", axes=[1], keepdims=1)], 4 * prod(shp) / bw1 + 1e-6)

    # pool: max/average pooling (fan-out) and the stride-1 MaxPool of SPP/SPPF (chain)
    for c, h, k, s in [(64, 112, 3, 2), (128, 56, 2, 2), (512, 28, 2, 2), (256, 14, 2, 2)]:
        p = 1 if k == 3 else 0
        # not "sink": ORT's common-subexpression pass would merge identical weightless branches
        point("pool", f"MaxPool 1x{c}x{h}x{h} k{k} s{s}", chw(c, h), "fanout",
              [unary("MaxPool", kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)],
              5 * c * h * h / bw1)
    for c, h in [(256, 20), (256, 10), (128, 40)]:
        point("pool", f"MaxPool 1x{c}x{h}x{h} k5 s1", chw(c, h), "chain",
              [unary("MaxPool", kernel_shape=[5, 5], strides=[1, 1], pads=[2] * 4)],
              25 * c * h * h / 4e9)
    for c, h in [(2048, 7), (1280, 7), (512, 14), (960, 7)]:
        point("pool", f"GlobalAveragePool 1x{c}x{h}x{h}", chw(c, h), "fanout",
              [unary("GlobalAveragePool")], 4 * c * h * h / bw1 + 1e-6)

    # copies, in three classes because their speeds differ by up to 10x at the same bytes:
    # transpose (head split; a free Reshape between two keeps ORT from merging them), copy
    # (contiguous: Concat then Slice back), resize (nearest Resize x2 then a step-2 Slice back)
    for l, hh, d in [(128, 12, 64), (197, 12, 64), (3136, 3, 32), (49, 12, 64), (50, 12, 64)]:
        point("transpose", f"Transpose 1x{l}x{hh}x{d} perm 0,2,1,3", [1, l, hh, d], "chain",
              [unary("Transpose", perm=[0, 2, 1, 3]), ("reshape", [1, l, hh, d])],
              8 * l * hh * d / bw1 + 1e-6, costed=[0])
    for c, h in [(128, 40), (256, 20), (64, 80), (32, 56), (16, 28)]:
        point("copy", f"Concat 1x{c}x{h}x{h} x2, Slice back", chw(c, h), "chain",
              ["concat2", ("slice_half", c)], 24 * c * h * h / bw1 + 1e-6)
        point("resize", f"Resize 1x{c}x{h}x{h} nearest x2, Slice step 2", chw(c, h), "chain",
              ["resize2", "slice_step2"], 40 * c * h * h / bw1 + 1e-6)


def add_tail_points():
    """The classes and shapes issue 22 found missing (see the module's docstring)."""
    bw1 = 15e9
    gf8 = 120e9  # rough int8 op/s at 1 thread, only to size chains

    # transpose: ShuffleNetV2's channel shuffle, groups 2 (and 4, 8 for other shuffle networks)
    for c, h, g in [(116, 28, 2), (232, 14, 2), (464, 7, 2), (48, 56, 2), (240, 28, 4),
                    (480, 14, 8), (96, 56, 4)]:
        point("transpose", f"Transpose 1x{g}x{c // g}x{h}x{h} perm 0,2,1,3,4 (channel shuffle)",
              chw(c, h), "chain",
              [("reshape", [1, g, c // g, h, h]), unary("Transpose", perm=[0, 2, 1, 3, 4]),
               ("reshape", [1, c, h, h])], 8 * c * h * h / bw1 + 1e-6, costed=[1])

    # resize: nearest and bilinear, x2 .. x8 (segmentation heads upsample x4 to x16), then the
    # strided Slice that undoes it (both are costed: the point is their mean)
    for c, h, sc, mode, ctm in [(128, 28, 2, "linear", "half_pixel"),
                                (40, 56, 2, "linear", "align_corners"),
                                (21, 28, 8, "linear", "half_pixel"),
                                (128, 14, 4, "linear", "asymmetric"),
                                (256, 7, 2, "nearest", "asymmetric"),
                                (21, 56, 4, "linear", "half_pixel"),
                                (64, 14, 8, "nearest", "asymmetric")]:
        point("resize", f"Resize 1x{c}x{h}x{h} {mode} {ctm} x{sc}, Slice step {sc}", chw(c, h),
              "chain", [("resize", sc, mode, ctm), ("slice_step", sc)],
              4 * c * h * h * (1 + 2 * sc * sc) / bw1 + 1e-6)

    # concat and split: DenseNet's growth (g = 32 channels a layer) and the Slice that shrinks
    for c, h, g in [(64, 56, 32), (128, 28, 32), (256, 14, 32), (512, 7, 32), (24, 112, 16)]:
        point("concat", f"Concat 1x{c}+{g}x{h}x{h} growing by {g} a node", chw(c, h), "grow",
              [("concat_grow", g, h)], 8 * (c + 8 * g) * h * h / bw1 + 1e-6,
              extra_inputs={"g0": [1, g, h, h]})
        point("split", f"Slice 1x{c + 16 * g}x{h}x{h} shrinking by {g} a node",
              chw(c + 16 * g, h), "grow", [("slice_shrink", g)],
              8 * (c + 8 * g) * h * h / bw1 + 1e-6)

    # broadcast: SE gates (x * s[1,C,1,1]) and per-channel shifts, at SE-block shapes
    for c, h in [(32, 112), (64, 56), (120, 28), (240, 14), (672, 14), (960, 7), (48, 56),
                 (440, 7)]:
        point("broadcast", f"Mul/Add 1x{c}x{h}x{h} by 1x{c}x1x1", chw(c, h), "chain",
              [binary("Mul", "s"), binary("Add", "s")], 16 * c * h * h / bw1 + 1e-6,
              extra_inputs={"s": [1, c, 1, 1]})

    # small convolutions, where the node's fixed cost is most of its time
    for c, h, k in [(8, 14, 3), (16, 7, 3), (32, 7, 1), (16, 14, 1), (24, 7, 3)]:
        cls = "conv_kxk" if k > 1 else "conv_pointwise"
        point(cls, f"Conv 1x{c}x{h}x{h} k{k} ->{c} (small)", chw(c, h), "chain", [conv(c, c, k)],
              2e-6 + conv_flops(c, c, k, h) / 60e9)
    for c, h in [(32, 7), (64, 14), (16, 28)]:
        point("conv_depthwise", f"Conv 1x{c}x{h}x{h} k3 g{c} (small)", chw(c, h), "chain",
              [conv(c, c, 3, 1, c)], 2e-6 + 8 * c * h * h / bw1)

    # quantize: QuantizeLinear + DequantizeLinear around a float Add (the edges of a QDQ model's
    # unquantized ops; ORT removes a Q -> DQ pair that has nothing between them), all three
    # costed: the point is their mean
    for n in [4096, 65536, 401408, 1605632]:
        shp = [1, n // 256, 256]
        point("quantize", f"QuantizeLinear + DequantizeLinear + Add [{n}] uint8", shp, "chain",
              ["quant", "dequant", binary("Add", "x0")], 14 * n / bw1 + 1e-6,
              extra_inputs={"x0": shp})

    # int8 convolutions and products (QDQ), at the shapes of quantized CNNs and transformers
    for c, h, k in [(64, 56, 1), (128, 28, 1), (256, 14, 1), (512, 7, 1), (64, 56, 3),
                    (128, 28, 3), (256, 14, 3), (32, 112, 3), (16, 14, 3)]:
        fl = conv_flops(c, c, k, h)
        point("conv_int8", f"QDQ Conv 1x{c}x{h}x{h} k{k} ->{c} u8s8", chw(c, h), "qchain",
              [qconv(c, c, k)], fl / gf8 + 2 * c * h * h / bw1, costed_op="Conv")
    for c, h, k in [(32, 112, 3), (144, 56, 3), (240, 28, 5), (672, 14, 5), (960, 7, 3)]:
        point("conv_int8_depthwise", f"QDQ Conv 1x{c}x{h}x{h} k{k} g{c} u8s8", chw(c, h),
              "qchain", [qconv(c, c, k, 1, c)], 4 * c * h * h / bw1, costed_op="Conv")
    for m, kd in [(1, 768), (1, 4096), (128, 768), (197, 768), (49, 512), (512, 512),
                  (128, 256), (3136, 96)]:
        fl = 2.0 * m * kd * kd
        point("gemm_int8", f"QDQ MatMul 1x{m}x{kd} x {kd}x{kd} u8s8", [1, m, kd], "qchain",
              [qgemm(kd, kd)], fl / gf8 + kd * kd / bw1, costed_op="MatMul")
    for b, hh, l, d in [(1, 12, 128, 64), (1, 12, 197, 64), (1, 4, 256, 64), (1, 12, 32, 64)]:
        fl = 2.0 * b * hh * l * l * d
        point("matmul_int8", f"QDQ MatMul {b}x{hh}x{l}x{d} x {d}x{l} x {l}x{d} u8u8 (pair)",
              [b, hh, l, d], "qchain", ["qattn_scores", "qattn_context"], fl / gf8,
              extra_inputs={"kt": [b, hh, d, l], "v": [b, hh, l, d]}, costed_op="MatMul")
    for n in [4096, 65536, 401408, 1605632]:
        shp = [1, n // 256, 256]
        point("elementwise_int8", f"QLinearAdd [{n}] uint8", shp, "qchain", [qlinear_add()],
              3 * n / bw1 + 1e-6, extra_inputs={"x0": shp}, costed_op="QLinearAdd")


def build_node(G, b, x, spec):
    """b: a builder function or the name of a special node."""
    if callable(b):
        return b(G, x)
    if isinstance(b, str) and b.startswith("gelu_"):
        # the erf GELU exactly as torch exports it: x * 0.5 * (1 + erf(x / sqrt(2)))
        G.gelu_in = x if b == "gelu_div" else G.gelu_in
        if b == "gelu_div":
            return G.node("Div", [x, G.init(np.array(1.4142135, dtype=np.float32), "c")])
        if b == "gelu_erf":
            return G.node("Erf", [x])
        if b == "gelu_add":
            return G.node("Add", [x, G.init(np.array(1.0, dtype=np.float32), "c")])
        if b == "gelu_mul":
            return G.node("Mul", [G.gelu_in, x])
        return G.node("Mul", [x, G.init(np.array(0.5, dtype=np.float32), "c")])
    if b == "attn_scores":
        return G.node("MatMul", [x, "kt"])
    if b == "attn_context":
        return G.node("MatMul", [x, "v"])
    if b == "concat2":
        return G.node("Concat", [x, x], axis=1)
    if b == "quant":
        return quantize_input(G, x)
    if b == "dequant":
        return dequant(G, x)
    if b in ("qattn_scores", "qattn_context"):
        other = "ktq" if b == "qattn_scores" else "vq"
        y = G.node("MatMul", [dequant(G, x), dequant(G, other)])
        return quantize_input(G, y)
    if isinstance(b, tuple) and b[0] == "resize":
        _, f, mode, ctm = b
        sc = G.init(np.array([1, 1, f, f], dtype=np.float32), "s")
        return G.node("Resize", [x, "", sc], mode=mode, coordinate_transformation_mode=ctm)
    if isinstance(b, tuple) and b[0] == "slice_step":
        f = b[1]
        st = G.init(np.array([0, 0], dtype=np.int64), "st")
        en = G.init(np.array([1 << 30, 1 << 30], dtype=np.int64), "en")
        ax = G.init(np.array([2, 3], dtype=np.int64), "ax")
        sp = G.init(np.array([f, f], dtype=np.int64), "sp")
        return G.node("Slice", [x, st, en, ax, sp])
    if isinstance(b, tuple) and b[0] == "concat_grow":
        return G.node("Concat", [x, "g0"], axis=1)
    if isinstance(b, tuple) and b[0] == "slice_shrink":
        G.width = getattr(G, "width", spec["shape"][1]) - b[1]
        st = G.init(np.array([0], dtype=np.int64), "st")
        en = G.init(np.array([G.width], dtype=np.int64), "en")
        ax = G.init(np.array([1], dtype=np.int64), "ax")
        return G.node("Slice", [x, st, en, ax])
    if b == "resize2":
        sc = G.init(np.array([1, 1, 2, 2], dtype=np.float32), "s")
        return G.node("Resize", [x, "", sc], mode="nearest")
    if isinstance(b, tuple) and b[0] == "reshape":
        sh = G.init(np.array(b[1], dtype=np.int64), "sh")
        return G.node("Reshape", [x, sh])
    if isinstance(b, tuple) and b[0] == "slice_half":
        st = G.init(np.array([0], dtype=np.int64), "st")
        en = G.init(np.array([b[1]], dtype=np.int64), "en")
        ax = G.init(np.array([1], dtype=np.int64), "ax")
        return G.node("Slice", [x, st, en, ax])
    if b == "slice_step2":
        st = G.init(np.array([0, 0], dtype=np.int64), "st")
        en = G.init(np.array([1 << 30, 1 << 30], dtype=np.int64), "en")
        ax = G.init(np.array([2, 3], dtype=np.int64), "ax")
        sp = G.init(np.array([2, 2], dtype=np.int64), "sp")
        return G.node("Slice", [x, st, en, ax, sp])
    raise ValueError(b)


def weight_bytes(builders):
    return sum(getattr(b, "weight_bytes", 0) for b in builders)


def build(spec, k, path, k_short):
    """Writes the model with k builder applications; returns the indices of the costed nodes (the
    first period's for chains, those after the first k_short applications for grow chains)."""
    G = Graph()
    x = G.input(spec["shape"])
    for nm, shp in spec["extra"].items():
        G.input(shp, nm)
    bs = spec["builders"]
    costed = []
    if spec["layout"] == "chain":
        y = x
        for i in range(k):
            y = build_node(G, bs[i % len(bs)], y, spec)
        G.output(y)
    elif spec["layout"] == "qchain":
        # uint8 from the input on: the extra inputs quantized once, then DQ -> op -> Q per node
        s, z = qparams(G)
        for nm in spec["extra"]:
            G.nodes.append(helper.make_node("QuantizeLinear", [nm, s, z], [nm + "q"],
                                            name=G.name("quant_in")))
        y = quantize_input(G, x)
        for i in range(k):
            first = len(G.nodes)
            y = build_node(G, bs[i % len(bs)], y, spec)
            if i < len(bs):
                costed += [j for j in range(first, len(G.nodes))
                           if G.nodes[j].op_type == spec["costed_op"]]
        G.output(dequant(G, y))
    elif spec["layout"] == "grow":
        y = x
        for i in range(k):
            if i >= k_short:
                costed.append(len(G.nodes))
            y = build_node(G, bs[i % len(bs)], y, spec)
        G.output(G.node("GlobalMaxPool", [y]))
    else:
        for i in range(k):
            y = build_node(G, bs[i % len(bs)], x, spec)
            if spec["layout"] == "sink":
                y = G.node("GlobalMaxPool", [y])
            G.output(y)
    G.save(path)
    return costed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]  # --classes=a,b: only those
    quick = "--quick" in sys.argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out = args[0]
    os.makedirs(out, exist_ok=True)
    add_points()
    add_tail_points()
    only = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--classes=")), "")
    keep = set(only.split(",")) if only else None
    manifest = {"opset": OPSET, "points": []}
    for i, sp in enumerate(POINTS):
        if keep is not None and sp["cls"] not in keep:
            continue
        per = len(sp["builders"])  # a pair chain keeps whole pairs
        wb = weight_bytes(sp["builders"]) / per
        k_long = int(max(6, min(48, TARGET_S / max(sp["speed"], 1e-7))))
        if wb > 0:
            k_long = min(k_long, max(2, int(WEIGHT_CAP / wb)))
        if quick:
            k_long = min(k_long, 8)
        if sp["layout"] == "grow":
            k_long = min(k_long, 16)  # a Slice chain starts 16 steps wide
        k_long = max(per * 2, (k_long // per) * per)
        k_short = per
        pid = f"p{i:03d}_{sp['cls']}"
        files = {}
        for k in (k_short, k_long):
            f = os.path.join(out, f"{pid}_k{k}.onnx")
            costed = build(sp, k, f, k_short)
            files[str(k)] = f
        # the nodes (indices in the model) whose mean flops/bytes are the point's, in the first
        # period; per-node time = slope per period / their count
        stride = 2 if sp["layout"] == "sink" else 1
        nodes = [stride * c for c in sp["costed"]]
        if sp["layout"] in ("qchain", "grow"):
            nodes = costed  # from the long model, as built
        if sp["layout"] == "grow":
            per = len(nodes)  # the slope is already per node: per-node time = slope
        manifest["points"].append({
            "id": pid, "class": sp["cls"], "what": sp["what"], "layout": sp["layout"],
            "k_short": k_short, "k_long": k_long, "short": files[str(k_short)],
            "long": files[str(k_long)], "period": per, "also": sp["also"],
            "nodes": nodes, "inputs": {"x": sp["shape"], **sp["extra"]}})
    # run overhead: one tiny node; node overhead: a chain of tiny Adds (1 and 201 nodes)
    for k in (1, 201):
        G = Graph()
        x = G.input([1, 16])
        G.input([1, 16], "x0")
        y = x
        for _ in range(k):
            y = G.node("Add", [y, "x0"])
        G.output(y)
        G.save(os.path.join(out, f"overhead_k{k}.onnx"))
    manifest["overhead"] = {"k_short": 1, "k_long": 201,
                            "short": os.path.join(out, "overhead_k1.onnx"),
                            "long": os.path.join(out, "overhead_k201.onnx")}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest['points'])} points, {2 * len(manifest['points']) + 2} models in {out}")


if __name__ == "__main__":
    main()
