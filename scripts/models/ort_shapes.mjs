#!/usr/bin/env node
// ort_shapes.mjs: runs an ONNX model once in ONNX Runtime (onnxruntime-node, CPU, graph
// optimisation off) and writes every output's element type and dims as JSON
// {name: {type, dims}}, the format of ../shared/models/make/ort_profile.mjs --dump-outputs.
// Unlike that script it feeds float16 and bfloat16 inputs too (decoders exported in half
// precision), and it times nothing. Used by scripts/check-model-shapes.sh.
//
// usage: NODE_PATH=/tmp/ortnode/node_modules node ort_shapes.mjs MODEL.onnx OUT.json
//            [--dim NAME=V ...] [--int-max 1000]
// A symbolic input dim not given by --dim is 1. Integer inputs are random in [0, int-max).
import { createRequire } from 'module';
import fs from 'fs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const args = process.argv.slice(2);
const dims = {};
let intMax = 1000;
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dim') {
    const [k, v] = args[++i].split('=');
    dims[k] = +v;
  } else if (args[i] === '--int-max') intMax = +args[++i];
  else rest.push(args[i]);
}
if (rest.length !== 2) {
  console.error('usage: node ort_shapes.mjs MODEL.onnx OUT.json [--dim NAME=V ...]');
  process.exit(2);
}

let seed = 42; // a fixed generator: the same inputs every run
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const sess = await ort.InferenceSession.create(rest[0], {
  executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', intraOpNumThreads: 1,
});
const feeds = {};
for (const m of sess.inputMetadata) {
  const shape = m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : (dims[d] ?? 1)));
  const n = shape.reduce((x, y) => x * y, 1);
  let data;
  switch (m.type) {
    case 'float32': data = Float32Array.from({ length: n }, () => rnd() * 2 - 1); break;
    case 'float64': data = Float64Array.from({ length: n }, () => rnd() * 2 - 1); break;
    // half-precision values in [-1, 1): a small set of exact bit patterns is enough for shapes
    case 'float16': data = Uint16Array.from({ length: n }, () => 0x3800 | Math.floor(rnd() * 0x3ff) | (rnd() < 0.5 ? 0x8000 : 0)); break;
    case 'bfloat16': data = Uint16Array.from({ length: n }, () => 0x3f00 | Math.floor(rnd() * 0x7f) | (rnd() < 0.5 ? 0x8000 : 0)); break;
    case 'int64': data = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * intMax))); break;
    case 'int32': data = Int32Array.from({ length: n }, () => Math.floor(rnd() * intMax)); break;
    // quantized inputs (tests/data/quant): any bytes will do for shapes
    case 'uint8': data = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)); break;
    case 'int8': data = Int8Array.from({ length: n }, () => Math.floor(rnd() * 256) - 128); break;
    case 'bool': data = Uint8Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)); break;
    default: throw new Error(`input ${m.name}: type ${m.type} not fed`);
  }
  feeds[m.name] = new ort.Tensor(m.type, data, shape);
}
const out = await sess.run(feeds);
const res = {};
for (const [k, t] of Object.entries(out)) res[k] = { type: t.type, dims: t.dims };
fs.writeFileSync(rest[1], JSON.stringify(res));
await sess.release();
