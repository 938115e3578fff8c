// Building and merging columnar Estimates.
import type { Fix } from '../localize/types.ts';
import type { Estimates } from '../outputs.ts';

/** Appends fixes into growable columns; build() trims them to an Estimates. */
export class EstimatesBuilder {
  private est: Estimates;

  constructor(capacity = 1024) {
    this.est = allocEstimates(Math.max(capacity, 16));
    this.est.length = 0;
  }

  get length(): number {
    return this.est.length;
  }

  push(tMs: number, deviceIdx: number, fix: Fix): void {
    this.reserve(1);
    const e = this.est;
    const i = e.length++;
    e.tMs[i] = tMs;
    e.deviceIdx[i] = deviceIdx;
    e.x[i] = fix.x;
    e.y[i] = fix.y;
    e.floor[i] = fix.floor;
    e.errorRadiusM[i] = fix.errorRadiusM;
    e.apsUsed[i] = Math.min(fix.apsUsed, 255);
  }

  /** Replaces the position of row i, keeping its time and device. */
  setFix(i: number, fix: Fix): void {
    const e = this.est;
    e.x[i] = fix.x;
    e.y[i] = fix.y;
    e.floor[i] = fix.floor;
    e.errorRadiusM[i] = fix.errorRadiusM;
    e.apsUsed[i] = Math.min(fix.apsUsed, 255);
  }

  /** Appends row i of src. */
  copyRow(src: Estimates, i: number): void {
    this.reserve(1);
    const e = this.est;
    const k = e.length++;
    e.tMs[k] = src.tMs[i];
    e.deviceIdx[k] = src.deviceIdx[i];
    e.x[k] = src.x[i];
    e.y[k] = src.y[i];
    e.floor[k] = src.floor[i];
    e.errorRadiusM[k] = src.errorRadiusM[i];
    e.apsUsed[k] = src.apsUsed[i];
  }

  /** Empties the builder and keeps its columns, for a scratch builder reused (the live engine's per-epoch fixes). */
  clear(): void {
    this.est.length = 0;
  }

  /** The rows pushed so far, untrimmed (columns may run past length): valid until the next push or clear. */
  view(): Estimates {
    return this.est;
  }

  /** The rows pushed, trimmed (no copy when the builder is exactly full). */
  build(): Estimates {
    const e = this.est;
    const n = e.length;
    if (n === e.tMs.length) return e;
    return {
      length: n,
      tMs: e.tMs.slice(0, n),
      deviceIdx: e.deviceIdx.slice(0, n),
      x: e.x.slice(0, n),
      y: e.y.slice(0, n),
      floor: e.floor.slice(0, n),
      errorRadiusM: e.errorRadiusM.slice(0, n),
      apsUsed: e.apsUsed.slice(0, n),
    };
  }

  private reserve(extra: number): void {
    const e = this.est;
    if (e.length + extra <= e.tMs.length) return;
    const bigger = allocEstimates(Math.max(e.tMs.length * 2, e.length + extra));
    bigger.tMs.set(e.tMs);
    bigger.deviceIdx.set(e.deviceIdx);
    bigger.x.set(e.x);
    bigger.y.set(e.y);
    bigger.floor.set(e.floor);
    bigger.errorRadiusM.set(e.errorRadiusM);
    bigger.apsUsed.set(e.apsUsed);
    bigger.length = e.length;
    this.est = bigger;
  }
}

/** n rows of zeroed columns (SharedArrayBuffers when Buffer is SharedArrayBuffer). */
export function allocEstimates(n: number, Buffer: typeof ArrayBuffer | typeof SharedArrayBuffer = ArrayBuffer): Estimates {
  return {
    length: n,
    tMs: new Float64Array(new Buffer(n * 8)),
    deviceIdx: new Uint32Array(new Buffer(n * 4)),
    x: new Float32Array(new Buffer(n * 4)),
    y: new Float32Array(new Buffer(n * 4)),
    floor: new Int16Array(new Buffer(n * 2)),
    errorRadiusM: new Float32Array(new Buffer(n * 4)),
    apsUsed: new Uint8Array(new Buffer(n)),
  };
}

