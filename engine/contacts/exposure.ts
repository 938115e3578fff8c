// Cumulative exposure from estimated tracks: every epoch in which two devices
// of the same technology are estimated within distanceM adds one epoch of
// exposure; pairs reaching minExposureS are contacts. The close-pair search
// is pluggable (grid, all-pairs); this bookkeeping is shared.
//
// Exposure can be accumulated slab by slab (a time chunk, or one floor of a
// chunk, in a worker) and the slabs' pair totals merged: exposure counts
// epochs as integers, first/last/min merge as min/max, so the merge is exact
// and order-free, and a contact spanning a slab edge is one pair with its
// exposure summed.
import type { DeviceInfo } from '../observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import { TECHS } from '../site.ts';
import type { ContactDetector } from './detector.ts';

export interface ContactParams {
  epochMs: number;
  distanceM: number;
  minExposureS: number;
}

/** Pair totals of a slab, trimmed typed columns (transferable between threads). */
export interface PairColumns {
  size: number;
  lo: Uint32Array;
  hi: Uint32Array;
  /** Epochs the pair spent within distanceM. */
  epochs: Uint32Array;
  minDistanceM: Float64Array;
  firstTMs: Float64Array;
  lastTMs: Float64Array;
}

/** Pair totals in growable columns, one slot per device pair seen close. */
class PairTotals implements PairColumns {
  private readonly slotOf = new Map<number, number>();
  size = 0;
  lo = new Uint32Array(1024);
  hi = new Uint32Array(1024);
  epochs = new Uint32Array(1024);
  minDistanceM = new Float64Array(1024);
  firstTMs = new Float64Array(1024);
  lastTMs = new Float64Array(1024);

  constructor(private readonly devices: number) {}

  /** The slot of pair (lo, hi), created empty on first sight. */
  private slot(lo: number, hi: number, tMs: number): number {
    const key = lo * this.devices + hi;
    let s = this.slotOf.get(key);
    if (s === undefined) {
      s = this.size++;
      if (s === this.lo.length) this.grow();
      this.slotOf.set(key, s);
      this.lo[s] = lo;
      this.hi[s] = hi;
      this.epochs[s] = 0;
      this.minDistanceM[s] = Infinity;
      this.firstTMs[s] = tMs;
      this.lastTMs[s] = tMs;
    }
    return s;
  }

  add(devA: number, devB: number, tMs: number, distanceM: number): void {
    const s = this.slot(Math.min(devA, devB), Math.max(devA, devB), tMs);
    this.epochs[s]++;
    this.minDistanceM[s] = Math.min(this.minDistanceM[s], distanceM);
    this.lastTMs[s] = tMs;
  }

  merge(part: PairColumns): void {
    for (let k = 0; k < part.size; k++) {
      const s = this.slot(part.lo[k], part.hi[k], part.firstTMs[k]);
      this.epochs[s] += part.epochs[k];
      this.minDistanceM[s] = Math.min(this.minDistanceM[s], part.minDistanceM[k]);
      this.firstTMs[s] = Math.min(this.firstTMs[s], part.firstTMs[k]);
      this.lastTMs[s] = Math.max(this.lastTMs[s], part.lastTMs[k]);
    }
  }

  columns(): PairColumns {
    const n = this.size;
    return {
      size: n, lo: this.lo.slice(0, n), hi: this.hi.slice(0, n), epochs: this.epochs.slice(0, n),
      minDistanceM: this.minDistanceM.slice(0, n), firstTMs: this.firstTMs.slice(0, n), lastTMs: this.lastTMs.slice(0, n),
    };
  }

  private grow(): void {
    const n = this.lo.length * 2;
    const widen = <T extends Uint32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.lo = widen(this.lo, new Uint32Array(n));
    this.hi = widen(this.hi, new Uint32Array(n));
    this.epochs = widen(this.epochs, new Uint32Array(n));
    this.minDistanceM = widen(this.minDistanceM, new Float64Array(n));
    this.firstTMs = widen(this.firstTMs, new Float64Array(n));
    this.lastTMs = widen(this.lastTMs, new Float64Array(n));
  }
}

