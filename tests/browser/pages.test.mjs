// pages.test.mjs: roofline's HTML pages in headless Chromium (driven by puppeteer-core over the
// DevTools protocol). tests/browser/run.sh writes the pages from the built binary and the fixtures
// into $RL_PAGES and runs this; each check prints "ok" or "not ok" with what failed, and the exit
// status is 1 when any failed.
//
// Checked: every page type opens with no console error, no page error and no network request;
// the figures the charts and tables show equal the embedded JSON's; hover and keyboard focus on a
// known roof show its value; the toggles hide and show series; the fleet table sorts and filters;
// the site's index links every page (and every anchor exists); two index rows compare side by
// side; dark scheme, print and a phone's width; and a screenshot of each page type against the
// committed reference (docs/screenshots/, written by RL_UPDATE_SCREENSHOTS=1) within a small
// tolerance, so a broken layout fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const pages = process.env.RL_PAGES;
const shots = join(root, 'docs', 'screenshots');
const update = process.env.RL_UPDATE_SCREENSHOTS === '1';
// A pixel differs when a channel moves by more than this; a page fails when more than
// MAX_DIFFERENT of its pixels differ (anti-aliasing and font hinting move a few, a broken layout
// moves many).
const CHANNEL_TOLERANCE = 48;
const MAX_DIFFERENT = 0.03;

