// Ground truth from the tracks: positions sampled on a fixed clock while
// present, and true contacts (pairs within truth.contacts.distanceM, exposure summed
// over samples). Pairs are found through a per-sample spatial grid, not all pairs.
import type { Scenario } from '../scenarios/types.ts';
import { CellGrid } from './cell-grid.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import { zoneLookup } from './zone-lookup.ts';
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
  const zoneAt = zoneLookup(scenario.site.zones);
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
        lastZone[p] = zoneAt(c.floor, c.x, c.y);
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

/**
 * Contacts sorted by (a, b); positions must be grouped by time, as
 * samplePositions makes them. People sit still most of the day, so the pairs
 * close at one sample stay close at the next unless one of the two moved:
 * those are carried over, and only the movers' neighbours are searched again
 * (the same totals as searching every pair at every sample, far fewer checks).
 */
export function findContacts(scenario: Scenario, positions: TruthPositions, personCount: number): TrueContact[] {
  const { contacts: { distanceM: contactM, minExposureS }, sampleIntervalS } = scenario.truth;
  const grid = new CellGrid(scenario.site.floors, contactM, positions.length);
  const { tMs, person, x, y, floor } = positions;
  const pairs = new Map<number, TrueContact>();
  // Where each person was at the previous sample (row −1: absent) and whether they moved since.
  let rowOf = new Int32Array(personCount).fill(-1);
  let prevRowOf = new Int32Array(personCount).fill(-1);
  const moved = new Uint8Array(personCount);
  let close: TrueContact[] = [];
  let stillClose: TrueContact[] = [];

  for (let start = 0; start < positions.length; ) {
    let end = start;
    while (end < positions.length && tMs[end] === tMs[start]) end++;
    [rowOf, prevRowOf] = [prevRowOf, rowOf];
    rowOf.fill(-1);
    for (let i = start; i < end; i++) {
      rowOf[person[i]] = i;
      grid.insert(i, floor[i], x[i], y[i]);
    }
    for (let p = 0; p < personCount; p++) {
      const i = rowOf[p], k = prevRowOf[p];
      moved[p] = i < 0 || k < 0 || x[i] !== x[k] || y[i] !== y[k] || floor[i] !== floor[k] ? 1 : 0;
    }
    stillClose.length = 0;
    for (const pair of close) if (moved[pair.a] === 0 && moved[pair.b] === 0) stillClose.push(pair);
    [close, stillClose] = [stillClose, close];
    for (const pair of close) {
      pair.exposureS += sampleIntervalS;
      pair.lastTMs = tMs[start];
    }
    for (let i = start; i < end; i++) {
      const p = person[i];
      if (moved[p] === 0) continue;
      grid.forEachNear(floor[i], x[i], y[i], (j) => {
        const q = person[j];
        if (q === p || (moved[q] === 1 && q < p)) return; // two movers: the lower one finds the pair
        const distanceM = Math.hypot(x[i] - x[j], y[i] - y[j]);
        if (distanceM > contactM) return;
        const a = Math.min(p, q), b = Math.max(p, q);
        const key = a * personCount + b;
        let pair = pairs.get(key);
        if (pair) {
          pair.exposureS += sampleIntervalS;
          pair.minDistanceM = Math.min(pair.minDistanceM, distanceM);
          pair.lastTMs = tMs[i];
        } else {
          pair = { a, b, exposureS: sampleIntervalS, minDistanceM: distanceM, firstTMs: tMs[i], lastTMs: tMs[i] };
          pairs.set(key, pair);
        }
        close.push(pair);
      });
    }
    grid.clear();
    start = end;
  }
  return [...pairs.values()].filter((c) => c.exposureS >= minExposureS).sort((p, q) => p.a - q.a || p.b - q.b);
}
