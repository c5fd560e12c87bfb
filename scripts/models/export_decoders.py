#!/usr/bin/python3
"""Decoder-only transformers with a KV cache, exported to ONNX for `roofline model --sweep`.

Two architectures, written here as plain torch modules (no `transformers` package):
  gpt2   GPT-2 class: learned positions, LayerNorm, GELU MLP, fused QKV, multi-head attention
  llama  Llama class: RMSNorm, rotary embeddings, SwiGLU MLP, grouped-query attention

Each graph takes the KV cache as inputs and returns it updated, as decoder exports for
ONNX Runtime do:
  inputs   input_ids [batch, sequence] int64, position_ids [batch, sequence] int64,
           past_key_values.{i}.key / .value [batch, kv_heads, past_sequence, head_dim]
  outputs  logits [batch, sequence, vocab],
           present.{i}.key / .value [batch, kv_heads, past_sequence + sequence, head_dim]
so a prefill is sequence=S, past_sequence=0 and a decode step is sequence=1, past_sequence=P.
The attention mask is causal and computed in the graph from the two lengths.

Weights are fp32 by default. --dtype fp16 converts every float tensor of the graph (weights,
KV cache, activations) to fp16. --quant writes 4-bit block-quantised weights for every MatMul
whose B is an initializer:
  nbits  com.microsoft MatMulNBits (bits=4, block_size=32, K, N; B packed uint8
         [N, K/32, 16], scales [N * K/32], zero points packed two per byte), the form ONNX
         Runtime's own quantiser writes;
  dq     DequantizeLinear(int4 weights [K, N], scales [K/32, N], axis=0, block_size=32) ->
         MatMul, ONNX's opset-21 block quantisation. The model's opset becomes 21 (Reduce* axes
         move from attribute to input as opset 18 requires); onnx 1.12's checker does not know
         opset 21, so these nodes are built with onnx.helper and the checker is skipped.

Usage (Debian's python3-torch and python3-onnx, run with /usr/bin/python3):
  export_decoders.py [--out DIR] [--arch gpt2,llama] [--size tiny|small|real]
                     [--dtype fp32|fp16] [--quant none|nbits|dq] [--strip]
Writes DIR/<arch>_<size>_<dtype>[_<quant>].onnx (default DIR /tmp/rl-models). --strip moves
the weights' bytes to an external-data file that is then deleted, as ../shared/models are
stripped: the graph, dims and data types stay, and the file is a few tens of kB. --size real
(GPT-2 small; a Llama-3.2-1B-like decoder) is always written stripped: its random weights are
never computed (the traced module's pages stay untouched), so it needs no more than ~1 GB.
"""
import argparse
import math
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

# name: dict(vocab, d, layers, heads, kv_heads, ff, ctx)
SIZES = {
    "gpt2": {
        "tiny": dict(vocab=256, d=64, layers=2, heads=4, kv_heads=4, ff=256, ctx=4096),
        "small": dict(vocab=4096, d=256, layers=4, heads=4, kv_heads=4, ff=1024, ctx=4096),
        # GPT-2 small: 12 x 768, 12 heads, 50257 tokens, 1024 positions (here 4096 so that a
        # past_sequence sweep to 2048 stays inside the learned position table)
        "real": dict(vocab=50257, d=768, layers=12, heads=12, kv_heads=12, ff=3072, ctx=4096),
    },
    "llama": {
        "tiny": dict(vocab=256, d=64, layers=2, heads=4, kv_heads=2, ff=192, ctx=4096),
        "small": dict(vocab=4096, d=256, layers=4, heads=8, kv_heads=2, ff=704, ctx=4096),
        # Llama-3.2-1B-like: 16 x 2048, 32 query heads, 8 KV heads of 64, SwiGLU 8192, 128256
        # tokens; the head is not tied to the embedding, so 1.50 B parameters
        "real": dict(vocab=128256, d=2048, layers=16, heads=32, kv_heads=8, ff=8192, ctx=4096),
    },
}

BLOCK = 32


