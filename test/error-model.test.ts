// The one error model (engine/localize/error-model.ts) and the survey's
// calibration of it (engine/calibrate/map-radius.ts calibration).
import type { SurveyBatch } from '../engine/contract/survey.ts';
import { describe, expect, it } from 'vitest';
import { apsClass, calibration, errorInUse, heldOutFolds, movedFactor } from '../engine/calibrate/map-radius.ts';
import { runExperiment } from '../bench/harness/experiment.ts';
import { loadScenario } from '../scenarios/load.ts';
import { chi2Median, floorAt, honestRadius, misfitScale, scaleAt } from '../engine/localize/error-model.ts';
import { centroid } from '../engine/localize/centroid.ts';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { localizeModel } from '../engine/localize/model.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import type { Site } from '../engine/contract/site.ts';

describe('misfit scale', () => {
  it('is √(χ²/dof) above 1 and 1 at or below it, or without dof', () => {
    expect(misfitScale(16, 4)).toBe(2);
    expect(misfitScale(3, 4)).toBe(1);
    expect(misfitScale(100, 0)).toBe(1);
  });
});

describe('honest radius', () => {
  const cal = { reports: [1, 16], floorM: [2, 0], scale: [1, 0.5] };
  /** The radius at misfit factor g (χ² = g² · dof over 4 dof; g 1: a fit within its noise). */
  const honestRadiusM = (c: Parameters<typeof honestRadius>[0], own: number, g: number, reports: number): number => honestRadius(c, own, g * g * 4, 4, reports, Infinity).radiusM;
  it('is g · hypot(scale · own, floor), read log-linearly between the levels', () => {
    expect(honestRadiusM(cal, 1.5, 1, 1)).toBeCloseTo(2.5, 10);
    expect(honestRadiusM(cal, 1.5, 2, 1)).toBeCloseTo(5, 10);
    expect(honestRadiusM(cal, 2, 1, 16)).toBeCloseTo(1, 10);
    expect(floorAt(cal, 4)).toBeCloseTo(1, 10);
    expect(scaleAt(cal, 4)).toBeCloseTo(0.75, 10);
    expect(scaleAt(cal, 100)).toBe(0.5);
  });
  it('is g · own without a calibration, and a floor-only calibration (older runs) scales by 1', () => {
    expect(honestRadiusM(undefined, 1.5, 2, 1)).toBe(3);
    expect(honestRadiusM({ reports: [], floorM: [] }, 1.5, 1, 1)).toBe(1.5);
    expect(honestRadiusM({ reports: [1], floorM: [2] }, 1.5, 1, 1)).toBeCloseTo(2.5, 10);
  });
  it("reads the misfit against the survey's at the fix's level, and never below the log's", () => {
    // The left-out fixes' median χ² over its chi-square median: 0.25 at 1 report, 1 at 16 (0.5 at 4, log-linearly).
    const withMisfit = { reports: [1, 16], floorM: [0, 0], misfit: [0.25, 1] };
    const at = (x: number): number => x * chi2Median(4);
    // χ² at its median at 1 report is 4 times the survey's: g 2, where the noise model alone says 1.
    const r = honestRadius(withMisfit, 1.5, at(1), 4, 1, Infinity);
    expect(r.misfitRatio).toBeCloseTo(4, 10);
    expect(r.misfitScale).toBe(1);
    expect(r.radiusM).toBeCloseTo(3, 10);
    // At 4 reports half its median is the survey's own: g 1.
    expect(honestRadius(withMisfit, 1.5, at(0.5), 4, 4, Infinity).radiusM).toBeCloseTo(1.5, 10);
    // A log whose fixes misfit 2.25 times the survey's (R) widens a fix that fits, and one without dof.
    const moved = { ...withMisfit, logMisfitRatio: 2.25 };
    expect(honestRadius(moved, 1.5, at(0.5), 4, 4, Infinity).radiusM).toBeCloseTo(2.25, 10);
    expect(honestRadius(moved, 1.5, 5, 0, 4, Infinity)).toEqual({ radiusM: 2.25, misfitScale: 1 });
    // ... and an R below 1 would narrow it (the calibration never passes one: engine/pipeline/calibration.ts).
    expect(honestRadius({ ...withMisfit, logMisfitRatio: 0.64 }, 1.5, 0, 4, 4, Infinity).radiusM).toBeCloseTo(1.2, 10);
  });
  it('is never wider than the floor\'s diagonal: a misfit of millions off a log fitted to a tenth of a dB claims nothing', () => {
    expect(honestRadius(undefined, 1.5, 1e12, 1, 1, 20).radiusM).toBe(20);
    expect(honestRadius(cal, 1.5, 1e12, 4, 1, 20).radiusM).toBe(20);
    expect(honestRadius(cal, 1.5, 4, 4, 1, 20).radiusM).toBeCloseTo(2.5, 10);
  });
  it('reads χ² against its chi-square median at the fix\'s dof, so fewer APs alone read no better fit', () => {
    // The medians of χ² with 1, 2 and 5 dof: 0.455, 1.386, 4.351.
    expect(chi2Median(1)).toBeCloseTo(0.455, 1);
    expect(chi2Median(2)).toBeCloseTo(1.386, 1);
    expect(chi2Median(5)).toBeCloseTo(4.351, 1);
    const cal = { reports: [1], floorM: [0], misfit: [1] };
    // Each at its dof's median: the same ratio 1, where χ²/dof would read 0.47 and 0.87.
    expect(honestRadius(cal, 1, chi2Median(1), 1, 1, Infinity).misfitRatio).toBeCloseTo(1, 10);
    expect(honestRadius(cal, 1, chi2Median(5), 5, 1, Infinity).misfitRatio).toBeCloseTo(1, 10);
  });
});

