// Tracking: a constant-velocity Kalman filter over each device's per-epoch
// fixes, run in time order. Both axes share one 2×2 covariance (fixes carry
// an isotropic error radius), so a device's state is seven numbers.
//
// Two motion modes (track.kalman): still (acceleration noise stillAccelNoiseM2PerS3, so a
// seated device's fixes average over many epochs) and walking
// (accelNoiseM2PerS3), chosen per fix: walking when the fix lies beyond what
// the still prediction explains (χ² > walkStartChi2).
// Walking speed is respected three times: the velocity is clamped to
// maxSpeedMps, the position moves at most maxSpeedMps·dt per fix, and a fix farther from the prediction than the gate allows (Mahalanobis
// distance² > gateChi2) has its variance inflated until it sits on the gate
// (Huber-style: an outlier fix pulls, but only as far as a plausible walk).
// A device unseen for resetAfterS, or seen on another floor, starts over.
//
// Fix errors are not independent over time (shadowing is a fixed map, so a
// seated device's fixes share a bias): the filter's covariance would shrink
// as 1/√N and the radius would lie. The reported radius is therefore floored
// at the share of the fix's own that the track's residuals leave
// (residual-share.ts, after tracking) and at minRadiusShare of it.
import { EstimatesBuilder } from '../pipeline/estimates.ts';
import type { Estimates } from '../outputs.ts';
import { above, flag, type Settings } from '../settings/rules.ts';
import type { SharedTrackSettings } from './tracker.ts';

/** Each moved off its default on the real logs as recorded and the realistic scenarios: bench/results/track-settings.md. */
export interface KalmanSettings {
  /**
   * Spectral density of a walker's random acceleration, m²/s³: how fast the
   * filter lets a seated device start walking (larger follows turns sooner,
   * smaller averages more).
   */
  accelNoiseM2PerS3: number;
  /** The same while the device sits still, m²/s³: small, so its fixes average over many epochs. */
  stillAccelNoiseM2PerS3: number;
  /** A fix whose squared Mahalanobis distance from the still prediction exceeds this is taken as walking (accelNoiseM2PerS3 for that step). */
  walkStartChi2: number;
  /** Smooth the filtered tracks backwards (RTS, engine/track/rts-smoother.ts): every position also uses later fixes. */
  smooth: boolean;
}

export const KALMAN_SETTINGS: Settings<KalmanSettings> = {
  defaults: { accelNoiseM2PerS3: 1, stillAccelNoiseM2PerS3: 0.05, walkStartChi2: 4, smooth: true },
  rules: { accelNoiseM2PerS3: above(0, 100), stillAccelNoiseM2PerS3: above(0, 100), walkStartChi2: above(0, 10_000), smooth: flag },
};

/** What the Kalman filter reads: the shared track settings and track.kalman. */
export type KalmanTrackSettings = SharedTrackSettings & { kalman: KalmanSettings };

/** The filtered state after every fix (row i at i·SLOTS) and where tracks restart: input to the smoother. */
export interface FilterHistory {
  state: Float64Array;
  restart: Uint8Array;
  /** The acceleration noise density the prediction into each row used (still or walking). */
  accelNoise: Float64Array;
}

export function newFilterHistory(rows: number): FilterHistory {
  return { state: new Float64Array(rows * SLOTS), restart: new Uint8Array(rows), accelNoise: new Float64Array(rows) };
}

/** Per-device state slots: x, y, vx, vy, P00 (position var), P01 (pos-vel cov), P11 (velocity var). */
export const X = 0, Y = 1, VX = 2, VY = 3, P00 = 4, P01 = 5, P11 = 6, SLOTS = 7;

/** P00, P01, P11 of the last predictCovariance. */
export const predicted = new Float64Array(3);

/** P = F P Fᵀ + Q for state slots at s[o..], F = [[1, dt], [0, 1]], white acceleration of density q. */
export function predictCovariance(s: Float64Array, o: number, dtS: number, q: number): void {
  predicted[0] = s[o + P00] + 2 * dtS * s[o + P01] + dtS * dtS * s[o + P11] + (q * dtS ** 3) / 3;
  predicted[1] = s[o + P01] + dtS * s[o + P11] + (q * dtS * dtS) / 2;
  predicted[2] = s[o + P11] + q * dtS;
}

export interface TrackState {
  /** SLOTS numbers per device. */
  state: Float64Array;
  /** Time of the device's last fix, ms; NaN before its first. */
  lastTMs: Float64Array;
  floor: Int16Array;
}

