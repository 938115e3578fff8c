// One point of the scaling benchmark, run in its own process so its peak RSS
// is its own: a scenario at N occupants, simulate + engine + score, timed;
// then, if asked, the all-pairs and grid detectors side by side on a window
// of its estimates. Prints one JSON line.
//   node bin/run-ts.js bench/perf/scale-point.ts --scenario campus --occupants N [--workers 2] [--detector-window-min 0]
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { DETECTORS } from '../../engine/contacts/index.ts';
import type { ContactDetector } from '../../engine/contacts/detector.ts';
import { findContacts } from '../../engine/contacts/exposure.ts';
import { EstimatesBuilder } from '../../engine/pipeline/estimates.ts';
import type { Estimates } from '../../engine/outputs.ts';
import { TECHS } from '../../engine/contract/site.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { runExperiment } from '../harness/experiment.ts';
import type { DetectorComparison, ScalePoint } from '../../reports/schemas/perf-result.ts';
import { numberFlag, strictArgs } from '../entry/args.ts';
import { peakRssMiB } from './peak-rss.ts';

/** Rows of each (epoch, technology) group of est with two or more fixes: what a detector is handed. */
function searchGroups(est: Estimates, deviceTech: Uint8Array): Uint32Array[] {
  const groups: Uint32Array[] = [];
  for (let start = 0; start < est.length; ) {
    let end = start;
    while (end < est.length && est.tMs[end] === est.tMs[start]) end++;
    for (let tech = 0; tech < TECHS.length; tech++) {
      const rows: number[] = [];
      for (let r = start; r < end; r++) if (deviceTech[est.deviceIdx[r]] === tech) rows.push(r);
      if (rows.length > 1) groups.push(Uint32Array.from(rows));
    }
    start = end;
  }
  return groups;
}

const SEARCH_REPEATS = 3;

/** Seconds the detector's close-pair search alone takes over every group (best of a few passes: least disturbed by other load), and the pairs it found. */
function timeSearch(est: Estimates, groups: readonly Uint32Array[], detector: ContactDetector, distanceM: number): { s: number; pairs: number } {
  let pairs = 0, best = Infinity;
  const count = (): void => void pairs++;
  for (let rep = 0; rep < SEARCH_REPEATS; rep++) {
    pairs = 0;
    const t0 = performance.now();
    for (const rows of groups) detector.closePairs(est, rows, rows.length, distanceM, count);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { s: best, pairs };
}

/** The estimates of the `minutes` around the middle of the day: the busiest stretch. */
function middleWindow(est: Estimates, minutes: number): Estimates {
  const mid = est.tMs[est.length >> 1];
  const from = mid - (minutes * 60_000) / 2, to = mid + (minutes * 60_000) / 2;
  const b = new EstimatesBuilder();
  for (let i = 0; i < est.length; i++) if (est.tMs[i] >= from && est.tMs[i] < to) b.copyRow(est, i);
  return b.build();
}

function compareDetectors(est: Estimates, devices: Parameters<typeof findContacts>[1], windowMin: number): DetectorComparison {
  const window = middleWindow(est, windowMin);
  // A short window cannot reach 15 min of exposure: count every close pair instead.
  const params = { epochMs: DEFAULT_CONFIG.ingest.epochMs, distanceM: DEFAULT_CONFIG.contacts.distanceM, minExposureS: 0 };
  const time = (name: 'grid' | 'all-pairs') => {
    const t0 = performance.now();
    const contacts = findContacts(window, devices, params, DETECTORS[name]);
    return { s: (performance.now() - t0) / 1000, contacts };
  };
  const g = time('grid');
  const a = time('all-pairs');
  const groups = searchGroups(window, Uint8Array.from(devices, (d) => TECHS.indexOf(d.tech)));
  const searchGrid = timeSearch(window, groups, DETECTORS.grid, params.distanceM);
  const searchAllPairs = timeSearch(window, groups, DETECTORS['all-pairs'], params.distanceM);
  let peak = 0;
  for (let i = 0, run = 0; i < window.length; i++) {
    run = i > 0 && window.tMs[i] === window.tMs[i - 1] ? run + 1 : 1;
    peak = Math.max(peak, run);
  }
  return {
    windowMin, estimates: window.length, peakFixesPerEpoch: peak,
    searchGridS: searchGrid.s, searchAllPairsS: searchAllPairs.s, searchSpeedup: searchAllPairs.s / searchGrid.s, gridS: g.s, allPairsS: a.s, speedup: a.s / g.s,
    contacts: g.contacts.length,
    equal: JSON.stringify(g.contacts) === JSON.stringify(a.contacts) && searchGrid.pairs === searchAllPairs.pairs,
  };
}

const cpuS = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const args = strictArgs('bench/perf/scale-point.ts').options({
  scenario: { type: 'string', demandOption: true, describe: 'Built-in scenario name or scenario file' },
  occupants: { type: 'number', demandOption: true, coerce: numberFlag('--occupants', { min: 1, whole: true }), describe: 'Occupant count (whole, ≥ 1)' },
  workers: { type: 'number', default: 2, coerce: numberFlag('--workers', { min: 0, whole: true }), describe: 'Engine worker threads (whole, ≥ 0)' },
  'detector-window-min': { type: 'number', default: 0, coerce: numberFlag('--detector-window-min', { min: 0 }), describe: 'Minutes around midday to compare the contact detectors on (0: no comparison)' },
}).parseSync();
const scenario = loadScenario(args.scenario);
scenario.population.count = args.occupants;
const stages: ScalePoint['stages'] = [];
let wallMark = performance.now(), cpuMark = cpuS();
const onStageDone = (stage: 'simulate' | 'engine' | 'score'): void => {
  const wall = performance.now(), cpu = cpuS();
  stages.push({ stage, wallS: (wall - wallMark) / 1000, cpuS: cpu - cpuMark, peakRssMiB: peakRssMiB() });
  [wallMark, cpuMark] = [wall, cpu];
};
const exp = await runExperiment(scenario, { config: { run: { workers: args.workers } }, onStage: () => {}, onStageDone });
const [simulateStage, engineStage, scoreStage] = stages;
const point: ScalePoint = {
  occupants: scenario.population.count,
  devices: exp.sim.observations.devices.length,
  observations: exp.metrics.throughput.observations,
  simulateS: simulateStage.wallS,
  engineS: engineStage.wallS,
  scoreS: scoreStage.wallS,
  totalS: simulateStage.wallS + engineStage.wallS + scoreStage.wallS,
  cpuS: cpuS(),
  peakRssMiB: peakRssMiB(),
  stages,
};
if (args['detector-window-min'] > 0) point.detectors = compareDetectors(exp.engine.estimates, exp.sim.observations.devices, args['detector-window-min']);
process.stdout.write(`${JSON.stringify(point)}\n`);
