// One radio's BSSIDs read as one AP (engine/calibrate/same-radio.ts): the rule
// on small logs, and what it does to the wifi-longterm-uji phone as recorded.
import { describe, expect, it } from 'vitest';
import { oneApPerRadio, sameRadioGroups } from '../engine/calibrate/same-radio.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import { SurveyColumns } from '../engine/contract/survey.ts';
import type { Tech } from '../engine/contract/site.ts';
import { Rng } from '../sim/rng.ts';
import { locateWalk, realWalks } from '../bench/studies/real-data/walks.ts';
import { calibrationSummary } from '../reports/calibration-summary.ts';

/**
 * A phone scanning every 4 s for 400 s at each of `spots` places: AP 0 and AP 1 one radio (one level, each its own
 * 1 dB of fading, rounded), AP 2 a radio of its own whose level (`apart` dB off) moves on its own; the levels
 * change from place to place by `placeSd` dB and, within a place, slowly by 3 dB.
 */
function scans(tech: Tech, spots: number, placeSd: number, apart = 0) {
  const rng = new Rng(1, 'same-radio-test');
  const o = new ObservationColumns();
  let tMs = 0;
  for (let spot = 0; spot < spots; spot++) {
    const place = rng.normal(-70, placeSd), other = rng.normal(-70, placeSd) + apart;
    let slow = 0, slow2 = 0;
    for (let k = 0; k < 100; k++, tMs += 4000) {
      slow = 0.8 * slow + rng.normal(0, 1.8);
      slow2 = 0.8 * slow2 + rng.normal(0, 1.8);
      o.push(tMs, 0, 0, Math.round(place + slow + rng.normal(0, 1)));
      o.push(tMs, 0, 1, Math.round(place + slow + rng.normal(0, 1)));
      o.push(tMs, 0, 2, Math.round(other + slow2 + rng.normal(0, 1)));
    }
  }
  return o.toBatch([{ id: 'phone', tech }]);
}

describe('sameRadioGroups', () => {
  it('finds the two BSSIDs that read alike wherever the phone is, not the AP that reads on its own', () => {
    expect(sameRadioGroups(scans('wifi', 8, 8))).toEqual([[0, 1]]);
  });

  it('leaves a phone that never moved alone: two links at one level differ by their fading only, and do not move together', () => {
    // One place: AP 2 at AP 0's level (apart 0 by chance), its own slow swing; AP 0 and AP 1 still read as one radio.
    expect(sameRadioGroups(scans('wifi', 1, 0))).toEqual([[0, 1]]);
  });

  it('reads BLE advertisers as their own (one identity each), and needs readings a moment apart to compare with', () => {
    expect(sameRadioGroups(scans('ble-badge', 8, 8))).toEqual([]);
    const sparse = new ObservationColumns();
    for (let k = 0; k < 300; k++) for (const ap of [0, 1]) sparse.push(k * 60_000, 0, ap, -70 + (k % 7));
    expect(sameRadioGroups(sparse.toBatch([{ id: 'phone', tech: 'wifi' }]))).toEqual([]);
  });

  it('keeps each radio\'s best-heard AP in the log and the survey', () => {
    const log = scans('wifi', 2, 5);
    const s = new SurveyColumns();
    for (const ap of [0, 1, 2]) s.push(0, 1, 1, ap, 0, -60);
    // AP 1 heard once more than AP 0: it is kept.
    const extra = new ObservationColumns();
    for (let i = 0; i < log.length; i++) extra.push(log.tMs[i], log.deviceIdx[i], log.apIdx[i], log.rssiDbm[i]);
    extra.push(log.tMs[log.length - 1] + 1000, 0, 1, -70);
    const { log: read, survey, left, groups, radios } = oneApPerRadio(extra.toBatch(log.devices), s.build(), [[0, 1]]);
    expect([left, groups]).toEqual([1, 1]);
    expect(radios).toEqual([[1, 0]]);
    expect(new Set(read.apIdx)).toEqual(new Set([1, 2]));
    expect(read.length).toBe(log.length + 1 - log.length / 3);
    expect(Array.from(survey!.apIdx)).toEqual([1, 2]);
  });
});

describe('on the wifi-longterm-uji phone of month 1, as recorded', () => {
  const month1 = () => realWalks().find((w) => w.name === 'Wi-Fi month 1')!;

  it('reads its radios once each: the survey map\'s p90 error falls and the radius holds the truth more often', async () => {
    // Measured: 23 radios of two BSSIDs; the fused default 1.67 → 1.57 m median, p90 4.07 → 3.95 m; the map 1.70 → 1.56 m, p90
    // 5.19 → 4.02 m; without a survey wls's radius held the truth in 0.46 → 0.57 of fixes.
    const walk = month1();
    const once = await locateWalk(walk, { localize: { method: 'map' } });
    const twice = await locateWalk(walk, { localize: { method: 'map' }, calibrate: { sameRadioFromLog: false } });
    expect(once.p90M).toBeLessThan(0.85 * twice.p90M);
    expect(once.medianM).toBeLessThan(twice.medianM);
    const wlsOnce = await locateWalk(walk, { localize: { method: 'wls' } }, false);
    const wlsTwice = await locateWalk(walk, { localize: { method: 'wls' }, calibrate: { sameRadioFromLog: false } }, false);
    expect(wlsOnce.coverage).toBeGreaterThan(wlsTwice.coverage + 0.07);
  }, 240_000);

  it('says so in the calibration summary', () => {
    expect(calibrationSummary({ wifi: { source: 'self', refRssiDbmAt1m: -40, pathLossExponent: 2.5, sameRadio: { groups: 23, left: 23 } } }))
      .toContain('23 APs read alike with another in every report, BSSIDs of one radio (23 radios): each radio read once, as its best-heard AP');
  });
});
