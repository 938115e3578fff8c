// Cumulative exposure from estimated tracks: every epoch in which two devices
// of the same technology are estimated within distanceM adds one epoch of
// exposure (or, with a weight function, that share of an epoch: the chance
// they were really that close); pairs reaching minExposureS are contacts.
// The close-pair search is pluggable (grid, all-pairs); this bookkeeping is shared.
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import { TECHS } from '../contract/site.ts';
import { doubled } from '../contract/typed-arrays.ts';
import type { ContactDetector } from './detector.ts';

export interface ContactParams {
  epochMs: number;
  distanceM: number;
  minExposureS: number;
}

/** Below this share of an epoch a pair's epoch counts for nothing (keeps the far tail out of the books). */
export const MIN_EPOCH_WEIGHT = 0.01;

export interface ExposureOptions {
  /** Pairs up to this far apart are examined; at least distanceM. */
  searchM?: number;
  /** Share of an epoch (0..1) that rows i, j estimated distanceM apart count; default 1 within params.distanceM. */
  weight?: (i: number, j: number, distanceM: number) => number;
  /** Zone index (into zoneIds) where rows i, j were close, -1 outside all; with it contacts list where they happened. */
  zoneOfPair?: (i: number, j: number) => number;
  zoneIds?: readonly string[];
}

/** Pair totals in growable columns, one slot per device pair seen close (lo < hi: device indices). */
export class PairTotals {
  private readonly slotOf = new Map<number, number>();
  size = 0;
  lo = new Uint32Array(1024);
  hi = new Uint32Array(1024);
  exposureS = new Float64Array(1024);
  minDistanceM = new Float64Array(1024);
  firstTMs = new Float64Array(1024);
  lastTMs = new Float64Array(1024);
  /** Zone indices where each slot's pair was close. */
  readonly zones: Set<number>[] = [];

  constructor(private readonly devices: number) {}

  add(devA: number, devB: number, tMs: number, distanceM: number, exposureS: number, zone: number): void {
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
      this.zones[s] = new Set();
    }
    if (zone >= 0) this.zones[s].add(zone);
    this.exposureS[s] += exposureS;
    this.minDistanceM[s] = Math.min(this.minDistanceM[s], distanceM);
    this.lastTMs[s] = tMs;
  }

  private grow(): void {
    this.lo = doubled(this.lo);
    this.hi = doubled(this.hi);
    this.exposureS = doubled(this.exposureS);
    this.minDistanceM = doubled(this.minDistanceM);
    this.firstTMs = doubled(this.firstTMs);
    this.lastTMs = doubled(this.lastTMs);
  }
}

/**
 * Contacts between devices of the same technology, from estimates sorted by
 * time (as runEngine emits them). Sorted by a, then b, then technology.
 */
export function findContacts(
  est: Estimates, devices: readonly DeviceInfo[], params: ContactParams, detector: ContactDetector, opts: ExposureOptions = {},
): Contact[] {
  return contactsOf(closePairTotals(est, devices, params, detector, opts), devices, params.minExposureS, opts.zoneIds);
}

/** The pairs reaching minExposureS as contacts, zones named by zoneIds; sorted by a, then b, then technology. */
export function contactsOf(totals: PairTotals, devices: readonly DeviceInfo[], minExposureS: number, zoneIds?: readonly string[]): Contact[] {
  const contacts: Contact[] = [];
  for (let s = 0; s < totals.size; s++) {
    if (totals.exposureS[s] < minExposureS) continue;
    const [a, b] = [devices[totals.lo[s]].id, devices[totals.hi[s]].id].sort();
    contacts.push({
      a, b, tech: devices[totals.lo[s]].tech,
      exposureS: totals.exposureS[s], minDistanceM: totals.minDistanceM[s],
      firstTMs: totals.firstTMs[s], lastTMs: totals.lastTMs[s],
      zones: [...totals.zones[s]].sort((p, q) => p - q).map((z) => zoneIds?.[z] ?? String(z)),
    });
  }
  return contacts.sort(byPairThenTech);
}

/** Every pair of the same technology with any exposure, by device and zone index (no minimum applied). */
export function closePairTotals(
  est: Estimates, devices: readonly DeviceInfo[], params: Omit<ContactParams, 'minExposureS'>, detector: ContactDetector, opts: ExposureOptions = {},
): PairTotals {
  const techOf = Uint8Array.from(devices, (d) => TECHS.indexOf(d.tech));
  const totals = new PairTotals(devices.length);
  const epochS = params.epochMs / 1000;
  const rows = new Uint32Array(est.length);
  const searchM = Math.max(params.distanceM, opts.searchM ?? 0);
  const weight = opts.weight ?? ((_i: number, _j: number, d: number): number => (d <= params.distanceM ? 1 : 0));
  const zoneOfPair = opts.zoneOfPair ?? ((): number => -1);
  let tMs = 0;
  const visit = (i: number, j: number, d: number): void => {
    const w = weight(i, j, d);
    if (w < MIN_EPOCH_WEIGHT) return;
    totals.add(est.deviceIdx[i], est.deviceIdx[j], tMs, d, w * epochS, zoneOfPair(i, j));
  };

  for (let start = 0; start < est.length; ) {
    tMs = est.tMs[start];
    let end = start;
    while (end < est.length && est.tMs[end] === tMs) end++;
    if (est.tMs[end] < tMs) throw new Error(`estimates must be sorted by time (row ${end})`);
    for (let tech = 0; tech < TECHS.length; tech++) {
      let n = 0;
      for (let r = start; r < end; r++) if (techOf[est.deviceIdx[r]] === tech) rows[n++] = r;
      if (n > 1) detector.closePairs(est, rows, n, searchM, visit);
    }
    start = end;
  }

  return totals;
}

/** The order of contacts from tracks (findContacts, the slab totals): by a, then b, then technology. */
export function byPairThenTech(p: Contact, q: Contact): number {
  return compare(p.a, q.a) || compare(p.b, q.b) || TECHS.indexOf(p.tech) - TECHS.indexOf(q.tech);
}

function compare(p: string, q: string): number {
  return p < q ? -1 : p > q ? 1 : 0;
}
