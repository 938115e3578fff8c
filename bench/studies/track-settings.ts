// The tracking and stay settings on real logs and on the realistic world
// (issue #16: defaults tuned on the kind simulated office re-checked, their
// evidence in generated results rather than in comments): each tracker and
// stay setting moved off its default in turn, the rest as shipped, and the
// median, p90 and 68 % radius coverage per log or technology:
//   - the shared real logs as recorded (real-data/walks.ts: UJI library and
//     office area, calib2021's robot, a wifi-longterm phone), every fix of
//     the default engine scored, with the survey and without;
//   - the library scenarios on their shipped realistic radio (seed 1, the
//     first SIM_S seconds), per technology, with the contact F1.
// engine/localize/stays.ts and engine/track/*.ts point here.
// Run: node bin/run-ts.js bench/studies/track-settings.ts [--quick] [--no-sim]
// Writes bench/results/track-settings.md (not with --quick); about 30 minutes.
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import { runEngine } from '../../engine/run.ts';
import { formatTable } from '../../reports/table.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/simulate.ts';
import { strictArgs } from '../entry/args.ts';
import { withDeviceShare } from '../harness/device-share.ts';
import { engineInputs, score } from '../harness/experiment.ts';
import { writeStudyResult } from './study-result.ts';
import { locateWalk, realWalks } from './real-data/walks.ts';

const args = strictArgs('bench/studies/track-settings.ts')
  .option('quick', { type: 'boolean', default: false, describe: 'print only, write nothing' })
  .option('sim', { type: 'boolean', default: true, describe: 'run the realistic library scenarios' })
  .parseSync();

const VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['default', {}],
  ['no tracking', { track: { filter: 'none', walkFilter: 'none' } }],
  ['walkFilter none', { track: { walkFilter: 'none' } }],
  ['walkFilter grid', { track: { walkFilter: 'grid' } }],
  ['filter grid', { track: { filter: 'grid' } }],
  ['minRadiusShare 0.8', { track: { minRadiusShare: 0.8 } }],
  ['minRadiusShare 1.25', { track: { minRadiusShare: 1.25 } }],
  ['gateChi2 6', { track: { gateChi2: 6 } }],
  ['resetAfterS 30', { track: { resetAfterS: 30 } }],
  ['maxSpeedMps 1.5', { track: { maxSpeedMps: 1.5 } }],
  ['accelNoise 0.25', { track: { kalman: { accelNoiseM2PerS3: 0.25 } } }],
  ['accelNoise 4', { track: { kalman: { accelNoiseM2PerS3: 4 } } }],
  ['stillAccelNoise 0.0125', { track: { kalman: { stillAccelNoiseM2PerS3: 0.0125 } } }],
  ['stillAccelNoise 0.2', { track: { kalman: { stillAccelNoiseM2PerS3: 0.2 } } }],
  ['walkStartChi2 2', { track: { kalman: { walkStartChi2: 2 } } }],
  ['walkStartChi2 8', { track: { kalman: { walkStartChi2: 8 } } }],
  ['no smoothing', { track: { kalman: { smooth: false } } }],
  ['stays poolS 0', { stays: { poolS: 0 } }],
  ['stays poolS 60', { stays: { poolS: 60 } }],
  ['stays poolS 900', { stays: { poolS: 900 } }],
  ['stays changeChi2 0.625', { stays: { changeChi2: 0.625 } }],
  ['stays changeChi2 2.5', { stays: { changeChi2: 2.5 } }],
  ['stays moveChi2 4.5', { stays: { moveChi2: 4.5 } }],
  ['stays moveChi2 18', { stays: { moveChi2: 18 } }],
  ['stays minEpochs 3', { stays: { minEpochs: 3 } }],
  ['stays minEpochs 10', { stays: { minEpochs: 10 } }],
  ['stays blipEpochs 0', { stays: { blipEpochs: 0 } }],
];
/** The library scenarios that run on the realistic radio (campus: a day of its size is hours; bench/results/realistic-vs-ideal.md has it). */
const SCENARIOS = ['office', 'retail', 'hospital-ward', 'lecture-hall', 'open-plan'];
/** Simulated span per scenario, seconds (the first two hours: arrivals, desks, a meeting round; as radius-coverage.ts). */
const SIM_S = 7200;
/** The band the radius should hold (issue #16). */
const LOW = 0.6, HIGH = 0.76;

