// npm run realdata: the engine's ranging and localization on the real
// datasets in ../shared/data (see uji.ts, calib2021.ts, wifi-longterm.ts and
// pcng.ts beside this file), located through `ctsim locate` (locate-path.ts)
// with and without a survey: each row says where its ranging came from.
import { formatTable } from '../../../reports/table.ts';
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { PCNG_PAIRS } from './rssi-sessions.ts';
import { evaluatePcng } from './pcng.ts';
import { evaluateUji, UJI_SPLITS } from './uji.ts';
import { evaluateCalib2021 } from './calib2021.ts';
import { evaluateLongtermMonth, LONGTERM_MONTHS } from './wifi-longterm.ts';
import type { LocateScore } from './locate-path.ts';
import { locateWalk, realWalks } from './walks.ts';
import { strictArgs } from '../../entry/args.ts';

// No options: a bad flag is still an error, not ignored.
strictArgs('npm run realdata --').parseSync();

/** map+var: the map localizer with its map's own variance (localize.map.mapVariance, opt-in). */
type Localizer = LocalizerName | 'wknn5' | 'map+var';
/** Without a survey: what calibration has is the log itself (no AP beacons in these datasets); map and wknn5 need a survey. */
const NO_SURVEY = ['centroid', 'wls', 'knn'] as const;
const WITH_SURVEY = ['fused', 'map', 'map+var', 'centroid', 'wls', 'knn', 'wknn5'] as const;
/** What a row's localizer is located with: its engine localizer and settings. */
const located = (l: Localizer): [LocalizerName | 'wknn5', DeepPartial<EngineConfig>] =>
  (l === 'map+var' ? ['map', { localize: { map: { mapVariance: true } } }] : [l, {}]);
/** The localizers that range, so the calibration columns are theirs. */
const RANGING = new Set<Localizer>(['wls', 'knn']);
const DEFAULT = DEFAULT_CONFIG.localize.method;

const f = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const median = (r: LocateScore): number => r.score.medianErrorM;

const table: string[][] = [];
const verdicts: string[] = [];
const rowOf = (data: string, split: string, survey: boolean, localizer: Localizer, r: LocateScore): string[] => {
  const c = RANGING.has(localizer) ? r.calibration : undefined;
  return [data, split, survey ? 'yes' : 'none', localizer, c?.source ?? '-', f(c?.refRssiDbmAt1m, 1), f(c?.pathLossExponent), f(c?.residualDb, 1),
    String(r.score.n), f(r.score.medianErrorM), f(r.score.p90ErrorM), f(r.score.rmseM), f(r.coverage)];
};
/** Issue #16's acceptance: without beacons and survey, wls and knn at or below the weighted centroid (median). */
const rangingVerdict = (name: string, r: Record<string, LocateScore>): string => {
  const worse = (['wls', 'knn'] as const).filter((l) => median(r[l]) > median(r.centroid));
  return `${name}, no survey: ${worse.length ? `${worse.join(' and ')} worse than the centroid` : 'wls and knn at or below the weighted centroid'} (centroid ${f(median(r.centroid))}, wls ${f(median(r.wls))}, knn ${f(median(r.knn))} m)`;
};
/** With the survey: the engine default localizer against the centroid and the WKNN baseline (median). */
const defaultVerdict = (name: string, r: Record<string, LocateScore>): string => {
  const worse = (['centroid', 'wknn5'] as const).filter((l) => median(r[DEFAULT]) > median(r[l]));
  return `${name}, survey: ${DEFAULT} (the default) ${worse.length ? `worse than ${worse.join(' and ')}` : 'at or below the centroid and wknn5'} (${DEFAULT} ${f(median(r[DEFAULT]))}, centroid ${f(median(r.centroid))}, wknn5 ${f(median(r.wknn5))} m)`;
};

/** Each split's fixes with the survey, by `${data} ${split}|${localizer}`: the places-given side of the placed table below. */
const withSurvey = new Map<string, LocateScore>();
async function dataset(data: string, split: string, run: (l: Localizer, survey: boolean) => Promise<LocateScore>): Promise<void> {
  const none: Record<string, LocateScore> = {}, yes: Record<string, LocateScore> = {};
  for (const l of NO_SURVEY) table.push(rowOf(data, split, false, l, (none[l] = await run(l, false))));
  for (const l of WITH_SURVEY) table.push(rowOf(data, split, true, l, (yes[l] = await run(l, true))));
  for (const l of WITH_SURVEY) withSurvey.set(`${data} ${split}|${l}`, yes[l]);
  verdicts.push(rangingVerdict(`${data} ${split}`, none), defaultVerdict(`${data} ${split}`, yes));
}

for (const [zone, split] of UJI_SPLITS) await dataset(`UJI ${zone}`, split, (l, survey) => evaluateUji(zone, located(l)[0], split, survey, located(l)[1]));
await dataset('calib2021', 'calibration → test_robot', (l, survey) => evaluateCalib2021(located(l)[0], survey, located(l)[1]));
process.stdout.write(`Through ctsim locate (in process, its readers and settings: --localizer X --tracker none [--survey]), per-epoch fixes, no tracking, no AP beacons; survey yes: the training rows are the survey; wknn5: weighted 5 nearest survey points, the usual baseline; map+var: map with --set localize.map.mapVariance=true (opt-in); calibration columns for the localizers that range (wls, knn); ${DEFAULT} is the engine default\n`);
process.stdout.write('UJI BLE (Zenodo 10.5281/zenodo.1618692, CC BY 4.0; lib campaign 2 → 3 and earliest → later rows, geo even → odd points and odd → even); calib2021: ble-anchors-calib2021 (Zenodo 10.5281/zenodo.5457591, CC BY 4.0; anchor and tag heights in the site map)\n\n');
process.stdout.write(formatTable(['data', 'split', 'survey', 'localizer', 'calibration', 'rssi@1m', 'exponent', 'resid dB', 'test fixes', 'median m', 'p90 m', 'rmse m', 'r68 cover'], table) + '\n\n');
process.stdout.write(verdicts.map((v) => `  ${v}`).join('\n') + '\n\n');

