// Occupancy per zone per interval: how many distinct holders (devices, or
// people when the site binds a phone and a badge to one holder) were in each
// zone. Counts only. The engine counts from its per-epoch fixes (no journey
// hysteresis or minimum dwell, which would delay a crowd by minutes); the
// harness counts true occupancy from true zone visits.
import type { Estimates, ZoneVisit } from '../outputs.ts';

export interface Occupancy {
  intervalMs: number;
  /**
   * Start of the first interval, ms: the log's first time rounded down to a
   * whole interval, so the counts cover the log's own span whatever its
   * origin (a Unix-epoch log does not allocate the 56 years before it).
   */
  startMs: number;
  /** Intervals start at startMs, startMs + intervalMs, ... */
  intervals: number;
  zoneIds: string[];
  /** counts[interval * zoneIds.length + zone] */
  counts: Uint16Array;
}

/** The period occupancy is counted over, ms: [fromMs, toMs). */
export interface TimeSpan {
  fromMs: number;
  toMs: number;
}

/** The whole intervals of intervalMs (on the grid of multiples of intervalMs) that cover span. */
function intervalsOver(span: TimeSpan, intervalMs: number): { startMs: number; intervals: number } {
  const startMs = Math.floor(span.fromMs / intervalMs) * intervalMs;
  return { startMs, intervals: Math.max(0, Math.ceil((span.toMs - startMs) / intervalMs)) };
}

/**
 * identityOf maps a device id to its holder (default: itself), so two devices
 * bound to one person count once; visits of devices it returns undefined for are ignored.
 * A holder counts in an interval when one of its visits covers the interval's midpoint.
 */
export function occupancyOf(
  visits: readonly ZoneVisit[], zoneIds: readonly string[], span: TimeSpan, intervalMs: number,
  identityOf: (deviceId: string) => string | undefined = (id) => id,
): Occupancy {
  const { startMs, intervals } = intervalsOver(span, intervalMs);
  const zoneIdx = new Map(zoneIds.map((z, i) => [z, i]));
  // Visits grouped by holder (holder numbers in first-seen order); a slot
  // counts a holder once because lastHolder remembers who it last counted.
  const holderNo = new Map<string, number>();
  const byHolder: number[][] = [];
  visits.forEach((v, i) => {
    const holder = identityOf(v.deviceId);
    if (holder === undefined || !zoneIdx.has(v.zone)) return;
    let h = holderNo.get(holder);
    if (h === undefined) holderNo.set(holder, (h = byHolder.push([]) - 1));
    byHolder[h].push(i);
  });
  const counts = new Uint16Array(intervals * zoneIds.length);
  const lastHolder = new Int32Array(counts.length).fill(-1);
  byHolder.forEach((own, h) => {
    for (const i of own) {
      const v = visits[i];
      const z = zoneIdx.get(v.zone)!;
      // Intervals whose midpoint lies in [enter, exit).
      const first = Math.max(0, Math.ceil((v.enterTMs - startMs) / intervalMs - 0.5));
      for (let k = first; k < intervals && startMs + (k + 0.5) * intervalMs < v.exitTMs; k++) {
        const slot = k * zoneIds.length + z;
        if (lastHolder[slot] === h) continue;
        lastHolder[slot] = h;
        counts[slot]++;
      }
    }
  });
  return { intervalMs, startMs, intervals, zoneIds: [...zoneIds], counts };
}

/**
 * Occupancy from fixes (est sorted by time): each holder counts once per
 * interval, in the zone more of its fixes in that interval fell in (over all
 * its devices) than in any other zone or outside every zone. A tie counts
 * nowhere: a holder split between a room and the corridor is as likely out
 * as in, and counting it puts full rooms one over capacity. holderOf[deviceIdx] is the holder index, −1 for
 * devices not counted; zoneOf(row) the zone index of a fix, −1 for none.
 */
export function occupancyFromFixes(
  est: Estimates, holderOf: Int32Array, holderCount: number, zoneOf: (row: number) => number,
  zoneIds: readonly string[], span: TimeSpan, intervalMs: number,
): Occupancy {
  const nz = zoneIds.length;
  const slots = nz + 1; // slot 0 is "no zone"
  const { startMs, intervals } = intervalsOver(span, intervalMs);
  const counts = new Uint16Array(intervals * nz);
  const votes = new Uint16Array(holderCount * slots);
  const active = new Uint8Array(holderCount);
  const touched: number[] = [];
  let interval = -1;
  const close = (): void => {
    for (const h of touched) {
      const v = votes.subarray(h * slots, (h + 1) * slots);
      const zone = votedZone(v);
      if (zone >= 0 && interval >= 0 && interval < intervals) counts[interval * nz + zone]++;
      v.fill(0);
      active[h] = 0;
    }
    touched.length = 0;
  };
  for (let i = 0; i < est.length; i++) {
    const h = holderOf[est.deviceIdx[i]];
    if (h < 0) continue;
    const k = Math.floor((est.tMs[i] - startMs) / intervalMs);
    if (k !== interval) {
      close();
      interval = k;
    }
    const z = zoneOf(i);
    if (!active[h]) {
      active[h] = 1;
      touched.push(h);
    }
    votes[h * slots + z + 1]++;
  }
  close();
  return { intervalMs, startMs, intervals, zoneIds: [...zoneIds], counts };
}

/**
 * The zone a holder counts in for one interval from its votes (slot 0: no
 * zone, slot z + 1: zone z): the most voted, −1 for none or a tie. Shared by
 * the batch occupancy and the live engine.
 */
export function votedZone(v: Uint16Array): number {
  let best = 0, tied = false;
  for (let s = 1; s < v.length; s++) {
    if (v[s] > v[best]) [best, tied] = [s, false];
    else if (v[s] === v[best]) tied = true;
  }
  return best > 0 && !tied ? best - 1 : -1;
}
