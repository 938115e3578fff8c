// Fixes each device's stays once, from the RSSI pooled over the whole stay.
// Fading is fresh at every reception, but a fix from one epoch is a
// nonlinear function of it (the most likely walkable cell), so its errors
// do not average out over a seated stay: the mean of many fixes stays off
// the seat (office, oracle radio map, fading on: per-stay bias median 0.48 m,
// RMS 0.88 m; fading off: 0.16 m). Averaging the RSSI first and fixing from
// the average does shrink it.
//
// Every epoch first gets its own fix, from its readings alone. It continues
// the device's current stay when both agree with the stay: its per-AP means
// with the stay's pooled means within fading (χ² per shared AP at most
// stays.changeChi2), and its own fix with the mean of the stay's
// own fixes within their radii (χ² at most stays.moveChi2). The RSSI
// test alone lets a walker 7 m on pass (averaged over shared APs, the near
// APs' big change is diluted); the fix test does not. When a stay ends (or
// spans stays.poolS, or the chunk ends) its pooled readings are
// fixed once and that fix replaces the own fix of each of its epochs: the
// first epochs of a stay get the whole stay's average too, and a walker's
// epochs keep their own fixes.
// State is per device and carried in time order within a chunk (a chunk
// closes every stay), so fixes do not depend on worker count.
import type { EstimatesBuilder } from '../pipeline/estimates.ts';
import type { LocalizeTuning } from './index.ts';

/**
 * Where fixes go: rows pushed, and a stay's pooled fix written over its rows
 * once it closes; a sink without setFix (the live engine's: a fix, once out,
 * stands) has a closing stay not fixed at all.
 */
export type FixSink = Pick<EstimatesBuilder, 'length' | 'push'> & Partial<Pick<EstimatesBuilder, 'setFix'>>;
import type { Fix, Localizer, LocalizeModel, Readings } from './types.ts';
import { above, between, DAY_S, whole, type Settings } from '../settings/rules.ts';

/**
 * Each moved off its default in bench/results/track-settings.md. The shared
 * real logs hold few stays (a phone stands at a point for under 25 s, a robot
 * keeps moving): they tell what a looser test costs a moving device, the
 * realistic scenarios' seated day what pooling gains.
 */
export interface StaySettings {
  /**
   * Each stay is fixed once from its RSSI pooled over the stay, at most this
   * long per pooled fix, seconds; 0 = every epoch fixed from its own readings
   * alone. Only over a survey map: over the model alone pooled stale APs
   * mostly add worse fixes at twice the cost (engine/localize/chunk.ts).
   * Against 0: bench/results/map-oracle.json (bench/studies/map-oracle.ts).
   */
  poolS: number;
  /**
   * An epoch whose per-AP means differ from its stay's pooled means by more
   * than this (mean squared difference in units of its fading variance) ends the stay.
   */
  changeChi2: number;
  /**
   * An epoch whose own fix lies farther from the mean of its stay's own fixes
   * than this (squared distance over both spreads, per-axis variances summed)
   * ends the stay: a walker a few metres on, whose RSSI change the shared-AP
   * average dilutes.
   */
  moveChi2: number;
  /** A stay of fewer epochs with a fix keeps each epoch's own fix: two or three fixes of a walker can agree, more rarely do. */
  minEpochs: number;
  /** Epochs in a row that disagree with a stay and yet do not end it when the next agrees again (a fading blip, not a move). */
  blipEpochs: number;
}

export const STAY_SETTINGS: Settings<StaySettings> = {
  defaults: { poolS: 300, changeChi2: 1.25, moveChi2: 9, minEpochs: 5, blipEpochs: 2 },
  rules: { poolS: between(0, DAY_S), changeChi2: above(0, 1000), moveChi2: above(0, 1000), minEpochs: whole(1, 1000), blipEpochs: whole(0, 100) },
};

export interface StayOptions {
  /** A stay is fixed and closed once it spans this long, ms. */
  maxSpanMs: number;
  /** Mean squared standardized RSSI difference per shared AP that ends a stay. */
  changeChi2: number;
  /** Squared standardized distance of an epoch's own fix from the stay's that ends it. */
  moveChi2: number;
  /** A stay of fewer epochs with a fix keeps their own fixes (a walker's fixes rarely agree that long). */
  minEpochs: number;
  /** Disagreeing epochs in a row a stay survives when the next agrees again (fading blips, not a move). */
  blipEpochs: number;
  /** Variance of one reading around its mean (fading), dB². */
  readingVarDb2: number;
  /** A fix's errorRadiusM over its standard deviation per axis. */
  radiusScale: number;
}

