#!/usr/bin/python3
"""Export transformer models to ONNX (weights inline) for checking `roofline model`'s shapes and
multiply-adds against ONNX Runtime and torch's profiler.

Usage:
  /usr/bin/python3 scripts/models/export_transformers.py [--out /tmp/rl-models] [--opset 13]
                                                         [--suffix S] [name ...]

Names (default: all):
  swin_v2_t, maxvit_t,         torchvision 0.14, static 1x3x224x224 (Swin V2's in-place zero_ of
  vit_b_32                     a bias slice is exported as mul_(0): torch 1.13 has no aten::zero)
  vit_b_16_dyn                 torchvision vit_b_16, symbolic batch
  swin_t_dyn, swin_v2_t_dyn    symbolic batch, height and width (the window padding and shifts are
                               then computed in the graph from Shape through Mod, Sub, Concat, Pad)
  swin_micro_dyn,              a two-stage Swin and a one-layer GPT-2 of 16 channels, symbolic
  gpt2_micro_dyn               dims: the fixtures of tests/test_shape_values.c (stripped there)
  bert_like_encoder_dyn        bert_like_encoder of export_models.py with symbolic batch and
  gpt2_small_like_dyn          sequence: the position ids and the causal mask are sliced to the
                               sequence length (a Slice whose end comes from Shape)

Writes OUT/models/<name><S>.onnx and OUT/ref/<name><S>.json (--suffix _op17 beside --opset 17
keeps the opset-13 files). A record holds, for each dims setting that
was profiled, torch.profiler's multiply-adds of conv2d/addmm/mm/bmm/baddbmm (as export_models.py
computes them) under "profiles": [{"dims": {...}, "macs_gemm_conv_from_profiler": N}, ...];
scripts/check-model-shapes.sh picks the one whose dims equal its --dim values.

The static models of export_models.py (vit_b_16, swin_t, bert_like_encoder, gpt2_small_like) come
from that script itself; this one reuses its model definitions, randomisation and profiler count.
"""
import argparse
import json
import os
import sys
import time
import traceback

import torch
import torch.nn as nn
import torchvision

SHARED_MAKE = os.environ.get("RL_SHARED_MAKE", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "models", "make"))
sys.path.insert(0, SHARED_MAKE)
import export_models as em  # noqa: E402


class BertDyn(em.BertLikeEncoder):
    """bert_like_encoder whose position ids are cut to the input's length."""

    def forward(self, ids):
        pos = self.pos_ids[:, : ids.shape[1]]
        x = self.ln(self.tok(ids) + self.pos(pos))
        x = x.transpose(0, 1)
        return self.enc(x).transpose(0, 1)


class GPT2Dyn(em.GPT2Like):
    """gpt2_small_like whose position ids and causal mask are cut to the input's length."""

    def forward(self, ids):
        s = ids.shape[1]
        x = self.wte(ids) + self.wpe(self.pos_ids[:, :s])
        x = self.blocks(x.transpose(0, 1), mask=self.mask[:s, :s]).transpose(0, 1)
        return self.lm_head(self.ln_f(x))


def image(b, h, w):
    return torch.randn(b, 3, h, w)


def tokens(vocab):
    return lambda b, s: torch.randint(0, vocab, (b, s))


def swin_micro():
    """torchvision's Swin with two stages of two blocks (one shifted each), 16 channels, 10
    classes: every shape pattern of swin_t in a graph small enough for tests/data."""
    from torchvision.models.swin_transformer import SwinTransformer
    return SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[1, 2],
                           window_size=[7, 7], stochastic_depth_prob=0.0, num_classes=10)


# name -> (constructor, input maker, dynamic axes of 'input' or None, dims settings to profile)
MODELS = {
    "swin_v2_t": (lambda: torchvision.models.swin_v2_t(weights=None), image, None,
                  [{"batch": 1, "height": 224, "width": 224}]),
    "vit_b_32": (lambda: torchvision.models.vit_b_32(weights=None), image, None,
                 [{"batch": 1, "height": 224, "width": 224}]),
    "maxvit_t": (lambda: torchvision.models.maxvit_t(weights=None), image, None,
                 [{"batch": 1, "height": 224, "width": 224}]),
    "vit_b_16_dyn": (lambda: torchvision.models.vit_b_16(weights=None), image, {0: "batch"},
                     [{"batch": 1, "height": 224, "width": 224},
                      {"batch": 3, "height": 224, "width": 224}]),
    "swin_t_dyn": (lambda: torchvision.models.swin_t(weights=None), image,
                   {0: "batch", 2: "height", 3: "width"},
                   [{"batch": 1, "height": 224, "width": 224},
                    {"batch": 2, "height": 192, "width": 160}]),
    "swin_v2_t_dyn": (lambda: torchvision.models.swin_v2_t(weights=None), image,
                      {0: "batch", 2: "height", 3: "width"},
                      [{"batch": 1, "height": 224, "width": 224},
                       {"batch": 2, "height": 192, "width": 160}]),
    "swin_micro_dyn": (swin_micro, image, {0: "batch", 2: "height", 3: "width"},
                       [{"batch": 2, "height": 100, "width": 76},
                        {"batch": 1, "height": 224, "width": 224}]),
    "gpt2_micro_dyn": (lambda: GPT2Dyn(vocab=100, ctx=64, seq=64, d=16, heads=2, layers=1, ff=32),
                       tokens(100), {0: "batch", 1: "seq"},
                       [{"batch": 3, "seq": 11}, {"batch": 1, "seq": 64}]),
    "bert_like_encoder_dyn": (BertDyn, tokens(30522), {0: "batch", 1: "seq"},
                              [{"batch": 1, "seq": 128}, {"batch": 2, "seq": 77}]),
    "gpt2_small_like_dyn": (GPT2Dyn, tokens(50257), {0: "batch", 1: "seq"},
                            [{"batch": 1, "seq": 128}, {"batch": 2, "seq": 77}]),
}


