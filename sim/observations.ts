// Time-ordered observation batches built from per-emitter runs.
import type { ObservationColumns } from '../engine/observation-columns.ts';
import type { DeviceInfo, ObservationBatch } from '../engine/observations.ts';
import { KeyedHeap } from './heap.ts';

/**
 * K-way merge of per-emitter runs (`from` rows runStart[r]..runStart[r+1], each
 * sorted by time, one device per emission, APs ascending within it) into `to`,
 * ordered by (time, device, AP).
 */
export function mergeRuns(from: ObservationColumns, runStart: Uint32Array, to: ObservationColumns): void {
  const runs = runStart.length - 1;
  const cursor = runStart.slice(0, runs);
  const heap = new KeyedHeap<number>();
  for (let r = 0; r < runs; r++) if (cursor[r] < runStart[r + 1]) heap.push(from.tMs[cursor[r]], from.deviceIdx[cursor[r]], r);
  while (heap.size > 0) {
    const r = heap.pop()!;
    const end = runStart[r + 1];
    let i = cursor[r];
    const tMs = from.tMs[i];
    const device = from.deviceIdx[i];
    for (; i < end && from.tMs[i] === tMs; i++) to.push(tMs, device, from.apIdx[i], from.rssiDbm[i]);
    cursor[r] = i;
    if (i < end) heap.push(from.tMs[i], from.deviceIdx[i], r);
  }
}

/** Time-ordered batches one after another as one batch (allocated once, at its exact size). */
export function concatBatches(parts: readonly ObservationBatch[], devices: DeviceInfo[]): ObservationBatch {
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
  for (const b of parts) {
    out.tMs.set(b.tMs, at);
    out.deviceIdx.set(b.deviceIdx, at);
    out.apIdx.set(b.apIdx, at);
    out.rssiDbm.set(b.rssiDbm, at);
    at += b.length;
  }
  return out;
}
