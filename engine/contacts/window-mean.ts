// Position smoothing before pairing: each fix is replaced by the mean of its
// device's fixes on the same floor within ±windowS/2. People sit still for
// long stretches, so averaging cancels most of the per-epoch fading noise
// that makes neighbours at 1.8 m and 2.5 m indistinguishable; walking
// segments blur a little, which costs little exposure.
import type { Estimates } from '../outputs.ts';
import { resized } from '../contract/typed-arrays.ts';

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
 * One device's track in time order, in contiguous scratch columns reused
 * from device to device; smooth() writes the smoothed x, y, errorRadiusM of
 * its rows [0, length) to sx, sy, sr.
 */
export class TrackScratch {
  length = 0;
  tMs = new Float64Array(64);
  x = new Float32Array(64);
  y = new Float32Array(64);
  floor = new Int16Array(64);
  errorRadiusM = new Float32Array(64);
  apsUsed = new Uint8Array(64);
  sx = new Float32Array(64);
  sy = new Float32Array(64);
  sr = new Float32Array(64);
  // Prefix sums of x, y, errorRadiusM and of floor changes.
  private px = new Float64Array(65);
  private py = new Float64Array(65);
  private pr = new Float64Array(65);
  private floorChanges = new Uint32Array(65);

  push(tMs: number, x: number, y: number, floor: number, errorRadiusM: number, apsUsed: number): void {
    if (this.length === this.tMs.length) this.grow();
    const k = this.length++;
    this.tMs[k] = tMs;
    this.x[k] = x;
    this.y[k] = y;
    this.floor[k] = floor;
    this.errorRadiusM[k] = errorRadiusM;
    this.apsUsed[k] = apsUsed;
  }

  /** Each row's mean over its window (a window on one floor, the usual case, costs O(1)); windowS ≤ 0 copies. */
  smooth(windowS: number): void {
    const n = this.length;
    const { tMs, x, y, floor, errorRadiusM, sx, sy, sr, px, py, pr, floorChanges } = this;
    if (windowS <= 0) {
      sx.set(x.subarray(0, n));
      sy.set(y.subarray(0, n));
      sr.set(errorRadiusM.subarray(0, n));
      return;
    }
    const halfMs = (windowS * 1000) / 2;
    for (let k = 0; k < n; k++) {
      px[k + 1] = px[k] + x[k];
      py[k + 1] = py[k] + y[k];
      pr[k + 1] = pr[k] + errorRadiusM[k];
      floorChanges[k + 1] = floorChanges[k] + (k > 0 && floor[k] !== floor[k - 1] ? 1 : 0);
    }
    let lo = 0, hi = 0;
    for (let k = 0; k < n; k++) {
      const t = tMs[k];
      while (tMs[lo] < t - halfMs) lo++;
      while (hi < n && tMs[hi] <= t + halfMs) hi++;
      if (floorChanges[hi] === floorChanges[lo + 1]) {
        const m = hi - lo;
        sx[k] = (px[hi] - px[lo]) / m;
        sy[k] = (py[hi] - py[lo]) / m;
        sr[k] = (pr[hi] - pr[lo]) / m;
        continue;
      }
      let ax = 0, ay = 0, ar = 0, m = 0;
      for (let q = lo; q < hi; q++) {
        if (floor[q] !== floor[k]) continue;
        ax += x[q];
        ay += y[q];
        ar += errorRadiusM[q];
        m++;
      }
      sx[k] = ax / m;
      sy[k] = ay / m;
      sr[k] = ar / m;
    }
  }

  private grow(): void {
    const n = this.tMs.length * 2;
    this.tMs = resized(this.tMs, n);
    this.x = resized(this.x, n);
    this.y = resized(this.y, n);
    this.floor = resized(this.floor, n);
    this.errorRadiusM = resized(this.errorRadiusM, n);
    this.apsUsed = resized(this.apsUsed, n);
    this.sx = resized(this.sx, n);
    this.sy = resized(this.sy, n);
    this.sr = resized(this.sr, n);
    this.px = resized(this.px, n + 1);
    this.py = resized(this.py, n + 1);
    this.pr = resized(this.pr, n + 1);
    this.floorChanges = resized(this.floorChanges, n + 1);
  }
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
  const track = new TrackScratch();
  for (const rows of rowsByDevice(est, deviceCount)) {
    track.length = 0;
    for (const i of rows) track.push(est.tMs[i], est.x[i], est.y[i], est.floor[i], est.errorRadiusM[i], est.apsUsed[i]);
    track.smooth(windowS);
    rows.forEach((i, k) => {
      out.x[i] = track.sx[k];
      out.y[i] = track.sy[k];
      out.errorRadiusM[i] = track.sr[k];
    });
  }
  return out;
}