// What the APs' places are worth: the same splits with the site map naming the APs alone, locate placing them from the survey.
const PLACED = ['fused', 'map', 'centroid', 'wls', 'knn'] as const;
const placedRows: string[][] = [];
const placedRuns: [string, string, (l: LocalizerName) => Promise<LocateScore>][] = [
  ...UJI_SPLITS.map(([zone, split]): [string, string, (l: LocalizerName) => Promise<LocateScore>] => [`UJI ${zone}`, split, (l) => evaluateUji(zone, l, split, true, {}, undefined, true)]),
  ['calib2021', 'calibration → test_robot', (l) => evaluateCalib2021(l, true, {}, true)],
];
for (const [data, split, run] of placedRuns) {
  for (const l of PLACED) {
    const given = withSurvey.get(`${data} ${split}|${l}`)!, placed = await run(l);
    placedRows.push([data, split, l, f(median(given)), f(median(placed)), f(given.coverage), f(placed.coverage)]);
  }
}
process.stdout.write('The APs\' places from the survey (engine/calibrate/ap-placement.ts): the same splits with the survey, the site map naming the APs alone (no floor, x or y) and locate placing each where the survey hears it best, against the places the datasets give\n\n');
process.stdout.write(formatTable(['data', 'split', 'localizer', 'given median m', 'placed median m', 'given r68 cover', 'placed r68 cover'], placedRows) + '\n\n');

const CURVE = [...new Set([DEFAULT, 'fused', 'map', 'map+var', 'centroid', 'wknn5'] as const)] as Localizer[];
const months: string[][] = [];
const behind: string[] = [];
for (let m = 2; m <= LONGTERM_MONTHS; m++) {
  const r = await Promise.all(CURVE.map((l) => evaluateLongtermMonth(m, ...located(l))));
  months.push([String(m), String(r[0].score.n), ...r.map((x) => f(median(x))), f(r[0].coverage), f(r[CURVE.indexOf('map+var')].coverage)]);
  if (median(r[0]) > Math.min(median(r[CURVE.indexOf('centroid')]), median(r[CURVE.indexOf('wknn5')]))) behind.push(String(m));
}
process.stdout.write('wifi-longterm-uji (UJI_LIB_DB_v2, Zenodo 10.5281/zenodo.1066041, CC BY 4.0): survey month 1 (every trn set), each later month\'s tst sets located; median error m\n\n');
process.stdout.write(formatTable(['month', 'test fixes', ...CURVE.map((l) => `${l} m`), `${DEFAULT} r68 cover`, 'map+var r68 cover'], months) + '\n\n');
process.stdout.write(`  wifi-longterm, survey month 1: ${DEFAULT} (the default) ${behind.length ? `worse than the centroid or wknn5 in month ${behind.join(', ')}` : 'at or below the centroid and wknn5'} of months 2-${LONGTERM_MONTHS}\n\n`);

// The same logs as recorded: each device's reports at their own times, stays and the default tracker on.
const walkRows: string[][] = [];
for (const w of realWalks()) {
  for (const [l, survey] of [...WITH_SURVEY.filter((x) => x !== 'wknn5' && x !== 'map+var').map((x) => [x, true] as const), ...NO_SURVEY.map((x) => [x, false] as const)]) {
    const r = await locateWalk(w, { localize: { method: l } }, survey);
    walkRows.push([w.name, survey ? 'yes' : 'none', l, String(r.fixes), f(r.medianM), f(r.p90M), f(r.coverage)]);
  }
}
process.stdout.write('The logs as recorded (bench/studies/real-data/walks.ts: each device\'s reports at their own times, as ctsim locate reads a log; stays and the default tracker on; every fix of the test part scored): UJI library campaign 3 on campaign 2\'s survey, office area odd points on the even points\', calib2021\'s robot run on its calibration run, the wifi-longterm phone of month 1 and 13 on month 1\'s survey\n\n');
process.stdout.write(formatTable(['log', 'survey', 'localizer', 'fixes', 'median m', 'p90 m', 'r68 cover'], walkRows) + '\n\n');

const pcng = PCNG_PAIRS.map((p) => {
  const r = evaluatePcng(p);
  return [p, f(r.fit.pathLossExponent), f(-r.fit.lossAt1mDb, 1), f(r.fit.residualSigmaDb, 1), String(r.testRows), f(r.medianAbsErrorM), f(r.medianLogErrorPct, 0), f(r.balancedAccuracy)];
});
process.stdout.write('pc-ng/rss_smartphone phone-to-phone BLE (MIT): ranging from mRSS10, fitted on even rows, tested on odd\n\n');
process.stdout.write(formatTable(['bodies', 'exponent', 'rssi@1m', 'fit σ dB', 'test rows', 'median |err| m', 'median log err %', 'within-2m bal. acc.'], pcng) + '\n');
