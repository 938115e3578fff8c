// BLE timing (sim/radio/ble-timing.ts) against its sources (the spec's
// advDelay, ble-anchors-calib2021's hearing rate) and in the simulated office.
import { describe, expect, it } from 'vitest';
import { hearingRates, medianHearingRate, SESSIONS } from '../bench/studies/radio-fit/ble-timing-fit.ts';
import { ADV_DELAY_MAX_MS, SCAN_DUTY } from '../sim/radio/ble-timing.ts';
import { simulate } from '../sim/simulate.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('against ble-anchors-calib2021', () => {
  it('the scan duty is the median share of the tag\'s adverts each anchor module heard (0.57; 0.42-0.62 over 60 module-sessions)', () => {
    const rates = hearingRates();
    expect(rates).toHaveLength(SESSIONS.length * 12);
    for (const r of rates) expect(r.rate, `${r.session} ${r.receiver}`).toBeGreaterThan(0.4);
    for (const r of rates) expect(r.rate, `${r.session} ${r.receiver}`).toBeLessThan(0.65);
    expect(Math.abs(medianHearingRate(rates) - SCAN_DUTY)).toBeLessThan(0.01);
  });
});

describe('in the simulated office', () => {
  function badges(bleTiming: boolean): { rows: number; times: Map<number, number[]> } {
    const s = shortOffice();
    s.durationS = 1200;
    s.radio.effects.bleTiming = bleTiming;
    const o = simulate(s).observations;
    let rows = 0;
    const times = new Map<number, number[]>();
    for (let i = 0; i < o.length; i++) {
      if (o.devices[o.deviceIdx[i]].tech !== 'ble-badge') continue;
      rows++;
      const list = times.get(o.deviceIdx[i]) ?? times.set(o.deviceIdx[i], []).get(o.deviceIdx[i])!;
      if (list[list.length - 1] !== o.tMs[i]) list.push(o.tMs[i]);
    }
    return { rows, times };
  }

  it('APs hear the scan duty\'s share of adverts, which come every interval plus 0-10 ms', () => {
    const off = badges(false);
    const on = badges(true);
    // Adverts come every 1000-1010 ms instead of 900-1100 ms: 0.5 % fewer, each heard by an AP 57 % of the time.
    expect(on.rows / off.rows).toBeGreaterThan(SCAN_DUTY * 0.995 - 0.02);
    expect(on.rows / off.rows).toBeLessThan(SCAN_DUTY * 0.995 + 0.02);
    const intervalMs = shortOffice().devices['ble-badge']!.intervalS * 1000;
    let gaps = 0;
    for (const list of on.times.values()) {
      for (let k = 1; k < list.length; k++) {
        // Adverts no AP heard leave gaps of several intervals, each with its own delay.
        const d = list[k] - list[k - 1];
        const n = Math.round(d / intervalMs);
        expect(d).toBeGreaterThanOrEqual(n * intervalMs);
        expect(d).toBeLessThanOrEqual(n * (intervalMs + ADV_DELAY_MAX_MS) + 1);
        gaps++;
      }
    }
    expect(gaps).toBeGreaterThan(10_000);
  });
});
