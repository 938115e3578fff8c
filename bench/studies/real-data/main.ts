// npm run realdata: the engine's ranging and localization on the real
// datasets in ../shared/data (see bench/studies/real-data/uji.ts, bench/studies/real-data/pcng.ts).
import { formatTable } from '../../../reports/table.ts';
import { PCNG_PAIRS } from './rssi-sessions.ts';
import { evaluatePcng } from './pcng.ts';
import { evaluateUji } from './uji.ts';
import { strictArgs } from '../../entry/args.ts';

// No options: a bad flag is still an error, not ignored.
strictArgs('npm run realdata --').parseSync();

const f = (x: number, d = 2): string => x.toFixed(d);
const uji = [];
for (const zone of ['lib', 'geo'] as const) {
  for (const localizer of ['wls', 'centroid', 'knn'] as const) {
    const r = await evaluateUji(zone, localizer);
    uji.push([zone, localizer, f(r.fit.pathLossExponent), f(r.fit.residualSigmaDb, 1), String(r.score.n), f(r.score.medianErrorM), f(r.score.p90ErrorM), f(r.score.rmseM), f(r.coverage)]);
  }
}
process.stdout.write('UJI BLE fingerprints (Zenodo 10.5281/zenodo.1618692, CC BY 4.0): per-epoch fixes, no tracking\n\n');
process.stdout.write(formatTable(['zone', 'localizer', 'fit n', 'fit σ dB', 'test fixes', 'median m', 'p90 m', 'rmse m', 'r68 cover'], uji) + '\n\n');
const pcng = PCNG_PAIRS.map((p) => {
  const r = evaluatePcng(p);
  return [p, f(r.fit.pathLossExponent), f(-r.fit.lossAt1mDb, 1), f(r.fit.residualSigmaDb, 1), String(r.testRows), f(r.medianAbsErrorM), f(r.medianLogErrorPct, 0), f(r.balancedAccuracy)];
});
process.stdout.write('pc-ng/rss_smartphone phone-to-phone BLE (MIT): ranging from mRSS10, fitted on even rows, tested on odd\n\n');
process.stdout.write(formatTable(['bodies', 'fit n', 'rssi@1m', 'fit σ dB', 'test rows', 'median |err| m', 'median log err %', 'within-2m bal. acc.'], pcng) + '\n');