let failures = 0;
function check(name, cond, detail) {
  if (cond) {
    console.log(`ok - ${name}`);
  } else {
    failures++;
    console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`);
  }
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM,
  headless: true,
  timeout: 120000, // a loaded machine (five test suites on two cores) starts Chromium slowly
  protocolTimeout: 240000,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
});

// Opens a page from disk, recording console errors, page errors and every request that is not the
// page's own file.
async function open(file, viewport = { width: 1000, height: 900 }) {
  const page = await browser.newPage();
  page.setDefaultTimeout(120000);
  await page.setViewport(viewport);
  const problems = [];
  const url = pathToFileURL(file).href;
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const u = req.url().split('#')[0];
    if (u !== url) problems.push(`request ${req.url()}`);
    if (u !== url && !u.startsWith('file:')) req.abort(); else req.continue();
  });
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(url, { waitUntil: 'load' });
  page.problems = problems;
  return page;
}

async function data(page) {
  return page.$eval('#roofline-data', (e) => JSON.parse(e.textContent));
}

function compare(png, ref) {
  if (png.width !== ref.width || png.height !== ref.height) return 1;
  let diff = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(png.data[i + c] - ref.data[i + c]) > CHANNEL_TOLERANCE) { diff++; break; }
    }
  }
  return diff / (png.width * png.height);
}

async function screenshot(page, kind) {
  const buf = await page.screenshot({ type: 'png' });
  const path = join(shots, `${kind}.png`);
  if (update) {
    writeFileSync(path, buf);
    console.log(`ok - ${kind}: screenshot written to docs/screenshots/${kind}.png`);
    return;
  }
  if (!existsSync(path)) {
    check(`${kind}: reference screenshot`, false, `${path} missing (RL_UPDATE_SCREENSHOTS=1 writes it)`);
    return;
  }
  const png = PNG.sync.read(buf);
  const ref = PNG.sync.read(readFileSync(path));
  const d = compare(png, ref);
  if (d > MAX_DIFFERENT) writeFileSync(join(pages, `${kind}-actual.png`), buf);
  check(`${kind}: looks like docs/screenshots/${kind}.png`, d <= MAX_DIFFERENT,
    `${(d * 100).toFixed(1)}% of pixels differ (limit ${MAX_DIFFERENT * 100}%); this run's picture is ${pages}/${kind}-actual.png`);
}

// The best figure of a result at the most threads run, as the chart and the tables choose it.
function bestAtMostThreads(rows, match, value) {
  const sel = rows.filter(match);
  const most = Math.max(...sel.map((r) => r.threads));
  return Math.max(...sel.filter((r) => r.threads === most).map(value));
}

function clean(page) {
  return page.problems.length === 0 ? null : page.problems.slice(0, 3).join('; ');
}

// ---- a result's page ----
{
  const page = await open(join(pages, 'result.html'));
  const json = await data(page);
  check('result: opens without errors or network requests', clean(page) === null, clean(page));
  await screenshot(page, 'result');
  const roofs = await page.$$eval('#chart-cpu .roof', (els) => els.map((e) => ({
    tags: e.getAttribute('data-tags'), value: Number(e.getAttribute('data-value')),
  })));
  let compared = 0;
  for (const r of roofs) {
    const t = Object.fromEntries(r.tags.split(' ').map((x) => x.split(':')));
    let want;
    if (t.kind === 'measured' && t.precision) {
      want = bestAtMostThreads(json.flops, (f) => f.isa === t.isa && f.precision === t.precision, (f) => f.gflops);
    } else if (t.kind === 'measured' && t.level) {
      want = bestAtMostThreads(json.bandwidth, (b) => b.level === t.level, (b) => b.gbs);
    } else if (t.kind === 'theory' && t.level === 'DRAM') {
      want = json.theoretical.dram_gbs;
    } else {
      continue;
    }
    compared++;
    check(`result: ${r.tags} roof equals the JSON`, r.value === want, `${r.value} vs ${want}`);
  }
  check('result: the chart draws the measured roofs', compared >= 4, `${compared} compared`);
  // The page offers its data as a file (a blob of the data element: the content policy forbids
  // the page itself to fetch, which this test cannot do either).
  const link = await page.$eval('#data-link', (a) => [a.href, a.download]);
  check('result: a link downloads the embedded JSON', link[0].startsWith('blob:') && link[1] === 'roofline-result.json', link.join(' '));
  // The compute table's figures are the JSON's, as the page formats them.
  const cells = await page.$$eval('#compute + p + .scroll tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells).map((c) => c.textContent)));
  check('result: one compute table row per measurement', cells.length === json.flops.length,
    `${cells.length} rows, ${json.flops.length} in the JSON`);

  // Hover and focus on a known roof: the fp64 avx2-fma ceiling.
  const sel = '#chart-cpu .roof[data-tags="precision:fp64 isa:avx2-fma kind:measured"]';
  const want = bestAtMostThreads(json.flops, (f) => f.isa === 'avx2-fma' && f.precision === 'fp64', (f) => f.gflops);
  // A flat line has no height for puppeteer's hover(): move the mouse onto its middle instead.
  const at = await page.$eval(`${sel} .l`, (l) => {
    l.scrollIntoView({ block: 'center' });
    const r = l.getBoundingClientRect();
    return { x: r.left + r.width * 0.75, y: r.top + r.height / 2 };
  });
  await page.mouse.move(at.x, at.y);
  let tip = await page.$eval('#tip', (e) => (e.hidden ? '' : e.textContent));
  check('result: hovering the fp64 roof shows its value', tip.includes(want.toFixed(2)) && tip.includes('GFLOP/s'), tip);
  await page.mouse.move(1, 1);
  await page.$eval(sel, (e) => e.focus()); // an SVG element: puppeteer's focus() wants HTML
  tip = await page.$eval('#tip', (e) => (e.hidden ? '' : e.textContent));
  check('result: focusing the fp64 roof shows its value', tip.includes(want.toFixed(2)), tip);
  // The keyboard reaches the chart: Tab from the last toggle lands on a chart element.
  await page.focus('#chart-cpu .toggles fieldset:last-child label:last-child input');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a.closest('svg') ? a.getAttribute('aria-label') : `not in the chart: ${a && a.tagName}`;
  });
  check('result: Tab moves from the toggles into the chart', focused && !focused.startsWith('not'), focused);

  // Toggles: fp64 off hides every fp64 element and only those; on again shows them.
  const visible = (tag) => page.$$eval(`#chart-cpu [data-tags~="${tag}"]`, (els) =>
    els.filter((e) => getComputedStyle(e).display !== 'none').length);
  const fp64 = await visible('precision:fp64');
  await page.click('#chart-cpu input[data-toggle="precision:fp64"]');
  check('result: the fp64 toggle hides the fp64 series', fp64 > 0 && (await visible('precision:fp64')) === 0);
  check('result: ... and leaves fp32 alone', (await visible('precision:fp32')) > 0);
  await page.click('#chart-cpu input[data-toggle="precision:fp64"]');
  check('result: the fp64 toggle shows them again', (await visible('precision:fp64')) === fp64);
  await page.click('#chart-cpu input[data-toggle="level:DRAM"]');
  check('result: the DRAM toggle hides the DRAM lines', (await visible('level:DRAM')) === 0);

  // Dark scheme, print, a phone.
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check('result: dark scheme', bg === 'rgb(21, 23, 26)', bg);
  await page.emulateMediaType('print');
  const toggles = await page.$eval('.toggles', (e) => getComputedStyle(e).display);
  check('result: print hides the controls', toggles === 'none', toggles);
  await page.close();

  const phone = await open(join(pages, 'result.html'), { width: 390, height: 800, isMobile: true });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('result: fits a phone\'s width (tables scroll inside)', overflow <= 1, `${overflow}px too wide`);
  await phone.close();
}

