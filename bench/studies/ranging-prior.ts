// The localizers that range (wls, knn) against the weighted centroid on the
// shared real datasets (issue #16: without AP beacons and without a survey
// they must never be worse), through `ctsim locate` (real-data/locate-path.ts),
// with each part of the ranging fix switched off in turn:
//   selfCalibrate.apGains      each AP's own gain in the self-fit, their spread read off the log;
//   selfCalibrate.epochLevels  each epoch's own level in the self-fit, P0 the median epoch's;
//   selfCalibrate.sigmaFromFit the self-fit's residual as the ranging's sigmaDb;
//   {wls,knn}.centroidPrior    the weighted centroid as a prior (centroid.ts);
//   wls.huberK                 Huber's loss on the ranges (0: least squares).
// "before" has all five off (the engine as it was). Per row (UJI, calib2021)
// and the logs as recorded (real-data/walks.ts: the Wi-Fi months among them,
// default tracker and stays). With the survey too, where
// the prior and Huber's loss also act (the survey's fit ranges there), and
// where selfCalibrate.overSurveyRatio says when the log's own fit replaces the
// survey's (0: never; 0.95: nearly whenever it fits the log better).
// Run: node bin/run-ts.js bench/studies/ranging-prior.ts [--quick]
// Writes bench/results/ranging-prior.md (not with --quick).
import type { DeepPartial, EngineConfig } from '../../engine/config.ts';
import { formatTable } from '../../reports/table.ts';
import { strictArgs } from '../entry/args.ts';
import { writeStudyResult } from './study-result.ts';
import { evaluateCalib2021 } from './real-data/calib2021.ts';
import type { LocateScore } from './real-data/locate-path.ts';
import { evaluateUji, UJI_SPLITS } from './real-data/uji.ts';
import { locateWalk, realWalks } from './real-data/walks.ts';

const args = strictArgs('bench/studies/ranging-prior.ts')
  .option('quick', { type: 'boolean', default: false, describe: 'print only, write nothing' })
  .parseSync();

type Ranging = 'wls' | 'knn';
const RANGING: Ranging[] = ['wls', 'knn'];
const OFF = {
  apGains: { selfCalibrate: { apGains: false } },
  epochLevels: { selfCalibrate: { epochLevels: false } },
  sigmaFromFit: { selfCalibrate: { sigmaFromFit: false } },
  centroidPrior: { localize: { wls: { centroidPrior: false }, knn: { centroidPrior: false } } },
  huberK: { localize: { wls: { huberK: 0 } } },
} satisfies Record<string, DeepPartial<EngineConfig>>;
const VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['default', {}],
  ...Object.entries(OFF).map(([k, v]): [string, DeepPartial<EngineConfig>] => [`no ${k}`, v]),
  ['before (all off)', {
    selfCalibrate: { apGains: false, epochLevels: false, sigmaFromFit: false },
    localize: { wls: { centroidPrior: false, huberK: 0 }, knn: { centroidPrior: false } },
  }],
];
/** With a survey only: when the log's own fit replaces the survey's. */
const SURVEY_VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['overSurveyRatio 0', { selfCalibrate: { overSurveyRatio: 0 } }],
  ['overSurveyRatio 0.95', { selfCalibrate: { overSurveyRatio: 0.95 } }],
];

/** What one localizer scored on a dataset: its median error, radius coverage and (per row) where its ranging came from. */
interface Scored { medianM: number; coverage: number; calibration?: LocateScore['calibration'] }
type Run = (l: Ranging | 'centroid', survey: boolean, o: DeepPartial<EngineConfig>) => Promise<Scored>;
const perRow = (s: LocateScore): Scored => ({ medianM: s.score.medianErrorM, coverage: s.coverage, calibration: s.calibration });
const DATASETS: [string, Run][] = [
  ...UJI_SPLITS.map(([zone, split]): [string, Run] => [`UJI ${zone} ${split}`, async (l, survey, o) => perRow(await evaluateUji(zone, l, split, survey, o))]),
  ['calib2021', async (l, survey, o) => perRow(await evaluateCalib2021(l, survey, o))],
  ...realWalks().map((w): [string, Run] => [`${w.name} (log)`, async (l, survey, o) => {
    const s = await locateWalk(w, { ...o, localize: { ...o.localize, method: l } }, survey);
    return { medianM: s.medianM, coverage: s.coverage };
  }]),
];

const f = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const rows: string[][] = [];
const verdicts: string[] = [];
for (const survey of [false, true]) {
  const centroid = new Map<string, number>();
  for (const [name, run] of DATASETS) centroid.set(name, (await run('centroid', survey, {})).medianM);
  for (const [variant, overrides] of survey ? [...VARIANTS, ...SURVEY_VARIANTS] : VARIANTS) {
    const worse: string[] = [];
    for (const [name, run] of DATASETS) {
      const r = await Promise.all(RANGING.map((l) => run(l, survey, overrides)));
      const c = r[0].calibration;
      rows.push([name, survey ? 'yes' : 'none', variant, c?.source ?? '-', f(c?.refRssiDbmAt1m, 1), f(c?.pathLossExponent), f(centroid.get(name)),
        ...r.flatMap((x) => [f(x.medianM), f(x.coverage)])]);
      RANGING.forEach((l, i) => {
        if (r[i].medianM > centroid.get(name)!) worse.push(`${name} ${l} ${f(r[i].medianM, 3)} > ${f(centroid.get(name), 3)}`);
      });
      process.stderr.write(`${name} ${survey ? 'survey' : 'none'} ${variant}: wls ${f(r[0].medianM)} knn ${f(r[1].medianM)}\n`);
    }
    verdicts.push(`survey ${survey ? 'yes' : 'none'}, ${variant}: ${worse.length ? `worse than the centroid: ${worse.join('; ')}` : 'wls and knn at or below the centroid everywhere'}`);
  }
}

const table = formatTable(['data', 'survey', 'variant', 'calibration', 'rssi@1m', 'exponent', 'centroid m', 'wls m', 'wls r68', 'knn m', 'knn r68'], rows);
const text = `${table}\n\n${verdicts.map((v) => `  ${v}`).join('\n')}\n`;
writeStudyResult('ranging-prior', args.quick, 'Ranging localizers against the weighted centroid (bench/studies/ranging-prior.ts)', [
  'Median error (m) and 68 % radius coverage through `ctsim locate` (no AP beacons), each part of the fix switched off in turn; "before" is the',
  'engine without any of them. Per row (--tracker none, per-row fixes): UJI BLE (Zenodo 10.5281/zenodo.1618692, CC BY 4.0), calib2021',
  '(Zenodo 10.5281/zenodo.5457591, CC BY 4.0); "(log)": the logs as recorded (bench/studies/real-data/walks.ts, default tracker, every fix),',
  'the Wi-Fi months from wifi-longterm-uji (Zenodo 10.5281/zenodo.1066041, CC BY 4.0). rssi@1m and exponent: the ranging calibration (per row only).',
], text);
