// Ground truth from the tracks: positions sampled on a fixed clock while
// present, and true contacts (pairs within contactDistanceM, exposure summed
// over samples). Pairs are found through a per-sample spatial grid, not all pairs.
import { pointInPolygon } from '../engine/geometry.ts';
import type { Scenario, ScenarioZone } from '../scenarios/types.ts';
import { CellGrid } from './cellGrid.ts';
import { Column } from './columns.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track, TrueContact, TruthPositions } from './types.ts';

export function samplePositions(scenario: Scenario, tracks: readonly Track[]): TruthPositions {
  const stepMs = scenario.truth.sampleIntervalS * 1000;
  const cursors = tracks.map((t) => new TrackCursor(t));
  // Last sample per person: people sit still most of the day, so the zone is usually known.
  const last = tracks.map(() => ({ x: NaN, y: NaN, floor: ABSENT_FLOOR, zone: -1 }));
  const tMs = new Column((n) => new Float64Array(n));
  const person = new Column((n) => new Uint32Array(n));
  const x = new Column((n) => new Float32Array(n));
  const y = new Column((n) => new Float32Array(n));
  const floor = new Column((n) => new Int16Array(n));
  const zone = new Column((n) => new Int16Array(n));
  for (let t = 0; t < scenario.durationS * 1000; t += stepMs) {
    cursors.forEach((c, p) => {
      c.seek(t);
      if (c.floor === ABSENT_FLOOR) return;
      const prev = last[p];
      if (c.x !== prev.x || c.y !== prev.y || c.floor !== prev.floor) {
        prev.x = c.x;
        prev.y = c.y;
        prev.floor = c.floor;
        prev.zone = zoneAt(scenario.site.zones, c.floor, c.x, c.y);
      }
      tMs.push(t);
      person.push(p);
      x.push(c.x);
      y.push(c.y);
      floor.push(c.floor);
      zone.push(prev.zone);
    });
  }
  return { length: tMs.length, tMs: tMs.toArray(), person: person.toArray(), x: x.toArray(), y: y.toArray(), floor: floor.toArray(), zone: zone.toArray() };
}

/** Index of the first zone containing the point, -1 if none. */
function zoneAt(zones: readonly ScenarioZone[], floor: number, x: number, y: number): number {
  return zones.findIndex((z) => z.floor === floor && pointInPolygon(x, y, z.polygon));
}

/** Contacts sorted by (a, b); positions must be grouped by time, as samplePositions makes them. */
export function findContacts(scenario: Scenario, positions: TruthPositions, personCount: number): TrueContact[] {
  const { contactDistanceM, contactMinExposureS, sampleIntervalS } = scenario.truth;
  const grid = new CellGrid(scenario.site.floors, contactDistanceM, positions.length);
  const pairs = new Map<number, TrueContact>();
  const { tMs, person, x, y, floor } = positions;

  for (let start = 0; start < positions.length; ) {
    let end = start;
    while (end < positions.length && tMs[end] === tMs[start]) end++;
    for (let i = start; i < end; i++) grid.insert(i, floor[i], x[i], y[i]);
    for (let i = start; i < end; i++) {
      grid.forNeighbours(floor[i], x[i], y[i], (j) => {
        if (person[j] <= person[i]) return;
        const distanceM = Math.hypot(x[i] - x[j], y[i] - y[j]);
        if (distanceM > contactDistanceM) return;
        const key = person[i] * personCount + person[j];
        const pair = pairs.get(key);
        if (pair) {
          pair.exposureS += sampleIntervalS;
          pair.minDistanceM = Math.min(pair.minDistanceM, distanceM);
          pair.lastTMs = tMs[i];
        } else {
          pairs.set(key, { a: person[i], b: person[j], exposureS: sampleIntervalS, minDistanceM: distanceM, firstTMs: tMs[i], lastTMs: tMs[i] });
        }
      });
    }
    grid.clear();
    start = end;
  }
  return [...pairs.values()].filter((c) => c.exposureS >= contactMinExposureS).sort((p, q) => p.a - q.a || p.b - q.b);
}