def make_input(maker, dims):
    if "seq" in dims:
        return maker(dims["batch"], dims["seq"])
    return maker(dims["batch"], dims["height"], dims["width"])


def process(name, out, opset, suffix=""):
    t0 = time.time()
    ctor, maker, dyn, settings = MODELS[name]
    torch.manual_seed(0)
    model = ctor()
    em.randomize_(model)
    model.eval()
    rec = {"name": name + suffix, "torch": torch.__version__, "torchvision": torchvision.__version__,
           "params": sum(p.numel() for p in model.parameters()), "profiles": []}
    for dims in settings:
        x = make_input(maker, dims)
        tot, by_op = em.profiler_flops(model, x)
        macs = sum(v for k, v in by_op.items() if k in ("aten::conv2d", "aten::addmm", "aten::mm",
                                                         "aten::bmm", "aten::baddbmm")) // 2
        with torch.no_grad():
            y = model(x)
        rec["profiles"].append({"dims": dims, "input": list(x.shape), "flops_profiler": tot,
                                "flops_profiler_by_op": by_op,
                                "macs_gemm_conv_from_profiler": macs,
                                "torch_output_shape": list(y.shape)})
    # the first setting is also the record's own figure (static models have only it)
    rec["input"] = rec["profiles"][0]["input"]
    rec["macs_gemm_conv_from_profiler"] = rec["profiles"][0]["macs_gemm_conv_from_profiler"]
    if dyn:
        rec["dynamic_axes"] = {"input": {str(k): v for k, v in dyn.items()}}
    path = os.path.join(out, "models", name + suffix + ".onnx")
    x = make_input(maker, settings[0])
    t1 = time.time()
    # torch 1.13 cannot export aten::zero_, which Swin V2 applies to a slice of the qkv bias in
    # every forward; mul_(0) is the same values (finite weights) and exports as a Mul + scatter
    zero_ = torch.Tensor.zero_
    if name.startswith("swin_v2"):
        torch.Tensor.zero_ = lambda t: t.mul_(0)
    try:
        torch.onnx.export(model, (x,), path, opset_version=opset, do_constant_folding=True,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": dyn, "output": {0: "batch"}} if dyn else None)
    finally:
        torch.Tensor.zero_ = zero_
    rec["export_seconds"] = round(time.time() - t1, 1)
    rec["onnx_path"] = path
    rec["opset"] = opset
    rec["total_seconds"] = round(time.time() - t0, 1)
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--out", default="/tmp/rl-models")
    ap.add_argument("--suffix", default="", help="appended to each file name")
    a = ap.parse_args()
    for d in ("models", "ref"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
    torch.set_num_threads(2)
    bad = 0
    for name in a.names or list(MODELS):
        if name not in MODELS:
            print(f"FAIL {name}: unknown name (known: {' '.join(MODELS)})", flush=True)
            bad = 1
            continue
        try:
            rec = process(name, a.out, a.opset, a.suffix)
            json.dump(rec, open(os.path.join(a.out, "ref", name + a.suffix + ".json"), "w"))
            print(f"OK   {name}: params={rec['params']:,} "
                  + " ".join(f"{p['dims']}: macs={p['macs_gemm_conv_from_profiler']:,}"
                             for p in rec["profiles"])
                  + f" ({rec['total_seconds']}s)", flush=True)
        except Exception as e:  # noqa: BLE001
            json.dump({"name": name, "error": repr(e)[:2000],
                       "traceback": traceback.format_exc()[-4000:]},
                      open(os.path.join(a.out, "ref", name + a.suffix + ".json"), "w"))
            print(f"FAIL {name}: {e!r}"[:600], flush=True)
            bad = 1
    sys.exit(bad)


if __name__ == "__main__":
    main()
