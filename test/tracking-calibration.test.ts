// Tracking, calibration, kNN and the CRLB on hand-made data with known answers.
import { localizeModel } from '../engine/localize/model.ts';
import { describe, expect, it } from 'vitest';
import { InputError } from '../engine/contract/input-error.ts';
import { crlbVarianceM2, type CrlbModel } from '../bench/score/crlb.ts';
import { fitApBeacons, fitLogDistance } from '../engine/calibrate/ap-beacons.ts';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import { centroid } from '../engine/localize/centroid.ts';
import { knn } from '../engine/localize/knn.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import type { LocalizeTuning } from '../engine/localize/index.ts';
import type { LocalizeModel } from '../engine/localize/types.ts';
import { wls } from '../engine/localize/wls.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Estimates } from '../engine/outputs.ts';
import { newFilterHistory, newTrackState, trackKalman } from '../engine/track/kalman.ts';
import { trackParticles } from '../engine/track/particle.ts';
import { smoothTracks } from '../engine/track/rts-smoother.ts';
import { wallLossDb, packWalls } from '../engine/site-map/wall-loss.ts';
import { HEIGHT_DIFF_M, lcg, locateRandomPoints, makeSite, WIFI } from './helpers/synthetic.ts';

/** A smoother walker model than the default (tuned on the office, whose fix errors are correlated in time). */
const TRACK = { ...DEFAULT_CONFIG.track, kalman: { ...DEFAULT_CONFIG.track.kalman, accelNoiseM2PerS3: 0.05 } };
const SCALE = DEFAULT_CONFIG.localize.wls.radiusScale;

/** Fixes every 5 s of a walker at 1.2 m/s along y = 10 for 60 s, then still for 60 s; noise sd 2 m per axis. */
function walkerFixes(seed: number): { fixes: Estimates; trueX: number[] } {
  const rng = lcg(seed);
  const b = new EstimatesBuilder();
  const trueX: number[] = [];
  for (let k = 0; k < 24; k++) {
    const tS = k * 5;
    const x = 2 + 1.2 * Math.min(tS, 60);
    trueX.push(x);
    b.push(tS * 1000, 0, { x: x + 2 * rng.normal(), y: 10 + 2 * rng.normal(), floor: 0, errorRadiusM: 2 * Math.SQRT2 * SCALE, apsUsed: 6 });
  }
  return { fixes: b.build(), trueX };
}

const medianError = (e: Estimates, trueX: number[], rows: number[]): number => {
  const errs = rows.map((i) => Math.hypot(e.x[i] - trueX[i], e.y[i] - 10)).sort((a, b) => a - b);
  return errs[errs.length >> 1];
};

