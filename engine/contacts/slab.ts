// Contacts by time slab: every shard's tracks for one slab of the day (plus a
// margin for the track filling and position smoothing) merged into (tMs, deviceIdx) order,
// exposure counted for the slab's epochs only. Slabs are fixed by the config
// (chunkMs), not by the worker count, and a pair close across a slab edge is
// one contact whose exposure is summed slab by slab (SlabContactTotals).
import type { EngineContext } from '../pipeline/context.ts';
import { byPairThenTech } from './exposure.ts';
import { pairTotalsFromTracks } from './track-contacts.ts';
import { copyRowsInto, EstimatesBuilder, mergeSorted, timeSlice } from '../pipeline/estimates.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import { doubled } from '../contract/typed-arrays.ts';

export interface ContactSlabTask {
  /** Every shard's tracks, each sorted by (tMs, deviceIdx); shared memory. */
  shards: Estimates[];
  fromMs: number;
  toMs: number;
  /** The slab's merged rows are written here from row outAt on (shared memory). */
  out: Estimates;
  outAt: number;
}

/**
 * A slab's pairs with any exposure (no minimum yet: that applies to the
 * day's sum), as device and zone indices in typed arrays: at campus scale
 * millions of pairs pass through, and objects with id strings would be most
 * of the engine's memory. Zones of pair k: zones[zoneStart[k] .. zoneStart[k + 1]).
 */
export interface SlabPairs {
  length: number;
  a: Uint32Array;
  b: Uint32Array;
  exposureS: Float64Array;
  minDistanceM: Float64Array;
  firstTMs: Float64Array;
  lastTMs: Float64Array;
  zoneStart: Uint32Array;
  zones: Uint16Array;
}

export function contactSlab(ctx: EngineContext, task: ContactSlabTask): SlabPairs {
  const { cfg } = ctx;
  // Filling reads fixes up to fillGapS away, smoothing ± half its window around each; one more epoch for the boundaries.
  const marginMs = (cfg.contacts.fillGapS + cfg.contacts.smoothWindowS / 2) * 1000 + cfg.ingest.epochMs;
  const parts = task.shards.map((s) => timeSlice(s, task.fromMs - marginMs, task.toMs + marginMs));
  const b = new EstimatesBuilder(parts.reduce((n, p) => n + p.length, 0)); // exactly full: no growth, no trimming copy
  mergeSorted(parts, b);
  const merged = b.build();
  copyRowsInto(timeSlice(merged, task.fromMs, task.toMs), task.out, task.outAt);
  const found = pairTotalsFromTracks(merged, ctx.devices, ctx.site, cfg.ingest.epochMs, cfg.contacts, { fromMs: task.fromMs, toMs: task.toMs });
  const n = found.size;
  const pairs: SlabPairs = {
    length: n, a: found.lo.slice(0, n), b: found.hi.slice(0, n), exposureS: found.exposureS.slice(0, n), minDistanceM: found.minDistanceM.slice(0, n),
    firstTMs: found.firstTMs.slice(0, n), lastTMs: found.lastTMs.slice(0, n), zoneStart: new Uint32Array(n + 1), zones: new Uint16Array(found.zones.reduce((z, zs) => z + zs.size, 0)),
  };
  for (let k = 0; k < n; k++) {
    let z = pairs.zoneStart[k];
    for (const zone of found.zones[k]) pairs.zones[z++] = zone;
    pairs.zoneStart[k + 1] = z;
  }
  return pairs;
}

/**
 * The day's contacts, slab by slab (added in slab order, so sums do not
 * depend on which slab finished first): exposure summed, extremes kept, zones
 * joined in site order. Every pair with any exposure passes through (millions
 * at campus scale), so they are kept in typed columns, each pair's zones as a
 * chain of links, not as objects and arrays per pair.
 */
export class SlabContactTotals {
  private readonly slotOf = new Map<number, number>();
  private pairs = 0;
  private a = new Uint32Array(1024);
  private b = new Uint32Array(1024);
  private exposureS = new Float64Array(1024);
  private minDistanceM = new Float64Array(1024);
  private firstTMs = new Float64Array(1024);
  private lastTMs = new Float64Array(1024);
  /** The pair's latest zone link, −1 for none; each link holds a zone index and the link before it. */
  private zoneHead = new Int32Array(1024);
  private links = 0;
  private linkZone = new Uint16Array(1024);
  private linkNext = new Int32Array(1024);

  constructor(private readonly devices: readonly DeviceInfo[], private readonly zoneIds: readonly string[]) {}

  add(p: SlabPairs): void {
    for (let k = 0; k < p.length; k++) {
      const key = p.a[k] * this.devices.length + p.b[k];
      let s = this.slotOf.get(key);
      if (s === undefined) {
        s = this.newPair();
        this.slotOf.set(key, s);
        this.a[s] = p.a[k];
        this.b[s] = p.b[k];
        this.exposureS[s] = 0;
        this.minDistanceM[s] = Infinity;
        this.firstTMs[s] = p.firstTMs[k];
        this.lastTMs[s] = p.lastTMs[k];
        this.zoneHead[s] = -1;
      }
      this.exposureS[s] += p.exposureS[k];
      this.minDistanceM[s] = Math.min(this.minDistanceM[s], p.minDistanceM[k]);
      this.firstTMs[s] = Math.min(this.firstTMs[s], p.firstTMs[k]);
      this.lastTMs[s] = Math.max(this.lastTMs[s], p.lastTMs[k]);
      for (let z = p.zoneStart[k]; z < p.zoneStart[k + 1]; z++) if (!this.hasZone(s, p.zones[z])) this.addZone(s, p.zones[z]);
    }
  }

  /** Pairs reaching minExposureS, sorted by a, b, technology. */
  contacts(minExposureS: number): Contact[] {
    const out: Contact[] = [];
    for (let s = 0; s < this.pairs; s++) {
      if (this.exposureS[s] < minExposureS) continue;
      // a, b by id, as findContacts orders them.
      const [a, b] = [this.devices[this.a[s]].id, this.devices[this.b[s]].id].sort();
      const zones: number[] = [];
      for (let l = this.zoneHead[s]; l >= 0; l = this.linkNext[l]) zones.push(this.linkZone[l]);
      out.push({
        a, b, tech: this.devices[this.a[s]].tech, exposureS: this.exposureS[s], minDistanceM: this.minDistanceM[s], firstTMs: this.firstTMs[s], lastTMs: this.lastTMs[s],
        zones: zones.sort((p, q) => p - q).map((z) => this.zoneIds[z]),
      });
    }
    return out.sort(byPairThenTech);
  }

  private hasZone(s: number, zone: number): boolean {
    for (let l = this.zoneHead[s]; l >= 0; l = this.linkNext[l]) if (this.linkZone[l] === zone) return true;
    return false;
  }

  private addZone(s: number, zone: number): void {
    if (this.links === this.linkZone.length) {
      this.linkZone = doubled(this.linkZone);
      this.linkNext = doubled(this.linkNext);
    }
    this.linkZone[this.links] = zone;
    this.linkNext[this.links] = this.zoneHead[s];
    this.zoneHead[s] = this.links++;
  }

  private newPair(): number {
    if (this.pairs === this.a.length) {
      this.a = doubled(this.a);
      this.b = doubled(this.b);
      this.exposureS = doubled(this.exposureS);
      this.minDistanceM = doubled(this.minDistanceM);
      this.firstTMs = doubled(this.firstTMs);
      this.lastTMs = doubled(this.lastTMs);
      this.zoneHead = doubled(this.zoneHead);
    }
    return this.pairs++;
  }
}
