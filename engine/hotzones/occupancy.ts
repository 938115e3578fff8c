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
  const holders = Array.from({ length: intervals * zoneIds.length }, () => new Set<string>());
  for (const v of visits) {
    const holder = identityOf(v.deviceId);
    const z = zoneIdx.get(v.zone);
    if (holder === undefined || z === undefined) continue;
    // Intervals whose midpoint lies in [enter, exit).
    const first = Math.max(0, Math.ceil(v.enterTMs / intervalMs - 0.5));
    for (let k = first; k < intervals && (k + 0.5) * intervalMs < v.exitTMs; k++) holders[k * zoneIds.length + z].add(holder);
  }
  return { intervalMs, intervals, zoneIds: [...zoneIds], counts: Uint16Array.from(holders, (h) => h.size) };
}