describe('tracking', () => {
  it('the smoothed Kalman track beats the raw fixes by ≥ 15% while walking and ≥ 30% when still', () => {
    const walking = Array.from({ length: 12 }, (_, i) => i), still = Array.from({ length: 12 }, (_, i) => 12 + i);
    let rawWalk = 0, trackWalk = 0, rawStill = 0, trackStill = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const { fixes, trueX } = walkerFixes(seed);
      const history = newFilterHistory(fixes.length);
      const tracked = trackKalman(fixes, newTrackState(1), TRACK, SCALE, history);
      smoothTracks(tracked, history, 1, TRACK, SCALE, fixes.errorRadiusM);
      rawWalk += medianError(fixes, trueX, walking);
      trackWalk += medianError(tracked, trueX, walking);
      rawStill += medianError(fixes, trueX, still);
      trackStill += medianError(tracked, trueX, still);
    }
    expect(trackWalk).toBeLessThan(0.85 * rawWalk);
    expect(trackStill).toBeLessThan(0.7 * rawStill);
  });

  it('restarts on a floor change and after a long gap, and never reports a radius below minRadiusShare of the fix', () => {
    const b = new EstimatesBuilder();
    b.push(0, 0, { x: 5, y: 5, floor: 0, errorRadiusM: 3, apsUsed: 4 });
    b.push(5000, 0, { x: 20, y: 5, floor: 1, errorRadiusM: 3, apsUsed: 4 });
    b.push(10000, 0, { x: 21, y: 5, floor: 1, errorRadiusM: 3, apsUsed: 4 });
    b.push(10000 + (TRACK.resetAfterS + 1) * 1000, 0, { x: 2, y: 2, floor: 1, errorRadiusM: 3, apsUsed: 4 });
    const out = trackKalman(b.build(), newTrackState(1), { ...TRACK, minRadiusShare: 1 }, SCALE);
    expect([out.x[0], out.x[1], out.x[3]]).toEqual([5, 20, 2]); // restarts take the fix as is
    expect(out.x[2]).toBeGreaterThan(20);
    expect(out.x[2]).toBeLessThan(21);
    for (const r of out.errorRadiusM) expect(r).toBeGreaterThanOrEqual(3 - 1e-6);
  });

  it('gates an outlier: a fix 40 m off moves a settled track less than a walk would', () => {
    const b = new EstimatesBuilder();
    for (let k = 0; k < 10; k++) b.push(k * 5000, 0, { x: 10, y: 10, floor: 0, errorRadiusM: 3, apsUsed: 4 });
    b.push(50000, 0, { x: 50, y: 10, floor: 0, errorRadiusM: 3, apsUsed: 4 });
    const out = trackKalman(b.build(), newTrackState(1), DEFAULT_CONFIG.track, SCALE);
    expect(out.x[10] - 10).toBeGreaterThan(0);
    expect(out.x[10] - 10).toBeLessThanOrEqual(DEFAULT_CONFIG.track.maxSpeedMps * 5 + 1e-6);
  });
});

describe('particle tracking', () => {
  it('keeps a seated device on its side of a wall more than the Kalman filter does, deterministically', () => {
    const site = makeSite();
    site.walls = [{ floor: 0, x1: 0, y1: 10, x2: 30, y2: 10, material: 'concrete', lossDb: 12 }];
    const layout = siteLayout(site);
    const rng = lcg(9);
    const b = new EstimatesBuilder();
    // Truth (10, 8.5), 1.5 m below the wall; fixes scatter 2 m, a third of them land across it.
    for (let k = 0; k < 60; k++) b.push(k * 5000, 0, { x: 10 + 2 * rng.normal(), y: 8.5 + 2 * rng.normal(), floor: 0, errorRadiusM: 2 * Math.SQRT2 * SCALE, apsUsed: 6 });
    const fixes = b.build();
    const cfg = DEFAULT_CONFIG.track;
    const out = trackParticles(fixes, 1, layout, cfg, SCALE);
    // The Kalman filter as a walker only (its still mode would average the strays away with or without walls).
    const kalman = trackKalman(fixes, newTrackState(1), { ...cfg, kalman: { ...cfg.kalman, stillAccelNoiseM2PerS3: cfg.kalman.accelNoiseM2PerS3 } }, SCALE);
    let fixesAcross = 0, tracksAcross = 0, kalmanAcross = 0, err = 0, kalmanErr = 0;
    for (let k = 10; k < 60; k++) {
      if (fixes.y[k] > 10) fixesAcross++;
      if (out.y[k] > 10) tracksAcross++;
      if (kalman.y[k] > 10) kalmanAcross++;
      err += Math.hypot(out.x[k] - 10, out.y[k] - 8.5);
      kalmanErr += Math.hypot(kalman.x[k] - 10, kalman.y[k] - 8.5);
    }
    expect(fixesAcross).toBeGreaterThan(8);
    // The wall-blind Kalman filter (same walker model) follows the strays across twice as often.
    expect(tracksAcross).toBeLessThanOrEqual(kalmanAcross / 2);
    expect(err).toBeLessThan(0.8 * kalmanErr);
    expect(trackParticles(fixes, 1, layout, cfg, SCALE)).toEqual(out);
  });
});

