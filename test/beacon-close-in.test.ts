// AP-to-AP beacons fit the exponent through free space's loss at 1 m (the
// close-in model, engine/calibrate/ap-beacons.ts): APs stand 20-40 m apart,
// where a free intercept and the exponent trade off, and walls that thin out
// with distance (the realistic campus's pairs: 7.7 dB at 20-30 m, 6.0 dB at
// 30-40 m) tilt a floating line, which then ranges a device a few metres from
// its AP far off.
import { describe, expect, it } from 'vitest';
import { CALIBRATE_SETTINGS, fitLogDistance } from '../engine/calibrate/ap-beacons.ts';
import { lcg } from './helpers/synthetic.ts';

const cfg = CALIBRATE_SETTINGS.defaults;
const TRUE_N = 3;
const lossAt = (a: number, n: number, d: number): number => a + 10 * n * Math.log10(d);

function campusLikePairs(seed: number): { x: number[]; y: number[] } {
  const rng = lcg(seed);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < 250; i++) {
    const d = 20 + 20 * rng.uniform();
    const wallsDb = d < 30 ? 8 + 2 * rng.normal() : 6 + 2 * rng.normal();
    x.push(Math.log10(d));
    y.push(lossAt(cfg.beaconLossAt1mDb.ble, TRUE_N, d) + wallsDb + 4 * rng.normal());
  }
  return { x, y };
}

describe('AP-pair fit: the close-in model', () => {
  it('predicts the loss a few metres from an AP within a few dB where a floating intercept misses by far more', () => {
    const { x, y } = campusLikePairs(3);
    const closeIn = fitLogDistance(x, y, cfg, 2.5, cfg.beaconLossAt1mDb.ble);
    const floating = fitLogDistance(x, y, cfg, 2.5);
    expect(closeIn.lossAt1mDb).toBe(cfg.beaconLossAt1mDb.ble);
    // At 3 m the truth without walls is 40.2 + 14.3 dB; the pairs' walls (about 7 dB) go into the exponent, by design (WLS ignores walls).
    const truth3 = lossAt(cfg.beaconLossAt1mDb.ble, TRUE_N, 3);
    const miss = (f: typeof closeIn): number => Math.abs(lossAt(f.lossAt1mDb, f.pathLossExponent, 3) - truth3);
    expect(miss(closeIn)).toBeLessThan(4);
    expect(miss(floating)).toBeGreaterThan(2 * miss(closeIn));
    // Both explain the pairs themselves about equally.
    expect(closeIn.residualSigmaDb).toBeLessThan(1.15 * floating.residualSigmaDb);
  });

  it('recovers the exponent of pairs that follow the model', () => {
    const rng = lcg(4);
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const d = 10 + 30 * rng.uniform();
      x.push(Math.log10(d));
      y.push(lossAt(cfg.beaconLossAt1mDb.wifi, 3.4, d) + 3 * rng.normal());
    }
    expect(fitLogDistance(x, y, cfg, 3, cfg.beaconLossAt1mDb.wifi).pathLossExponent).toBeCloseTo(3.4, 1);
  });
});
