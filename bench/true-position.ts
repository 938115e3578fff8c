// Where a person truly was at a given time, from their piecewise-linear track.
import type { Track } from '../sim/types.ts';

export interface TruePosition {
  x: number;
  y: number;
  /** -1 when the person was not in the building. */
  floor: number;
}

export function truePositionAt(track: Track, tMs: number): TruePosition {
  const t = track.tMs;
  if (t.length === 0 || tMs < t[0]) return { x: NaN, y: NaN, floor: -1 };
  // Last waypoint at or before tMs.
  let lo = 0;
  let hi = t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid] <= tMs) lo = mid;
    else hi = mid - 1;
  }
  const next = lo + 1;
  if (next >= t.length || track.floor[next] !== track.floor[lo]) {
    return { x: track.x[lo], y: track.y[lo], floor: track.floor[lo] };
  }
  const f = (tMs - t[lo]) / (t[next] - t[lo]);
  return {
    x: track.x[lo] + f * (track.x[next] - track.x[lo]),
    y: track.y[lo] + f * (track.y[next] - track.y[lo]),
    floor: track.floor[lo],
  };
}
