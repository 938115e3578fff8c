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
  /** Heard APs, ascending, with their weighted RSSI sums and weighted report counts. */
  ap: number[];
  sumDbm: number[];
  count: number[];
}

/** A pooled AP whose weight decays below this many reports is dropped (heard long ago, not since). */
const MIN_POOLED_REPORTS = 0.2;

export class StillPool {
  private readonly pools = new Map<number, Pool>();
  /** The pooled readings of the last add (valid until the next). */
  readonly out: Readings & { count: Float64Array } = { apIdx: new Uint16Array(16), rssiDbm: new Float32Array(16), count: new Float64Array(16), start: 0, end: 0 };

  /**
   * @param decay weight an epoch keeps per later epoch, e^(−epoch / stillPoolS)
   * @param changeChi2 mean squared standardized difference per shared AP that starts a new pool
   * @param readingVarDb2 variance of one reading around its mean (fading), dB²
   */
  constructor(private readonly decay: number, private readonly changeChi2: number, private readonly readingVarDb2: number) {}

  /** Adds one epoch's readings of `device` and returns the pooled readings. */
  add(device: number, r: Readings): Readings {
    let pool = this.pools.get(device);
    if (pool === undefined || !this.agrees(pool, r)) {
      pool = { ap: [], sumDbm: [], count: [] };
      this.pools.set(device, pool);
    } else {
      for (let k = 0; k < pool.ap.length; k++) {
        pool.sumDbm[k] *= this.decay;
        pool.count[k] *= this.decay;
      }
    }
    this.merge(pool, r);
    return this.emit(pool);
  }

  /** Whether the epoch's means match the pool's within fading, over the APs both hold. */
  private agrees(pool: Pool, r: Readings): boolean {
    let chi2 = 0, shared = 0;
    for (let i = r.start, k = 0; i < r.end; i++) {
      const ap = r.apIdx[i];
      while (k < pool.ap.length && pool.ap[k] < ap) k++;
      if (k === pool.ap.length || pool.ap[k] !== ap) continue;
      const n = r.count ? r.count[i] : 1;
      const d = r.rssiDbm[i] - pool.sumDbm[k] / pool.count[k];
      chi2 += (d * d) / (this.readingVarDb2 * (1 / n + 1 / pool.count[k]));
      shared++;
    }
    return shared > 0 && chi2 <= this.changeChi2 * shared;
  }

  private merge(pool: Pool, r: Readings): void {
    for (let i = r.start; i < r.end; i++) {
      const ap = r.apIdx[i], n = r.count ? r.count[i] : 1;
      let k = 0;
      while (k < pool.ap.length && pool.ap[k] < ap) k++;
      if (k < pool.ap.length && pool.ap[k] === ap) {
        pool.sumDbm[k] += r.rssiDbm[i] * n;
        pool.count[k] += n;
      } else {
        pool.ap.splice(k, 0, ap);
        pool.sumDbm.splice(k, 0, r.rssiDbm[i] * n);
        pool.count.splice(k, 0, n);
      }
    }
    for (let k = pool.ap.length - 1; k >= 0; k--) {
      if (pool.count[k] >= MIN_POOLED_REPORTS) continue;
      pool.ap.splice(k, 1);
      pool.sumDbm.splice(k, 1);
      pool.count.splice(k, 1);
    }
  }

  private emit(pool: Pool): Readings {
    const o = this.out, n = pool.ap.length;
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