describe('calibration', () => {
  it('a robust log-distance fit recovers loss at 1 m and exponent despite 10% outliers', () => {
    const rng = lcg(11);
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const d = 1 + 29 * rng.uniform();
      x.push(Math.log10(d));
      y.push(40 + 25 * Math.log10(d) + 3 * rng.normal() + (i % 10 === 0 ? 25 : 0));
    }
    const fit = fitLogDistance(x, y, { ...DEFAULT_CONFIG.calibrate, exponentPriorSd: 10 }, 3);
    expect(fit.lossAt1mDb).toBeCloseTo(40, 0);
    expect(fit.pathLossExponent).toBeGreaterThan(2.35);
    expect(fit.pathLossExponent).toBeLessThan(2.65);
    // Robust spread: the outliers inflate the MAD a little; a plain standard deviation would be ≈ 8 dB.
    expect(fit.residualSigmaDb).toBeGreaterThan(2.5);
    expect(fit.residualSigmaDb).toBeLessThan(4.5);
  });

  it('AP-to-AP beacons through a known wall: subtracting walls recovers the model, ignoring them biases it', () => {
    const site = makeSite();
    site.walls = [{ floor: 0, x1: 0, y1: 10, x2: 30, y2: 10, material: 'concrete', lossDb: 12 }];
    const walls = packWalls(site.walls);
    const rng = lcg(5);
    const devices = site.aps.map((ap) => ({ id: `ap:${ap.id}`, tech: 'ble-badge' as const }));
    const rows: [number, number, number, number][] = [];
    for (let t = 0; t < 20; t++) {
      site.aps.forEach((tx, d) => site.aps.forEach((rx, r) => {
        if (d === r) return;
        const dist = Math.hypot(tx.x - rx.x, tx.y - rx.y);
        rows.push([t * 60000, d, r, 0 - 41 - 25 * Math.log10(dist) - wallLossDb(walls, tx.x, tx.y, rx.x, rx.y) + 2 * rng.normal()]);
      }));
    }
    const beacons: ObservationBatch = {
      length: rows.length, devices,
      tMs: Float64Array.from(rows, (r) => r[0]), deviceIdx: Uint32Array.from(rows, (r) => r[1]),
      apIdx: Uint16Array.from(rows, (r) => r[2]), rssiDbm: Float32Array.from(rows, (r) => r[3]),
    };
    const cfg = resolveConfig({ calibrate: { subtractWalls: true } });
    const fit = fitApBeacons(site, beacons, cfg.calibrate, cfg.ranging).ble!;
    expect(fit.links).toBe(30);
    // The pairs' loss at 1 m is free space's (the close-in model), 0.8 dB from these pairs' 41: the exponent takes up little of it.
    expect(fit.lossAt1mDb).toBe(cfg.calibrate.beaconLossAt1mDb.ble);
    expect(Math.abs(fit.pathLossExponent - 2.5)).toBeLessThan(0.1);
    const naive = fitApBeacons(site, beacons, { ...cfg.calibrate, subtractWalls: false }, cfg.ranging).ble!;
    expect(naive.lossAt1mDb + 10 * naive.pathLossExponent).toBeGreaterThan(fit.lossAt1mDb + 10 * fit.pathLossExponent + 2);
    expect(() => fitApBeacons(site, { ...beacons, devices: [{ id: 'ap:nope', tech: 'wifi' }, ...devices.slice(1)] }, cfg.calibrate, cfg.ranging))
      .toThrow(/ap:nope.*names an AP the site does not have/);
    // Bad input (exit 2), not a runtime failure.
    expect(() => fitApBeacons(site, { ...beacons, devices: [{ id: 'ap:nope', tech: 'wifi' }, ...devices.slice(1)] }, cfg.calibrate, cfg.ranging)).toThrow(InputError);
  });
});