// ---- a GPU result ----
{
  const page = await open(join(pages, 'gpu.html'));
  check('gpu: opens without errors or network requests', clean(page) === null, clean(page));
  const json = await data(page);
  const dev = json.devices[0];
  const roofs = await page.$$eval(`#chart-${dev.id} .roof`, (els) => els.map((e) => ({
    tags: e.getAttribute('data-tags'), value: Number(e.getAttribute('data-value')) })));
  let ok = roofs.length > 0;
  for (const r of roofs) {
    const t = Object.fromEntries(r.tags.split(' ').map((x) => x.split(':')));
    if (t.kind !== 'measured' || !t.precision) continue;
    const best = Math.max(...dev.ceilings.filter((c) => c.kind === 'compute' && c.path === t.isa && c.precision === t.precision).map((c) => c.best));
    if (best !== r.value) { ok = false; console.log(`#   ${r.tags}: ${r.value} vs ${best}`); }
  }
  check('gpu: every measured compute roof equals the JSON', ok);
  await screenshot(page, 'gpu');
  await page.close();
}

// ---- a fleet ----
{
  const page = await open(join(pages, 'fleet.html'));
  check('fleet: opens without errors or network requests', clean(page) === null, clean(page));
  const json = await data(page);
  await screenshot(page, 'fleet');
  const flagged = await page.$$eval('#nodes tr.flagged', (trs) => trs.map((t) => t.dataset.host).sort());
  const want = [...new Set(json.summary.flags.map((f) => f.host))].sort();
  check('fleet: the flagged rows are the JSON\'s flagged nodes', JSON.stringify(flagged) === JSON.stringify(want), `${flagged} vs ${want}`);
  // Each node's fp64 cell is its best fp64 figure at the most threads.
  const cells = await page.$$eval('#nodes tbody tr', (trs) => trs.map((t) => [t.dataset.host, t.cells[7].getAttribute('data-v')]));
  let ok = true;
  for (const [host, v] of cells) {
    const node = json.nodes.find((n) => n.host === host);
    const expect = node.result ? bestAtMostThreads(node.result.flops, (f) => f.precision === 'fp64' && !f.isa.includes('+'), (f) => f.gflops) : null;
    if ((v === null ? null : Number(v)) !== expect) { ok = false; console.log(`#   ${host}: ${v} vs ${expect}`); }
  }
  check('fleet: every node\'s fp64 figure equals the JSON', ok);
  const order = () => page.$$eval('#nodes tbody tr:not([hidden])', (trs) => trs.map((t) => t.dataset.host));
  const fp64Head = await page.$$('#nodes thead th button');
  await fp64Head[7].click();
  let hosts = await order();
  check('fleet: sorting by fp64 puts the slowest node first', hosts[0] === 'zen-b', hosts.join(','));
  check('fleet: ... and the node without a figure last', hosts[hosts.length - 1] === 'zen-d', hosts.join(','));
  await fp64Head[7].click();
  hosts = await order();
  check('fleet: sorting again reverses it', hosts[0] === 'icx-a', hosts.join(','));
  await page.type('.tools input[type="search"]', 'zen');
  hosts = await order();
  check('fleet: the filter keeps matching rows only', hosts.length === 4 && hosts.every((h) => h.startsWith('zen')), hosts.join(','));
  await page.click('.tools input.flagged-only');
  hosts = await order();
  check('fleet: "flagged only" keeps the flagged rows', hosts.join(',') === 'zen-b', hosts.join(','));
  // A host's link opens its roofline.
  await page.click('#nodes a[href="#node-1"]');
  const open1 = await page.$eval('#node-1', (d) => d.open);
  check('fleet: a host\'s link opens its roofline', open1);
  await page.close();
}