/**
 * Streaming exposure: feed estimates chunk by chunk in time order (each
 * chunk holding whole epochs, as runEngine's time chunks do), or merge the
 * totals of slabs accumulated elsewhere; state is one slot per pair seen close.
 */
export class ExposureAccumulator {
  private readonly totals: PairTotals;
  private rows = new Uint32Array(1024);
  private lastTMs = -Infinity;

  /** deviceTech: each device's technology as an index into TECHS. */
  constructor(
    private readonly deviceTech: Uint8Array,
    private readonly params: ContactParams,
    private readonly detector: ContactDetector,
  ) {
    this.totals = new PairTotals(deviceTech.length);
  }

  add(est: Estimates): void {
    const { deviceTech, totals, params } = this;
    if (this.rows.length < est.length) this.rows = new Uint32Array(est.length);
    const rows = this.rows;
    let tMs = 0;
    const visit = (i: number, j: number, d: number): void => totals.add(est.deviceIdx[i], est.deviceIdx[j], tMs, d);
    if (est.length > 0 && est.tMs[0] <= this.lastTMs) throw new Error(`estimates must be sorted by time and each epoch in one chunk (t=${est.tMs[0]} ms)`);
    for (let start = 0; start < est.length; ) {
      tMs = est.tMs[start];
      let end = start;
      while (end < est.length && est.tMs[end] === tMs) end++;
      if (est.tMs[end] < tMs) throw new Error(`estimates must be sorted by time (row ${end})`);
      for (let tech = 0; tech < TECHS.length; tech++) {
        let n = 0;
        for (let r = start; r < end; r++) if (deviceTech[est.deviceIdx[r]] === tech) rows[n++] = r;
        if (n > 1) this.detector.closePairs(est, rows, n, params.distanceM, visit);
      }
      start = end;
    }
    if (est.length > 0) this.lastTMs = est.tMs[est.length - 1];
  }

  /** Merges the totals of a slab accumulated by another accumulator (another thread). */
  addSlab(part: PairColumns): void {
    this.totals.merge(part);
  }

  /** The pair totals so far, to hand to another accumulator's addSlab. */
  slab(): PairColumns {
    return this.totals.columns();
  }

  /** Pairs that reached minExposureS so far, sorted by a, then b, then technology. */
  contacts(devices: readonly DeviceInfo[]): Contact[] {
    const { totals } = this;
    const epochS = this.params.epochMs / 1000;
    const contacts: Contact[] = [];
    for (let s = 0; s < totals.size; s++) {
      const exposureS = totals.epochs[s] * epochS;
      if (exposureS < this.params.minExposureS) continue;
      const [a, b] = [devices[totals.lo[s]].id, devices[totals.hi[s]].id].sort();
      contacts.push({
        a, b, tech: devices[totals.lo[s]].tech,
        exposureS, minDistanceM: totals.minDistanceM[s],
        firstTMs: totals.firstTMs[s], lastTMs: totals.lastTMs[s],
      });
    }
    return contacts.sort((p, q) => compare(p.a, q.a) || compare(p.b, q.b) || TECHS.indexOf(p.tech) - TECHS.indexOf(q.tech));
  }
}

/** Each device's technology as an index into TECHS. */
export function deviceTechs(devices: readonly DeviceInfo[]): Uint8Array {
  return Uint8Array.from(devices, (d) => TECHS.indexOf(d.tech));
}

/**
 * Contacts between devices of the same technology, from estimates sorted by
 * time (as runEngine emits them). Sorted by a, then b, then technology.
 */
export function findContacts(est: Estimates, devices: readonly DeviceInfo[], params: ContactParams, detector: ContactDetector): Contact[] {
  const acc = new ExposureAccumulator(deviceTechs(devices), params, detector);
  acc.add(est);
  return acc.contacts(devices);
}

function compare(p: string, q: string): number {
  return p < q ? -1 : p > q ? 1 : 0;
}
