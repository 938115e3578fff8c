// Benchmark for the sweep's acceptance figure: 4 × 3 contact-threshold points
// over the full office day at 2 seeds, with a count of simulator runs.
// Run: node bin/run-ts.js bench/perf/sweep-bench.ts   (npm run bench:sweep)
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { simulate } from '../../sim/simulate.ts';
import { runSweep } from '../harness/sweep.ts';
import { parseParam } from '../harness/sweep-params.ts';
import { strictArgs } from '../entry/args.ts';

// No options: a bad flag is still an error, not ignored.
strictArgs('bench/perf/sweep-bench.ts').parseSync();

const BUDGET_S = 180;

let simulations = 0;
const t0 = performance.now();
const rows = await runSweep({
  scenarios: [loadScenario('office')],
  seeds: [1, 2],
  params: [parseParam('contacts.distanceM=1.5:3:0.5'), parseParam('contacts.minExposureS=300,600,900')],
  simulate: (s: Scenario) => (simulations++, simulate(s)),
});
const wallS = (performance.now() - t0) / 1000;
const units = new Set(rows.map((r) => r.unit)).size;
process.stdout.write(`sweep office 4×3 points × 2 seeds: ${units} units, ${simulations} simulations, ${wallS.toFixed(1)} s wall (budget ${BUDGET_S} s)\n`);
if (wallS > BUDGET_S || simulations !== 2) process.exitCode = 1;
