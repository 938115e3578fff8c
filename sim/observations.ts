// Time-ordered observation batches built from per-emitter runs.
import type { ObservationColumns } from '../engine/contract/observation-columns.ts';
import type { DeviceInfo, ObservationBatch } from '../engine/contract/observations.ts';

/**
 * Merges per-emitter runs (`from` rows runStart[r]..runStart[r+1], each
 * sorted by time, then id, APs ascending within one (time, id)) into `to`,
 * ordered by (time, device, AP). Emissions are bucketed by whole millisecond
 * (a counting sort: linear in the rows, where a heap over thousands of runs
 * cost a dozen comparisons per emission), then ordered within a bucket.
 */
export function mergeRuns(from: ObservationColumns, runStart: Uint32Array, to: ObservationColumns): void {
  const runs = runStart.length - 1;
  const n = runStart[runs];
  if (n === 0) return;
  const { tMs, deviceIdx } = from;
  // Emission starts: a run's first row, and every row whose time or id differs from the row before
  // (AP reports of a probing phone's successive MACs can share a time).
  const starts: number[] = [];
  let minMs = Infinity, maxMs = -Infinity;
  for (let r = 0; r < runs; r++) {
    for (let i = runStart[r]; i < runStart[r + 1]; i++) {
      if (i !== runStart[r] && tMs[i] === tMs[i - 1] && deviceIdx[i] === deviceIdx[i - 1]) continue;
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

/** A growable SharedArrayBuffer can reach this many bytes (V8's limit). */
const MAX_COLUMN_BYTES = 2 ** 32;

// Growable SharedArrayBuffers are in Node 20 (ES2024); the project's TypeScript lib (ES2022) does not declare them yet.
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
const growable = (maxByteLength: number): GrowableSharedArrayBuffer =>
  new (SharedArrayBuffer as unknown as new (length: number, opts: { maxByteLength: number }) => GrowableSharedArrayBuffer)(0, { maxByteLength });

/**
 * Time-ordered windows appended into one batch in growable shared memory:
 * address space is reserved up front and pages are committed as rows arrive,
 * so the whole day is never held twice (windows + joined copy), and the
 * engine's workers read it in place.
 */
export class SharedObservations {
  length = 0;
  private readonly tMs = growable(MAX_COLUMN_BYTES);
  private readonly deviceIdx = growable(MAX_COLUMN_BYTES / 2);
  private readonly apIdx = growable(MAX_COLUMN_BYTES / 4);
  private readonly rssiDbm = growable(MAX_COLUMN_BYTES / 2);

  append(from: ObservationColumns): void {
    const n = this.length + from.length;
    if (n * 8 > MAX_COLUMN_BYTES) throw new Error(`more than ${MAX_COLUMN_BYTES / 8} observations in one run: shorten durationS or simulate fewer occupants`);
    this.tMs.grow(n * 8);
    this.deviceIdx.grow(n * 4);
    this.apIdx.grow(n * 2);
    this.rssiDbm.grow(n * 4);
    new Float64Array(this.tMs, this.length * 8, from.length).set(from.tMs.subarray(0, from.length));
    new Uint32Array(this.deviceIdx, this.length * 4, from.length).set(from.deviceIdx.subarray(0, from.length));
    new Uint16Array(this.apIdx, this.length * 2, from.length).set(from.apIdx.subarray(0, from.length));
    new Float32Array(this.rssiDbm, this.length * 4, from.length).set(from.rssiDbm.subarray(0, from.length));
    this.length = n;
  }

  batch(devices: DeviceInfo[]): ObservationBatch {
    const n = this.length;
    return {
      length: n,
      tMs: new Float64Array(this.tMs, 0, n),
      deviceIdx: new Uint32Array(this.deviceIdx, 0, n),
      apIdx: new Uint16Array(this.apIdx, 0, n),
      rssiDbm: new Float32Array(this.rssiDbm, 0, n),
      devices,
    };
  }
}
