// APs come and go between the survey and the run (sim/radio/ap-turnover.ts):
// the life against its source, wifi-longterm-uji's APs month by month, and
// what a simulated run and its older survey hear.
import { describe, expect, it } from 'vitest';
import { apSurvival } from '../bench/studies/radio-fit/drift-fit.ts';
import { AP_BEACON_PREFIX } from '../engine/contract/observations.ts';
import { BAND_DEFAULTS } from '../scenarios/validate.ts';
import { apsGone } from '../sim/radio/ap-turnover.ts';
import { goneAps, simulate } from '../sim/simulate.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('fitted on wifi-longterm-uji', () => {
  const s = apSurvival();

  it('sees half the APs in service go at once in month 12, and gives the default life', () => {
    // Measured: 47 APs in service in month 1, all 47 on the air to month 11, 25 in month 12, 24 in month 25; L 1,096 days.
    expect(s.inService).toBe(47);
    expect(s.months.find((m) => m.month === 11)!.onAir).toBe(47);
    expect(s.months.find((m) => m.month === 12)!.onAir).toBe(25);
    expect(s.months.at(-1)!.onAir).toBe(24);
    expect(Math.abs(s.lifeDays - BAND_DEFAULTS.apLifeDays) / BAND_DEFAULTS.apLifeDays).toBeLessThan(0.05);
  });
});

describe('apsGone', () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `ap-${i}`);

  it('takes 1 − exp(−age / life) of the APs, none at age 0, and an AP gone stays gone', () => {
    expect(apsGone(ids, 1100, 0, 1).size).toBe(0);
    const year = apsGone(ids, 1100, 365, 1), three = apsGone(ids, 1100, 1100, 1);
    expect(Math.abs(year.size / ids.length - (1 - Math.exp(-365 / 1100)))).toBeLessThan(0.025);
    expect(Math.abs(three.size / ids.length - (1 - Math.exp(-1)))).toBeLessThan(0.025);
    for (const i of year) expect(three.has(i)).toBe(true);
    // Another seed, another draw.
    expect(apsGone(ids, 1100, 365, 2)).not.toEqual(year);
  });
});

describe('in a simulated run with a survey three years old', () => {
  const s = shortOffice();
  s.durationS = 600;
  s.radio.effects.drift = true;
  s.survey = { ...s.survey!, ageDays: 1100 };
  const sim = simulate(s);
  const gone = goneAps(s, s.radio.ble, 1100);
  const heard = (b: { length: number; apIdx: Uint16Array }): Set<number> => new Set(Array.from(b.apIdx.subarray(0, b.length)));

  it('the survey hears every AP, the run and the AP beacons only those still on the air', () => {
    expect(gone.size).toBeGreaterThan(0);
    expect(gone.size).toBeLessThan(s.site.aps.length);
    expect(goneAps(s, s.radio.wifi, 1100)).toEqual(gone); // one draw per AP, the same life on both bands
    const inRun = heard(sim.observations), inSurvey = heard(sim.survey!);
    for (let a = 0; a < s.site.aps.length; a++) {
      expect(inSurvey.has(a), s.site.aps[a].id).toBe(true);
      expect(inRun.has(a), s.site.aps[a].id).toBe(!gone.has(a));
    }
    const beacons = sim.apBeacons;
    expect(beacons.length).toBeGreaterThan(0);
    for (let i = 0; i < beacons.length; i++) {
      expect(gone.has(beacons.apIdx[i])).toBe(false);
      const tx = s.site.aps.findIndex((ap) => `${AP_BEACON_PREFIX}${ap.id}` === beacons.devices[beacons.deviceIdx[i]].id);
      expect(gone.has(tx)).toBe(false);
    }
  });

  it('no AP goes without drift, or with a survey of the day', () => {
    expect(goneAps({ ...s, radio: { ...s.radio, effects: { ...s.radio.effects, drift: false } } }, s.radio.ble, 1100).size).toBe(0);
    expect(goneAps(s, s.radio.ble, 0).size).toBe(0);
  });
});
