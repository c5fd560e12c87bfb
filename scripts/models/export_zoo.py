#!/usr/bin/python3
"""export_zoo.py: the full models (weights inline, random) that scripts/model-vs-ort.sh runs in
ONNX Runtime, by name, into OUT/models/NAME.onnx. Models already there are kept.

    /usr/bin/python3 scripts/models/export_zoo.py --out DIR NAME ...

Names (scripts/models/ort_models.txt lists the ones measured):
  a torchvision classifier       resnet18, shufflenet_v2_x1_0, regnet_y_400mf, googlenet, ...:
                                 torchvision.models.NAME(weights=None), 1x3x224x224
  a torchvision segmentation     lraspp_mobilenet_v3_large, deeplabv3_mobilenet_v3_large,
  head                           fcn_resnet50, ...: weights=None, weights_backbone=None,
                                 1x3x224x224, the "out" map only
  bert_like_encoder, gpt2_small_like, yolov5s_v5, yolov5s_v5_224, yolov5s_v6
                                 ../shared/models/make/export_models.py (the shared models' own
                                 exporter)
  llama_small_prefill            scripts/models/export_decoders.py --arch llama --size small,
                                 symbolic dims (model-vs-ort.sh gives batch=1, sequence=128,
                                 past_sequence=0: a prefill of 128 tokens)
  NAME_int8                      NAME, then scripts/models/quantize_qdq.py: QDQ int8 around every
                                 Conv, MatMul and Gemm (u8 activations, s8 per-channel weights)
  NAME_dynint8                   NAME, then quantize_qdq.py --dynamic: DynamicQuantizeLinear +
                                 MatMulInteger for every MatMul/Gemm by a weight (what
                                 quantize_dynamic writes for transformers)
Opset 13, batch 1, constant folding on, as ../shared/models/make/export_models.py exports. Needs
Debian's python3-torch, python3-torchvision and python3-onnx (run with /usr/bin/python3)."""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_EXPORT = os.path.join(HERE, "..", "..", "..", "shared", "models", "make", "export_models.py")
SHARED_NAMES = {"bert_like_encoder", "gpt2_small_like", "yolov5s_v5", "yolov5s_v5_224",
                "yolov5s_v6"}


def export_torchvision(name, path):
    import torch
    import torchvision

    torch.manual_seed(0)
    seg = getattr(torchvision.models, "segmentation", None)
    if seg is not None and hasattr(seg, name):
        net = getattr(seg, name)(weights=None, weights_backbone=None)

        class OutOnly(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, x):
                return self.m(x)["out"]
        net = OutOnly(net)
    elif hasattr(torchvision.models, name) and callable(getattr(torchvision.models, name)):
        kw = {"aux_logits": False, "init_weights": True} if name in ("googlenet",) else {}
        net = getattr(torchvision.models, name)(weights=None, **kw)
    else:
        raise SystemExit(f"export_zoo: {name}: not a torchvision model, nor one of "
                         f"{sorted(SHARED_NAMES)}, llama_small_prefill, NAME_int8 or "
                         f"NAME_dynint8")
    net.eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.onnx.export(net, x, path, opset_version=13, do_constant_folding=True,
                          input_names=["input"], output_names=["output"])


def export(name, out):
    models = os.path.join(out, "models")
    os.makedirs(models, exist_ok=True)
    path = os.path.join(models, name + ".onnx")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    tmp = path + ".tmp.onnx"
    if name.endswith("_dynint8"):
        src = export(name[: -len("_dynint8")], out)
        subprocess.run([sys.executable, os.path.join(HERE, "quantize_qdq.py"), src, tmp,
                        "--dynamic"], check=True, stdout=subprocess.DEVNULL)
    elif name.endswith("_int8"):
        src = export(name[: -len("_int8")], out)
        subprocess.run([sys.executable, os.path.join(HERE, "quantize_qdq.py"), src, tmp],
                       check=True, stdout=subprocess.DEVNULL)
    elif name in SHARED_NAMES:
        subprocess.run([sys.executable, SHARED_EXPORT, "--out", out, name], check=True,
                       stdout=subprocess.DEVNULL)
        return path
    elif name == "llama_small_prefill":
        subprocess.run([sys.executable, os.path.join(HERE, "export_decoders.py"), "--out", models,
                        "--arch", "llama", "--size", "small", "--name",
                        os.path.basename(tmp)], check=True, stdout=subprocess.DEVNULL)
    else:
        export_torchvision(name, tmp)
    os.replace(tmp, path)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="+")
    ap.add_argument("--out", default="/tmp/roofline-models")
    a = ap.parse_args()
    for n in a.names:
        print(export(n, a.out), flush=True)


if __name__ == "__main__":
    main()