/** Estimates of n rows in SharedArrayBuffers: posted to a worker, they are shared, not copied. */
export function sharedEstimates(n: number): Estimates {
  return allocEstimates(n, SharedArrayBuffer);
}

/** Rows [start, end) as views, no copy. */
export function rowRange(e: Estimates, start: number, end: number): Estimates {
  return {
    length: end - start,
    tMs: e.tMs.subarray(start, end),
    deviceIdx: e.deviceIdx.subarray(start, end),
    x: e.x.subarray(start, end),
    y: e.y.subarray(start, end),
    floor: e.floor.subarray(start, end),
    errorRadiusM: e.errorRadiusM.subarray(start, end),
    apsUsed: e.apsUsed.subarray(start, end),
  };
}

/** First row at or after tMs in estimates sorted by time (bisection). */
export function firstRowAt(e: Estimates, tMs: number): number {
  let lo = 0, hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e.tMs[mid] < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows with tMs in [fromMs, toMs), as views (est sorted by time). */
export function timeSlice(e: Estimates, fromMs: number, toMs: number): Estimates {
  return rowRange(e, firstRowAt(e, fromMs), firstRowAt(e, toMs));
}

/** Row k of src's position (x, y, floor, radius, APs used) into row i of dst, keeping dst's time and device. */
export function copyPosition(src: Estimates, k: number, dst: Estimates, i: number): void {
  dst.x[i] = src.x[k];
  dst.y[i] = src.y[k];
  dst.floor[i] = src.floor[k];
  dst.errorRadiusM[i] = src.errorRadiusM[k];
  dst.apsUsed[i] = src.apsUsed[k];
}

/** Writes all rows of src into dst from row `at` on. */
export function copyRowsInto(src: Estimates, dst: Estimates, at: number): void {
  dst.tMs.set(src.tMs.subarray(0, src.length), at);
  dst.deviceIdx.set(src.deviceIdx.subarray(0, src.length), at);
  dst.x.set(src.x.subarray(0, src.length), at);
  dst.y.set(src.y.subarray(0, src.length), at);
  dst.floor.set(src.floor.subarray(0, src.length), at);
  dst.errorRadiusM.set(src.errorRadiusM.subarray(0, src.length), at);
  dst.apsUsed.set(src.apsUsed.subarray(0, src.length), at);
}

/** The parts one after the other in one Estimates (of SharedArrayBuffers when shared). */
export function concatEstimates(parts: readonly Estimates[], shared = false): Estimates {
  const n = parts.reduce((sum, p) => sum + p.length, 0);
  const out = allocEstimates(n, shared ? SharedArrayBuffer : ArrayBuffer);
  let at = 0;
  for (const p of parts) {
    copyRowsInto(p, out, at);
    at += p.length;
  }
  return out;
}

/** Merges parts each sorted by (tMs, deviceIdx) into `out`, keeping that order. */
export function mergeSorted(parts: readonly Estimates[], out: EstimatesBuilder): void {
  const pos = new Uint32Array(parts.length);
  for (;;) {
    let best = -1;
    for (let p = 0; p < parts.length; p++) {
      if (pos[p] >= parts[p].length) continue;
      if (best < 0 || before(parts[p], pos[p], parts[best], pos[best])) best = p;
    }
    if (best < 0) return;
    out.copyRow(parts[best], pos[best]++);
  }
}

function before(a: Estimates, i: number, b: Estimates, j: number): boolean {
  return a.tMs[i] < b.tMs[j] || (a.tMs[i] === b.tMs[j] && a.deviceIdx[i] < b.deviceIdx[j]);
}

/** The typed arrays' buffers, for transfer between threads. */
export function estimateBuffers(e: Estimates): ArrayBuffer[] {
  return [e.tMs, e.deviceIdx, e.x, e.y, e.floor, e.errorRadiusM, e.apsUsed].map((a) => a.buffer as ArrayBuffer);
}
