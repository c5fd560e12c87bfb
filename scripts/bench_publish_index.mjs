// bench_publish_index.mjs: the node half of scripts/bench-publish-index.sh.
//   node scripts/bench_publish_index.mjs make DIR N     writes N synthetic results to DIR
//   node scripts/bench_publish_index.mjs time INDEX     opens INDEX in headless Chromium, prints times
// The synthetic results are tests/data/zen3.json and icx-2s.json with every figure scaled by a
// factor from a fixed sequence (no randomness: the same N gives the same files), each under its
// own host name.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, arg, count] = process.argv.slice(2);

if (mode === 'make') {
  const bases = ['zen3.json', 'icx-2s.json'].map((f) => JSON.parse(readFileSync(join(root, 'tests/data', f), 'utf8')));
  mkdirSync(arg, { recursive: true });
  for (let i = 0; i < Number(count); i++) {
    const r = structuredClone(bases[i % 2]);
    const k = 0.8 + 0.4 * (((i * 7919) % 1000) / 1000);
    for (const f of r.flops) for (const key of ['gflops', 'gflops_median', 'gflops_min']) if (f[key] > 0) f[key] *= k;
    for (const b of r.bandwidth) for (const key of ['gbs', 'gbs_median', 'gbs_min', 'gbs_traffic']) if (b[key] > 0) b[key] *= k;
    for (const g of r.ridge) { g.peak_gflops *= k; g.gbs *= k; }
    r.cpu.brand = `${r.cpu.brand.trim()} #${i}`;
    writeFileSync(join(arg, `node${String(i).padStart(4, '0')}.json`), JSON.stringify(r));
  }
} else if (mode === 'time') {
  const require = createRequire(join(root, 'tests/browser/package.json'));
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(pathToFileURL(arg).href, { waitUntil: 'load' });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const t0 = performance.now();
      document.querySelectorAll('#index thead th button')[3].click(); // sort by fp64
      const sortMs = performance.now() - t0;
      return { loadMs: nav.loadEventEnd - nav.startTime, sortMs, rows: document.querySelectorAll('#index tbody tr').length };
    });
    runs.push(t);
    await page.close();
  }
  await browser.close();
  runs.sort((a, b) => a.loadMs - b.loadMs);
  const best = runs[0];
  const median = runs[Math.floor(runs.length / 2)];
  console.log(`index of ${best.rows} rows: load (parse, style, layout, script) best ${best.loadMs.toFixed(0)} ms, median ${median.loadMs.toFixed(0)} ms of ${runs.length}; a sort by fp64 ${median.sortMs.toFixed(0)} ms`);
} else {
  console.error('usage: bench_publish_index.mjs make DIR N | time INDEX.html');
  process.exit(2);
}