class Linear(torch.nn.Module):
    """x @ w (+ b) with w stored [in, out]: the exported MatMul's B is the parameter itself, with
    no transposed copy for the exporter to fold (so real sizes never materialise their weights)."""

    def __init__(self, i, o, bias=True, lazy=False):
        super().__init__()
        # lazy: uninitialised (untouched pages cost no memory), for real sizes written stripped
        w = torch.empty(i, o) if lazy else torch.randn(i, o) * 0.02
        self.w = torch.nn.Parameter(w)
        self.b = torch.nn.Parameter(torch.zeros(o)) if bias else None

    def forward(self, x):
        y = x @ self.w
        return y if self.b is None else y + self.b


# ---------------------------------------------------------------- the models


def embedding(n, d, lazy):
    w = torch.empty(n, d) if lazy else torch.randn(n, d) * 0.02
    return torch.nn.Embedding(n, d, _weight=w)


def causal_mask(s, t, dtype):
    """[s, t] additive mask: query i (at absolute position t - s + i) sees keys 0..t-s+i."""
    m = torch.ones(s, t).triu(diagonal=1 + t - s)
    return (m * torch.finfo(torch.float32).min).to(dtype)


class GPT2Attention(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.hd = c["heads"], c["d"] // c["heads"]
        self.qkv = Linear(c["d"], 3 * c["d"], lazy=c["lazy"])
        self.proj = Linear(c["d"], c["d"], lazy=c["lazy"])

    def forward(self, x, pk, pv):
        b, s, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        q = q.reshape(b, s, self.h, self.hd).transpose(1, 2)
        k = k.reshape(b, s, self.h, self.hd).transpose(1, 2)
        v = v.reshape(b, s, self.h, self.hd).transpose(1, 2)
        k = torch.cat([pk, k], dim=2)
        v = torch.cat([pv, v], dim=2)
        a = (q @ k.transpose(2, 3)) / math.sqrt(self.hd)
        a = a + causal_mask(s, k.shape[2], a.dtype)
        y = a.softmax(dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, s, d)), k, v


class GPT2Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln1 = torch.nn.LayerNorm(c["d"])
        self.attn = GPT2Attention(c)
        self.ln2 = torch.nn.LayerNorm(c["d"])
        self.fc = Linear(c["d"], c["ff"], lazy=c["lazy"])
        self.out = Linear(c["ff"], c["d"], lazy=c["lazy"])

    def forward(self, x, pk, pv):
        a, k, v = self.attn(self.ln1(x), pk, pv)
        x = x + a
        x = x + self.out(torch.nn.functional.gelu(self.fc(self.ln2(x))))
        return x, k, v


