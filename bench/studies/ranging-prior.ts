// The localizers that range (wls, knn) against the weighted centroid on the
// shared real datasets (issue #16: without AP beacons and without a survey
// they must never be worse), through `ctsim locate` (real-data/locate-path.ts),
// with each part of the ranging fix switched off in turn:
//   selfCalibrate.epochLevels  each epoch's own level in the self-fit, P0 the median epoch's;
//   selfCalibrate.sigmaFromFit the self-fit's residual as the ranging's sigmaDb;
//   {wls,knn}.centroidPrior    the weighted centroid as a prior (centroid.ts);
//   wls.huberK                 Huber's loss on the ranges (0: least squares).
// "before" has all four off (the engine as it was). With the survey too, where
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

const args = strictArgs('bench/studies/ranging-prior.ts')
  .option('quick', { type: 'boolean', default: false, describe: 'print only, write nothing' })
  .parseSync();

type Ranging = 'wls' | 'knn';
const RANGING: Ranging[] = ['wls', 'knn'];
const OFF = {
  epochLevels: { selfCalibrate: { epochLevels: false } },
  sigmaFromFit: { selfCalibrate: { sigmaFromFit: false } },
  centroidPrior: { localize: { wls: { centroidPrior: false }, knn: { centroidPrior: false } } },
  huberK: { localize: { wls: { huberK: 0 } } },
} satisfies Record<string, DeepPartial<EngineConfig>>;
const VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['default', {}],
  ...Object.entries(OFF).map(([k, v]): [string, DeepPartial<EngineConfig>] => [`no ${k}`, v]),
  ['before (all off)', {
    selfCalibrate: { epochLevels: false, sigmaFromFit: false },
    localize: { wls: { centroidPrior: false, huberK: 0 }, knn: { centroidPrior: false } },
  }],
];
/** With a survey only: when the log's own fit replaces the survey's. */
const SURVEY_VARIANTS: [string, DeepPartial<EngineConfig>][] = [
  ['overSurveyRatio 0', { selfCalibrate: { overSurveyRatio: 0 } }],
  ['overSurveyRatio 0.95', { selfCalibrate: { overSurveyRatio: 0.95 } }],
];

const DATASETS: [string, (l: Ranging | 'centroid', survey: boolean, o: DeepPartial<EngineConfig>) => Promise<LocateScore>][] = [
  ...UJI_SPLITS.map(([zone, split]): [string, (l: Ranging | 'centroid', survey: boolean, o: DeepPartial<EngineConfig>) => Promise<LocateScore>] =>
    [`UJI ${zone} ${split}`, (l, survey, o) => evaluateUji(zone, l, split, survey, o)]),
  ['calib2021', (l, survey, o) => evaluateCalib2021(l, survey, o)],
];

const f = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const rows: string[][] = [];
const verdicts: string[] = [];
for (const survey of [false, true]) {
  const centroid = new Map<string, number>();
  for (const [name, run] of DATASETS) centroid.set(name, (await run('centroid', survey, {})).score.medianErrorM);
  for (const [variant, overrides] of survey ? [...VARIANTS, ...SURVEY_VARIANTS] : VARIANTS) {
    const worse: string[] = [];
    for (const [name, run] of DATASETS) {
      const r = await Promise.all(RANGING.map((l) => run(l, survey, overrides)));
      const c = r[0].calibration;
      rows.push([name, survey ? 'yes' : 'none', variant, c?.source ?? '-', f(c?.refRssiDbmAt1m, 1), f(c?.pathLossExponent), f(centroid.get(name)),
        ...r.flatMap((x) => [f(x.score.medianErrorM), f(x.coverage)])]);
      RANGING.forEach((l, i) => {
        if (r[i].score.medianErrorM > centroid.get(name)!) worse.push(`${name} ${l} ${f(r[i].score.medianErrorM, 3)} > ${f(centroid.get(name), 3)}`);
      });
      process.stderr.write(`${name} ${survey ? 'survey' : 'none'} ${variant}: wls ${f(r[0].score.medianErrorM)} knn ${f(r[1].score.medianErrorM)}\n`);
    }
    verdicts.push(`survey ${survey ? 'yes' : 'none'}, ${variant}: ${worse.length ? `worse than the centroid: ${worse.join('; ')}` : 'wls and knn at or below the centroid everywhere'}`);
  }
}

const table = formatTable(['data', 'survey', 'variant', 'calibration', 'rssi@1m', 'exponent', 'centroid m', 'wls m', 'wls r68', 'knn m', 'knn r68'], rows);
const text = `${table}\n\n${verdicts.map((v) => `  ${v}`).join('\n')}\n`;
writeStudyResult('ranging-prior', args.quick, 'Ranging localizers against the weighted centroid (bench/studies/ranging-prior.ts)', [
  'Median error (m) and 68 % radius coverage through `ctsim locate` (--tracker none, per-row fixes, no AP beacons), each part of the fix',
  'switched off in turn; "before" is the engine without any of them. UJI BLE (Zenodo 10.5281/zenodo.1618692, CC BY 4.0),',
  'calib2021 (Zenodo 10.5281/zenodo.5457591, CC BY 4.0). rssi@1m and exponent: the ranging calibration (the same for wls and knn).',
], text);
