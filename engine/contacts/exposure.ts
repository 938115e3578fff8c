// Cumulative exposure from estimated tracks: every epoch in which two devices
// of the same technology are estimated within distanceM adds one epoch of
// exposure; pairs reaching minExposureS are contacts. The close-pair search
// is pluggable (grid, all-pairs); this bookkeeping is shared.
import type { DeviceInfo } from '../observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import { TECHS } from '../site.ts';
import type { ContactDetector } from './detector.ts';

export interface ContactParams {
  epochMs: number;
  distanceM: number;
  minExposureS: number;
}

/** Pair totals in growable columns, one slot per device pair seen close. */
class PairTotals {
  private readonly slotOf = new Map<number, number>();
  size = 0;
  lo = new Uint32Array(1024);
  hi = new Uint32Array(1024);
  exposureS = new Float64Array(1024);
  minDistanceM = new Float64Array(1024);
  firstTMs = new Float64Array(1024);
  lastTMs = new Float64Array(1024);

  constructor(private readonly devices: number) {}

  add(devA: number, devB: number, tMs: number, distanceM: number, exposureS: number): void {
    const lo = Math.min(devA, devB), hi = Math.max(devA, devB);
    const key = lo * this.devices + hi;
    let s = this.slotOf.get(key);
    if (s === undefined) {
      s = this.size++;
      if (s === this.lo.length) this.grow();
      this.slotOf.set(key, s);
      this.lo[s] = lo;
      this.hi[s] = hi;
      this.exposureS[s] = 0;
      this.minDistanceM[s] = Infinity;
      this.firstTMs[s] = tMs;
    }
    this.exposureS[s] += exposureS;
    this.minDistanceM[s] = Math.min(this.minDistanceM[s], distanceM);
    this.lastTMs[s] = tMs;
  }

  private grow(): void {
    const n = this.lo.length * 2;
    const widen = <T extends Uint32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.lo = widen(this.lo, new Uint32Array(n));
    this.hi = widen(this.hi, new Uint32Array(n));
    this.exposureS = widen(this.exposureS, new Float64Array(n));
    this.minDistanceM = widen(this.minDistanceM, new Float64Array(n));
    this.firstTMs = widen(this.firstTMs, new Float64Array(n));
    this.lastTMs = widen(this.lastTMs, new Float64Array(n));
  }
}

/**
 * Streaming exposure: feed estimates chunk by chunk in time order (each
 * chunk holding whole epochs, as runEngine's time chunks do); state is one
 * slot per pair seen close, so a contact that spans a chunk edge is one pair
 * with its exposure summed across chunks.
 */
export class ExposureAccumulator {
  private readonly techOf: Uint8Array;
  private readonly totals: PairTotals;
  private rows = new Uint32Array(1024);
  private lastTMs = -Infinity;

  constructor(
    private readonly devices: readonly DeviceInfo[],
    private readonly params: ContactParams,
    private readonly detector: ContactDetector,
  ) {
    this.techOf = Uint8Array.from(devices, (d) => TECHS.indexOf(d.tech));
    this.totals = new PairTotals(devices.length);
  }

  add(est: Estimates): void {
    const { techOf, totals, params } = this;
    const epochS = params.epochMs / 1000;
    if (this.rows.length < est.length) this.rows = new Uint32Array(est.length);
    const rows = this.rows;
    let tMs = 0;
    const visit = (i: number, j: number, d: number): void => totals.add(est.deviceIdx[i], est.deviceIdx[j], tMs, d, epochS);
    if (est.length > 0 && est.tMs[0] <= this.lastTMs) throw new Error(`estimates must be sorted by time and each epoch in one chunk (t=${est.tMs[0]} ms)`);
    for (let start = 0; start < est.length; ) {
      tMs = est.tMs[start];
      let end = start;
      while (end < est.length && est.tMs[end] === tMs) end++;
      if (est.tMs[end] < tMs) throw new Error(`estimates must be sorted by time (row ${end})`);
      for (let tech = 0; tech < TECHS.length; tech++) {
        let n = 0;
        for (let r = start; r < end; r++) if (techOf[est.deviceIdx[r]] === tech) rows[n++] = r;
        if (n > 1) this.detector.closePairs(est, rows, n, params.distanceM, visit);
      }
      start = end;
    }
    if (est.length > 0) this.lastTMs = est.tMs[est.length - 1];
  }

  /** Pairs that reached minExposureS so far, sorted by a, then b, then technology. */
  contacts(): Contact[] {
    const { totals, devices } = this;
    const contacts: Contact[] = [];
    for (let s = 0; s < totals.size; s++) {
      if (totals.exposureS[s] < this.params.minExposureS) continue;
      const [a, b] = [devices[totals.lo[s]].id, devices[totals.hi[s]].id].sort();
      contacts.push({
        a, b, tech: devices[totals.lo[s]].tech,
        exposureS: totals.exposureS[s], minDistanceM: totals.minDistanceM[s],
        firstTMs: totals.firstTMs[s], lastTMs: totals.lastTMs[s],
      });
    }
    return contacts.sort((p, q) => compare(p.a, q.a) || compare(p.b, q.b) || TECHS.indexOf(p.tech) - TECHS.indexOf(q.tech));
  }
}

/**
 * Contacts between devices of the same technology, from estimates sorted by
 * time (as runEngine emits them). Sorted by a, then b, then technology.
 */
export function findContacts(est: Estimates, devices: readonly DeviceInfo[], params: ContactParams, detector: ContactDetector): Contact[] {
  const acc = new ExposureAccumulator(devices, params, detector);
  acc.add(est);
  return acc.contacts();
}

function compare(p: string, q: string): number {
  return p < q ? -1 : p > q ? 1 : 0;
}
