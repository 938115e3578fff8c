// Pools each device's RSSI over the epochs it has stood still, before a fix.
// Fading is fresh at every reception, but a fix from one epoch is a
// nonlinear function of it (the most likely walkable cell), so its errors
// do not average out over a seated stay: the mean of many fixes stays off
// the seat (office, oracle radio map, fading on: per-stay bias median 0.48 m,
// RMS 0.88 m; fading off: 0.16 m). Averaging the RSSI first and fixing from
// the average does shrink it.
// Per device, an exponentially weighted mean per AP (time constant
// localize.stillPoolS) of the epochs since its RSSI last changed: a new
// epoch whose means disagree with the pool by more than fading explains
// (χ² per AP above localize.stillPoolChangeChi2) starts a new pool, so a
// device that gets up is followed from its first epoch on.
// State is per device and carried in time order within a chunk (a chunk
// starts every pool afresh), so fixes do not depend on worker count.
import type { Readings } from './types.ts';

interface Pool {
  /** Heard APs [0, n), ascending, with their weighted RSSI sums and weighted report counts. */
  ap: Uint16Array;
  sumDbm: Float64Array;
  count: Float64Array;
  n: number;
}

/** A pooled AP whose weight decays below this many reports is dropped (heard long ago, not since). */
const MIN_POOLED_REPORTS = 0.2;

const newPool = (size: number): Pool => ({ ap: new Uint16Array(size), sumDbm: new Float64Array(size), count: new Float64Array(size), n: 0 });

export class StillPool {
  private readonly pools = new Map<number, Pool>();
  /** Where the next merge is written; it then trades buffers with the device's pool. */
  private spare = newPool(16);
  /** The pooled readings of the last add (valid until the next). */
  readonly out: Readings & { count: Float64Array } = { apIdx: new Uint16Array(16), rssiDbm: new Float32Array(16), count: new Float64Array(16), start: 0, end: 0 };

  /**
   * @param decay weight an epoch keeps per later epoch, e^(−epoch / stillPoolS)
   * @param changeChi2 mean squared standardized difference per shared AP that starts a new pool
   * @param readingVarDb2 variance of one reading around its mean (fading), dB²
   */
  constructor(private readonly decay: number, private readonly changeChi2: number, private readonly readingVarDb2: number) {}

  /** Adds one epoch's readings of `device` (APs ascending, as the epoch aggregator gives them) and returns the pooled readings. */
  add(device: number, r: Readings): Readings {
    let pool = this.pools.get(device);
    if (pool === undefined) this.pools.set(device, (pool = newPool(16)));
    else if (!this.agrees(pool, r)) pool.n = 0;
    this.merge(pool, r);
    return this.emit(pool);
  }

  /** Whether the epoch's means match the pool's within fading, over the APs both hold. */
  private agrees(pool: Pool, r: Readings): boolean {
    let chi2 = 0, shared = 0;
    for (let i = r.start, k = 0; i < r.end; i++) {
      const ap = r.apIdx[i];
      while (k < pool.n && pool.ap[k] < ap) k++;
      if (k === pool.n || pool.ap[k] !== ap) continue;
      const n = r.count ? r.count[i] : 1;
      const d = r.rssiDbm[i] - pool.sumDbm[k] / pool.count[k];
      chi2 += (d * d) / (this.readingVarDb2 * (1 / n + 1 / pool.count[k]));
      shared++;
    }
    return shared > 0 && chi2 <= this.changeChi2 * shared;
  }

  /** Decays the pool and merges the epoch into it (both ascending by AP), dropping APs whose weight has faded. */
  private merge(pool: Pool, r: Readings): void {
    const size = pool.n + r.end - r.start;
    if (this.spare.ap.length < size) this.spare = newPool(size * 2);
    const to = this.spare;
    let k = 0, i = r.start, n = 0;
    while (k < pool.n || i < r.end) {
      const ap = i === r.end || (k < pool.n && pool.ap[k] <= r.apIdx[i]) ? pool.ap[k] : r.apIdx[i];
      let sum = 0, count = 0;
      if (k < pool.n && pool.ap[k] === ap) {
        sum = pool.sumDbm[k] * this.decay;
        count = pool.count[k++] * this.decay;
      }
      if (i < r.end && r.apIdx[i] === ap) {
        const reports = r.count ? r.count[i] : 1;
        sum += r.rssiDbm[i] * reports;
        count += reports;
        i++;
      }
      if (count < MIN_POOLED_REPORTS) continue;
      to.ap[n] = ap;
      to.sumDbm[n] = sum;
      to.count[n++] = count;
    }
    // The merge becomes the device's pool; its old buffers take the next merge.
    const { ap, sumDbm, count } = pool;
    pool.ap = to.ap;
    pool.sumDbm = to.sumDbm;
    pool.count = to.count;
    to.ap = ap;
    to.sumDbm = sumDbm;
    to.count = count;
    pool.n = n;
  }

  private emit(pool: Pool): Readings {
    const o = this.out, n = pool.n;
    if (o.apIdx.length < n) {
      o.apIdx = new Uint16Array(n * 2);
      o.rssiDbm = new Float32Array(n * 2);
      o.count = new Float64Array(n * 2);
    }
    for (let k = 0; k < n; k++) {
      o.apIdx[k] = pool.ap[k];
      o.rssiDbm[k] = pool.sumDbm[k] / pool.count[k];
      o.count[k] = pool.count[k];
    }
    o.start = 0;
    o.end = n;
    return o;
  }
}
