// Rauch-Tung-Striebel smoothing: a backward pass over the Kalman filter's
// history, so each tracked position also uses the fixes after it. A walker's
// filtered track lags behind turns and starts; the smoothed one does not.
// Costs latency (the whole run is known when the engine finishes), which
// contact tracing, an after-the-fact query, can afford.
//   G = P_k Fᵀ P_{k+1|k}⁻¹,  m_k ← m_k + G (m_{k+1}ˢ − F m_k),  P_k ← P_k + G (P_{k+1}ˢ − P_{k+1|k}) Gᵀ
import type { Estimates } from '../outputs.ts';
import { P00, P01, P11, predictCovariance, predicted, SLOTS, VX, X, Y, type FilterHistory } from './kalman.ts';
import type { SharedTrackSettings } from './tracker.ts';

/**
 * Replaces the positions and radii of `tracked` (rows as the filter wrote
 * them, with its history) by the smoothed ones, in place.
 */
export function smoothTracks(tracked: Estimates, history: FilterHistory, devices: number, cfg: SharedTrackSettings, fixRadiusScale: number, fixRadiusM: Float32Array): void {
  const h = history.state;
  /** Per device: the row after the current one (−1 none), already smoothed in h. */
  const next = new Int32Array(devices).fill(-1);
  for (let k = tracked.length - 1; k >= 0; k--) {
    const d = tracked.deviceIdx[k];
    const j = next[d];
    next[d] = k;
    if (j < 0 || history.restart[j] === 1) continue;
    const o = k * SLOTS, on = j * SLOTS;
    const dtS = (tracked.tMs[j] - tracked.tMs[k]) / 1000;
    predictCovariance(h, o, dtS, history.accelNoise[j]);
    const q00 = predicted[0], q01 = predicted[1], q11 = predicted[2];
    const det = q00 * q11 - q01 * q01;
    if (!(det > 0)) continue;
    // C = P_k Fᵀ (2×2, not symmetric), then G = C · Pred⁻¹.
    const c00 = h[o + P00] + dtS * h[o + P01], c01 = h[o + P01];
    const c10 = h[o + P01] + dtS * h[o + P11], c11 = h[o + P11];
    const g00 = (c00 * q11 - c01 * q01) / det, g01 = (c01 * q00 - c00 * q01) / det;
    const g10 = (c10 * q11 - c11 * q01) / det, g11 = (c11 * q00 - c10 * q01) / det;
    // Each axis: position slot X then Y, its velocity slot VX then VY (= VX + 1).
    for (let p = X, v = VX; p <= Y; p++, v++) {
      const dp = h[on + p] - (h[o + p] + dtS * h[o + v]);
      const dv = h[on + v] - h[o + v];
      h[o + p] += g00 * dp + g01 * dv;
      h[o + v] += g10 * dp + g11 * dv;
    }
    const e00 = h[on + P00] - q00, e01 = h[on + P01] - q01, e11 = h[on + P11] - q11;
    // P += G E Gᵀ (symmetric E).
    const t00 = g00 * e00 + g01 * e01, t01 = g00 * e01 + g01 * e11;
    const t10 = g10 * e00 + g11 * e01, t11 = g10 * e01 + g11 * e11;
    h[o + P00] += t00 * g00 + t01 * g01;
    h[o + P01] += t00 * g10 + t01 * g11;
    h[o + P11] += t10 * g10 + t11 * g11;
    tracked.x[k] = h[o + X];
    tracked.y[k] = h[o + Y];
    tracked.errorRadiusM[k] = Math.max(Math.sqrt(2 * Math.max(h[o + P00], 0)) * fixRadiusScale, cfg.minRadiusShare * fixRadiusM[k]);
  }
}
