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

/** Where intake stands: reports of an epoch below nextEpoch are late; newestTMs is the newest report taken. */
interface Watermark {
  nextEpoch: number;
  newestTMs: number;
}

export class ReorderBuffer {
  private readonly buckets = new Map<number, Bucket>();
  /** Spent buckets, reused (a stream's epochs are alike in size). */
  private readonly spare: Bucket[] = [];
  private readonly mark: Watermark = { nextEpoch: -Infinity, newestTMs: -Infinity };
  /** The release loop's place: every held epoch is at or past it. */
  private cursor = -Infinity;
  rejected = 0;

  constructor(private readonly epochMs: number, private readonly latenessMs: number, private readonly onRelease: ReleaseHandler) {
    if (!(latenessMs >= 0)) throw new Error(`latenessMs must be ≥ 0, got ${latenessMs}`);
  }

  /** The newest report time seen, ms (−Infinity before the first). */
  get newest(): number {
    return this.mark.newestTMs;
  }

  /** Reports buffered, not yet released. */
  get pending(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.n;
    return n;
  }

  /** Adds one report; false (and counted as rejected) when its epoch was already released. */
  push(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): boolean {
    if (!this.admit(this.mark, tMs)) {
      this.rejected++;
      return false;
    }
    const epoch = Math.floor(tMs / this.epochMs);
    let b = this.buckets.get(epoch);
    if (b === undefined) {
      b = this.spare.pop() ?? newBucket(1024);
      b.n = 0;
      this.buckets.set(epoch, b);
    }
    if (b.n === b.tMs.length) grow(b);
    const i = b.n++;
    b.tMs[i] = tMs;
    b.deviceIdx[i] = deviceIdx;
    b.apIdx[i] = apIdx;
    b.rssiDbm[i] = rssiDbm;
    this.release();
    return true;
  }

  /**
   * Whether each of these reports, pushed now in this order, would be taken (1)
   * or rejected as late (0). Changes nothing: a caller can commit a batch
   * elsewhere first and push it after (the server's store).
   */
  admits(tMs: ArrayLike<number>, length = tMs.length): Uint8Array {
    const mark = { ...this.mark };
    const taken = new Uint8Array(length);
    for (let i = 0; i < length; i++) taken[i] = this.admit(mark, tMs[i]) ? 1 : 0;
    return taken;
  }

  /** Releases every epoch that ends at or before tMs (stream time has reached it without reports, or the stream ends: Infinity). */
  releaseUpTo(tMs: number): void {
    // Finite: the epochs before tMs are closed, held or not. Infinity: every held one.
    const last = Number.isFinite(tMs) ? Math.floor(tMs / this.epochMs) : this.buckets.size > 0 ? Math.max(...this.buckets.keys()) + 1 : -Infinity;
    if (last > this.mark.nextEpoch) this.mark.nextEpoch = last;
    this.release();
  }

  /** Whether a report at tMs is on time against `mark`, moving `mark` past it if so: push and admits decide alike. */
  private admit(mark: Watermark, tMs: number): boolean {
    const epoch = Math.floor(tMs / this.epochMs);
    if (epoch < mark.nextEpoch) return false;
    if (mark.nextEpoch === -Infinity) mark.nextEpoch = epoch;
    if (tMs > mark.newestTMs) {
      mark.newestTMs = tMs;
      // An epoch closes once the newest report is latenessMs past its end.
      const closed = Math.floor((tMs - this.latenessMs) / this.epochMs);
      if (closed > mark.nextEpoch) mark.nextEpoch = closed;
    }
    return true;
  }

  /** Releases, in order, every held epoch below the watermark. */
  private release(): void {
    const last = this.mark.nextEpoch;
    while (this.cursor < last && this.buckets.size > 0) {
      const e = this.cursor;
      const b = this.buckets.get(e);
      if (b === undefined) {
        // Skip a quiet stretch in one step.
        this.cursor = Math.min(last, ...this.buckets.keys());
        continue;
      }
      this.cursor++;
      this.buckets.delete(e);
      this.onRelease(e, b);
      this.spare.push(b);
    }
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
