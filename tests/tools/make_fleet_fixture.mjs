// make_fleet_fixture.mjs: writes the fleet fixture the HTML page tests use (tests/data/fleet.json
// after `roofline report RAW --json tests/data/fleet.json` adds the derived summary): three nodes
// of the zen3.json machine (one with its fp64 peak halved: the flagged node), one failed node and
// one node of the icx-2s.json machine (a second hardware group).
//   node tests/tools/make_fleet_fixture.mjs > /tmp/fleet-raw.json
import { readFileSync } from 'node:fs';

const zen3 = JSON.parse(readFileSync('tests/data/zen3.json', 'utf8'));
const icx = JSON.parse(readFileSync('tests/data/icx-2s.json', 'utf8'));

function scaled(result, fp64, other) {
  const r = structuredClone(result);
  for (const f of r.flops) {
    const k = f.precision === 'fp64' ? fp64 : other;
    for (const key of ['gflops', 'gflops_median', 'gflops_min']) if (f[key] > 0) f[key] *= k;
    if (f.efficiency > 0) f.efficiency *= k;
  }
  for (const b of r.bandwidth) {
    for (const key of ['gbs', 'gbs_median', 'gbs_min', 'gbs_traffic']) if (b[key] > 0) b[key] *= other;
  }
  // measured ridges: each compute figure over each level, scaled alike
  for (const g of r.ridge) {
    g.peak_gflops *= g.precision === 'fp64' ? fp64 : other;
    g.gbs *= other;
    g.imax = g.peak_gflops / g.gbs;
  }
  return r;
}

const fleet = {
  schema: 'roofline-fleet/1',
  tool_version: zen3.meta.tool_version,
  date: '2026-11-30T09:00:00Z',
  command_line: 'mpirun --hostfile hosts roofline-fleet --quick --json fleet.json',
  partial: false,
  serial: false,
  thresholds: { compute: 0.05, bandwidth: 0.1, theory_compute: 0.15, theory_dram: 0.5 },
  node_timeout_s: 120,
  gather_s: 0.02,
  nodes: [
    { host: 'zen-a', status: 'ok', seconds: 4.1, result: scaled(zen3, 1, 1) },
    { host: 'zen-b', status: 'ok', seconds: 4.3, result: scaled(zen3, 0.5, 1) },
    { host: 'zen-c', status: 'ok', seconds: 4.0, result: scaled(zen3, 1.02, 1.02) },
    { host: 'zen-d', status: 'failed: the measurement process was killed', seconds: -1, result: null },
    { host: 'icx-a', status: 'ok', seconds: 9.5, result: scaled(icx, 1, 1) },
  ],
};
process.stdout.write(JSON.stringify(fleet, null, 1) + '\n');
