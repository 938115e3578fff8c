// Position smoothing before pairing: each fix is replaced by the mean of its
// device's fixes on the same floor within ±windowS/2. People sit still for
// long stretches, so averaging cancels most of the per-epoch fading noise
// that makes neighbours at 1.8 m and 2.5 m indistinguishable; walking
// segments blur a little, which costs little exposure.
import type { Estimates } from '../outputs.ts';

/** Rows of each device in time order (est sorted by time). */
export function rowsByDevice(est: Estimates, deviceCount: number): Uint32Array[] {
  const counts = new Uint32Array(deviceCount);
  for (let i = 0; i < est.length; i++) counts[est.deviceIdx[i]]++;
  const none = new Uint32Array(0); // most devices of a campus are absent from any one slab of time
  const rows = Array.from(counts, (c) => (c === 0 ? none : new Uint32Array(c)));
  const fill = new Uint32Array(deviceCount);
  for (let i = 0; i < est.length; i++) {
    const d = est.deviceIdx[i];
    rows[d][fill[d]++] = i;
  }
  return rows;
}

/**
 * A copy of est with x, y averaged over the window. errorRadiusM becomes the
 * window's mean radius, not smaller: on the office most of the error is
 * shadowing bias, which averaging does not remove (median error 3.1 m raw,
 * 3.0 m after 60 s, 3.1 m after 300 s for ble-badge on seed 1).
 */
export function smoothEstimates(est: Estimates, deviceCount: number, windowS: number): Estimates {
  const out: Estimates = { ...est, x: est.x.slice(), y: est.y.slice(), errorRadiusM: est.errorRadiusM.slice() };
  if (windowS <= 0) return out;
  const halfMs = (windowS * 1000) / 2;
  for (const rows of rowsByDevice(est, deviceCount)) {
    // Prefix sums over the device's rows: a window on one floor (the usual case) costs O(1).
    const n = rows.length;
    if (n === 0) continue;
    const sx = new Float64Array(n + 1), sy = new Float64Array(n + 1), sr = new Float64Array(n + 1);
    const floorChanges = new Uint32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const i = rows[k];
      sx[k + 1] = sx[k] + est.x[i];
      sy[k + 1] = sy[k] + est.y[i];
      sr[k + 1] = sr[k] + est.errorRadiusM[i];
      floorChanges[k + 1] = floorChanges[k] + (k > 0 && est.floor[i] !== est.floor[rows[k - 1]] ? 1 : 0);
    }
    let lo = 0, hi = 0;
    for (let k = 0; k < n; k++) {
      const i = rows[k];
      const t = est.tMs[i];
      while (est.tMs[rows[lo]] < t - halfMs) lo++;
      while (hi < n && est.tMs[rows[hi]] <= t + halfMs) hi++;
      if (floorChanges[hi] === floorChanges[lo + 1]) {
        const m = hi - lo;
        out.x[i] = (sx[hi] - sx[lo]) / m;
        out.y[i] = (sy[hi] - sy[lo]) / m;
        out.errorRadiusM[i] = (sr[hi] - sr[lo]) / m;
        continue;
      }
      let ax = 0, ay = 0, ar = 0, m = 0;
      for (let q = lo; q < hi; q++) {
        const j = rows[q];
        if (est.floor[j] !== est.floor[i]) continue;
        ax += est.x[j];
        ay += est.y[j];
        ar += est.errorRadiusM[j];
        m++;
      }
      out.x[i] = ax / m;
      out.y[i] = ay / m;
      out.errorRadiusM[i] = ar / m;
    }
  }
  return out;
}
