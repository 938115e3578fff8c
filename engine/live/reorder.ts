// The live engine's intake: reports arrive roughly in time order; those up to
// latenessMs behind the newest report seen are put back in order (bucketed by
// epoch), older ones are rejected and counted. An epoch is released, whole,
// once the newest report is latenessMs past its end: from then on nothing can
// join it. Memory: the reports of the epochs inside the window.

/** One epoch's reports, in arrival order (the aggregator sums them: order within an epoch does not matter). */
interface Bucket {
  n: number;
  tMs: Float64Array;
  deviceIdx: Uint32Array;
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
}

export type ReleaseHandler = (epoch: number, b: Readonly<Bucket>) => void;

const newBucket = (size: number): Bucket => ({ n: 0, tMs: new Float64Array(size), deviceIdx: new Uint32Array(size), apIdx: new Uint16Array(size), rssiDbm: new Float32Array(size) });

export class ReorderBuffer {
  private readonly buckets = new Map<number, Bucket>();
  /** Spent buckets, reused (a stream's epochs are alike in size). */
  private readonly spare: Bucket[] = [];
  /** Every epoch below this is released: its reports are late. */
  private nextEpoch = -Infinity;
  private newestTMs = -Infinity;
  rejected = 0;

  constructor(private readonly epochMs: number, private readonly latenessMs: number, private readonly onRelease: ReleaseHandler) {
    if (!(latenessMs >= 0)) throw new Error(`latenessMs must be ≥ 0, got ${latenessMs}`);
  }

  /** The newest report time seen, ms (−Infinity before the first). */
  get newest(): number {
    return this.newestTMs;
  }

  /** Reports buffered, not yet released. */
  get pending(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.n;
    return n;
  }

  /** Adds one report; false (and counted as rejected) when its epoch was already released. */
  push(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): boolean {
    const epoch = Math.floor(tMs / this.epochMs);
    if (epoch < this.nextEpoch) {
      this.rejected++;
      return false;
    }
    let b = this.buckets.get(epoch);
    if (b === undefined) {
      b = this.spare.pop() ?? newBucket(1024);
      b.n = 0;
      this.buckets.set(epoch, b);
      if (this.nextEpoch === -Infinity) this.nextEpoch = epoch;
    }
    if (b.n === b.tMs.length) grow(b);
    const i = b.n++;
    b.tMs[i] = tMs;
    b.deviceIdx[i] = deviceIdx;
    b.apIdx[i] = apIdx;
    b.rssiDbm[i] = rssiDbm;
    if (tMs > this.newestTMs) {
      this.newestTMs = tMs;
      this.releaseUpTo(tMs - this.latenessMs);
    }
    return true;
  }

  /** Releases every epoch that ends at or before tMs (stream time has reached it without reports, or the stream ends: Infinity). */
  releaseUpTo(tMs: number): void {
    if (this.buckets.size === 0) {
      // Nothing held: epochs before tMs are closed all the same.
      if (Number.isFinite(tMs)) this.nextEpoch = Math.max(this.nextEpoch, Math.floor(tMs / this.epochMs));
      return;
    }
    const last = Number.isFinite(tMs) ? Math.floor(tMs / this.epochMs) : Math.max(...this.buckets.keys()) + 1;
    while (this.nextEpoch < last && this.buckets.size > 0) {
      const e = this.nextEpoch++;
      const b = this.buckets.get(e);
      if (b === undefined) {
        // Skip a quiet stretch in one step.
        const next = Math.min(...this.buckets.keys());
        if (next > e) this.nextEpoch = Math.min(next, last);
        continue;
      }
      this.buckets.delete(e);
      this.onRelease(e, b);
      this.spare.push(b);
    }
    if (this.nextEpoch < last) this.nextEpoch = last;
  }
}

/** Doubles a bucket's columns in place. */
function grow(b: Bucket): void {
  const g = newBucket(b.tMs.length * 2);
  g.tMs.set(b.tMs);
  g.deviceIdx.set(b.deviceIdx);
  g.apIdx.set(b.apIdx);
  g.rssiDbm.set(b.rssiDbm);
  g.n = b.n;
  Object.assign(b, g);
}