interface Stay {
  /** Heard APs [0, n), ascending, with their RSSI sums and report counts over the stay. */
  ap: Uint16Array;
  sumDbm: Float64Array;
  count: Float64Array;
  n: number;
  /** Epochs joined. */
  epochs: number;
  /** Epochs that disagreed with the stay, held until the next shows whether the stay ended or they were a blip. */
  held: Held[];
  /** Builder rows of the stay's epochs (one per epoch with an own fix), those own fixes and, when they are the base's (StayPooler), their readings. */
  rows: number[];
  own: Fix[];
  reads: Readings[];
  firstTMs: number;
  /** Sums over the stay's own fixes: position and per-axis variance, on `floor`. */
  sumX: number;
  sumY: number;
  sumVar: number;
  fixes: number;
  floor: number;
  /** The live engine's pooled fix so far (pooledSoFar) and the stay's fixes when it was made. */
  pooledFix: Fix | null;
  pooledAt: number;
}

/** One epoch: its readings, own fix and builder row (−1 without an own fix). */
interface Held {
  tMs: number;
  readings: Readings;
  own: Fix | null;
  row: number;
}

const copyReadings = (r: Readings): Readings => ({
  apIdx: r.apIdx.slice(r.start, r.end), rssiDbm: r.rssiDbm.slice(r.start, r.end), count: r.count?.slice(r.start, r.end), held: r.held?.slice(r.start, r.end), start: 0, end: r.end - r.start,
});

const newStay = (size: number): Stay => ({
  ap: new Uint16Array(size), sumDbm: new Float64Array(size), count: new Float64Array(size), n: 0,
  epochs: 0, held: [], rows: [], own: [], reads: [], firstTMs: 0, sumX: 0, sumY: 0, sumVar: 0, fixes: 0, floor: 0, pooledFix: null, pooledAt: 0,
});

export class StayPooler {
  private readonly stays = new Map<number, Stay>();
  /** Where the next merge is written; it then trades buffers with the device's stay. */
  private spare = newStay(16);
  /** The pooled readings of the stay being fixed. */
  private readonly pooled: Readings & { count: Float64Array } = { apIdx: new Uint16Array(16), rssiDbm: new Float32Array(16), count: new Float64Array(16), start: 0, end: 0 };

  /**
   * Where the sink can rewrite a row and the localizer refines a cheaper
   * base's fix (the fused one the map's), each epoch is fixed by the base, the
   * stays are told apart on those fixes, and only the fixes reported are
   * refined: a stay's pooled one, and the own fixes of the epochs it does not
   * cover (nine in ten of a seated day's epochs are covered).
   */
  private readonly first: Localizer<LocalizeTuning>;

  constructor(private readonly localizer: Localizer<LocalizeTuning>, private readonly model: LocalizeModel<LocalizeTuning>, private readonly opt: StayOptions, private readonly out: FixSink) {
    this.first = out.setFix !== undefined && localizer.base !== undefined && localizer.refine !== undefined ? localizer.base : localizer;
  }

  /** Adds one epoch's readings of `device` (APs ascending, as the epoch aggregator gives them), in time order per device. */
  add(tMs: number, device: number, r: Readings): void {
    const own = this.first.locate(this.model, r);
    const row = own === null ? -1 : this.out.length;
    if (own !== null) this.out.push(tMs, device, own);
    let stay = this.stays.get(device);
    if (stay === undefined) this.stays.set(device, (stay = newStay(16)));
    this.step(stay, { tMs, readings: r, own, row });
  }

