// A block of one device's fixes within one UTC day, packed columnar before
// sealing: tRel (Uint32, ms after the day starts), x, y, errorRadiusM
// (Float32), floor (Int16).
import type { Track } from './types.ts';

const BYTES_PER_FIX = 4 + 4 + 4 + 4 + 2;

export function emptyTrack(n = 0): Track {
  return { length: n, tMs: new Float64Array(n), x: new Float32Array(n), y: new Float32Array(n), floor: new Int16Array(n), errorRadiusM: new Float32Array(n) };
}

/** Rows [start, end) of `t`, all within the day starting at dayMs. */
export function encodeTrackBlock(t: Track, start: number, end: number, dayMs: number): Uint8Array {
  const n = end - start;
  const out = new Uint8Array(n * BYTES_PER_FIX);
  const tRel = new Uint32Array(out.buffer, 0, n);
  for (let i = 0; i < n; i++) tRel[i] = t.tMs[start + i] - dayMs;
  new Float32Array(out.buffer, 4 * n, n).set(t.x.subarray(start, end));
  new Float32Array(out.buffer, 8 * n, n).set(t.y.subarray(start, end));
  new Float32Array(out.buffer, 12 * n, n).set(t.errorRadiusM.subarray(start, end));
  new Int16Array(out.buffer, 16 * n, n).set(t.floor.subarray(start, end));
  return out;
}

/** Decodes a block into `into` at row `at`; returns the rows written. */
export function decodeTrackBlock(bytes: Uint8Array, dayMs: number, into: Track, at: number): number {
  const n = bytes.length / BYTES_PER_FIX;
  const buf = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const tRel = new Uint32Array(buf.buffer, buf.byteOffset, n);
  for (let i = 0; i < n; i++) into.tMs[at + i] = dayMs + tRel[i];
  into.x.set(new Float32Array(buf.buffer, buf.byteOffset + 4 * n, n), at);
  into.y.set(new Float32Array(buf.buffer, buf.byteOffset + 8 * n, n), at);
  into.errorRadiusM.set(new Float32Array(buf.buffer, buf.byteOffset + 12 * n, n), at);
  into.floor.set(new Int16Array(buf.buffer, buf.byteOffset + 16 * n, n), at);
  return n;
}

/** Rows of `t` with fromMs ≤ tMs ≤ toMs (t is time-ordered). */
export function sliceTrack(t: Track, fromMs: number, toMs: number): Track {
  let lo = 0;
  while (lo < t.length && t.tMs[lo] < fromMs) lo++;
  let hi = lo;
  while (hi < t.length && t.tMs[hi] <= toMs) hi++;
  return { length: hi - lo, tMs: t.tMs.slice(lo, hi), x: t.x.slice(lo, hi), y: t.y.slice(lo, hi), floor: t.floor.slice(lo, hi), errorRadiusM: t.errorRadiusM.slice(lo, hi) };
}
