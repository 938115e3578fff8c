// The live engine's intake: reports arrive roughly in time order; those up to
// latenessMs behind the stream's time are put back in order (bucketed by
// epoch), older ones are rejected and counted. An epoch is released, whole,
// once the stream's time is latenessMs past its end: from then on nothing can
// join it. Memory: the reports of the epochs inside the window.
//
// The stream's time is the newest report time that two APs vouch for (the
// second-newest of the APs' newest reports), not the newest report: one AP
// whose clock runs a day ahead would otherwise close every epoch up to its
// own time, and the whole site's reports would be late from then on. Reports
// more than AHEAD_MS past the stream's time are refused as 'ahead' (that AP's
// clock, or its first report after a quiet night before a second AP speaks).
// As Flink takes the least of its sources' watermarks, but an AP that falls
// silent does not hold the stream back.

/**
 * How far past the stream's time a report may be, ms: the grace Grafana
 * Mimir and Loki give a sample ahead of the server's clock
 * (creation_grace_period, default 10 min). NTP-synced APs agree to well under
 * a second and a batched feed's summaries (30-60 s) stay far inside it.
 */
export const AHEAD_MS = 10 * 60_000;

/** What intake did with a report: taken into its epoch, or refused as behind the window or too far ahead. */
export type Intake = 'taken' | 'late' | 'ahead';

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

/**
 * Where intake stands: reports of an epoch below nextEpoch are late. The
 * newest report time of the AP with the newest (topTMs, topAp) and of any
 * other AP (secondTMs): the stream's time is secondTMs (topTMs on a site of
 * one AP), or clockTMs where stream time was advanced past it without
 * reports (advanceTo).
 */
interface Watermark {
  nextEpoch: number;
  topTMs: number;
  topAp: number;
  secondTMs: number;
  clockTMs: number;
}

export class ReorderBuffer {
  private readonly buckets = new Map<number, Bucket>();
  /** Spent buckets, reused (a stream's epochs are alike in size). */
  private readonly spare: Bucket[] = [];
  private readonly mark: Watermark = { nextEpoch: -Infinity, topTMs: -Infinity, topAp: -1, secondTMs: -Infinity, clockTMs: -Infinity };
  /** The release loop's place: every held epoch is at or past it. */
  private cursor = -Infinity;
  /** Reports refused as behind the window. */
  rejected = 0;
  /** Reports refused as more than AHEAD_MS past the stream's time. */
  ahead = 0;

  /** aps: how many APs can report (1: the one AP's time is the stream's). */
  constructor(private readonly epochMs: number, private readonly latenessMs: number, private readonly aps: number, private readonly onRelease: ReleaseHandler) {
    if (!(latenessMs >= 0)) throw new Error(`latenessMs must be ≥ 0, got ${latenessMs}`);
  }

  /** The stream's time, ms: the newest report time two APs vouch for (−Infinity before they do). */
  get newest(): number {
    return this.streamTMs(this.mark);
  }

  /** Reports buffered, not yet released. */
  get pending(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.n;
    return n;
  }

  /** Adds one report, unless its epoch was already released or it is too far ahead (counted either way). */
  push(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): Intake {
    const intake = this.admit(this.mark, tMs, apIdx);
    if (intake !== 'taken') {
      if (intake === 'late') this.rejected++;
      else this.ahead++;
      return intake;
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
    return 'taken';
  }

  /**
   * Whether each of these reports, pushed now in this order, would be taken (1)
   * or refused (0). Changes nothing: a caller can commit a batch
   * elsewhere first and push it after (the server's store).
   */
  admits(tMs: ArrayLike<number>, apIdx: ArrayLike<number>, length = tMs.length): Uint8Array {
    const mark = { ...this.mark };
    const taken = new Uint8Array(length);
    for (let i = 0; i < length; i++) taken[i] = this.admit(mark, tMs[i], apIdx[i]) === 'taken' ? 1 : 0;
    return taken;
  }

  /** Stream time has reached tMs without reports (a quiet stream's wall clock): releases the epochs it closes. */
  advanceTo(tMs: number): void {
    if (tMs > this.mark.clockTMs) this.mark.clockTMs = tMs;
    this.close(this.mark);
    this.release();
  }

  /** The stream ended: releases every held epoch. */
  releaseAll(): void {
    if (this.buckets.size > 0) this.mark.nextEpoch = Math.max(this.mark.nextEpoch, Math.max(...this.buckets.keys()) + 1);
    this.release();
  }

  /** The stream's time by `mark`. */
  private streamTMs(mark: Watermark): number {
    return Math.max(this.aps === 1 ? mark.topTMs : mark.secondTMs, mark.clockTMs);
  }

  /**
   * Whether a report at tMs from AP apIdx is taken against `mark`, moving
   * `mark` on with it: push and admits decide alike. A refused report still
   * vouches for its AP's time (a second AP's may confirm it).
   */
  private admit(mark: Watermark, tMs: number, apIdx: number): Intake {
    if (apIdx === mark.topAp) mark.topTMs = Math.max(mark.topTMs, tMs);
    else if (tMs > mark.topTMs) [mark.secondTMs, mark.topTMs, mark.topAp] = [mark.topTMs, tMs, apIdx];
    else if (tMs > mark.secondTMs) mark.secondTMs = tMs;
    this.close(mark);
    if (Math.floor(tMs / this.epochMs) < mark.nextEpoch) return 'late';
    // Before two APs have spoken there is no stream time to be ahead of.
    const streamTMs = this.streamTMs(mark);
    return Number.isFinite(streamTMs) && tMs - streamTMs > AHEAD_MS ? 'ahead' : 'taken';
  }

  /** Closes, by `mark`, every epoch the stream's time is latenessMs past the end of. */
  private close(mark: Watermark): void {
    const closed = Math.floor((this.streamTMs(mark) - this.latenessMs) / this.epochMs);
    if (closed > mark.nextEpoch) mark.nextEpoch = closed;
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