describe('kNN on a predicted radio map', () => {
  it('recovers noiseless positions to within 1.5 grid cells, and beats the centroid with 4 dB noise', () => {
    const exact = locateRandomPoints(knn, 60, 0, 21, { ...WIFI, sigmaDb: 0.5 });
    // The k-cell average may sit off the nearest cell centre (half-diagonal 0.71 m) by a little.
    expect(exact.errorsM[exact.errorsM.length - 1]).toBeLessThan(1.5 * DEFAULT_CONFIG.localize.knn.gridM);
    const k = locateRandomPoints(knn, 200, 4, 22);
    const c = locateRandomPoints(centroid, 200, 4, 22);
    expect(k.medianM).toBeLessThan(0.8 * c.medianM);
  });

  it('knows walls: behind a 12 dB wall it is right where WLS is pushed away', () => {
    const site = makeSite();
    site.walls = [{ floor: 0, x1: 0, y1: 10, x2: 30, y2: 10, material: 'concrete', lossDb: 12 }];
    const walls = packWalls(site.walls);
    const model: LocalizeModel<LocalizeTuning> = localizeModel(siteLayout(site), WIFI, DEFAULT_CONFIG.localize);
    const [x, y] = [12.3, 8.2];
    const apIdx = Uint16Array.from(site.aps, (_, i) => i);
    const rssiDbm = Float32Array.from(site.aps, (ap) =>
      WIFI.refRssiDbmAt1m - 10 * WIFI.pathLossExponent * Math.log10(Math.hypot(x - ap.x, y - ap.y, HEIGHT_DIFF_M)) - wallLossDb(walls, ap.x, ap.y, x, y));
    const readings = { apIdx, rssiDbm, start: 0, end: apIdx.length };
    const k = knn.locate(model, readings)!, w = wls.locate(model, readings)!;
    expect(Math.hypot(k.x - x, k.y - y)).toBeLessThan(0.8);
    expect(Math.hypot(w.x - x, w.y - y)).toBeGreaterThan(1.5);
  });
});

describe('CRLB', () => {
  const model = (aps: [number, number][], sigmaDb: number): CrlbModel => ({
    apX: Float64Array.from(aps, (a) => a[0]), apY: Float64Array.from(aps, (a) => a[1]), apFloor: new Int16Array(aps.length), apDh2: new Float64Array(aps.length).fill(HEIGHT_DIFF_M ** 2),
    txDbm: new Float64Array(aps.length), refLossDbAt1m: 40, pathLossExponent: 2.5, sigmaDb, sensitivityDbm: -200,
  });

  it('matches the closed form for four APs around the point: (a² + Δh²)² / (a²·b²)', () => {
    const a = 6, dh2 = HEIGHT_DIFF_M ** 2, b = 25 / (4 * Math.LN10);
    const m = model([[10 + a, 10], [10 - a, 10], [10, 10 + a], [10, 10 - a]], 4);
    expect(crlbVarianceM2(m, 10, 10, 0)).toBeCloseTo((a * a + dh2) ** 2 / (a * a * b * b), 6);
    expect(crlbVarianceM2(model([[0, 0], [10, 0]], 4), 5, 5, 0)).toBe(Infinity);
  });

  it('WLS on independent 4 dB noise stays within 1.5× the bound', () => {
    const site = makeSite();
    const m = { ...model(site.aps.map((ap) => [ap.x, ap.y]), 4), pathLossExponent: WIFI.pathLossExponent };
    const rng = lcg(3);
    let bound = 0, sq = 0;
    for (let k = 0; k < 300; k++) {
      const x = 8 + 14 * rng.uniform(), y = 7 + 6 * rng.uniform(); // inside the AP hull
      bound += crlbVarianceM2(m, x, y, 0);
      const fix = locateAt(site, x, y, rng);
      sq += (fix.x - x) ** 2 + (fix.y - y) ** 2;
    }
    const ratio = Math.sqrt(sq / bound);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.5);
  });
});

function locateAt(site: ReturnType<typeof makeSite>, x: number, y: number, rng: ReturnType<typeof lcg>) {
  const model: LocalizeModel<LocalizeTuning> = localizeModel(siteLayout(site), WIFI, { ...DEFAULT_CONFIG.localize, maxAps: 6 });
  const apIdx = Uint16Array.from(site.aps, (_, i) => i);
  const rssiDbm = Float32Array.from(site.aps, (ap) =>
    WIFI.refRssiDbmAt1m - 10 * WIFI.pathLossExponent * Math.log10(Math.hypot(x - ap.x, y - ap.y, HEIGHT_DIFF_M)) + 4 * rng.normal());
  return wls.locate(model, { apIdx, rssiDbm, start: 0, end: apIdx.length })!;
}
