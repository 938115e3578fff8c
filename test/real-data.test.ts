// The engine on real radios (../shared/data): figures that a regression in
// ranging, calibration or localization would move.
import { describe, expect, it } from 'vitest';
import { evaluatePcng } from '../bench/studies/real-data/pcng.ts';
import { evaluateUji } from '../bench/studies/real-data/uji.ts';

describe('UJI BLE fingerprints (locate path, calibration walk on training rows)', () => {
  it('library: WLS median 1.2-1.8 m on the held-out campaign, its path-loss fit as the data README says (σ ≈ 9.6 dB)', async () => {
    const r = await evaluateUji('lib', 'wls');
    expect(r.score.n).toBeGreaterThan(900);
    expect(r.score.medianErrorM).toBeGreaterThan(1.2);
    expect(r.score.medianErrorM).toBeLessThan(1.8);
    expect(r.fit.residualSigmaDb).toBeGreaterThan(8.5);
    expect(r.fit.residualSigmaDb).toBeLessThan(10.5);
  });

  it('office area: WLS beats the weighted centroid on the held-out points', async () => {
    const w = await evaluateUji('geo', 'wls');
    const c = await evaluateUji('geo', 'centroid');
    expect(w.score.medianErrorM).toBeLessThan(2.8);
    expect(w.score.medianErrorM).toBeLessThan(c.score.medianErrorM);
  });
});

describe('pc-ng phone-to-phone ranging', () => {
  it('hand-to-hand: median ranging error under 0.6 m, within-2 m balanced accuracy ≥ 0.75', () => {
    const r = evaluatePcng('HH');
    expect(r.medianAbsErrorM).toBeLessThan(0.6);
    expect(r.balancedAccuracy).toBeGreaterThanOrEqual(0.75);
  });
});
