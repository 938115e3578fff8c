// Building and reading a person's Track. Semantics: between waypoints i and
// i+1 the person moves linearly when both are on the same floor (else stays
// at i); floor -1 means not in the building; after the last waypoint the
// person stays as that waypoint says.
import { GrowableColumn } from '../engine/contract/typed-arrays.ts';
import type { Track } from './types.ts';

export const ABSENT_FLOOR = -1;

export class TrackBuilder {
  private readonly tMs = new GrowableColumn(Float64Array);
  private readonly x = new GrowableColumn(Float32Array);
  private readonly y = new GrowableColumn(Float32Array);
  private readonly floor = new GrowableColumn(Int16Array);

  add(tMs: number, x: number, y: number, floor: number): void {
    const n = this.tMs.length;
    if (n > 0 && tMs < this.tMs.get(n - 1)) throw new Error(`track waypoint at ${tMs} ms goes back in time`);
    this.tMs.push(tMs);
    this.x.push(x);
    this.y.push(y);
    this.floor.push(floor);
  }

  build(): Track {
    return { tMs: this.tMs.toArray(), x: this.x.toArray(), y: this.y.toArray(), floor: this.floor.toArray() };
  }
}

/** Where a person truly was at one time. */
export interface TruePosition {
  x: number;
  y: number;
  /** ABSENT_FLOOR when the person was not in the building (x and y NaN before they first arrived). */
  floor: number;
}

/** Samples a track: the simulator at increasing times, scoring and reports per device (so sometimes earlier again). */
export class TrackCursor implements TruePosition {
  x = NaN;
  y = NaN;
  floor = ABSENT_FLOOR;
  /** Last waypoint at or before the previous query's time, -1 before the first. */
  private i = -1;

  constructor(private readonly track: Track) {}

  /** Moves to `tMs` and updates x, y, floor: in amortized O(1) without allocating when times increase, by bisection when one goes back. */
  seek(tMs: number): void {
    const { tMs: t, x, y, floor } = this.track;
    if (t.length === 0 || tMs < t[0]) {
      this.i = -1;
      this.x = NaN;
      this.y = NaN;
      this.floor = ABSENT_FLOOR;
      return;
    }
    if (this.i < 0 || t[this.i] > tMs) this.i = lastAtOrBefore(t, tMs);
    while (this.i + 1 < t.length && t[this.i + 1] <= tMs) this.i++;
    const lo = this.i, next = lo + 1;
    this.floor = floor[lo];
    if (next >= t.length || floor[next] !== floor[lo]) {
      this.x = x[lo];
      this.y = y[lo];
      return;
    }
    const f = (tMs - t[lo]) / (t[next] - t[lo]);
    this.x = x[lo] + f * (x[next] - x[lo]);
    this.y = y[lo] + f * (y[next] - y[lo]);
  }

  /**
   * After a seek to tMs: a time up to which every later seek (before it)
   * finds x, y and floor as they are now; tMs itself when the track moves on from here.
   */
  stillUntilMs(tMs: number): number {
    const { tMs: t, x, y, floor } = this.track;
    if (t.length === 0) return Infinity;
    if (this.i < 0) return t[0];
    const lo = this.i, next = lo + 1;
    if (next >= t.length) return Infinity;
    return floor[next] !== floor[lo] || (x[next] === x[lo] && y[next] === y[lo]) ? t[next] : tMs;
  }
}

/** One query, for the odd lookup (a cursor serves a sweep). */
export function positionAt(track: Track, tMs: number): TruePosition {
  const at = new TrackCursor(track);
  at.seek(tMs);
  return { x: at.x, y: at.y, floor: at.floor };
}

/** Index of the last waypoint at or before tMs (tMs ≥ t[0]). */
function lastAtOrBefore(t: Float64Array, tMs: number): number {
  let lo = 0;
  let hi = t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid] <= tMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
