// trackWalks (engine/track/walks.ts): the filter sees the walks and each stay's ends; the stays keep their fix.
import { describe, expect, it } from 'vitest';
import { allocEstimates } from '../engine/pipeline/estimates.ts';
import type { Estimates } from '../engine/outputs.ts';
import { stayRows, trackWalks } from '../engine/track/walks.ts';

/** Two devices interleaved in time: device 0 sits (4 equal fixes), walks 3 epochs, sits again (3 equal fixes); device 1 only walks. */
function fixes(): Estimates {
  const d0 = [[1, 1], [1, 1], [1, 1], [1, 1], [3, 1], [5, 1], [7, 1], [9, 1], [9, 1], [9, 1]];
  const d1 = [[0, 5], [1, 5], [2, 5], [3, 5], [4, 5], [5, 5], [6, 5], [7, 5], [8, 5], [9, 5]];
  const e = allocEstimates(20);
  for (let k = 0; k < 10; k++) {
    for (const [d, p] of [[0, d0[k]], [1, d1[k]]] as const) {
      const i = 2 * k + d;
      e.tMs[i] = k * 5000;
      e.deviceIdx[i] = d;
      e.x[i] = p[0];
      e.y[i] = p[1];
      e.errorRadiusM[i] = 2;
    }
  }
  return e;
}

/** A stand-in filter: every row moved dx east, radius 1. */
function shifted(e: Estimates, dx: number): Estimates {
  const t = allocEstimates(e.length);
  t.tMs.set(e.tMs);
  t.deviceIdx.set(e.deviceIdx);
  for (let k = 0; k < e.length; k++) {
    t.x[k] = e.x[k] + dx;
    t.y[k] = e.y[k];
    t.errorRadiusM[k] = 1;
  }
  return t;
}

describe('trackWalks', () => {
  it('marks the rows that share their fix with the same device\'s neighbour', () => {
    expect(Array.from(stayRows(fixes(), 2).inStay)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0]);
  });

  it('tracks the walks with the stays\' ends as anchors and leaves every stay row as it was', () => {
    const f = fixes();
    let seen: Estimates | undefined;
    let rest: Estimates | undefined;
    const out = trackWalks(f, 2, (walks) => ((seen = walks), shifted(walks, 100)), (r) => ((rest = r), shifted(r, 200)));
    // Device 0: its first stay's first and last rows (epochs 0, 3), its walk (4-6), its second stay's ends (7, 9).
    expect(Array.from(seen!.tMs.subarray(0, seen!.length), (t) => t / 5000)).toEqual([0, 3, 4, 5, 6, 7, 9]);
    expect(Array.from(seen!.deviceIdx.subarray(0, seen!.length))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // Device 1 has no stay: it is no walk between stays, and goes whole to the other filter.
    expect(Array.from(rest!.deviceIdx.subarray(0, rest!.length))).toEqual(Array(10).fill(1));
    for (let i = 0; i < 20; i++) {
      const d = f.deviceIdx[i], k = i >> 1;
      const inStay = d === 0 && (k <= 3 || k >= 7);
      expect(out.x[i], `row ${i}`).toBe(inStay ? f.x[i] : f.x[i] + (d === 0 ? 100 : 200));
      expect(out.errorRadiusM[i]).toBe(inStay ? 2 : 1);
    }
  });

  it('hands a device without stays whole to the other filter', () => {
    const f = fixes();
    for (let i = 0; i < 20; i += 2) f.x[i] += i * 0.01; // device 0's stays broken up
    let walkRows = -1, restRows = -1;
    trackWalks(f, 2, (w) => ((walkRows = w.length), w), (r) => ((restRows = r.length), r));
    expect(walkRows).toBe(0);
    expect(restRows).toBe(20);
  });
});
