// `npm run bench [-- options]`: micro-benchmarks, engine throughput on a
// fixed observation file (1 and 2 workers), scaling of a scenario with its
// occupant count (each point in a child process, wall time and peak RSS),
// and the all-pairs vs grid detectors side by side. Writes
// bench/results/<name>.json and <name>.md with the machine's description.
// Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { markdownTable as table } from '../../reports/table.ts';
import type { PerfResult, ScalePoint } from '../../reports/schemas/perf-result.ts';
import { benchmarkFile, runMacro } from './macro.ts';
import { runMicro } from './micro.ts';
import { numberFlag, numberListFlag, strictArgs, wordListFlag } from '../entry/args.ts';

const SECTIONS = ['micro', 'macro', 'scaling'] as const;

const opt = strictArgs('npm run bench --').options({
  only: { type: 'string', default: SECTIONS.join(','), coerce: wordListFlag, choices: SECTIONS, describe: 'Sections to run, comma-separated' },
  name: { type: 'string', default: 'latest', describe: 'Results go to bench/results/NAME.json and NAME.md' },
  'macro-scenario': { type: 'string', default: 'office', describe: 'Scenario of the macro benchmark\'s observation file (seed 1)' },
  reps: { type: 'number', default: 3, coerce: numberFlag('--reps', { min: 1, whole: true }), describe: 'Macro repetitions per worker count (whole, ≥ 1)' },
  scenario: { type: 'string', default: 'campus', describe: 'Scenario of the scaling benchmark' },
  occupants: { type: 'string', default: '1000,2500,5000,10000', coerce: numberListFlag('--occupants', { min: 1, whole: true }), describe: 'Scaling points, occupants, comma-separated (whole, ≥ 1)' },
  'detector-window-min': { type: 'number', default: 10, coerce: numberFlag('--detector-window-min', { min: 0 }), describe: 'Minutes around midday the detectors are compared on, at the largest point (0: none)' },
  'micro-ms': { type: 'number', default: 500, coerce: numberFlag('--micro-ms', { above: 0 }), describe: 'Time per micro-benchmark, ms (> 0)' },
}).parseSync();
const only: readonly string[] = opt.only;
const occupants = opt.occupants;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const results: PerfResult = {
  name: opt.name,
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version, platform: `${process.platform}-${process.arch}`,
    loadNote: 'wall times include whatever else shares the CPU; compare ratios across machines',
    loadAvg1mStart: loadavg()[0],
  },
};

if (only.includes('micro')) {
  log('micro-benchmarks …');
  results.micro = await runMicro(opt['micro-ms']);
}
if (only.includes('macro')) {
  log(`macro: preparing the ${opt['macro-scenario']} observation file …`);
  const file = benchmarkFile(opt['macro-scenario'], 1);
  log('macro: engine throughput, 1 and 2 workers …');
  const rows = await runMacro(file, [1, 2], opt.reps);
  results.macro = { file: `${opt['macro-scenario']}-seed1`, rows, twoVsOneWorker: rows[0].engineS / rows[1].engineS };
}
if (only.includes('scaling')) {
  const points: ScalePoint[] = [];
  const largest = Math.max(...occupants);
  for (const n of occupants) {
    log(`scaling: ${opt.scenario} at ${n} occupants …`);
    const window = n === largest ? opt['detector-window-min'] : 0;
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./scale-point.ts', import.meta.url)),
      '--scenario', opt.scenario, '--occupants', String(n), '--workers', '2', '--detector-window-min', String(window)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`scaling point ${n} failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
    points.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  results.scaling = { scenario: opt.scenario, points };
}

results.machine.loadAvg1mEnd = loadavg()[0];
const dir = fileURLToPath(new URL('../results/', import.meta.url));
writeFileAtomic(`${dir}${opt.name}.json`, JSON.stringify(results, null, 2) + '\n');
const md = markdown(results);
writeFileAtomic(`${dir}${opt.name}.md`, md);
process.stdout.write(md);

function markdown(r: PerfResult): string {
  const f = (x: number, d = 2): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const int = (x: number): string => Math.round(x).toLocaleString('en-US');
  const out = [`# Benchmark ${r.name} (${r.date})`, '', `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.platform}. Load average (1 min) ${f(r.machine.loadAvg1mStart)} at the start, ${f(r.machine.loadAvg1mEnd ?? NaN)} at the end: ${r.machine.loadNote}.`];
  if (r.micro) {
    out.push('', '## Micro-benchmarks (tinybench)', '', table(['hot path', 'operation', 'median', 'ops/s', '±rme'],
      r.micro.map((m) => [m.name, m.op, m.medianNs < 1e4 ? `${f(m.medianNs, 0)} ns` : `${f(m.medianNs / 1e6, 3)} ms`, int(m.opsPerSec), `${f(m.rmePct, 1)}%`])));
  }
  if (r.macro) {
    out.push('', `## Engine throughput on ${r.macro.file} (median of ${r.macro.rows[0].repetitions}, worker counts taking turns)`, '',
      table(['workers', 'observations', 'read s', 'engine s', 'engine CPU s', 'main-thread CPU s', 'engine obs/s', 'read+engine obs/s', 'load avg (1 min)'],
        r.macro.rows.map((m) => [String(m.workers), int(m.observations), f(m.readS), f(m.engineS), f(m.engineCpuS), f(m.mainThreadCpuS), int(m.engineObsPerSec), int(m.endToEndObsPerSec), f(m.loadAvg1m)])),
    '', `2 workers vs 1: ${f(r.macro.twoVsOneWorker)}×`);
  }
  if (r.scaling) {
    const p = r.scaling.points;
    out.push('', `## Scaling: ${r.scaling.scenario}, simulate + engine + score, 2 workers, one process per point`, '', 'The building stays the same, so density grows with the occupants.', '', table(['occupants', 'devices', 'observations', 'simulate s', 'engine s', 'score s', 'total s', 'CPU s', 'CPU s simulate / engine / score', 'peak RSS MiB', 'time vs previous'],
      p.map((s, i) => [int(s.occupants), int(s.devices), int(s.observations), f(s.simulateS, 1), f(s.engineS, 1), f(s.scoreS, 1), f(s.totalS, 1), f(s.cpuS, 1),
        s.stages.map((st) => f(st.cpuS, 1)).join(' / '), int(s.peakRssMiB),
        i === 0 ? '' : `${f(s.totalS / p[i - 1].totalS)}× wall, ${f(s.cpuS / p[i - 1].cpuS)}× CPU for ${f(s.occupants / p[i - 1].occupants)}× occupants`])));
    const d = p.find((s) => s.detectors)?.detectors;
    const at = p.find((s) => s.detectors);
    if (d && at) {
      out.push('', `## Contact detectors side by side (${int(at.occupants)} occupants, ${d.windowMin} min around midday)`, '', table(['detector', 'close-pair search s', 'search + exposure s', 'close pairs', 'outputs equal'], [
        ['grid (spatial index)', f(d.searchGridS, 3), f(d.gridS, 3), int(d.contacts), d.equal ? 'yes' : 'NO'],
        ['all-pairs', f(d.searchAllPairsS, 3), f(d.allPairsS, 3), int(d.contacts), d.equal ? 'yes' : 'NO'],
      ]), '', `${int(d.estimates)} fixes, up to ${int(d.peakFixesPerEpoch)} per epoch; grid ${f(d.searchSpeedup, 1)}× faster at the search, ${f(d.speedup, 1)}× with the shared exposure bookkeeping.`);
    }
  }
  return `${out.join('\n')}\n`;
}
