// Baselines a zone's occupancy is compared with: its capacity (in counted
// holders: capacity × countedShare, since only that share of people carry a
// counted device), or its typical occupancy at that time of day learned from
// the data (the median over every day of the count in the same time-of-day
// slot), never below minLearnedBaseline so an empty-at-night zone does not
// alert on one person.
import type { HotZoneSettings } from './settings.ts';
import type { Occupancy } from './occupancy.ts';
import { DAY_MS } from '../contract/privacy.ts';

/** baseline(interval, zone) as configured. */
export function baselineOf(occ: Occupancy, capacities: readonly number[], cfg: HotZoneSettings): (k: number, z: number) => number {
  if (cfg.baseline === 'capacity') return (_k, z) => capacities[z] * cfg.countedShare;
  const nz = occ.zoneIds.length;
  const slotMs = cfg.learnedSlotS * 1000;
  const slots = Math.ceil(DAY_MS / slotMs);
  // The time-of-day slot of interval k's midpoint (a log may start before 0: the remainder kept in [0, DAY_MS)).
  const slotOf = (k: number): number => Math.floor(((((occ.startMs + (k + 0.5) * occ.intervalMs) % DAY_MS) + DAY_MS) % DAY_MS) / slotMs);
  const samples: number[][] = Array.from({ length: slots * nz }, () => []);
  for (let k = 0; k < occ.intervals; k++) {
    const slot = slotOf(k);
    for (let z = 0; z < nz; z++) samples[slot * nz + z].push(occ.counts[k * nz + z]);
  }
  const typical = samples.map((s) => Math.max(cfg.minLearnedBaseline, median(s)));
  return (k, z) => typical[slotOf(k) * nz + z];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