class GPT2(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = embedding(c["vocab"], c["d"], c["lazy"])
        self.wpe = embedding(c["ctx"], c["d"], c["lazy"])
        self.blocks = torch.nn.ModuleList(GPT2Block(c) for _ in range(c["layers"]))
        self.ln_f = torch.nn.LayerNorm(c["d"])
        self.head = Linear(c["d"], c["vocab"], bias=False, lazy=c["lazy"])

    def forward(self, ids, pos, *past):
        x = self.wte(ids) + self.wpe(pos)
        present = []
        for i, blk in enumerate(self.blocks):
            x, k, v = blk(x, past[2 * i], past[2 * i + 1])
            present += [k, v]
        return (self.head(self.ln_f(x)), *present)


class RMSNorm(torch.nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class LlamaAttention(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kvh, self.hd = c["heads"], c["kv_heads"], c["d"] // c["heads"]
        self.q = Linear(c["d"], self.h * self.hd, bias=False, lazy=c["lazy"])
        self.k = Linear(c["d"], self.kvh * self.hd, bias=False, lazy=c["lazy"])
        self.v = Linear(c["d"], self.kvh * self.hd, bias=False, lazy=c["lazy"])
        self.o = Linear(self.h * self.hd, c["d"], bias=False, lazy=c["lazy"])

    def forward(self, x, cos, sin, pk, pv):
        b, s, _ = x.shape
        g = self.h // self.kvh
        q = self.q(x).reshape(b, s, self.h, self.hd).transpose(1, 2)
        k = self.k(x).reshape(b, s, self.kvh, self.hd).transpose(1, 2)
        v = self.v(x).reshape(b, s, self.kvh, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([pk, k], dim=2)
        v = torch.cat([pv, v], dim=2)
        # grouped-query attention without repeating K and V: the g query heads that share a KV
        # head are one batch of a broadcasting MatMul ([b, kvh, g, s, hd] x [b, kvh, 1, hd, t])
        q = q.reshape(b, self.kvh, g, s, self.hd)
        a = (q @ k.unsqueeze(2).transpose(3, 4)) / math.sqrt(self.hd)
        a = a + causal_mask(s, k.shape[2], a.dtype)
        y = a.softmax(dim=-1) @ v.unsqueeze(2)
        y = y.reshape(b, self.h, s, self.hd).transpose(1, 2).reshape(b, s, self.h * self.hd)
        return self.o(y), k, v


class LlamaBlock(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n1 = RMSNorm(c["d"])
        self.attn = LlamaAttention(c)
        self.n2 = RMSNorm(c["d"])
        self.gate = Linear(c["d"], c["ff"], bias=False, lazy=c["lazy"])
        self.up = Linear(c["d"], c["ff"], bias=False, lazy=c["lazy"])
        self.down = Linear(c["ff"], c["d"], bias=False, lazy=c["lazy"])

    def forward(self, x, cos, sin, pk, pv):
        a, k, v = self.attn(self.n1(x), cos, sin, pk, pv)
        x = x + a
        h = self.n2(x)
        x = x + self.down(torch.nn.functional.silu(self.gate(h)) * self.up(h))
        return x, k, v


class Llama(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        hd = c["d"] // c["heads"]
        self.emb = embedding(c["vocab"], c["d"], c["lazy"])
        self.blocks = torch.nn.ModuleList(LlamaBlock(c) for _ in range(c["layers"]))
        self.norm = RMSNorm(c["d"])
        self.head = Linear(c["d"], c["vocab"], bias=False, lazy=c["lazy"])
        inv = 1.0 / (500000.0 ** (torch.arange(0, hd, 2).float() / hd))
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, ids, pos, *past):
        x = self.emb(ids)
        f = pos.unsqueeze(-1).float() * self.inv_freq  # [b, s, hd/2]
        f = torch.cat([f, f], dim=-1).unsqueeze(1)  # [b, 1, s, hd]
        cos, sin = f.cos(), f.sin()
        present = []
        for i, blk in enumerate(self.blocks):
            x, k, v = blk(x, cos, sin, past[2 * i], past[2 * i + 1])
            present += [k, v]
        return (self.head(self.norm(x)), *present)


# ---------------------------------------------------------------- export


def export(arch, c, path):
    """Traces the model and writes it without its parameters (export_params=False: they come
    out as graph inputs), then turns each parameter input into an initializer: with its values
    from the module, or, for `lazy` (real) sizes, with dims and type only (an absent external
    file, as a stripped model has). Returns (model proto, parameter count)."""
    torch.manual_seed(0)
    model = (GPT2 if arch == "gpt2" else Llama)(c).eval()
    hd = c["d"] // c["heads"]
    b, s, p = 1, 3, 5  # traced sizes; every one of them is symbolic in the file
    ids = torch.randint(0, c["vocab"], (b, s))
    pos = torch.arange(p, p + s).unsqueeze(0)
    past = [torch.zeros(b, c["kv_heads"], p, hd) for _ in range(2 * c["layers"])]
    names_in = ["input_ids", "position_ids"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "position_ids": {0: "batch", 1: "sequence"},
            "logits": {0: "batch", 1: "sequence"}}
    for i in range(c["layers"]):
        for kv in ("key", "value"):
            n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
            names_in.append(n_in)
            names_out.append(n_out)
            axes[n_in] = {0: "batch", 2: "past_sequence"}
            axes[n_out] = {0: "batch", 2: "total_sequence"}
    with torch.no_grad():
        torch.onnx.export(model, (ids, pos, *past), path, input_names=names_in,
                          output_names=names_out, dynamic_axes=axes, opset_version=17,
                          export_params=False, do_constant_folding=True)
    m = onnx.load(path)
    os.remove(path)
    params = dict(model.named_parameters())
    keep = []
    for v in m.graph.input:
        if v.name in names_in:
            keep.append(v)
            continue
        t = params[v.name].detach()
        if c["lazy"]:
            m.graph.initializer.append(absent_tensor(v.name, TensorProto.FLOAT, list(t.shape)))
        else:
            m.graph.initializer.append(numpy_helper.from_array(t.numpy(), v.name))
    del m.graph.input[:]
    m.graph.input.extend(keep)
    # The exporter merges parameters with equal values (every RMSNorm weight starts at ones,
    # every lazy weight is zeros) into one initializer plus Identity nodes. A trained model's
    # are all different: give each its own initializer again.
    inits = {t.name: t for t in m.graph.initializer}
    nodes = []
    for nd in m.graph.node:
        src = inits.get(nd.input[0]) if nd.op_type == "Identity" else None
        if src is None:
            nodes.append(nd)
            continue
        t = TensorProto()
        t.CopyFrom(src)
        t.name = nd.output[0]
        m.graph.initializer.append(t)
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    return m, sum(x.numel() for x in model.parameters())


# ---------------------------------------------------------------- graph rewrites


ELEM_BITS = {TensorProto.FLOAT: 32, TensorProto.FLOAT16: 16, TensorProto.UINT8: 8,
             TensorProto.INT64: 64, 22: 4}


def absent_tensor(name, dtype, dims):
    """A tensor with dims and type but no data: external data in a file that does not exist
    (roofline reads such a file; it cannot be run)."""
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    n = (int(np.prod(dims)) * ELEM_BITS[dtype] + 7) // 8
    for k, v in (("location", "absent.weights"), ("offset", "0"), ("length", str(n))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


def has_data(t):
    return t.data_location != TensorProto.EXTERNAL


def to_fp16(m):
    """Every float32 tensor of the graph becomes float16: initializers, Constant values, graph
    inputs and outputs, Cast targets. Value infos are dropped (shape inference redoes them)."""
    g = m.graph
    F, H = TensorProto.FLOAT, TensorProto.FLOAT16

    def conv(t):
        if t.data_type == F and not has_data(t):
            t.CopyFrom(absent_tensor(t.name, H, list(t.dims)))
        elif t.data_type == F:
            # the mask's float32 minimum becomes float16's, not -inf
            a = np.clip(numpy_helper.to_array(t), -65504, 65504).astype(np.float16)
            t.CopyFrom(numpy_helper.from_array(a, t.name))

    for t in g.initializer:
        conv(t)
    for nd in g.node:
        for a in nd.attribute:
            if a.type == onnx.AttributeProto.TENSOR:
                conv(a.t)
            if nd.op_type == "Cast" and a.name == "to" and a.i == F:
                a.i = H
    for v in list(g.input) + list(g.output):
        if v.type.tensor_type.elem_type == F:
            v.type.tensor_type.elem_type = H
    del g.value_info[:]


def quant_blocks(w):
    """w [K, N] float -> (q [K, N] uint8 in 0..15, scale [K/32, N], zero point [K/32, N]):
    asymmetric 4-bit per block of 32 along K, as ORT's MatMulNBits quantiser does."""
    k, n = w.shape
    nb = (k + BLOCK - 1) // BLOCK
    wp = np.zeros((nb * BLOCK, n), np.float32)
    wp[:k] = w
    blk = wp.reshape(nb, BLOCK, n)
    lo = np.minimum(blk.min(axis=1), 0)
    hi = np.maximum(blk.max(axis=1), 0)
    scale = (hi - lo) / 15
    scale[scale == 0] = 1
    zp = np.clip(np.round(-lo / scale), 0, 15).astype(np.uint8)
    q = np.clip(np.round(blk / scale[:, None, :]) + zp[:, None, :], 0, 15).astype(np.uint8)
    return q.reshape(nb * BLOCK, n)[:k], scale, zp


def pack_nibbles(a):
    """Flat uint8 values 0..15 -> bytes, two per byte, the first in the low nibble."""
    a = a.reshape(-1)
    if a.size % 2:
        a = np.concatenate([a, np.zeros(1, np.uint8)])
    return (a[0::2] | (a[1::2] << 4)).astype(np.uint8)


def quantizable(m):
    """MatMul nodes whose B is a 2-D float initializer with K a multiple of 32."""
    inits = {t.name: t for t in m.graph.initializer}
    for nd in m.graph.node:
        t = inits.get(nd.input[1]) if nd.op_type == "MatMul" and len(nd.input) == 2 else None
        if t is not None and len(t.dims) == 2 and t.dims[0] % BLOCK == 0 and \
                t.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16):
            yield nd, t


def replace_node(g, old, new_nodes):
    nodes = list(g.node)
    i = nodes.index(old)
    nodes[i:i + 1] = new_nodes
    del g.node[:]
    g.node.extend(nodes)


def drop_unused_inits(g):
    used = {x for nd in g.node for x in nd.input}
    keep = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)


def quant_nbits(m):
    """MatMul(A, W) -> com.microsoft MatMulNBits(A, B, scales, zero_points)."""
    g = m.graph
    for nd, t in list(quantizable(m)):
        k, n = t.dims
        nb = k // BLOCK
        sdt = np.float16 if t.data_type == TensorProto.FLOAT16 else np.float32
        base = t.name
        if not has_data(t):
            sdt_onnx = TensorProto.FLOAT16 if sdt == np.float16 else TensorProto.FLOAT
            inits = [absent_tensor(base + "_Q4", TensorProto.UINT8, [n, nb, BLOCK // 2]),
                     absent_tensor(base + "_scales", sdt_onnx, [n * nb]),
                     absent_tensor(base + "_zp", TensorProto.UINT8, [n * ((nb + 1) // 2)])]
        else:
            inits = nbits_tensors(numpy_helper.to_array(t).astype(np.float32), base, sdt)
        g.initializer.extend(inits)
        mm = helper.make_node("MatMulNBits", [nd.input[0]] + [x.name for x in inits],
                              list(nd.output), name=(nd.name or base) + "_Q4",
                              domain="com.microsoft", K=k, N=n, bits=4, block_size=BLOCK)
        replace_node(g, nd, [mm])
    drop_unused_inits(g)
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))


def nbits_tensors(w, base, sdt):
    """B, scales and zero points of MatMulNBits for w [K, N]."""
    k, n = w.shape
    nb = k // BLOCK
    q, scale, zp = quant_blocks(w)
    # B: [N, n_blocks, blob] with each column's 32-value blocks packed two per byte
    b = np.stack([pack_nibbles(q[:, j]) for j in range(n)]).reshape(n, nb, BLOCK // 2)
    sc = scale.T.reshape(-1).astype(sdt)  # [N * n_blocks], column-major by block
    zpp = np.stack([pack_nibbles(zp[:, j]) for j in range(n)]).reshape(-1)
    return [numpy_helper.from_array(b, base + "_Q4"),
            numpy_helper.from_array(sc, base + "_scales"),
            numpy_helper.from_array(zpp, base + "_zp")]


def int4_tensor(name, vals, dims):
    """An INT4 (22) TensorProto built by hand: onnx 1.12 does not know the type."""
    t = TensorProto()
    t.name = name
    t.data_type = 22
    t.dims.extend(dims)
    t.raw_data = pack_nibbles((vals.astype(np.int16) & 0xF).astype(np.uint8)).tobytes()
    return t


def quant_dq(m):
    """MatMul(A, W) -> MatMul(A, DequantizeLinear(W_int4, scale, zp, axis=0, block_size=32)),
    and the model to opset 21."""
    g = m.graph
    for nd, t in list(quantizable(m)):
        k, n = t.dims
        nb = k // BLOCK
        sdt = np.float16 if t.data_type == TensorProto.FLOAT16 else np.float32
        base = t.name
        if not has_data(t):
            qt = absent_tensor(base + "_q4", 22, [k, n])
            zt = absent_tensor(base + "_zp4", 22, [nb, n])
            st = absent_tensor(base + "_scale", TensorProto.FLOAT16 if sdt == np.float16
                               else TensorProto.FLOAT, [nb, n])
        else:
            q, scale, zp = quant_blocks(numpy_helper.to_array(t).astype(np.float32))
            # signed int4: q - 8 with zero point zp - 8
            qt = int4_tensor(base + "_q4", q.astype(np.int16) - 8, [k, n])
            zt = int4_tensor(base + "_zp4", zp.astype(np.int16) - 8, list(zp.shape))
            st = numpy_helper.from_array(scale.astype(sdt), base + "_scale")
        g.initializer.extend([qt, st, zt])
        deq = base + "_dequantized"
        dq = helper.make_node("DequantizeLinear", [qt.name, st.name, zt.name], [deq],
                              name=(nd.name or base) + "_DQ", axis=0, block_size=BLOCK)
        mm = helper.make_node("MatMul", [nd.input[0], deq], list(nd.output), name=nd.name)
        replace_node(g, nd, [dq, mm])
    drop_unused_inits(g)
    # opset 18 moved Reduce*'s axes from an attribute to an input
    for nd in g.node:
        if nd.op_type.startswith("Reduce") and nd.op_type != "ReduceSum":
            ax = [a for a in nd.attribute if a.name == "axes"]
            if ax:
                name = (nd.name or nd.output[0]) + "_axes"
                g.initializer.append(numpy_helper.from_array(np.array(ax[0].ints, np.int64),
                                                             name))
                nd.input.append(name)
                nd.attribute.remove(ax[0])
    for o in m.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = 21
    m.ir_version = max(m.ir_version, 10)


def strip(m, path):
    """Every initializer over 64 elements (and every one already without data) gets its bytes in
    an external-data file <name>.weights that is never written, as ../shared/models are
    stripped: names, dims and data types stay."""
    loc = os.path.splitext(os.path.basename(path))[0] + ".weights"
    off = 0
    for t in m.graph.initializer:
        if has_data(t):
            if int(np.prod(t.dims)) <= 64 or not t.HasField("raw_data"):
                continue
            ln = len(t.raw_data)
            t.ClearField("raw_data")
        else:
            ln = (int(np.prod(t.dims)) * ELEM_BITS[t.data_type] + 7) // 8
        t.data_location = TensorProto.EXTERNAL
        del t.external_data[:]
        for k, v in (("location", loc), ("offset", str(off)), ("length", str(ln))):
            e = t.external_data.add()
            e.key, e.value = k, v
        off += ln


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="/tmp/rl-models")
    ap.add_argument("--arch", default="gpt2,llama")
    ap.add_argument("--size", default="small", choices=["tiny", "small", "real"])
    ap.add_argument("--dtype", default="fp32", choices=["fp32", "fp16"])
    ap.add_argument("--quant", default="none", choices=["none", "nbits", "dq"])
    ap.add_argument("--strip", action="store_true")
    ap.add_argument("--name", help="file name (one --arch only)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for arch in a.arch.split(","):
        c = SIZES[arch][a.size]
        name = a.name or f"{arch}_{a.size}_{a.dtype}" + ("" if a.quant == "none" else
                                                          "_" + a.quant)
        path = os.path.join(a.out, name if name.endswith(".onnx") else name + ".onnx")
        c = dict(c, lazy=a.size == "real")
        m, nparams = export(arch, c, path + ".tmp.onnx")
        m.producer_name = "roofline export_decoders.py"
        if a.dtype == "fp16":
            to_fp16(m)
        if a.quant == "nbits":
            quant_nbits(m)
        elif a.quant == "dq":
            quant_dq(m)
        if a.strip or c["lazy"]:
            strip(m, path)
        if a.quant != "dq" and not (a.strip or c["lazy"]):
            onnx.checker.check_model(m)
        onnx.save(m, path)
        hd = c["d"] // c["heads"]
        kv = 2 * c["layers"] * c["kv_heads"] * hd * (2 if a.dtype == "fp16" else 4)
        print(f"{path}: {arch} {a.size} {a.dtype} {a.quant}: {nparams:,} parameters, "
              f"{len(m.graph.node)} nodes, {os.path.getsize(path):,} bytes, "
              f"KV cache {kv} bytes per token", flush=True)


if __name__ == "__main__":
    sys.exit(main())