  /**
   * The fix from `device`'s current stay's readings pooled so far, when it
   * has at least minEpochs own fixes and no held epochs: the causal pooled fix
   * the live engine reports (the batch writes the whole stay's at its close).
   * It is fixed again only once the stay has grown by `refreshShare` of its
   * fixes since (the pooled mean's error shrinks as 1/√fixes, so a stay of
   * any length costs a few fixes, not one per epoch).
   */
  pooledSoFar(device: number, refreshShare: number): Fix | null {
    const stay = this.stays.get(device);
    const m = stay?.rows.length ?? 0;
    if (stay === undefined || stay.held.length > 0 || m < Math.max(2, this.opt.minEpochs)) return null;
    if (stay.pooledFix === null || stay.pooledAt > m || m >= stay.pooledAt * (1 + refreshShare)) {
      stay.pooledFix = this.localizer.locate(this.model, this.emit(stay));
      stay.pooledAt = m;
    }
    return stay.pooledFix;
  }

  /** Drops a device's stay without fixing it (the live engine evicting an idle device). */
  forget(device: number): void {
    this.stays.delete(device);
  }

  /** Closes every stay (end of the chunk). */
  flush(): void {
    for (const stay of this.stays.values()) {
      this.close(stay);
      this.replayHeld(stay);
      this.close(stay);
    }
    this.stays.clear();
  }

  /**
   * One epoch in: it joins the stay if it agrees; if it does not, it is held
   * (up to stayBlipEpochs in a row). An agreeing epoch after held ones makes
   * them blips of the stay; one more disagreeing epoch ends the stay there.
   */
  private step(stay: Stay, e: Held): void {
    if (stay.epochs === 0 || this.agrees(stay, e.tMs, e.readings, e.own)) {
      for (const h of stay.held) this.join(stay, h);
      stay.held.length = 0;
      this.join(stay, e);
      return;
    }
    if (stay.held.length < this.opt.blipEpochs) {
      stay.held.push({ ...e, readings: copyReadings(e.readings) });
      return;
    }
    this.close(stay);
    this.replayHeld(stay);
    this.step(stay, e);
  }

  /** Feeds the held epochs to the (emptied) stay again, as a new stay's first epochs. */
  private replayHeld(stay: Stay): void {
    const held = stay.held.splice(0);
    for (const h of held) this.step(stay, h);
  }

  /** Whether an epoch continues the stay: within its span, its RSSI and its own fix (if any) agree. */
  private agrees(stay: Stay, tMs: number, r: Readings, own: Fix | null): boolean {
    return tMs - stay.firstTMs < this.opt.maxSpanMs && this.rssiAgrees(stay, r) && (own === null || this.fixAgrees(stay, own));
  }

  private join(stay: Stay, { tMs, readings: r, own, row }: Held): void {
    if (stay.epochs++ === 0) stay.firstTMs = tMs;
    this.merge(stay, r);
    if (own === null) return;
    stay.rows.push(row);
    stay.own.push(own);
    if (this.first !== this.localizer) stay.reads.push(copyReadings(r));
    const sd = own.errorRadiusM / this.opt.radiusScale;
    if (stay.fixes === 0) stay.floor = own.floor;
    stay.sumX += own.x;
    stay.sumY += own.y;
    stay.sumVar += sd * sd;
    stay.fixes++;
  }

  /** Whether the epoch's means match the stay's within fading, over the APs both hold. */
  private rssiAgrees(stay: Stay, r: Readings): boolean {
    let chi2 = 0, shared = 0;
    for (let i = r.start, k = 0; i < r.end; i++) {
      // A held report is no new evidence: its own epoch was compared already.
      if (r.held?.[i]) continue;
      const ap = r.apIdx[i];
      while (k < stay.n && stay.ap[k] < ap) k++;
      if (k === stay.n || stay.ap[k] !== ap) continue;
      const n = r.count ? r.count[i] : 1;
      const d = r.rssiDbm[i] - stay.sumDbm[k] / stay.count[k];
      chi2 += (d * d) / (this.opt.readingVarDb2 * (1 / n + 1 / stay.count[k]));
      shared++;
    }
    return shared > 0 && chi2 <= this.opt.changeChi2 * shared;
  }

  /** Whether the epoch's own fix lies where the stay's own fixes put it, given both spreads. */
  private fixAgrees(stay: Stay, own: Fix): boolean {
    if (stay.fixes === 0) return true;
    // The stay's mean is no surer than one fix's spread over √fixes (its fixes share a bias, so this is generous).
    return this.near(own, stay.floor, stay.sumX / stay.fixes, stay.sumY / stay.fixes, stay.sumVar / (stay.fixes * stay.fixes));
  }

