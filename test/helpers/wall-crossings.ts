// Checking tracks against the floor plan.
import { segmentsCross } from '../../engine/contract/geometry.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { ABSENT_FLOOR } from '../../sim/track.ts';
import type { Track } from '../../sim/types.ts';

/** Track segments (on one floor) that cross a wall of that floor. */
export function wallCrossings(scenario: Scenario, tracks: readonly Track[]): number {
  let crossings = 0;
  for (const t of tracks) {
    for (let i = 1; i < t.tMs.length; i++) {
      if (t.floor[i] === ABSENT_FLOOR || t.floor[i] !== t.floor[i - 1]) continue;
      for (const w of scenario.site.walls) {
        if (w.floor === t.floor[i] && segmentsCross(t.x[i - 1], t.y[i - 1], t.x[i], t.y[i], w.x1, w.y1, w.x2, w.y2)) crossings++;
      }
    }
  }
  return crossings;
}
