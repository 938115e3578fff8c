// A log's emissions as the twin reads them (bench/twin/emissions.ts): a
// device's reports at one time, or, from a feed where each AP stamps its
// report by its own clock, a burst within half the links' cadence, each AP once.
import { describe, expect, it } from 'vitest';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import { atEmissionTimes } from '../bench/twin/emissions.ts';

/** Rows [tMs, device, ap] in time order, two devices. */
function log(rows: [number, number, number][]): ObservationBatch {
  return {
    length: rows.length, devices: [{ id: 'a', tech: 'ble-badge' }, { id: 'b', tech: 'wifi' }],
    tMs: Float64Array.from(rows, (r) => r[0]), deviceIdx: Uint32Array.from(rows, (r) => r[1]),
    apIdx: Uint16Array.from(rows, (r) => r[2]), rssiDbm: Float32Array.from(rows, (_, i) => -60 - i),
  };
}

describe('atEmissionTimes', () => {
  it('returns a log stamped by emission as it is (a scan, a row of anchors: its APs at one time)', () => {
    const scans = log([[0, 0, 0], [0, 0, 1], [0, 0, 2], [1000, 0, 0], [1000, 0, 1], [1000, 0, 2], [2000, 0, 0]]);
    expect(atEmissionTimes(scans)).toBe(scans);
    // Scans close together hearing other APs than the one before: still each its own emission.
    const close = log([[0, 0, 0], [0, 0, 1], [300, 0, 2], [300, 0, 3], [2000, 0, 0], [2000, 0, 1], [2300, 0, 2], [2300, 0, 3]]);
    expect(atEmissionTimes(close)).toBe(close);
  });

  it('reads a burst stamped per AP within half its links\' cadence as one emission, each AP once, and keeps the log in time order', () => {
    // Device a every 2 s, its three APs' reports 0-900 ms late; device b's reports fall between them.
    const rows: [number, number, number][] = [];
    for (let e = 0; e < 5; e++) {
      const t = e * 2000;
      rows.push([t + 100, 0, 0], [t + 300, 1, 4], [t + 450, 0, 1], [t + 900, 0, 2]);
    }
    const out = atEmissionTimes(log(rows));
    const times = (d: number) => Array.from(out.tMs).filter((_, i) => out.deviceIdx[i] === d);
    expect(times(0)).toEqual([0, 1, 2, 3, 4].flatMap((e) => [e * 2000 + 100, e * 2000 + 100, e * 2000 + 100]));
    // b hears one AP every 2 s: each report its own emission.
    expect(times(1)).toEqual([0, 1, 2, 3, 4].map((e) => e * 2000 + 300));
    expect(Array.from(out.tMs)).toEqual([...out.tMs].sort((x, y) => x - y));
    // Every reading kept with its own AP and value.
    expect(Array.from(out.rssiDbm).sort()).toEqual(Array.from(log(rows).rssiDbm).sort());
  });

  it('starts a new emission where an AP reports twice within the window', () => {
    const out = atEmissionTimes(log([[0, 0, 0], [1000, 0, 0], [1100, 0, 1], [1200, 0, 1], [2000, 0, 0]]));
    // Cadence 1000 ms: a window of 500 ms. AP 1 again at 1200 ms cannot be the same frame's.
    expect(Array.from(out.tMs)).toEqual([0, 1000, 1000, 1200, 2000]);
  });
});
