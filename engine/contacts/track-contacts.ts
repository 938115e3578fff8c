// Proximity contacts from estimated tracks, as configured: every epoch between
// a device's fixes filled in, fixes smoothed over
// a window, each close epoch weighted by the chance the pair was really within
// distanceM (uncertainty-aware) and dropped when a wall stands between the
// fixes (room-aware), exposure summed per pair over the run, or over a time
// window when given (a slab of the day: its fixes outside still feed the
// filling and smoothing, so slabs with margins add up to the whole day).
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { timeSlice } from '../pipeline/estimates.ts';
import { zoneLocator } from '../site-map/zone-locator.ts';
import { closeProbability } from './close-probability.ts';
import { closePairTotals, contactsOf, type PairTotals } from './exposure.ts';
import { fillAndSmooth } from './fill-and-smooth.ts';
import { DETECTORS, type DetectorName } from './index.ts';
import { wallBetween } from './wall-between.ts';
import { above, between, DAY_S, flag, oneOf, type Settings } from '../settings/rules.ts';

export interface ContactSettings {
  /** Two estimates closer than this count as exposure, metres. */
  distanceM: number;
  /** Cumulative exposure needed to report a contact, seconds. */
  minExposureS: number;
  /** Close-pair search, by name (DETECTORS): 'grid' is the fast one, 'all-pairs' the reference. */
  detector: DetectorName;
  /**
   * A device's fixes at most this far apart are joined (linearly) at every
   * epoch between them before pairing, seconds; pairs are only compared at
   * epochs where both have a position, so without it two phones that report
   * every 10 s on alternate epochs never meet.
   */
  fillGapS: number;
  /** Each fix is averaged with its device's fixes within ± half this window before pairing, seconds; 0 = off (longer windows blur walks). */
  smoothWindowS: number;
  /**
   * Weigh each close epoch by the chance the pair was really within
   * distanceM, from both error radii (else: 1 within distanceM). Radii too
   * wide to tell desk neighbours from diagonal ones leave only the closest
   * pairs reaching the minimum.
   */
  uncertaintyAware: boolean;
  /** Uncertainty-aware: pairs estimated up to this far apart are weighed, metres. */
  uncertaintySearchM: number;
  /**
   * No exposure when a wall of the site map lies between the two fixes (the
   * truth counts contacts through walls too, and fixes near glass walls land
   * on the wrong side).
   */
  roomAware: boolean;
}

export const CONTACT_SETTINGS: Settings<ContactSettings> = {
  defaults: { distanceM: 2, minExposureS: 900, detector: 'grid', fillGapS: 30, smoothWindowS: 60, uncertaintyAware: false, uncertaintySearchM: 6, roomAware: false },
  rules: {
    distanceM: above(0, 100), minExposureS: between(0, DAY_S), detector: oneOf(Object.keys(DETECTORS)), fillGapS: between(0, 3600), smoothWindowS: between(0, 3600),
    uncertaintyAware: flag, uncertaintySearchM: above(0, 100), roomAware: flag,
  },
};

export function contactsFromTracks(
  est: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: ContactSettings,
  window?: { fromMs: number; toMs: number },
): Contact[] {
  return contactsOf(pairTotalsFromTracks(est, devices, site, epochMs, cfg, window), devices, cfg.minExposureS, site.zones.map((z) => z.id));
}

/** Every pair with any exposure (cfg.minExposureS not applied), by device and zone index. */
export function pairTotalsFromTracks(
  est: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: ContactSettings,
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
export function pairRules(s: Estimates, site: Site, cfg: ContactSettings, zoneAt = zoneLocator(site), blocked = wallBetween(site.walls)): {
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
