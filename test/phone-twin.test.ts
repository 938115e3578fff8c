// The twin of a phone-to-phone log (bench/twin/phone-twin.ts): on a made-up
// log with independent noise the twin reproduces it; on ble-proximity-pcng's
// hand-to-hand pair, the figures measured (skips when the real data are absent).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { InputError } from '../engine/contract/input-error.ts';
import { readPhoneLog } from '../engine/io/phone-log.ts';
import { dataDir } from '../bench/studies/real-data/data-dir.ts';
import { pcngTwins } from '../bench/studies/fidelity/phones.ts';
import { runPhoneTwin, type PhoneTwinOptions } from '../bench/twin/phone-twin.ts';
import { loadScenario } from '../scenarios/load.ts';
import { madeUpPhoneLog } from './helpers/phone-log.ts';

const base = loadScenario('office').radio;
const opts: PhoneTwinOptions = { seed: 1, base, carryOf: () => 'hand', windowS: 10, proximity: DEFAULT_CONFIG.proximity, contactM: 2 };
const haveData = ((): boolean => {
  try {
    return dataDir() !== '';
  } catch {
    return false;
  }
})();

describe('phone twin', () => {
  it('reproduces a log of independent readings: RSSI per band, no autocorrelation, the detector alike', () => {
    const log = madeUpPhoneLog([1, 2, 5]);
    const r = runPhoneTwin(log, opts);
    expect(Math.abs(r.calibration.pathLossExponent - 2)).toBeLessThan(0.1);
    expect(r.calibration.intervalS).toBe(0.5);
    expect(r.calibration.packetLoss).toBe(0);
    const rows = new Map(r.rows.map((x) => [`${x.metric} | ${x.of}`, x]));
    expect([...rows.keys()]).toEqual(['RSSI mean dBm | 0-2 m', 'RSSI spread dB | 0-2 m', 'RSSI mean dBm | 2-4 m', 'RSSI spread dB | 2-4 m', 'RSSI mean dBm | 4-8 m', 'RSSI spread dB | 4-8 m', 'autocorrelation | 1 s', 'autocorrelation | 10 s', 'balanced accuracy | 2 m']);
    for (const row of r.rows) expect(row.pass, `${row.metric} ${row.of}: real ${row.real}, sim ${row.sim}`).toBe(true);
    expect(rows.get('RSSI mean dBm | 0-2 m')!.real).toBeCloseTo(-70, 0);
  });

  it('a log with no known distance is bad input', () => {
    expect(() => runPhoneTwin([{ session: '', tS: 0, scanner: 'a', advertiser: 'b', rssiDbm: -60, distanceM: NaN }], opts)).toThrow(InputError);
  });
});

describe.skipIf(!haveData)('phone twin of ble-proximity-pcng, hand to hand', () => {
  it('agrees on the RSSI near and far and misses the slow variation the simulator\'s phone link lacks', () => {
    const log = readPhoneLog(join(dataDir(), 'ble-proximity-pcng', 'RSS_humanHH.csv'), 'pcng');
    expect(log.length).toBe(19_903);
    const r = pcngTwins(dataDir(), base, 1, ['HH']);
    const get = (metric: string, of: string) => r.rows.find((x) => x.metric === metric && x.of === `HH, ${of}`)!;
    const pair = (x: { real: number; sim: number }) => [x.real.toFixed(2), x.sim.toFixed(2)];
    // Measured (seed 1).
    expect(pair(get('RSSI mean dBm', '0-2 m'))).toEqual(['-74.08', '-75.00']);
    expect(pair(get('autocorrelation', '1 s'))).toEqual(['0.59', '0.01']);
    expect(pair(get('balanced accuracy', '2 m'))).toEqual(['0.90', '0.98']);
    expect(get('RSSI mean dBm', '0-2 m').pass).toBe(true);
    expect(get('autocorrelation', '1 s').pass).toBe(false);
  }, 60_000);
});