describe('survey calibration of a radius', () => {
  // Ten left-out fixes with own radius 1 m and errors 0.2 ... 2.0 m.
  const err = Array.from({ length: 10 }, (_, i) => 0.2 * (i + 1));
  const own = err.map(() => 1);
  it('adds the floor that brings 68 % inside when too few are', () => {
    // 5 of 10 inside 1 m; the 7th smallest need √(1.4² − 1) holds 7 of 10.
    const c = calibration(err, own, true);
    expect(c.scale).toBe(1);
    expect(c.floorM).toBeCloseTo(Math.sqrt(1.4 ** 2 - 1), 10);
    expect(err.filter((e, i) => e <= Math.hypot(c.scale * own[i], c.floorM) + 1e-12).length).toBe(7);
  });
  it('narrows a spread that holds too many, never a posterior', () => {
    const wide = own.map(() => 4);
    const c = calibration(err, wide, true);
    expect(c.scale).toBeCloseTo(1.4 / 4, 10);
    expect(c.floorM).toBe(0);
    expect(calibration(err, wide, false)).toEqual({ scale: 1, floorM: 0 });
  });
});

describe('left-out errors read as in use', () => {
  // Fading 3 dB a reading, map error 1.5 dB: an AP's mean of n reports spreads 9/n + 2.25 dB² around a map that knows the point.
  const noise = { readingSigmaDb: 3 };
  it("scale a fix's error variance by how much more an AP's mean spreads around the full map where devices are than around the rebuilt map at the left-out points", () => {
    expect(errorInUse(undefined, noise, 1.5, 4)).toBe(1);
    expect(errorInUse({ inUseDb2: 2, leftOutDb2: 2 }, noise, 1.5, 4)).toBeCloseTo(1, 12);
    // A rebuilt map that knows its left-out points 4 dB² worse than the full map its cells: (9 + 2.25 + 1) / (9 + 2.25 + 5) at one report.
    expect(errorInUse({ inUseDb2: 1, leftOutDb2: 5 }, noise, 1.5, 1)).toBeCloseTo(12.25 / 16.25, 12);
    // The more reports, the more of the error is the map's: (2.25 + 9/16 + 1) / (2.25 + 9/16 + 5).
    expect(errorInUse({ inUseDb2: 1, leftOutDb2: 5 }, noise, 1.5, 16)).toBeCloseTo(3.8125 / 7.8125, 12);
    // Past the levels measured: a stay's 256 reports against the survey's top level, 4.
    expect(errorInUse({ inUseDb2: 1, leftOutDb2: 5 }, noise, 1.5, 256, 4)).toBeCloseTo((9 / 256 + 3.25) / 9.5, 12);
  });

  it("keep the sparse retail store's radii honest: its realistic badges' 68 % radius holds 0.60-0.76 of the truths in the first hour (0.82 with the left-out errors as measured)", async () => {
    // Six APs over 60 × 40 m, a survey point every 2.5 m: the rebuilt map knows the left-out points with 11.6 dB² of
    // kriging variance, the full map its walkable cells with 3.5, so the floor the left-out points asked for was too wide.
    const s = loadScenario('retail');
    s.durationS = 3600;
    const badges = (await runExperiment(s)).metrics.perTech['ble-badge']!.localization;
    expect(badges.coverage).toBeGreaterThanOrEqual(0.6);
    expect(badges.coverage).toBeLessThanOrEqual(0.76);
  });
});

