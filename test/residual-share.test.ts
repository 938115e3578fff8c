// The tracked radius floor from the track's residuals (engine/track/residual-share.ts):
// still devices whose fix errors are independent from fix to fix, or repeat.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import type { Estimates } from '../engine/outputs.ts';
import { newFilterHistory, newTrackState, trackKalman } from '../engine/track/kalman.ts';
import { floorTrackedRadii, ResidualShares } from '../engine/track/residual-share.ts';
import { smoothTracks } from '../engine/track/rts-smoother.ts';
import { lcg } from './helpers/synthetic.ts';

const SCALE = DEFAULT_CONFIG.localize.wls.radiusScale;
/** Per-axis error sd, m, and the 68 % radius of a round Gaussian of it (what an honest fix reports). */
const SD = 2, R68 = SD * Math.sqrt(-2 * Math.log(0.32));
const DEVICES = 40, FIXES = 120;

/**
 * DEVICES still devices at (10, 10), a fix every 5 s; each fix's error is the
 * device's own bias (drawn once) plus fresh noise, `biasShare` of the variance
 * the bias's; every fix reports R68.
 */
function stillFixes(biasShare: number, seed: number): Estimates {
  const rng = lcg(seed);
  const bias = Array.from({ length: DEVICES }, () => [rng.normal(), rng.normal()].map((v) => v * SD * Math.sqrt(biasShare)));
  const b = new EstimatesBuilder();
  for (let k = 0; k < FIXES; k++) {
    for (let d = 0; d < DEVICES; d++) {
      const noise = SD * Math.sqrt(1 - biasShare);
      b.push(k * 5000, d, { x: 10 + bias[d][0] + noise * rng.normal(), y: 10 + bias[d][1] + noise * rng.normal(), floor: 0, errorRadiusM: R68, apsUsed: 6 });
    }
  }
  return b.build();
}

/** The smoothed Kalman track of `fixes` (default settings, minRadiusShare as given), radii floored by the residuals unless `floor` is false. */
function tracked(fixes: Estimates, minRadiusShare: number, floor = true): Estimates {
  const cfg = { ...DEFAULT_CONFIG.track, minRadiusShare };
  const st = newTrackState(DEVICES), history = newFilterHistory(fixes.length);
  const out = trackKalman(fixes, st, cfg, SCALE, history);
  smoothTracks(out, history, DEVICES, cfg, SCALE, fixes.errorRadiusM);
  if (floor) floorTrackedRadii(fixes, out, new ResidualShares(DEVICES));
  return out;
}

/** Share of rows whose radius holds the truth (10, 10), and the median error. */
function coverage(e: Estimates): { covered: number; medianM: number } {
  const err = Array.from({ length: e.length }, (_, i) => Math.hypot(e.x[i] - 10, e.y[i] - 10));
  const covered = err.filter((v, i) => v <= e.errorRadiusM[i]).length / e.length;
  return { covered, medianM: [...err].sort((a, b) => a - b)[err.length >> 1] };
}

describe('tracked radius from the residuals', () => {
  it('independent errors: the track takes a third off the error and its radius follows, where the fix radius would cover nearly every truth', () => {
    const fixes = stillFixes(0, 1);
    const raw = coverage(fixes), keepFix = coverage(tracked(fixes, 1)), floored = coverage(tracked(fixes, 0));
    expect(raw.covered).toBeGreaterThan(0.64);
    expect(raw.covered).toBeLessThan(0.72);
    expect(keepFix.medianM).toBeLessThan(0.7 * raw.medianM);
    expect(keepFix.covered).toBeGreaterThan(0.9); // the old floor: the fix's own radius
    // Measured 0.85 (seed 1): the Kalman filter's own posterior radius, not the residual floor, holds it there.
    expect(floored.covered).toBeGreaterThan(0.6);
    expect(floored.covered).toBeLessThan(keepFix.covered - 0.05);
  });

  it("errors that repeat: the track cannot average them, and the radius stays the fix's", () => {
    const fixes = stillFixes(0.97, 2);
    const raw = coverage(fixes), floored = coverage(tracked(fixes, 0)), posterior = coverage(tracked(fixes, 0, false));
    expect(floored.covered).toBeGreaterThan(raw.covered - 0.05);
    expect(floored.covered).toBeLessThan(raw.covered + 0.05);
    expect(posterior.covered).toBeLessThan(0.45); // the filter's own posterior, unfloored, narrows as if the fixes were independent
  });

  it('a device with fewer than 20 moved fixes keeps its fix radius; a freed slot starts over; growing keeps what is held', () => {
    const s = new ResidualShares(2);
    for (let k = 0; k < 19; k++) s.add(0, 1, 2);
    expect(s.share(0)).toBe(1);
    s.add(0, 1, 2);
    // Every residual half the radius: median 0.5 (within its 0.05 bin), k = √(1 − (0.5 / 0.78)²) ≈ 0.77.
    expect(s.share(0)).toBeGreaterThan(0.72);
    expect(s.share(0)).toBeLessThan(0.8);
    s.grow(5);
    expect(s.share(0)).toBeGreaterThan(0.72);
    s.forget(0);
    expect(s.share(0)).toBe(1);
  });
});
