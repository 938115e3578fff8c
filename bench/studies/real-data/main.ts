// npm run realdata: the engine's ranging and localization on the real
// datasets in ../shared/data (see uji.ts, calib2021.ts, wifi-longterm.ts and
// pcng.ts beside this file).
import { formatTable } from '../../../reports/table.ts';
import { PCNG_PAIRS } from './rssi-sessions.ts';
import { evaluatePcng } from './pcng.ts';
import { evaluateUji, UJI_SPLITS } from './uji.ts';
import { evaluateCalib2021 } from './calib2021.ts';
import { evaluateLongtermMonth, LONGTERM_MONTHS } from './wifi-longterm.ts';
import type { LocateScore } from './locate-path.ts';
import { strictArgs } from '../../entry/args.ts';

// No options: a bad flag is still an error, not ignored.
strictArgs('npm run realdata --').parseSync();

const f = (x: number, d = 2): string => (Number.isNaN(x) ? '-' : x.toFixed(d));
const LOCALIZERS = ['map', 'centroid', 'knn', 'wls', 'wknn5'] as const;
const row = (data: string, split: string, localizer: string, r: LocateScore): string[] =>
  [data, split, localizer, String(r.score.n), f(r.score.medianErrorM), f(r.score.p90ErrorM), f(r.score.rmseM), f(r.coverage)];
const fixes = [];
for (const [zone, split] of UJI_SPLITS) {
  for (const localizer of LOCALIZERS) fixes.push(row(`UJI ${zone}`, split, localizer, await evaluateUji(zone, localizer, split)));
}
for (const localizer of LOCALIZERS) fixes.push(row('calib2021', 'calibration → test_robot', localizer, await evaluateCalib2021(localizer)));
process.stdout.write('Real fingerprints through the locate path, per-epoch fixes, no tracking; the training rows are the survey (map) and the calibration walk (wls, knn); wknn5: weighted 5 nearest survey points, the usual baseline\n');
process.stdout.write('UJI BLE (Zenodo 10.5281/zenodo.1618692, CC BY 4.0); calib2021: ble-rss-fingerprints-calib2021 (Zenodo 10.5281/zenodo.5457591, CC BY 4.0)\n\n');
process.stdout.write(formatTable(['data', 'split', 'localizer', 'test fixes', 'median m', 'p90 m', 'rmse m', 'r68 cover'], fixes) + '\n\n');
const CURVE = ['map', 'centroid', 'wknn5'] as const;
const months = [];
for (let m = 2; m <= LONGTERM_MONTHS; m++) {
  const r = await Promise.all(CURVE.map((l) => evaluateLongtermMonth(m, l)));
  months.push([String(m), String(r[0].score.n), ...r.map((x) => f(x.score.medianErrorM)), f(r[0].coverage)]);
}
process.stdout.write('wifi-longterm-uji (UJI_LIB_DB_v2, Zenodo 10.5281/zenodo.1066041, CC BY 4.0): survey month 1 (every trn set), each later month\'s tst sets located; median error m\n\n');
process.stdout.write(formatTable(['month', 'test fixes', ...CURVE.map((l) => `${l} m`), 'map r68 cover'], months) + '\n\n');
const pcng = PCNG_PAIRS.map((p) => {
  const r = evaluatePcng(p);
  return [p, f(r.fit.pathLossExponent), f(-r.fit.lossAt1mDb, 1), f(r.fit.residualSigmaDb, 1), String(r.testRows), f(r.medianAbsErrorM), f(r.medianLogErrorPct, 0), f(r.balancedAccuracy)];
});
process.stdout.write('pc-ng/rss_smartphone phone-to-phone BLE (MIT): ranging from mRSS10, fitted on even rows, tested on odd\n\n');
process.stdout.write(formatTable(['bodies', 'fit n', 'rssi@1m', 'fit σ dB', 'test rows', 'median |err| m', 'median log err %', 'within-2m bal. acc.'], pcng) + '\n');
