// A real phone-to-phone log cut into short windows for a close/not-close
// decision each: readings corrected per device model (GAEN table), each
// receiver's median measured over the whole log (for its lift), then one
// window per stretch of windowS of one scanner hearing one advertiser in one
// session at one true distance.
import type { PhoneLogRow } from '../io/phone-log.ts';
import { modelCorrectionDb, receiverLiftDb, receiverMediansDbm } from './device-calibration.ts';
import type { ProximitySettings } from './exposure-notification.ts';
import { windowSaysClose } from './window-decision.ts';

/** Fewer readings than this in a window say too little to decide on. */
export const MIN_WINDOW_READINGS = 3;

export interface LogWindow {
  session: string;
  scanner: string;
  advertiser: string;
  /** True distance, metres; NaN when the log does not say. */
  distanceM: number;
  tS: number[];
  /** Readings after the model (table) correction, before the receiver's lift, dBm. */
  rssiDbm: number[];
  /** Median of everything this window's receiver (its model when known) heard in the log, table-corrected, dBm. */
  receiverMedianDbm: number;
}

export function logWindows(rows: readonly PhoneLogRow[], windowS: number): LogWindow[] {
  const receiverKey = (r: PhoneLogRow): string => r.scannerModel ?? r.scanner;
  const receivers = [...new Set(rows.map(receiverKey))];
  const receiverOf = rows.map((r) => receivers.indexOf(receiverKey(r)));
  const corrected = rows.map((r) => r.rssiDbm + modelCorrectionDb(r.scannerModel, r.advertiserModel));
  const medians = receiverMediansDbm(receiverOf, corrected, receivers.length);
  const streams = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = JSON.stringify([r.session, r.scanner, r.advertiser, r.distanceM]);
    const s = streams.get(key);
    if (s) s.push(i);
    else streams.set(key, [i]);
  });
  const out: LogWindow[] = [];
  for (const idx of streams.values()) {
    idx.sort((a, b) => rows[a].tS - rows[b].tS || a - b);
    let cur: LogWindow | null = null, startS = -Infinity;
    for (const i of idx) {
      const r = rows[i];
      if (!cur || r.tS >= startS + windowS) {
        if (cur && cur.tS.length >= MIN_WINDOW_READINGS) out.push(cur);
        cur = { session: r.session, scanner: r.scanner, advertiser: r.advertiser, distanceM: r.distanceM, tS: [], rssiDbm: [], receiverMedianDbm: medians[receiverOf[i]] };
        startS = r.tS;
      }
      cur.tS.push(r.tS);
      cur.rssiDbm.push(corrected[i]);
    }
    if (cur && cur.tS.length >= MIN_WINDOW_READINGS) out.push(cur);
  }
  return out;
}

/** The window's decision under cfg (its receiver lifted to cfg.receiverLevelDbm), thresholds shifted by shiftDb. */
export function windowIsClose(w: LogWindow, cfg: ProximitySettings, shiftDb = 0): boolean {
  const lift = receiverLiftDb(w.receiverMedianDbm, cfg.receiverLevelDbm);
  return windowSaysClose(w.tS, lift === 0 ? w.rssiDbm : w.rssiDbm.map((x) => x + lift), cfg, shiftDb);
}