interface Score { medianM: number; p90M: number; coverage: number; f1?: number }
/** What one variant is run on: a name per row it gives, and the scores. */
type Subject = (o: DeepPartial<EngineConfig>) => Promise<[string, Score][]>;

const walks = realWalks();
const subjects: Subject[] = [
  ...walks.flatMap((w): Subject[] => [true, false].map((withSurvey) => async (o) => {
    const s = await locateWalk(w, o, withSurvey);
    return [[`${w.name}, ${withSurvey ? 'survey' : 'no survey'}`, { medianM: s.medianM, p90M: s.p90M, coverage: s.coverage }]];
  })),
  ...(args.sim ? SCENARIOS.map((name): Subject => {
    const scenario = { ...loadScenario(name) };
    scenario.durationS = Math.min(scenario.durationS, SIM_S);
    const sim = simulate(scenario);
    return async (o) => {
      const config = resolveConfig(withDeviceShare(scenario, o));
      const engine = await runEngine(scenario.site, sim.observations, config, engineInputs(sim));
      const m = score(scenario, sim, engine, config, 0, 0);
      return Object.entries(m.perTech).map(([tech, t]) => [`${name} ${tech}`, { medianM: t.localization.medianErrorM, p90M: t.localization.p90ErrorM, coverage: t.localization.coverage, f1: t.contacts.f1 }]);
    };
  }) : []),
];

const f = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const inBand = (c: number): boolean => c >= LOW && c <= HIGH;
const rows: string[][] = [];
/** Per variant: each row's median over the default's, and how many rows' coverage falls in the band. */
const summary = new Map<string, { real: number[]; sim: number[]; band: number; of: number }>();
const defaults = new Map<string, Score>();
for (const [variant, overrides] of VARIANTS) {
  const s = { real: [] as number[], sim: [] as number[], band: 0, of: 0 };
  for (const [k, subject] of subjects.entries()) {
    for (const [row, r] of await subject(overrides)) {
      if (variant === 'default') defaults.set(row, r);
      const base = defaults.get(row)!;
      (k < walks.length * 2 ? s.real : s.sim).push(r.medianM / base.medianM);
      if (!Number.isNaN(r.coverage)) {
        s.of++;
        if (inBand(r.coverage)) s.band++;
      }
      rows.push([variant, row, f(r.medianM), f(r.p90M, 1), f(r.coverage) + (inBand(r.coverage) ? '' : ' *'), f(r.f1)]);
    }
  }
  summary.set(variant, s);
  process.stderr.write(`${variant}: done\n`);
}

const geoMean = (q: number[]): number => Math.exp(q.reduce((a, x) => a + Math.log(x), 0) / q.length);
const counts = (q: number[]): string => `${q.filter((x) => x < 0.995).length}/${q.filter((x) => x > 1.005).length}`;
const summaryRows = [...summary].map(([variant, s]) => [variant, f(geoMean(s.real), 3), counts(s.real), s.sim.length ? f(geoMean(s.sim), 3) : '-', s.sim.length ? counts(s.sim) : '-', `${s.band}/${s.of}`]);
const text = [
  formatTable(['variant', 'data', 'median m', 'p90 m', 'r68 cover', 'contact F1'], rows),
  '',
  `Median error against the default's (geometric mean; rows better / worse by over 0.5 %), real logs and realistic scenarios apart, and the rows whose 68 % radius coverage is inside ${LOW}-${HIGH} (* marks the others above):`,
  '',
  formatTable(['variant', 'real geo mean', 'real better/worse', 'sim geo mean', 'sim better/worse', 'r68 in band'], summaryRows),
  '',
].join('\n');
writeStudyResult('track-settings', args.quick, 'The tracking and stay settings on real logs and the realistic world (bench/studies/track-settings.ts)', [
  'Every fix of the default engine (localize, stays, tracker) scored, each setting moved off its default in turn. Real logs as recorded',
  '(bench/studies/real-data/walks.ts), with their survey and without: UJI BLE (Zenodo 10.5281/zenodo.1618692, CC BY 4.0), calib2021',
  '(Zenodo 10.5281/zenodo.5457591, CC BY 4.0), wifi-longterm-uji (Zenodo 10.5281/zenodo.1066041, CC BY 4.0). Simulated: the library',
  `scenarios on their shipped realistic radio, seed 1, the first ${SIM_S / 3600} h, per technology, with the contact F1.`,
], text);
