// Ground truth from the tracks: positions sampled on a fixed clock while
// present, and true contacts (pairs within contactDistanceM, exposure summed
// over samples). Pairs are found through a per-sample spatial grid, not all pairs.
import { pointInPolygon } from '../engine/geometry.ts';
import type { Scenario, ScenarioZone } from '../scenarios/types.ts';
import { CellGrid } from './cellGrid.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track, TrueContact, TruthPositions } from './types.ts';

export function samplePositions(scenario: Scenario, tracks: readonly Track[]): TruthPositions {
  const stepMs = scenario.truth.sampleIntervalS * 1000;
  const endMs = scenario.durationS * 1000;
  // Sized exactly up front: at campus scale growable buffers would double a table of tens of millions of rows.
  const n = tracks.reduce((sum, t) => sum + presentSamples(t, stepMs, endMs), 0);
  const out: TruthPositions = {
    length: n,
    tMs: new Float64Array(n),
    person: new Uint32Array(n),
    x: new Float32Array(n),
    y: new Float32Array(n),
    floor: new Int16Array(n),
    zone: new Int16Array(n),
  };
  const cursors = tracks.map((t) => new TrackCursor(t));
  // Last position and zone per person: people sit still most of the day, so the zone is usually known.
  const lastX = new Float64Array(tracks.length).fill(NaN);
  const lastY = new Float64Array(tracks.length);
  const lastFloor = new Int16Array(tracks.length).fill(ABSENT_FLOOR);
  const lastZone = new Int16Array(tracks.length).fill(-1);
  let i = 0;
  for (let t = 0; t < endMs; t += stepMs) {
    for (let p = 0; p < cursors.length; p++) {
      const c = cursors[p];
      c.seek(t);
      if (c.floor === ABSENT_FLOOR) continue;
      if (c.x !== lastX[p] || c.y !== lastY[p] || c.floor !== lastFloor[p]) {
        lastX[p] = c.x;
        lastY[p] = c.y;
        lastFloor[p] = c.floor;
        lastZone[p] = zoneAt(scenario.site.zones, c.floor, c.x, c.y);
      }
      out.tMs[i] = t;
      out.person[i] = p;
      out.x[i] = c.x;
      out.y[i] = c.y;
      out.floor[i] = c.floor;
      out.zone[i] = lastZone[p];
      i++;
    }
  }
  if (i !== n) throw new Error(`sampled ${i} truth positions, expected ${n}`);
  return out;
}

/** Sample times (multiples of stepMs below endMs) at which the track is in the building, with the cursor's semantics. */
function presentSamples(track: Track, stepMs: number, endMs: number): number {
  const { tMs, floor } = track;
  let count = 0;
  for (let k = 0; k < tMs.length; k++) {
    if (floor[k] === ABSENT_FLOOR) continue;
    // Waypoint k rules from tMs[k] until the next waypoint with a later time.
    let next = k + 1;
    while (next < tMs.length && tMs[next] <= tMs[k]) next++;
    if (next !== k + 1) continue; // superseded by a later waypoint at the same time
    const from = Math.max(tMs[k], 0);
    const to = Math.min(next < tMs.length ? tMs[next] : endMs, endMs);
    if (to > from) count += Math.ceil(to / stepMs) - Math.ceil(from / stepMs);
  }
  return count;
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
    grid.forEachNearPair((i, j) => {
      const distanceM = Math.hypot(x[i] - x[j], y[i] - y[j]);
      if (distanceM > contactDistanceM) return;
      const a = Math.min(person[i], person[j]);
      const b = Math.max(person[i], person[j]);
      const key = a * personCount + b;
      const pair = pairs.get(key);
      if (pair) {
        pair.exposureS += sampleIntervalS;
        pair.minDistanceM = Math.min(pair.minDistanceM, distanceM);
        pair.lastTMs = tMs[i];
      } else {
        pairs.set(key, { a, b, exposureS: sampleIntervalS, minDistanceM: distanceM, firstTMs: tMs[i], lastTMs: tMs[i] });
      }
    });
    grid.clear();
    start = end;
  }
  return [...pairs.values()].filter((c) => c.exposureS >= contactMinExposureS).sort((p, q) => p.a - q.a || p.b - q.b);
}
