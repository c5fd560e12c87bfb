#!/usr/bin/env bash
# bench-gpu-vs-peers.sh: roofline's GPU figures against the peers run in the same session, on a
# machine with an NVIDIA GPU. Rounds alternate (roofline, peers, roofline again) and each side keeps
# its best, since GPU clocks and memory figures move between runs. Prints the ratio table last:
#   FP32/FP64 FMA vs theory at the SM clock measured inside the kernel, and vs mixbench's best;
#   device-memory copy/triad vs gpu-benches gpu-stream's best scale/triad (same counted bytes:
#   STREAM convention, no write-allocate); L2 read vs gpu-l2-cache's plateau; the tensor rows.
#
# Usage: scripts/bench-gpu-vs-peers.sh [OUTDIR]   (default /tmp/rl-gpu; needs ./roofline with
#        libroofline-cuda.so beside it, the peers in .peers/ from scripts/build-gpu-peers.sh, and
#        python3 for the parsing; the host's shared libraries may come from RL_LIBS=dir).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/rl-gpu}
mkdir -p "$out"
if [[ -n ${RL_LIBS:-} ]]; then export LD_LIBRARY_PATH=$PWD/$RL_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; fi
rows=fp64,fp32,mma-bf16,wgmma-bf16,dram-copy,dram-triad,l2-read

echo "== round 1: roofline gpu (full)"
./roofline gpu --progress --json "$out/gpu.json" --markdown "$out/gpu.md" --csv "$out/gpu.csv" \
    --svg "$out/gpu.svg" 2>&1
echo "rc=$?"
echo "== round 1: peers"
scripts/gpu-peers-run.sh .peers >"$out/peers.txt" 2>&1
cat "$out/peers.txt"
echo "== round 2: roofline gpu --only $rows"
./roofline gpu -q --only "$rows" --json "$out/gpu2.json" >/dev/null 2>&1
echo "rc=$?"
echo "== round 2: peers (gpu-stream, mixbench)"
T_L2=1 T_CACHE=1 scripts/gpu-peers-run.sh .peers >"$out/peers2.txt" 2>&1

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
def load(p):
    try:
        return json.load(open(p))
    except Exception as e:
        print(f"cannot read {p}: {e}"); return None
ours = {}
for f in ("gpu.json", "gpu2.json"):
    r = load(f"{out}/{f}")
    for d in (r or {}).get("devices", []):
        for c in d["ceilings"]:
            if c["best"] is None: continue
            k = c["id"]
            if k not in ours or c["best"] > ours[k]["best"]:
                ours[k] = c
peer = {"scale": 0, "triad": 0, "read": 0, "l2": 0, "sp": 0, "dp": 0}
l2rows = []
for f in ("peers.txt", "peers2.txt"):
    try: text = open(f"{out}/{f}").read()
    except OSError: continue
    section = ""
    for line in text.splitlines():
        if line.startswith("== PEER:"): section = line
        if "gpu-stream" in section and "GB/s:" in line:
            v = [float(x) for x in line.split("GB/s:")[1].split()[:6]]
            peer["read"] = max(peer["read"], v[1]); peer["scale"] = max(peer["scale"], v[2])
            peer["triad"] = max(peer["triad"], v[3])
        elif "gpu-l2-cache" in section:
            m = re.match(r"\s*\d+\s+kB\s+(\d+)\s+kB\s+[\d.]+\s*ms\s+[\d.]+\s*%\s+([\d.]+)\s+GB/s", line)
            if m:
                l2rows.append((int(m.group(1)) * 1024, float(m.group(2))))
        elif "mixbench" in section and re.match(r"\s*\d+\s*,", line):
            v = [x.strip() for x in line.split(",")]
            try:
                peer["sp"] = max(peer["sp"], float(v[3])); peer["dp"] = max(peer["dp"], float(v[7]))
            except (ValueError, IndexError): pass
# L2: the peer's figure at the data set nearest roofline's working set (its curve falls as the set
# grows past the near L2 partition, so its maximum, at 1-2 MB, is another measurement).
if l2rows and "l2-read" in ours:
    ws = ours["l2-read"].get("work_bytes") or 0
    peer["l2"] = min(l2rows, key=lambda r: abs(r[0] - ws))[1]
    peer["l2max"] = max(b for _, b in l2rows)
def row(name, k, pk=None, pname=""):
    c = ours.get(k)
    if not c:
        print(f"{name:<22} {'not measured':>12}"); return
    eff = f"{100*c['efficiency']:.1f}%" if c.get("efficiency") is not None else "unknown"
    clk = f"{c['clock_ghz']:.3f}" if c.get("clock_ghz") is not None else "?"
    ratio = f"{c['best']/peer[pk]:.3f}" if pk and peer.get(pk) else "-"
    pv = f"{peer[pk]:.0f}" if pk and peer.get(pk) else "-"
    print(f"{name:<22} {c['best']:>12.0f} {c['unit']:<8} {eff:>9} {clk:>7}  {pname:<22} {pv:>9} {ratio:>7}")
print()
print("best of 2 alternating rounds; efficiency = measured / theory at the SM clock measured inside the kernel")
print(f"{'row':<22} {'roofline':>12} {'unit':<8} {'vs theory':>9} {'SM GHz':>7}  {'peer':<22} {'peer':>9} {'ratio':>7}")
row("cuda-core fp32 FFMA", "fp32", "sp", "mixbench SP (best)")
row("cuda-core fp64 DFMA", "fp64", "dp", "mixbench DP (best)")
row("tensor mma.sync bf16", "mma-bf16")
row("tensor wgmma bf16", "wgmma-bf16")
row("DRAM copy", "dram-copy", "scale", "gpu-stream scale")
row("DRAM triad", "dram-triad", "triad", "gpu-stream triad")
row("DRAM read", "dram-read", "read", "gpu-stream read")
row("L2 read", "l2-read", "l2", "gpu-l2-cache same set")
if peer.get("l2max"):
    print(f"{'':<22} {'':>12} {'':<8} {'':>9} {'':>7}  {'gpu-l2-cache (max)':<22} {peer['l2max']:>9.0f}")
PY
