// The map localizer's settings on the shared real datasets with a survey
// (issue #16: defaults re-checked on real radio, their evidence in generated
// results rather than in figures frozen into comments), through `ctsim
// locate` (real-data/locate-path.ts, per-row fixes, no tracker): each setting
// moved off its default in turn, the rest as shipped, and the median, p90 and
// 68 % radius coverage of every split: UJI library and office area, calib2021,
// and wifi-longterm with the month-1 survey in months of every age.
// engine/localize/map.ts and engine/calibrate/survey-map.ts point here.
// Run: node bin/run-ts.js bench/studies/map-settings.ts [--quick]
// Writes bench/results/map-settings.md (not with --quick).
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import { formatTable } from '../../reports/table.ts';
import { strictArgs } from '../entry/args.ts';
import { writeStudyResult } from './study-result.ts';
import { evaluateCalib2021 } from './real-data/calib2021.ts';
import type { LocateScore } from './real-data/locate-path.ts';
import { evaluateUji, UJI_SPLITS } from './real-data/uji.ts';
import { evaluateLongtermMonth } from './real-data/wifi-longterm.ts';

const args = strictArgs('bench/studies/map-settings.ts')
  .option('quick', { type: 'boolean', default: false, describe: 'print only, write nothing' })
  .parseSync();

const map = DEFAULT_CONFIG.localize.map;
const VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['default', {}],
  ['maxAps 12', { localize: { map: { maxAps: 12 } } }],
  ['maxAps 32', { localize: { map: { maxAps: 32 } } }],
  [`errorSigmaDb ${map.errorSigmaDb / 2}`, { localize: { map: { errorSigmaDb: map.errorSigmaDb / 2 } } }],
  [`errorSigmaDb ${map.errorSigmaDb * 2}`, { localize: { map: { errorSigmaDb: map.errorSigmaDb * 2 } } }],
  ['sharpen 1', { localize: { map: { sharpen: 1 } } }],
  ['no offsetFromLog', { localize: { map: { offsetFromLog: false } } }],
  ['no slowFromLog', { localize: { map: { slowFromLog: false } } }],
  ['bodyDepthDb 0', { localize: { map: { bodyDepthDb: 0 } } }],
  ['mapVariance', { localize: { map: { mapVariance: true } } }],
  ['no fitCorrelation', { survey: { fitCorrelation: false } }],
  ['no fitWallStep', { survey: { fitWallStep: false } }],
  ['no censorCorrect', { survey: { censorCorrect: false } }],
  ['no radiusFromLogMisfit', { survey: { radiusFromLogMisfit: false } }],
  ['no fitRadiusFloor', { survey: { fitRadiusFloor: false } }],
];
/** wifi-longterm months located on the month-1 survey: a fresh survey, months on, two years on. */
const MONTHS = [2, 3, 5, 10, 15, 25];

const DATASETS: [string, (o: DeepPartial<EngineConfig>) => Promise<LocateScore>][] = [
  ...UJI_SPLITS.map(([zone, split]): [string, (o: DeepPartial<EngineConfig>) => Promise<LocateScore>] => [`UJI ${zone} ${split}`, (o) => evaluateUji(zone, 'map', split, true, o)]),
  ['calib2021', (o) => evaluateCalib2021('map', true, o)],
  ...MONTHS.map((m): [string, (o: DeepPartial<EngineConfig>) => Promise<LocateScore>] => [`Wi-Fi month ${m}`, (o) => evaluateLongtermMonth(m, 'map', o)]),
];

const f = (x: number, d = 2): string => (Number.isNaN(x) ? '-' : x.toFixed(d));
/** Per variant: its row per dataset, and its median's ratio to the default's per dataset. */
const rows: string[][] = [];
const ratios = new Map<string, number[]>();
const defaults: number[] = [];
for (const [variant, overrides] of VARIANTS) {
  for (const [k, [name, run]] of DATASETS.entries()) {
    const r = await run(overrides);
    if (variant === 'default') defaults.push(r.score.medianErrorM);
    ratios.set(variant, [...(ratios.get(variant) ?? []), r.score.medianErrorM / defaults[k]]);
    rows.push([variant, name, String(r.score.n), f(r.score.medianErrorM), f(r.score.p90ErrorM), f(r.coverage)]);
    process.stderr.write(`${variant}, ${name}: ${f(r.score.medianErrorM)} m, r68 ${f(r.coverage)}\n`);
  }
}
const summary = VARIANTS.slice(1).map(([variant]) => {
  const q = ratios.get(variant)!;
  const better = q.filter((x) => x < 0.995).length, worse = q.filter((x) => x > 1.005).length;
  return [variant, f(Math.min(...q), 3), f(Math.exp(q.reduce((s, x) => s + Math.log(x), 0) / q.length), 3), f(Math.max(...q), 3), `${better}/${worse}`];
});
const text = [
  formatTable(['variant', 'data', 'fixes', 'median m', 'p90 m', 'r68 cover'], rows),
  '',
  'Median error against the default\'s, per variant over the datasets (min, geometric mean, max; datasets better / worse by over 0.5 %):',
  '',
  formatTable(['variant', 'min', 'geo mean', 'max', 'better/worse'], summary),
  '',
].join('\n');
writeStudyResult('map-settings', args.quick, 'The map localizer\'s settings on real logs (bench/studies/map-settings.ts)', [
  'Median and p90 error (m) and 68 % radius coverage of the map localizer (the default) through `ctsim locate` (--tracker none,',
  'per-row fixes, the survey as `npm run realdata` frames it), each setting moved off its default in turn. UJI BLE',
  '(Zenodo 10.5281/zenodo.1618692, CC BY 4.0), calib2021 (Zenodo 10.5281/zenodo.5457591, CC BY 4.0), wifi-longterm-uji',
  '(UJI_LIB_DB_v2, Zenodo 10.5281/zenodo.1066041, CC BY 4.0; survey month 1, the month\'s tst sets located).',
], text);
