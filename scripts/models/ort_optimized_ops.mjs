#!/usr/bin/env node
// Saves the graph ONNX Runtime actually executes (session option optimizedModelFilePath, at the
// optimisation level asked, 'all' by default: ORT's default) and prints a histogram of its ops,
// so roofline's fused view (model/ort_fuse.c, `roofline model --runtime`) can be checked against
// it. Creating the session optimises the graph; nothing is run.
//
// usage: NODE_PATH=/tmp/ortnode/node_modules node scripts/models/ort_optimized_ops.mjs MODEL.onnx
//          [--opt all|extended|basic|disabled] [--threads N] [--out OPT.onnx] [--json HIST.json]
// --fused R.json: the output of `roofline model MODEL.onnx --runtime P.json --json R.json`; its
// runtime.executed_ops (roofline's view of what ORT runs) is printed beside ORT's counts, op names
// compared without their domain (ORT's com.microsoft.nchwc:Conv is roofline's Conv).
// The saved model reads as any ONNX file: `roofline model OPT.onnx` lists its nodes (ORT's
// contrib and NCHWc ops show as unsupported, which is fine for counting).
import { createRequire } from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';

const require = createRequire(import.meta.url);
let ort;
try { ort = require('onnxruntime-node'); } catch (e) {
  ort = require(path.join(process.env.ORT_NODE_DIR || '/tmp/ortnode', 'node_modules', 'onnxruntime-node'));
}

const a = { opt: 'all', threads: 1, out: null, json: null, fused: null, model: null };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i];
  if (k === '--opt') a.opt = process.argv[++i];
  else if (k === '--threads') a.threads = +process.argv[++i];
  else if (k === '--out') a.out = process.argv[++i];
  else if (k === '--json') a.json = process.argv[++i];
  else if (k === '--fused') a.fused = process.argv[++i];
  else a.model = k;
}
if (!a.model) {
  console.error('usage: node ort_optimized_ops.mjs MODEL.onnx [--opt all] [--out OPT.onnx] [--json H.json]');
  process.exit(2);
}
if (!a.out) a.out = path.join(os.tmpdir(), path.basename(a.model, '.onnx') + `.ort-${a.opt}.onnx`);
fs.mkdirSync(path.dirname(path.resolve(a.out)), { recursive: true });

// The protobuf wire format, just enough to walk ModelProto.graph (7) -> GraphProto.node (1) ->
// NodeProto.op_type (4), domain (7). No protobuf package needed.
function* fields(buf, start, end) {
  let p = start;
  const varint = () => {
    let v = 0n, s = 0n, b;
    do { b = buf[p++]; v |= BigInt(b & 0x7f) << s; s += 7n; } while (b & 0x80);
    return v;
  };
  while (p < end) {
    const key = Number(varint());
    const field = key >> 3, wire = key & 7;
    if (wire === 0) { varint(); continue; }
    if (wire === 1) { p += 8; continue; }
    if (wire === 5) { p += 4; continue; }
    if (wire !== 2) throw new Error(`wire type ${wire} at ${p}`);
    const len = Number(varint());
    yield { field, start: p, end: p + len };
    p += len;
  }
}

function opHistogram(file) {
  const buf = fs.readFileSync(file);
  const hist = {};
  for (const g of fields(buf, 0, buf.length)) {
    if (g.field !== 7) continue;
    for (const n of fields(buf, g.start, g.end)) {
      if (n.field !== 1) continue;
      let op = '', domain = '';
      for (const f of fields(buf, n.start, n.end)) {
        if (f.field === 4) op = buf.toString('utf8', f.start, f.end);
        if (f.field === 7) domain = buf.toString('utf8', f.start, f.end);
      }
      const key = domain && domain !== 'ai.onnx' ? `${domain}:${op}` : op;
      hist[key] = (hist[key] || 0) + 1;
    }
  }
  return hist;
}

const opts = {
  graphOptimizationLevel: a.opt,
  optimizedModelFilePath: a.out,
  intraOpNumThreads: a.threads,
  interOpNumThreads: 1,
  executionProviders: ['cpu'],
};
const session = await ort.InferenceSession.create(a.model, opts);
await session.release?.();
const before = opHistogram(a.model);
const after = opHistogram(a.out);
const strip = (h) => {
  const o = {};
  for (const [k, v] of Object.entries(h)) { const n = k.replace(/^.*:/, ''); o[n] = (o[n] || 0) + v; }
  return o;
};
const total = (h) => Object.values(h).reduce((x, y) => x + y, 0);
const fused = a.fused ? JSON.parse(fs.readFileSync(a.fused, 'utf8')).runtime.executed_ops : null;
const ortOps = fused ? strip(after) : after;
const modelOps = fused ? strip(before) : before;
const keys = [...new Set([...Object.keys(modelOps), ...Object.keys(ortOps), ...Object.keys(fused || {})])].sort();
console.log(`${path.basename(a.model)}: ${total(before)} nodes -> ${total(after)} after ORT opt '${a.opt}' (${a.out})` +
            (fused ? `; roofline's fused view: ${total(fused)}` : ''));
console.log(`${'op'.padEnd(40)} ${'model'.padStart(6)} ${'ORT'.padStart(6)}` + (fused ? ` ${'fused'.padStart(6)}` : ''));
let diff = 0;
for (const k of keys) {
  const m = modelOps[k] || 0, o = ortOps[k] || 0, f = fused ? (fused[k] || 0) : null;
  if (fused) diff += Math.abs(o - f);
  console.log(`${k.padEnd(40)} ${String(m).padStart(6)} ${String(o).padStart(6)}` +
              (fused ? ` ${String(f).padStart(6)}${o !== f ? '  <-' : ''}` : ''));
}
if (fused) console.log(`sum of |ORT - fused| over ops: ${diff}`);
if (a.json) fs.writeFileSync(a.json, JSON.stringify({ model: a.model, opt: a.opt, before, after, fused }, null, 1) + '\n');
