// The tracked 68 % radius, from how far the track moved each device's fixes.
// A tracker weighs fixes as independent, so its posterior narrows as they
// agree, which errors that repeat from fix to fix (a fixed shadowing map, an
// aged survey) also do: alone it would lie. Kept at the fix's own radius
// instead (as before), it ignores what the track did take out: on the
// realistic office's first two hours the Kalman track brings the badges'
// fixes outside stays from 3.39 to 2.71 m median, and their coverage rose
// from 0.67 to 0.82 at the same radii.
// What the track removed is what it moved the fixes by. For an estimate that
// uses the fixes well, its error is orthogonal to its residual (fix − track),
// so E|e_fix|² = E|e_track|² + E|residual|²: the share of the fix's error
// left is k² = 1 − E|residual|²/E|e_fix|². Both read robustly, as medians in
// units of the fix's radius: a fix's 68 % radius R holds a round Gaussian
// error whose median is 0.78 R (σ√(2 ln 2) against σ√(−2 ln 0.32)), so
// k² = 1 − (median(residual / R) / 0.78)². Each device's own rows (its
// residuals tell how its errors repeat), never another's, so a device's
// radii do not depend on which others share its worker. The radius reported
// is then max(the tracker's own, k · R): k = 1 (the fix's radius) until the
// device has MIN_ROWS moved fixes. A forward filter (the live engine) moves
// a fix less than a smoother, so it gets less credit, as it should.
// Measured: bench/results/radius-coverage.md (tracked rows).
import type { Estimates } from '../outputs.ts';

/** Residual / radius is binned this finely; the last bin holds everything beyond. */
const BIN = 0.05;
const BINS = 40;
/** Moved fixes a device needs before its own residuals set its share (its median then within about ±0.3 of a quartile). */
const MIN_ROWS = 20;
/** The median error of a round 2-D Gaussian over its 68 % radius: √(2 ln 2) / √(−2 ln 0.32). */
const MEDIAN_PER_R68 = Math.sqrt(2 * Math.LN2) / Math.sqrt(-2 * Math.log(0.32));

/** Per device, the residuals of its tracked fixes over their radii, and the share of a fix's radius they leave. */
export class ResidualShares {
  private counts: Uint32Array;
  private rows: Uint32Array;

  constructor(devices: number) {
    this.counts = new Uint32Array(devices * BINS);
    this.rows = new Uint32Array(devices);
  }

  /** Room for `devices` devices, keeping what is held (the live engine's devices arrive over time). */
  grow(devices: number): void {
    if (devices <= this.rows.length) return;
    const counts = new Uint32Array(devices * BINS), rows = new Uint32Array(devices);
    counts.set(this.counts);
    rows.set(this.rows);
    this.counts = counts;
    this.rows = rows;
  }

  /** A freed device slot (the live engine's idle eviction) starts over. */
  forget(device: number): void {
    this.counts.fill(0, device * BINS, (device + 1) * BINS);
    this.rows[device] = 0;
  }

  add(device: number, residualM: number, fixRadiusM: number): void {
    const bin = Math.min(Math.floor(residualM / fixRadiusM / BIN), BINS - 1);
    this.counts[device * BINS + bin]++;
    this.rows[device]++;
  }

  /** k: the share of its fix's radius a tracked fix of `device` keeps (1 until MIN_ROWS of its fixes were moved). */
  share(device: number): number {
    const n = this.rows[device];
    if (n < MIN_ROWS) return 1;
    let acc = 0, bin = 0;
    const o = device * BINS;
    while (acc + this.counts[o + bin] < n / 2) acc += this.counts[o + bin++];
    const median = (bin + (n / 2 - acc) / this.counts[o + bin]) * BIN;
    return Math.sqrt(Math.max(0, 1 - (median / MEDIAN_PER_R68) ** 2));
  }
}

/**
 * Takes each device's residuals (rows of `tracked` against the same rows of
 * `fixes`) into `shares`, then floors every moved row's radius at its
 * device's share of its fix's. Rows the tracker left where they were (a
 * pooled stay, a track's first fix) keep theirs.
 */
export function floorTrackedRadii(fixes: Estimates, tracked: Estimates, shares: ResidualShares): void {
  const moved = (i: number): boolean => tracked.x[i] !== fixes.x[i] || tracked.y[i] !== fixes.y[i];
  for (let i = 0; i < fixes.length; i++) {
    if (moved(i)) shares.add(fixes.deviceIdx[i], Math.hypot(tracked.x[i] - fixes.x[i], tracked.y[i] - fixes.y[i]), fixes.errorRadiusM[i]);
  }
  for (let i = 0; i < fixes.length; i++) {
    if (moved(i)) tracked.errorRadiusM[i] = Math.max(tracked.errorRadiusM[i], shares.share(fixes.deviceIdx[i]) * fixes.errorRadiusM[i]);
  }
}
