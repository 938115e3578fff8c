// Occupancy per zone per interval: how many distinct holders (devices, or
// people when the site binds a phone and a badge to one holder) had a
// journey visit covering the interval's midpoint. Counts only.
import type { ZoneVisit } from '../outputs.ts';

export interface Occupancy {
  intervalMs: number;
  /** Intervals start at 0, intervalMs, 2·intervalMs, ... */
  intervals: number;
  zoneIds: string[];
  /** counts[interval * zoneIds.length + zone] */
  counts: Uint16Array;
}

/**
 * identityOf maps a device id to its holder (default: itself), so two devices
 * bound to one person count once; visits of devices it returns undefined for are ignored.
 */
export function occupancyOf(
  visits: readonly ZoneVisit[], zoneIds: readonly string[], durationMs: number, intervalMs: number,
  identityOf: (deviceId: string) => string | undefined = (id) => id,
): Occupancy {
  const intervals = Math.ceil(durationMs / intervalMs);
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
      const first = Math.max(0, Math.ceil(v.enterTMs / intervalMs - 0.5));
      for (let k = first; k < intervals && (k + 0.5) * intervalMs < v.exitTMs; k++) {
        const slot = k * zoneIds.length + z;
        if (lastHolder[slot] === h) continue;
        lastHolder[slot] = h;
        counts[slot]++;
      }
    }
  });
  return { intervalMs, intervals, zoneIds: [...zoneIds], counts };
}
