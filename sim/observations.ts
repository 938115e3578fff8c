// Time-ordered observation batches built from per-emitter runs.
import type { ObservationColumns } from '../engine/observation-columns.ts';
import type { DeviceInfo, ObservationBatch } from '../engine/observations.ts';

/**
 * Merges per-emitter runs (`from` rows runStart[r]..runStart[r+1], each
 * sorted by time, one device per emission, APs ascending within it) into `to`,
 * ordered by (time, device, AP). Emissions are bucketed by whole millisecond
 * (a counting sort: linear in the rows, where a heap over thousands of runs
 * cost a dozen comparisons per emission), then ordered within a bucket.
 */
export function mergeRuns(from: ObservationColumns, runStart: Uint32Array, to: ObservationColumns): void {
  const runs = runStart.length - 1;
  const n = runStart[runs];
  if (n === 0) return;
  const { tMs, deviceIdx } = from;
  // Emission starts: a run's first row, and every row whose time differs from the row before.
  const starts: number[] = [];
  let minMs = Infinity, maxMs = -Infinity;
  for (let r = 0; r < runs; r++) {
    for (let i = runStart[r]; i < runStart[r + 1]; i++) {
      if (i !== runStart[r] && tMs[i] === tMs[i - 1]) continue;
      starts.push(i);
      if (tMs[i] < minMs) minMs = tMs[i];
      if (tMs[i] > maxMs) maxMs = tMs[i];
    }
  }
  const base = Math.floor(minMs);
  const bucketStart = new Uint32Array(Math.floor(maxMs) - base + 2);
  for (const i of starts) bucketStart[Math.floor(tMs[i]) - base + 1]++;
  for (let b = 1; b < bucketStart.length; b++) bucketStart[b] += bucketStart[b - 1];
  const order = new Uint32Array(starts.length);
  const fill = bucketStart.slice();
  for (const i of starts) order[fill[Math.floor(tMs[i]) - base]++] = i;
  const before = (i: number, j: number): boolean => tMs[i] < tMs[j] || (tMs[i] === tMs[j] && deviceIdx[i] < deviceIdx[j]);
  for (let b = 0; b + 1 < bucketStart.length; b++) {
    // Insertion sort: a millisecond holds a handful of emissions at most.
    for (let k = bucketStart[b] + 1; k < bucketStart[b + 1]; k++) {
      const e = order[k];
      let m = k;
      for (; m > bucketStart[b] && before(e, order[m - 1]); m--) order[m] = order[m - 1];
      order[m] = e;
    }
  }
  for (const first of order) {
    const t = tMs[first], device = deviceIdx[first];
    for (let i = first; i < n && tMs[i] === t && deviceIdx[i] === device; i++) to.push(t, device, from.apIdx[i], from.rssiDbm[i]);
  }
}

/**
 * Time-ordered batches one after another as one batch (allocated once, at
 * its exact size). Empties `parts` as it goes, so each part can be freed as
 * soon as it is copied rather than all of them living beside the whole.
 */
export function concatBatches(parts: ObservationBatch[], devices: DeviceInfo[]): ObservationBatch {
  const n = parts.reduce((sum, b) => sum + b.length, 0);
  // Shared memory: the engine's workers read it in place instead of copying each chunk.
  const out: ObservationBatch = {
    length: n,
    tMs: new Float64Array(new SharedArrayBuffer(n * 8)),
    deviceIdx: new Uint32Array(new SharedArrayBuffer(n * 4)),
    apIdx: new Uint16Array(new SharedArrayBuffer(n * 2)),
    rssiDbm: new Float32Array(new SharedArrayBuffer(n * 4)),
    devices,
  };
  let at = 0;
  for (let b = parts.shift(); b !== undefined; b = parts.shift()) {
    out.tMs.set(b.tMs, at);
    out.deviceIdx.set(b.deviceIdx, at);
    out.apIdx.set(b.apIdx, at);
    out.rssiDbm.set(b.rssiDbm, at);
    at += b.length;
  }
  return out;
}