describe('the folds the radius calibration leaves out', () => {
  /** A survey of `points` points (three readings each, one band), every point in its own cell. */
  const survey = (points: number): SurveyBatch => {
    const n = points * 3, idx = (i: number): number => Math.floor(i / 3);
    return {
      length: n, floor: new Int16Array(n), x: Float32Array.from({ length: n }, (_, i) => idx(i)), y: new Float32Array(n),
      apIdx: new Uint16Array(n), band: new Uint8Array(n), rssiDbm: new Float32Array(n).fill(-60),
    };
  };
  const keyOf = (s: SurveyBatch) => (i: number): string => String(s.x[i]);
  it('leaves out a quarter of a large survey once, and every point of a small one in turn, each once', () => {
    const large = survey(240), small = survey(34), mid = survey(120);
    expect(heldOutFolds(large, 0, keyOf(large))).toHaveLength(1);
    expect(heldOutFolds(mid, 0, keyOf(mid))).toHaveLength(2);
    const folds = heldOutFolds(small, 0, keyOf(small));
    expect(folds).toHaveLength(4);
    const times = new Uint8Array(small.length);
    for (const f of folds) f.forEach((v, i) => (times[i] += v));
    expect([...times].every((t) => t === 1)).toBe(true);
    // The first fold is every fourth point, the last of each four (as one fold was before), all its readings together.
    expect([...folds[0]].flatMap((v, i) => (v ? [small.x[i]] : []))).toEqual([3, 7, 11, 15, 19, 23, 27, 31].flatMap((x) => [x, x, x]));
  });
});

describe("the moved survey's factor on the radii", () => {
  // Three rungs (biases 0, 4, 8 dB) whose fixes read R 1, 2, 4 and need ×1.2, ×1.5, ×2.4 (five or six APs; the other classes ×1.2 throughout).
  const rungs = [0, 4, 8].map((biasSigmaDb, k) => ({ biasSigmaDb, misfitRatioByAps: [1, 2, 4, 8].map(() => 2 ** k), radiusFactor: [1.2, [1.2, 1.5, 2.4][k], 1.2, 1.2] }));
  const every = (R: number): number[] => [R, R, R, R];
  it('is none where the log fits no worse than the unmoved points, or tells no R', () => {
    expect(movedFactor(rungs, every(1))).toBeUndefined();
    expect(movedFactor(rungs, every(0.7))).toBeUndefined();
    expect(movedFactor(rungs, [null, null, null, null])).toBeUndefined();
  });
  it('is read between the rungs bracketing R, in log R, relative to the unmoved rung', () => {
    // R = 2√2: halfway from R 2 to 4 in log R, so bias 6 dB and (1.5 + 2.4) / 2 / 1.2 on the second class.
    const at = movedFactor(rungs, every(2 * Math.SQRT2))!;
    expect(at.biasSigmaDb).toBeCloseTo(6, 10);
    expect(at.factor[1]).toBeCloseTo(1.95 / 1.2, 10);
    expect(at.factor[0]).toBe(1);
    expect(movedFactor(rungs, every(2))!.factor[1]).toBeCloseTo(1.25, 10);
  });
  it("reads each class at its own R: fixes of so many APs that fit as the survey's did keep their radii", () => {
    expect(movedFactor(rungs, [4, 1, 4, 4])!.factor).toEqual([1, 1, 1, 1]);
    expect(movedFactor(rungs, [1, 4, null, 1])!.factor).toEqual([1, 2, 1, 1]);
  });
  it('narrows where the moved points err less than √R says', () => {
    const bounded = rungs.map((g, k) => ({ ...g, radiusFactor: [1.2, [1.2, 0.9, 0.6][k], 1.2, 1.2] }));
    expect(movedFactor(bounded, every(4))!.factor[1]).toBeCloseTo(0.5, 10);
  });
  it("is the top rung's beyond it", () => {
    expect(movedFactor(rungs, every(10))).toEqual({ factor: [1, 2, 1, 1], biasSigmaDb: 8 });
  });
  it('classes fixes by the APs they used, none for three (no misfit to read)', () => {
    expect([3, 4, 5, 6, 7, 9, 10, 20].map(apsClass)).toEqual([-1, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('centroid radius', () => {
  it('is the spread of its weights over the APs, times radiusScale', () => {
    const site: Site = {
      floors: [{ id: 0, name: 'f', widthM: 20, heightM: 20, elevationM: 0 }], walls: [], zones: [],
      aps: [[0, 0], [10, 0], [0, 10], [10, 10]].map(([x, y], i) => ({ id: `ap${i}`, floor: 0, x, y, radios: { ble: { txPowerDbm: 0 } } })),
    };
    const model = localizeModel(siteLayout(site), DEFAULT_CONFIG.ranging['ble-badge'], DEFAULT_CONFIG.localize);
    const fix = centroid.locate(model, { apIdx: Uint16Array.of(0, 1, 2, 3), rssiDbm: Float32Array.of(-60, -60, -60, -60), start: 0, end: 4 });
    // Four equal weights at the corners of a 10 m square: the fix in the middle, RMS distance √50.
    expect(fix).not.toBeNull();
    expect(fix!.x).toBeCloseTo(5, 10);
    expect(fix!.errorRadiusM).toBeCloseTo(Math.sqrt(50) * DEFAULT_CONFIG.localize.centroid.radiusScale, 5);
  });
});