  /** Whether `own` lies within moveChi2 of (x, y) on `floor`, whose per-axis variance is `varM2`. */
  private near(own: Fix, floor: number, x: number, y: number, varM2: number): boolean {
    if (own.floor !== floor) return false;
    const dx = own.x - x, dy = own.y - y;
    const sd = own.errorRadiusM / this.opt.radiusScale;
    return (dx * dx + dy * dy) / (sd * sd + varM2) <= this.opt.moveChi2;
  }

  /**
   * Fixes the stay from its pooled readings onto its epochs and empties it.
   * A stay of fewer than minEpochs keeps its own fixes; so do its first and
   * last epochs while their own fix is far from the pooled one (the epoch a
   * walker got up or sat down in, which the stay tests let through).
   */
  private close(stay: Stay): void {
    const m = stay.rows.length, out = this.out;
    let from = 0, to = 0;
    if (out.setFix !== undefined && m >= Math.max(2, this.opt.minEpochs)) {
      // Its epochs' own fixes are the base's: they are compared with the pooled fix of the base, which is then refined.
      const pooled = this.emit(stay), base = this.first.locate(this.model, pooled);
      if (base !== null) {
        const sd = base.errorRadiusM / this.opt.radiusScale, inStay = (k: number): boolean => this.near(stay.own[k], base.floor, base.x, base.y, sd * sd);
        to = m;
        while (from < to && !inStay(from)) from++;
        while (to > from && !inStay(to - 1)) to--;
        const fix = this.first === this.localizer ? base : this.localizer.refine!(this.model, pooled, base);
        for (let k = from; k < to; k++) out.setFix(stay.rows[k], fix);
      }
    }
    // The epochs the pooled fix does not cover report their own fixes: the base's, refined now.
    if (this.first !== this.localizer) {
      for (let k = 0; k < m; k++) if (k < from || k >= to) out.setFix!(stay.rows[k], this.localizer.refine!(this.model, stay.reads[k], stay.own[k]));
    }
    stay.n = 0;
    stay.epochs = 0;
    stay.rows.length = 0;
    stay.own.length = 0;
    stay.reads.length = 0;
    stay.sumX = stay.sumY = stay.sumVar = 0;
    stay.fixes = 0;
    stay.pooledFix = null;
  }

  /** Merges the epoch into the stay (both ascending by AP). */
  private merge(stay: Stay, r: Readings): void {
    const size = stay.n + r.end - r.start;
    if (this.spare.ap.length < size) this.spare = newStay(size * 2);
    const to = this.spare;
    let k = 0, i = r.start, n = 0;
    while (k < stay.n || i < r.end) {
      const ap = i === r.end || (k < stay.n && stay.ap[k] <= r.apIdx[i]) ? stay.ap[k] : r.apIdx[i];
      let sum = 0, count = 0;
      if (k < stay.n && stay.ap[k] === ap) {
        sum = stay.sumDbm[k];
        count = stay.count[k++];
      }
      if (i < r.end && r.apIdx[i] === ap) {
        // Held reports were pooled with their own epoch: each report counts once.
        const reports = r.held?.[i] ? 0 : r.count ? r.count[i] : 1;
        sum += r.rssiDbm[i] * reports;
        count += reports;
        i++;
      }
      if (count === 0) continue;
      to.ap[n] = ap;
      to.sumDbm[n] = sum;
      to.count[n++] = count;
    }
    // The merge becomes the stay's readings; its old buffers take the next merge.
    const { ap, sumDbm, count } = stay;
    stay.ap = to.ap;
    stay.sumDbm = to.sumDbm;
    stay.count = to.count;
    to.ap = ap;
    to.sumDbm = sumDbm;
    to.count = count;
    stay.n = n;
  }

  private emit(stay: Stay): Readings {
    const o = this.pooled, n = stay.n;
    if (o.apIdx.length < n) {
      o.apIdx = new Uint16Array(n * 2);
      o.rssiDbm = new Float32Array(n * 2);
      o.count = new Float64Array(n * 2);
    }
    for (let k = 0; k < n; k++) {
      o.apIdx[k] = stay.ap[k];
      o.rssiDbm[k] = stay.sumDbm[k] / stay.count[k];
      o.count[k] = stay.count[k];
    }
    o.start = 0;
    o.end = n;
    return o;
  }
}