// ---- a comparison ----
{
  const page = await open(join(pages, 'compare.html'));
  check('compare: opens without errors or network requests', clean(page) === null, clean(page));
  await screenshot(page, 'compare');
  const rows = await page.$$eval('#comparison tbody tr', (trs) => trs.map((t) => Array.from(t.cells).map((c) => ({
    v: c.getAttribute('data-v'), better: c.classList.contains('better') }))));
  let ok = rows.length > 0;
  let marked = 0;
  for (const cells of rows) {
    const vals = cells.slice(2, 4).filter((c) => c.v !== null).map((c) => Number(c.v));
    for (const c of cells.slice(2, 4)) {
      if (!c.better) continue;
      marked++;
      if (Number(c.v) !== Math.max(...vals)) ok = false;
    }
  }
  check('compare: the marked figure of each row is the higher one', ok && marked > 0, `${marked} marked`);
  const machines = await page.$$eval('#chart-compare input[data-toggle^="machine:"]', (els) => els.length);
  check('compare: both machines overlaid, each with its toggle', machines === 2, `${machines}`);
  await page.close();
}

// ---- a model ----
for (const [file, kind] of [['model.html', 'model'], ['sweep.html', 'sweep']]) {
  const page = await open(join(pages, file));
  check(`${kind}: opens without errors or network requests`, clean(page) === null, clean(page));
  const json = await data(page);
  const points = await page.$$eval('#chart-model .pt', (els) => els.map((e) => Number(e.getAttribute('data-x'))));
  if (kind === 'model') {
    await screenshot(page, 'model');
    const placed = json.nodes.filter((n) => n.flops > 0 && n.intensity > 0 && n.attainable_gflops > 0);
    check('model: every costed layer is a point', points.length === placed.length, `${points.length} vs ${placed.length}`);
    check('model: at its intensity', points.every((x, i) => x === placed[i].intensity));
    const rows = await page.$$eval('#layer-table tbody tr', (trs) => trs.length);
    check('model: one table row per costed layer', rows === json.nodes.filter((n) => 'flops' in n).length);
    const conv = placed.find((n) => n.op === 'Conv');
    await page.$$eval('#chart-model .pt', (els, i) => els[i].focus(), placed.indexOf(conv));
    const tip = await page.$eval('#tip', (e) => (e.hidden ? '' : e.textContent));
    check('model: focusing a layer names it', tip.includes(conv.name) && tip.includes('Conv'), tip);
    const head = await page.$$('#layer-table thead th button');
    await head[3].click(); // FLOPs, ascending
    await head[3].click(); // descending
    const first = await page.$eval('#layer-table tbody tr', (t) => Number(t.cells[3].getAttribute('data-v')));
    const most = Math.max(...json.nodes.filter((n) => 'flops' in n).map((n) => n.flops));
    check('model: the layer table sorts by FLOPs', first === most, `${first} vs ${most}`);
  } else {
    check('sweep: one point per value', points.length === json.sweep.length, `${points.length} vs ${json.sweep.length}`);
  }
  await page.close();
}

// ---- the site ----
{
  const site = join(pages, 'site');
  const page = await open(join(site, 'index.html'));
  check('index: opens without errors or network requests', clean(page) === null, clean(page));
  await screenshot(page, 'index');
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  let missing = [];
  for (const href of links) {
    if (href.startsWith('blob:')) continue; // the download link of the embedded JSON
    const [name, anchor] = href.split('#');
    const file = name || 'index.html'; // "#main": an anchor of the index itself
    if (!existsSync(join(site, file))) { missing.push(href); continue; }
    if (anchor && !readFileSync(join(site, file), 'utf8').includes(`id="${anchor}"`)) missing.push(href);
  }
  check('index: every link leads to a page (and anchor) of the site', missing.length === 0 && links.length > 5, missing.join(', '));
  const json = await data(page);
  for (const p of json.pages) {
    check(`index: links ${p.page}`, links.some((h) => h.split('#')[0] === p.page));
    const sub = await open(join(site, p.page));
    check(`site: ${p.page} opens without errors or network requests`, clean(sub) === null, clean(sub));
    check(`site: ${p.page} leads back to the index`, (await sub.$('nav.site a[href="index.html"]')) !== null);
    await sub.close();
  }
  const picks = await page.$$('#index input.pick');
  await picks[0].click();
  await picks[picks.length - 1].click();
  await page.click('#compare-picked');
  const pair = await page.$$eval('#pair tbody tr', (trs) => trs.length);
  check('index: two picked rows compare side by side', pair >= 8, `${pair} rows`);
  await page.close();
}

await browser.close();
console.log(failures ? `browser tests: ${failures} failed` : 'browser tests: all passed');
process.exit(failures ? 1 : 0);
