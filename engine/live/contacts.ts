// Contacts, causally: at every epoch each device still fresh (its last tracked
// fix at most contacts.fillGapS old: the batch fills gaps that long by
// interpolating, which needs the next fix; the live engine holds the last
// one) is placed where it was last tracked, the configured close-pair search
// (DETECTORS) runs per technology, and each close pair's epoch counts as the
// batch counts it (pairRules: room- and uncertainty-aware). Exposure
// accumulates per pair; a pair is announced once it reaches minExposureS and
// its totals close when one of its devices goes idle. Memory: the pairs of
// active devices.
import type { EngineConfig } from '../config.ts';
import { DETECTORS } from '../contacts/index.ts';
import { MIN_EPOCH_WEIGHT } from '../contacts/exposure.ts';
import { pairRules } from '../contacts/track-contacts.ts';
import { wallBetween } from '../contacts/wall-between.ts';
import type { Estimates } from '../outputs.ts';
import { allocEstimates } from '../pipeline/estimates.ts';
import type { Site } from '../contract/site.ts';
import { zoneLocator } from '../site-map/zone-locator.ts';

export interface PairState {
  lo: number;
  hi: number;
  exposureS: number;
  minDistanceM: number;
  firstTMs: number;
  lastTMs: number;
  zones: Set<number>;
  announced: boolean;
}

export interface PairSink {
  reached(p: PairState, tMs: number): void;
  ended(p: PairState, tMs: number): void;
}

export class LiveContacts {
  private readonly pairs = new Map<number, PairState>();
  /** Pair keys per device, to drop a device's pairs when it goes idle. */
  private readonly pairsOf = new Map<number, Set<number>>();
  private readonly zoneAt: ReturnType<typeof zoneLocator>;
  private readonly blocked: ReturnType<typeof wallBetween>;
  private rows = new Uint32Array(64);
  private now: Estimates = allocEstimates(64);

  constructor(private readonly site: Site, private readonly cfg: EngineConfig['contacts'], private readonly epochMs: number, private readonly keySpace: number, private readonly sink: PairSink) {
    this.zoneAt = zoneLocator(site);
    this.blocked = wallBetween(site.walls);
  }

  get size(): number {
    return this.pairs.size;
  }

  /**
   * One epoch: `pos` holds every fresh device's last tracked position (rows
   * [0, pos.length)), techOf its technology index.
   */
  epoch(tMs: number, pos: Estimates, techOf: (device: number) => number, techs: number): void {
    const { cfg } = this;
    const rules = pairRules(pos, this.site, cfg, this.zoneAt, this.blocked);
    const searchM = cfg.uncertaintyAware ? cfg.uncertaintySearchM : cfg.distanceM;
    const epochS = this.epochMs / 1000;
    if (this.rows.length < pos.length) this.rows = new Uint32Array(pos.length * 2);
    const visit = (i: number, j: number, d: number): void => {
      const w = rules.weight(i, j, d);
      if (w < MIN_EPOCH_WEIGHT) return;
      this.add(pos.deviceIdx[i], pos.deviceIdx[j], tMs, d, w * epochS, rules.zoneOfPair(i, j));
    };
    for (let tech = 0; tech < techs; tech++) {
      let n = 0;
      for (let r = 0; r < pos.length; r++) if (techOf(pos.deviceIdx[r]) === tech) this.rows[n++] = r;
      if (n > 1) DETECTORS[cfg.detector].closePairs(pos, this.rows, n, searchM, visit);
    }
  }

  /** Closes every pair of `device` (it went idle). */
  dropDevice(device: number, tMs: number): void {
    const keys = this.pairsOf.get(device);
    if (keys === undefined) return;
    this.pairsOf.delete(device);
    for (const key of keys) {
      const p = this.pairs.get(key)!;
      this.pairs.delete(key);
      this.pairsOf.get(p.lo === device ? p.hi : p.lo)?.delete(key);
      if (p.announced) this.sink.ended(p, tMs);
    }
  }

  /** Every open pair, exposure so far. */
  open(): IterableIterator<PairState> {
    return this.pairs.values();
  }

  /** Scratch columns for the caller to fill with an epoch's positions. */
  scratch(rows: number): Estimates {
    if (this.now.tMs.length < rows) this.now = allocEstimates(rows * 2);
    this.now.length = 0;
    return this.now;
  }

  private add(a: number, b: number, tMs: number, distanceM: number, exposureS: number, zone: number): void {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    const key = lo * this.keySpace + hi;
    let p = this.pairs.get(key);
    if (p === undefined) {
      p = { lo, hi, exposureS: 0, minDistanceM: Infinity, firstTMs: tMs, lastTMs: tMs, zones: new Set(), announced: false };
      this.pairs.set(key, p);
      for (const d of [lo, hi]) {
        let s = this.pairsOf.get(d);
        if (s === undefined) this.pairsOf.set(d, (s = new Set()));
        s.add(key);
      }
    }
    if (zone >= 0) p.zones.add(zone);
    p.exposureS += exposureS;
    p.minDistanceM = Math.min(p.minDistanceM, distanceM);
    p.lastTMs = tMs;
    if (!p.announced && p.exposureS >= this.cfg.minExposureS) {
      p.announced = true;
      this.sink.reached(p, tMs);
    }
  }
}
