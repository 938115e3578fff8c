// The engine on real radios (../shared/data): figures that a regression in
// ranging, calibration or localization would move.
import { describe, expect, it } from 'vitest';
import { evaluatePcng } from '../bench/studies/real-data/pcng.ts';
import { evaluateUji } from '../bench/studies/real-data/uji.ts';
import { evaluateCalib2021 } from '../bench/studies/real-data/calib2021.ts';
import { evaluateLongtermMonth } from '../bench/studies/real-data/wifi-longterm.ts';

describe('UJI BLE fingerprints through ctsim locate', () => {
  it('library, training campaign as the survey: WLS ranges with the survey\'s fit, median 1.2-1.8 m on the held-out campaign', async () => {
    const r = await evaluateUji('lib', 'wls', 'campaign', true);
    expect(r.score.n).toBeGreaterThan(900);
    expect(r.calibration?.source).toBe('survey');
    expect(r.score.medianErrorM).toBeGreaterThan(1.2);
    expect(r.score.medianErrorM).toBeLessThan(1.8);
  });

  it('office area, no survey and no beacons: self-calibrated WLS and knn beat the weighted centroid on the held-out points', async () => {
    const c = await evaluateUji('geo', 'centroid', 'even', false);
    for (const localizer of ['wls', 'knn'] as const) {
      const r = await evaluateUji('geo', localizer, 'even', false);
      expect(r.calibration?.source).toBe('self');
      expect(r.score.medianErrorM).toBeLessThan(c.score.medianErrorM);
    }
  });

  it('library, no survey and no beacons: P0 at the typical phone\'s level (one phone in three reads 20 dB hotter), WLS and knn at or below the centroid', async () => {
    // Measured: P0 -58.0 dBm (-54.2 with one level for all), centroid 1.403 m, WLS 1.400 m, knn 1.36 m (1.75 and 1.77 before: bench/results/ranging-prior.md).
    const c = await evaluateUji('lib', 'centroid', 'campaign', false);
    for (const localizer of ['wls', 'knn'] as const) {
      const r = await evaluateUji('lib', localizer, 'campaign', false);
      expect(r.calibration?.source).toBe('self');
      expect(r.calibration!.refRssiDbmAt1m).toBeLessThan(-56.5);
      expect(r.calibration!.refRssiDbmAt1m).toBeGreaterThan(-59.5);
      expect(r.score.medianErrorM).toBeLessThanOrEqual(c.score.medianErrorM);
    }
  });
});

describe('ble-anchors-calib2021 through ctsim locate, no survey', () => {
  it('self-calibration refused there, so the defaults range; WLS and knn still at or below the weighted centroid', async () => {
    const c = await evaluateCalib2021('centroid', false);
    for (const localizer of ['wls', 'knn'] as const) {
      const r = await evaluateCalib2021(localizer, false);
      expect(r.calibration?.source).toBe('defaults');
      expect(r.score.medianErrorM).toBeLessThanOrEqual(c.score.medianErrorM);
    }
  });
});

describe('wifi-longterm-uji through ctsim locate, month 1\'s survey', () => {
  it('month 7: the log\'s own fit ranges, and the radii of wls and knn, calibrated on the survey\'s points as they range, hold 0.60-0.76 of truths', async () => {
    // Measured: wls 0.66, knn 0.65; calibrated with the survey's own line instead (which the log's fit replaced), 0.48 and 0.46.
    for (const localizer of ['wls', 'knn'] as const) {
      const r = await evaluateLongtermMonth(7, localizer);
      expect(r.calibration?.source).toBe('self');
      expect(r.coverage, localizer).toBeGreaterThanOrEqual(0.6);
      expect(r.coverage, localizer).toBeLessThanOrEqual(0.76);
    }
  });
});

describe('pc-ng phone-to-phone ranging', () => {
  it('hand-to-hand: median ranging error under 0.6 m, within-2 m balanced accuracy ≥ 0.75', () => {
    const r = evaluatePcng('HH');
    expect(r.medianAbsErrorM).toBeLessThan(0.6);
    expect(r.balancedAccuracy).toBeGreaterThanOrEqual(0.75);
  });
});
