// Contacts by time slab: every shard's tracks for one slab of the day (plus a
// margin for the position smoothing) merged into (tMs, deviceIdx) order,
// exposure counted for the slab's epochs only. Slabs are fixed by the config
// (chunkMs), not by the worker count, and a pair close across a slab edge is
// one contact whose exposure is summed slab by slab (SlabContactTotals).
import type { EngineContext } from './engine-context.ts';
import { contactsFromTracks } from './contacts/track-contacts.ts';
import { copyRowsInto, EstimatesBuilder, mergeSorted, timeSlice } from './estimates.ts';
import type { Contact, Estimates } from './outputs.ts';
import { TECHS } from './site.ts';

export interface ContactSlabTask {
  /** Every shard's tracks, each sorted by (tMs, deviceIdx); shared memory. */
  shards: Estimates[];
  fromMs: number;
  toMs: number;
  /** The slab's merged rows are written here from row outAt on (shared memory). */
  out: Estimates;
  outAt: number;
}

/** The slab's pairs with any exposure (no minimum yet: that applies to the day's sum). */
export function contactSlab(ctx: EngineContext, task: ContactSlabTask): Contact[] {
  const { cfg } = ctx;
  // Smoothing reads ± half its window around each fix; one more epoch for the boundaries.
  const marginMs = (cfg.contacts.smoothWindowS * 1000) / 2 + cfg.epochMs;
  const b = new EstimatesBuilder();
  mergeSorted(task.shards.map((s) => timeSlice(s, task.fromMs - marginMs, task.toMs + marginMs)), b);
  const merged = b.build();
  copyRowsInto(timeSlice(merged, task.fromMs, task.toMs), task.out, task.outAt);
  return contactsFromTracks(merged, ctx.devices, ctx.site, cfg.epochMs, { ...cfg.contacts, minExposureS: 0 }, { fromMs: task.fromMs, toMs: task.toMs });
}

/**
 * The day's contacts, slab by slab (added in slab order, so sums do not
 * depend on which slab finished first): exposure summed, extremes kept, zones
 * joined in site order.
 */
export class SlabContactTotals {
  // By a, then b (the ids' cached string hashes, no key built per contact), then technology.
  private readonly byPair = new Map<string, Map<string, Contact[]>>();

  constructor(private readonly zoneIds: readonly string[]) {}

  add(slab: readonly Contact[]): void {
    for (const c of slab) {
      let withA = this.byPair.get(c.a);
      if (!withA) this.byPair.set(c.a, (withA = new Map()));
      const same = withA.get(c.b);
      const seen = same?.find((s) => s.tech === c.tech);
      if (!seen) {
        if (same) same.push(c);
        else withA.set(c.b, [c]);
        continue;
      }
      seen.exposureS += c.exposureS;
      seen.minDistanceM = Math.min(seen.minDistanceM, c.minDistanceM);
      seen.firstTMs = Math.min(seen.firstTMs, c.firstTMs);
      seen.lastTMs = Math.max(seen.lastTMs, c.lastTMs);
      if (c.zones.some((z) => !seen.zones.includes(z))) seen.zones = joinZones(seen.zones, c.zones, this.zoneIds);
    }
  }

  /** Pairs reaching minExposureS, sorted by a, b, technology. */
  contacts(minExposureS: number): Contact[] {
    const out: Contact[] = [];
    for (const withA of this.byPair.values()) for (const same of withA.values()) for (const c of same) if (c.exposureS >= minExposureS) out.push(c);
    return out.sort((p, q) => compare(p.a, q.a) || compare(p.b, q.b) || TECHS.indexOf(p.tech) - TECHS.indexOf(q.tech));
  }
}

function joinZones(a: readonly string[], b: readonly string[], zoneIds: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort((p, q) => zoneIds.indexOf(p) - zoneIds.indexOf(q));
}

function compare(p: string, q: string): number {
  return p < q ? -1 : p > q ? 1 : 0;
}
