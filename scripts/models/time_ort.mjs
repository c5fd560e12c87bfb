#!/usr/bin/env node
// time_ort.mjs: the median wall time of session.run for ONNX models in ONNX Runtime (onnxruntime-node,
// CPU EP), without ORT's profiler (it inflates small nodes).
//
// usage: NODE_PATH=/tmp/ortnode/node_modules node scripts/models/time_ort.mjs [--threads N]
//          [--runs 30] [--min-time 0.25] [--max-runs 400] [--warmup 3] [--opt all]
//          [--rounds R] [--pause-ms 30] [--dim NAME=VALUE ...] [--int-max 1000] MODEL.onnx ...
// Per model: one session (default options: graphOptimizationLevel 'all', intraOpNumThreads N,
// interOpNumThreads 1, sequential), inputs made once (deterministic random values; symbolic dims
// from --dim, else 1), warm-up runs, then timed runs, at least --runs of them and more until
// --min-time seconds have been timed (at most --max-runs); only session.run is inside the clock
// (process.hrtime.bigint). Prints one JSON object per model on stdout:
//   {"file", "threads", "median_s", "min_s", "runs", "load_s"} (+ "round_medians_s" with --rounds)
import { createRequire } from 'module';
import path from 'path';

const require = createRequire(import.meta.url);
let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  ort = require(path.join(process.env.ORT_NODE_DIR || '/tmp/ortnode', 'node_modules', 'onnxruntime-node'));
}

function parseArgs(argv) {
  const a = { threads: 1, runs: 30, rounds: 1, pauseMs: 30, minTime: 0.25, maxRuns: 400, warmup: 3, opt: 'all', dims: {}, intMax: 1000, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === '--threads') a.threads = +v();
    else if (k === '--runs') a.runs = +v();
    else if (k === '--rounds') a.rounds = +v();
    else if (k === '--pause-ms') a.pauseMs = +v();
    else if (k === '--min-time') a.minTime = +v();
    else if (k === '--max-runs') a.maxRuns = +v();
    else if (k === '--warmup') a.warmup = +v();
    else if (k === '--opt') a.opt = v();
    else if (k === '--int-max') a.intMax = +v();
    else if (k === '--dim') { const [n, x] = v().split('='); a.dims[n] = +x; }
    else if (k.startsWith('--')) { console.error(`time_ort.mjs: unknown option ${k}`); process.exit(2); }
    else a.files.push(k);
  }
  if (!a.files.length) { console.error('usage: time_ort.mjs [--threads N] [--runs N] MODEL.onnx ...'); process.exit(2); }
  return a;
}

// small deterministic PRNG, so every run feeds the same values
function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeFeeds(session, a) {
  const rnd = mulberry32(42);
  const feeds = {};
  session.inputMetadata.forEach((m) => {
    const shape = m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : (a.dims[d] ?? 1)));
    const n = shape.reduce((x, y) => x * y, 1);
    let data;
    switch (m.type) {
      case 'float32': data = Float32Array.from({ length: n }, () => rnd() * 2 - 1); break;
      case 'int64': data = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * a.intMax))); break;
      case 'int32': data = Int32Array.from({ length: n }, () => Math.floor(rnd() * a.intMax)); break;
      case 'bool': data = Uint8Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)); break;
      default: throw new Error(`unsupported input type ${m.type}`);
    }
    feeds[m.name] = new ort.Tensor(m.type, data, shape);
  });
  return feeds;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

async function timeOne(file, a) {
  const t0 = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: a.opt,
  });
  const load = Number(process.hrtime.bigint() - t0) / 1e9;
  const feeds = makeFeeds(session, a);
  for (let i = 0; i < a.warmup; i++) await session.run(feeds);
  const times = [];
  let total = 0;
  while (times.length < a.maxRuns && (times.length < a.runs || total < a.minTime)) {
    const s = process.hrtime.bigint();
    await session.run(feeds);
    const dt = Number(process.hrtime.bigint() - s) / 1e9;
    times.push(dt);
    total += dt;
  }
  await session.release?.();
  return { file, threads: a.threads, median_s: median(times), min_s: Math.min(...times), runs: times.length, load_s: load };
}

// --rounds R: every model's session is created first, then R rounds each give every model
// ceil(runs / R) timed runs in turn, so models compared with each other (a calibration point's
// short and long chains) meet the same background load on a shared machine.
async function timeInterleaved(a) {
  const ss = [];
  for (const f of a.files) {
    try {
      const t0 = process.hrtime.bigint();
      const session = await ort.InferenceSession.create(f, {
        executionProviders: ['cpu'], intraOpNumThreads: a.threads, interOpNumThreads: 1,
        executionMode: 'sequential', graphOptimizationLevel: a.opt,
      });
      const load = Number(process.hrtime.bigint() - t0) / 1e9;
      const feeds = makeFeeds(session, a);
      for (let i = 0; i < a.warmup; i++) await session.run(feeds);
      ss.push({ f, session, feeds, times: [], load });
    } catch (e) {
      ss.push({ f, error: String(e.message || e) });
    }
  }
  const per = Math.max(1, Math.ceil(a.runs / a.rounds));
  for (let r = 0; r < a.rounds; r++) {
    for (const s of ss) {
      if (s.error) continue;
      // let the previous session's intra-op workers stop spinning (with N > 1 they would
      // hold a core through this session's first runs), then touch this one's weights again
      if (a.threads > 1) await new Promise((res) => setTimeout(res, a.pauseMs));
      await s.session.run(s.feeds);
      const round = [];
      for (let i = 0; i < per; i++) {
        const t = process.hrtime.bigint();
        await s.session.run(s.feeds);
        round.push(Number(process.hrtime.bigint() - t) / 1e9);
      }
      s.times.push(...round);
      (s.rounds ??= []).push(median(round));
    }
  }
  for (const s of ss) {
    if (s.error) console.log(JSON.stringify({ file: s.f, threads: a.threads, error: s.error }));
    else console.log(JSON.stringify({ file: s.f, threads: a.threads, median_s: median(s.times), min_s: Math.min(...s.times), runs: s.times.length, load_s: s.load, round_medians_s: s.rounds }));
    await s.session?.release?.();
  }
}

const a = parseArgs(process.argv.slice(2));
if (a.rounds > 1) {
  await timeInterleaved(a);
} else {
  for (const f of a.files) {
    try {
      console.log(JSON.stringify(await timeOne(f, a)));
    } catch (e) {
      console.log(JSON.stringify({ file: f, threads: a.threads, error: String(e.message || e) }));
    }
  }
}
