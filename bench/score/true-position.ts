// Where a person truly was at a given time, from their piecewise-linear track.
import type { Track } from '../../sim/types.ts';

export interface TruePosition {
  x: number;
  y: number;
  /** -1 when the person was not in the building. */
  floor: number;
}

export function truePositionAt(track: Track, tMs: number): TruePosition {
  const at = new TruePositionCursor(track);
  at.seek(tMs);
  return { x: at.x, y: at.y, floor: at.floor };
}

/**
 * truePositionAt without an allocation or a bisection per query: scoring asks
 * each device's track at increasing times, so the cursor steps forward from
 * where it last stood (and bisects only when asked about an earlier time).
 */
export class TruePositionCursor implements TruePosition {
  x = NaN;
  y = NaN;
  floor = -1;
  /** Last waypoint at or before the previous query's time, -1 before the first. */
  private i = -1;

  constructor(private readonly track: Track) {}

  seek(tMs: number): void {
    const { tMs: t, x, y, floor } = this.track;
    if (t.length === 0 || tMs < t[0]) {
      this.i = -1;
      this.x = NaN;
      this.y = NaN;
      this.floor = -1;
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
