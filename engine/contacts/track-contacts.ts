// Proximity contacts from estimated tracks, as configured: every epoch between
// a device's fixes filled in, fixes smoothed over
// a window, each close epoch weighted by the chance the pair was really within
// distanceM (uncertainty-aware) and dropped when a wall stands between the
// fixes (room-aware), exposure summed per pair over the run, or over a time
// window when given (a slab of the day: its fixes outside still feed the
// filling and smoothing, so slabs with margins add up to the whole day).
import type { EngineConfig } from '../config.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { timeSlice } from '../pipeline/estimates.ts';
import { zoneLocator } from '../site-map/zone-locator.ts';
import { closeProbability } from './close-probability.ts';
import { closePairTotals, contactsOf, type PairTotals } from './exposure.ts';
import { fillAndSmooth } from './fill-and-smooth.ts';
import { DETECTORS } from './index.ts';
import { wallBetween } from './wall-between.ts';

export function contactsFromTracks(
  est: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: EngineConfig['contacts'],
  window?: { fromMs: number; toMs: number },
): Contact[] {
  return contactsOf(pairTotalsFromTracks(est, devices, site, epochMs, cfg, window), devices, cfg.minExposureS, site.zones.map((z) => z.id));
}

/** Every pair with any exposure (cfg.minExposureS not applied), by device and zone index. */
export function pairTotalsFromTracks(
  est: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: EngineConfig['contacts'],
  window?: { fromMs: number; toMs: number },
): PairTotals {
  const smoothed = fillAndSmooth(est, devices.length, epochMs, cfg.fillGapS, cfg.smoothWindowS);
  const s = window ? timeSlice(smoothed, window.fromMs, window.toMs) : smoothed;
  const { weight, zoneOfPair } = pairRules(s, site, cfg);
  return closePairTotals(s, devices, { epochMs, distanceM: cfg.distanceM }, DETECTORS[cfg.detector], {
    searchM: cfg.uncertaintyAware ? cfg.uncertaintySearchM : cfg.distanceM,
    weight,
    zoneOfPair,
  });
}

/**
 * How two rows of `s` count towards a contact, as configured: the share of an
 * epoch (room-aware, uncertainty-aware) and the zone where they were close
 * (the zone both fixes are in, else the zone of their midpoint). Shared by the
 * batch slabs and the live engine.
 */
export function pairRules(s: Estimates, site: Site, cfg: EngineConfig['contacts'], zoneAt = zoneLocator(site), blocked = wallBetween(site.walls)): {
  weight: (i: number, j: number, d: number) => number;
  zoneOfPair: (i: number, j: number) => number;
} {
  const { distanceM } = cfg;
  const rowZone = Int16Array.from({ length: s.length }, (_, i) => zoneAt(s.floor[i], s.x[i], s.y[i]));
  const zoneOfPair = (i: number, j: number): number =>
    rowZone[i] === rowZone[j] ? rowZone[i] : zoneAt(s.floor[i], (s.x[i] + s.x[j]) / 2, (s.y[i] + s.y[j]) / 2);
  const weight = (i: number, j: number, d: number): number => {
    if (cfg.roomAware && blocked(s.floor[i], s.x[i], s.y[i], s.x[j], s.y[j])) return 0;
    if (!cfg.uncertaintyAware) return d <= distanceM ? 1 : 0;
    return closeProbability(d, distanceM, s.errorRadiusM[i], s.errorRadiusM[j]);
  };
  return { weight, zoneOfPair };
}
