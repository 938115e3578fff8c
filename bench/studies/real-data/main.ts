// npm run realdata: the engine's ranging and localization on the real
// datasets in ../shared/data (see bench/studies/real-data/uji.ts, bench/studies/real-data/pcng.ts),
// located through `ctsim locate` with and without a survey: each row says
// where its ranging came from (survey, the log itself, defaults).
import { formatTable } from '../../../reports/table.ts';
import { PCNG_PAIRS } from './rssi-sessions.ts';
import { evaluatePcng } from './pcng.ts';
import { evaluateUji, type UjiResult } from './uji.ts';
import { evaluateAnchors, type AnchorsResult } from './anchors.ts';
import { strictArgs } from '../../entry/args.ts';

// No options: a bad flag is still an error, not ignored.
strictArgs('npm run realdata --').parseSync();

const f = (x: number, d = 2): string => x.toFixed(d);
const uji: string[][] = [];
const verdicts: string[] = [];
type Located = UjiResult | AnchorsResult;
/** A table row for one located run, and whether wls and knn stayed at or below the centroid, per (dataset, survey). */
const rowOf = (dataset: string, survey: boolean, localizer: string, u: Located): string[] => {
  const c = u.calibration;
  return [dataset, survey ? 'yes' : 'none', localizer, localizer === 'centroid' ? '-' : c.source, f(c.refRssiDbmAt1m, 1), f(c.pathLossExponent), c.residualDb === undefined ? '-' : f(c.residualDb, 1),
    String(u.score.n), f(u.score.medianErrorM), f(u.score.p90ErrorM), f(u.score.rmseM), f(u.coverage)];
};
const verdict = (dataset: string, survey: boolean, r: Record<string, Located>): string => {
  const worse = (['wls', 'knn'] as const).filter((l) => r[l].score.medianErrorM > r.centroid.score.medianErrorM);
  return `${dataset}, survey ${survey ? 'yes' : 'none'}: ${worse.length ? `${worse.join(' and ')} worse than the centroid` : 'wls and knn at or below the centroid'}`;
};
for (const zone of ['lib', 'geo'] as const) {
  for (const survey of [false, true]) {
    const r: Record<string, Located> = {};
    for (const localizer of ['centroid', 'wls', 'knn'] as const) uji.push(rowOf(`uji-${zone}`, survey, localizer, (r[localizer] = evaluateUji(zone, localizer, survey))));
    verdicts.push(verdict(`uji-${zone}`, survey, r));
  }
}
for (const survey of [false, true]) {
  const r: Record<string, Located> = {};
  for (const localizer of ['centroid', 'wls', 'knn'] as const) uji.push(rowOf('anchors', survey, localizer, (r[localizer] = evaluateAnchors(localizer, survey))));
  verdicts.push(verdict('anchors', survey, r));
}
process.stdout.write('Through ctsim locate, per-epoch fixes, no tracking, no AP beacons: UJI BLE fingerprints (Zenodo 10.5281/zenodo.1618692, CC BY 4.0; lib: campaign 2 the survey, 3 located; geo: even points the survey, odd located) and ble-anchors-calib2021 (Zenodo 10.5281/zenodo.5457591, CC BY 4.0; calibration walk the survey, test_robot located, anchor and tag heights in the site map)\n\n');
process.stdout.write(formatTable(['dataset', 'survey', 'localizer', 'calibration', 'rssi@1m', 'exponent', 'resid dB', 'test fixes', 'median m', 'p90 m', 'rmse m', 'r68 cover'], uji) + '\n\n');
process.stdout.write(verdicts.map((v) => `  ${v}`).join('\n') + '\n\n');
const pcng = PCNG_PAIRS.map((p) => {
  const r = evaluatePcng(p);
  return [p, f(r.fit.pathLossExponent), f(-r.fit.lossAt1mDb, 1), f(r.fit.residualSigmaDb, 1), String(r.testRows), f(r.medianAbsErrorM), f(r.medianLogErrorPct, 0), f(r.balancedAccuracy)];
});
process.stdout.write('pc-ng/rss_smartphone phone-to-phone BLE (MIT): ranging from mRSS10, fitted on even rows, tested on odd\n\n');
process.stdout.write(formatTable(['bodies', 'fit n', 'rssi@1m', 'fit σ dB', 'test rows', 'median |err| m', 'median log err %', 'within-2m bal. acc.'], pcng) + '\n');