export function newTrackState(devices: number): TrackState {
  return { state: new Float64Array(devices * SLOTS), lastTMs: new Float64Array(devices).fill(NaN), floor: new Int16Array(devices) };
}

/**
 * Filters `fixes` (sorted by tMs, then device) into tracked estimates, one
 * per fix, updating `st` in place so a later batch of fixes continues the tracks.
 * `fixRadiusScale` converts a fix's errorRadiusM to its per-axis sigma·√2.
 */
export function trackKalman(fixes: Estimates, st: TrackState, cfg: KalmanTrackSettings, fixRadiusScale: number, history?: FilterHistory): Estimates {
  const out = new EstimatesBuilder(fixes.length);
  const s = st.state;
  const fix = { x: 0, y: 0, floor: 0, errorRadiusM: 0, apsUsed: 0 };
  let q = cfg.kalman.accelNoiseM2PerS3;
  for (let i = 0; i < fixes.length; i++) {
    const d = fixes.deviceIdx[i];
    const o = d * SLOTS;
    const t = fixes.tMs[i];
    const zx = fixes.x[i], zy = fixes.y[i];
    const sigmaFix = fixes.errorRadiusM[i] / (fixRadiusScale * Math.SQRT2);
    const r = sigmaFix * sigmaFix;
    const dtS = (t - st.lastTMs[d]) / 1000;
    const restart = !(dtS <= cfg.resetAfterS) || st.floor[d] !== fixes.floor[i];
    if (restart) {
      s[o + X] = zx; s[o + Y] = zy; s[o + VX] = 0; s[o + VY] = 0;
      s[o + P00] = r; s[o + P01] = 0; s[o + P11] = cfg.maxSpeedMps * cfg.maxSpeedMps;
      st.floor[d] = fixes.floor[i];
    } else {
      // Predict: p += v·dt; P = F P Fᵀ + Q with white acceleration of density q:
      // a still device's q, unless the fix lies beyond what sitting explains (it got up and walks).
      const px = s[o + X] + dtS * s[o + VX];
      const py = s[o + Y] + dtS * s[o + VY];
      const ix = zx - px, iy = zy - py;
      q = cfg.kalman.stillAccelNoiseM2PerS3;
      predictCovariance(s, o, dtS, q);
      if ((ix * ix + iy * iy) / (predicted[0] + r) > cfg.kalman.walkStartChi2) {
        q = cfg.kalman.accelNoiseM2PerS3;
        predictCovariance(s, o, dtS, q);
      }
      const p00 = predicted[0], p01 = predicted[1], p11 = predicted[2];
      // Update with the fix; gate the innovation.
      let sInn = p00 + r;
      const m2 = (ix * ix + iy * iy) / sInn;
      if (m2 > cfg.gateChi2) sInn *= m2 / cfg.gateChi2;
      const kp = p00 / sInn, kv = p01 / sInn;
      // No step longer than a walk at maxSpeedMps since the last fix.
      let stepX = px + kp * ix - s[o + X], stepY = py + kp * iy - s[o + Y];
      const stepM = Math.hypot(stepX, stepY), maxStepM = cfg.maxSpeedMps * dtS;
      if (stepM > maxStepM) {
        stepX *= maxStepM / stepM;
        stepY *= maxStepM / stepM;
      }
      s[o + X] += stepX;
      s[o + Y] += stepY;
      let vx = s[o + VX] + kv * ix, vy = s[o + VY] + kv * iy;
      const speed = Math.hypot(vx, vy);
      if (speed > cfg.maxSpeedMps) {
        vx *= cfg.maxSpeedMps / speed;
        vy *= cfg.maxSpeedMps / speed;
      }
      s[o + VX] = vx;
      s[o + VY] = vy;
      s[o + P00] = (1 - kp) * p00;
      s[o + P01] = (1 - kp) * p01;
      s[o + P11] = p11 - kv * p01;
    }
    st.lastTMs[d] = t;
    if (history) {
      for (let k = 0; k < SLOTS; k++) history.state[i * SLOTS + k] = s[o + k];
      history.restart[i] = restart ? 1 : 0;
      history.accelNoise[i] = q;
    }
    fix.x = s[o + X];
    fix.y = s[o + Y];
    fix.floor = fixes.floor[i];
    fix.apsUsed = fixes.apsUsed[i];
    fix.errorRadiusM = Math.max(Math.sqrt(2 * s[o + P00]) * fixRadiusScale, cfg.minRadiusShare * fixes.errorRadiusM[i]);
    out.push(t, d, fix);
  }
  return out.build();
}
