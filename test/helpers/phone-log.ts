// A made-up phone-to-phone log: two phones 'a' and 'b', 10 min at each
// distance, a reading every 0.5 s each way, -70 dBm at 1 m, exponent 2,
// independent noise of sd 4 dB, whole dBm.
import type { PhoneLogRow } from '../../engine/io/phone-log.ts';
import { Rng } from '../../sim/rng.ts';

export function madeUpPhoneLog(distancesM: readonly number[], seed = 7): PhoneLogRow[] {
  const rng = new Rng(seed, 'made-up log');
  const log: PhoneLogRow[] = [];
  for (const d of distancesM) {
    for (let t = 0; t < 600; t += 0.5) {
      for (const [scanner, advertiser] of [['a', 'b'], ['b', 'a']]) {
        log.push({ session: `${d} m`, tS: t, scanner, advertiser, rssiDbm: Math.round(-70 - 20 * Math.log10(d) + rng.normal(0, 4)), distanceM: d });
      }
    }
  }
  return log;
}

/** The log in the csv layout engine/io/phone-log.ts reads (one session: each distance gets its own time span). */
export function phoneLogCsv(log: readonly PhoneLogRow[]): string {
  const sessions = [...new Set(log.map((r) => r.session))];
  return ['tS,scanner,advertiser,rssiDbm,distanceM', ...log.map((r) => `${(r.tS + 1000 * sessions.indexOf(r.session)).toFixed(1)},${r.scanner},${r.advertiser},${r.rssiDbm},${Number.isNaN(r.distanceM) ? '' : r.distanceM}`)].join('\n') + '\n';
}
