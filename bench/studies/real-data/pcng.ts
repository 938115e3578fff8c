// Ranging on real phone-to-phone BLE: the pc-ng/rss_smartphone measurements
// (github.com/pc-ng/rss_smartphone, MIT), read from
// ../shared/data/ble-proximity-pcng. Per body-position pair, the engine's
// log-distance model is fitted (fitLogDistance) on the even rows and the odd
// rows are ranged from their 10-sample moving average RSSI, as the engine
// ranges an epoch's mean: d = 10^((refRssi − rssi)/(10·n)).
import { fitLogDistance, type BandFit } from '../../../engine/calibrate/ap-beacons.ts';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import { readCsvRecords } from '../../../engine/io/csv-records.ts';
import { quantileSorted } from 'simple-statistics';
import { dataDir } from './data-dir.ts';
import type { PCNG_PAIRS } from './rssi-sessions.ts';
/** A contact distance: the 'within 2 m' question. */
const CONTACT_M = 2;

export interface RangingResult {
  pair: (typeof PCNG_PAIRS)[number];
  fit: BandFit;
  testRows: number;
  /** Median |estimated − true| distance, metres. */
  medianAbsErrorM: number;
  /** Median of |log10(estimated / true)|·100: a ranging error in % that a 5 m and a 0.5 m range share. */
  medianLogErrorPct: number;
  /** 'Within 2 m' from the estimated range: (TPR + TNR) / 2. */
  balancedAccuracy: number;
}

export function evaluatePcng(pair: (typeof PCNG_PAIRS)[number], dir = `${dataDir()}/ble-proximity-pcng/`): RangingResult {
  const path = `${dir}RSS_human${pair}.csv`;
  const rss: number[] = [], distM: number[] = [];
  for (const { line, record } of readCsvRecords(path, ['mRSS10', 'dist'], (message) => new Error(message))) {
    const r = Number(record.mRSS10), d = Number(record.dist) / 100;
    if (!Number.isFinite(r) || !(d > 0)) throw new Error(`${path}:${line}: mRSS10 '${record.mRSS10}' or dist '${record.dist}' is not a number`);
    rss.push(r);
    distM.push(d);
  }
  const train = rss.flatMap((_, i) => (i % 2 === 0 ? [i] : []));
  const fit = fitLogDistance(train.map((i) => Math.log10(distM[i])), train.map((i) => -rss[i]), DEFAULT_CONFIG.calibrate, DEFAULT_CONFIG.ranging['ble-app'].pathLossExponent);
  const absErr: number[] = [], logErr: number[] = [];
  let tp = 0, pos = 0, tn = 0, neg = 0;
  for (let i = 1; i < rss.length; i += 2) {
    const est = 10 ** ((-fit.lossAt1mDb - rss[i]) / (10 * fit.pathLossExponent));
    absErr.push(Math.abs(est - distM[i]));
    logErr.push(Math.abs(Math.log10(est / distM[i])) * 100);
    if (distM[i] <= CONTACT_M) {
      pos++;
      if (est <= CONTACT_M) tp++;
    } else {
      neg++;
      if (est > CONTACT_M) tn++;
    }
  }
  const median = (a: number[]): number => quantileSorted(a.sort((x, y) => x - y), 0.5);
  return { pair, fit, testRows: absErr.length, medianAbsErrorM: median(absErr), medianLogErrorPct: median(logErr), balancedAccuracy: (tp / Math.max(pos, 1) + tn / Math.max(neg, 1)) / 2 };
}
