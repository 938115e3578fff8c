// The hot-zone stage's settings (hot-zones.ts, alerts.ts, baseline.ts).
import { TECHS, type Tech } from '../contract/site.ts';
import { above, between, DAY_S, flag, listOf, oneOf, type Settings } from '../settings/rules.ts';

export interface HotZoneSettings {
  /** Occupancy is counted per zone over intervals this long, seconds. */
  intervalS: number;
  /** Devices of these technologies are counted. Not wifi-probe: randomized MACs make one phone many devices. */
  techs: Tech[];
  /** Count devices the site binds to one person (phone, badge, app) once; needs bindings passed to runEngine, else every device counts alone. */
  dedupeBound: boolean;
  /**
   * Share of occupants who carry at least one counted device, from the
   * site's own survey (registered badges, app uptake, Wi-Fi association
   * rate). Capacity baselines are scaled by it so device counts compare
   * with a capacity in people; 1 when everyone carries one.
   */
  countedShare: number;
  /** Baseline per zone: its capacity, or its typical occupancy at that time of day learned from the data (median over days). */
  baseline: 'capacity' | 'learned';
  /** Learned baseline: time-of-day slots this long, seconds. */
  learnedSlotS: number;
  /** Learned baseline: never below this many holders, so a zone empty at that hour does not alert on one person. */
  minLearnedBaseline: number;
  /** Hot when occupancy > alertFactor × baseline ... */
  alertFactor: number;
  /** ... for this long, seconds (rounded up to whole intervals, at least one). */
  alertForS: number;
  /** The alert clears once occupancy ≤ clearFactor × baseline ... */
  clearFactor: number;
  /** ... for this long, seconds. */
  clearForS: number;
}

export const HOT_ZONE_SETTINGS: Settings<HotZoneSettings> = {
  defaults: {
    intervalS: 30, techs: ['wifi', 'ble-badge', 'ble-app'], dedupeBound: true, countedShare: 1, baseline: 'capacity', learnedSlotS: 3600,
    minLearnedBaseline: 2, alertFactor: 1, alertForS: 60, clearFactor: 0.9, clearForS: 120,
  },
  rules: {
    intervalS: between(1, DAY_S), techs: listOf(oneOf(TECHS)), dedupeBound: flag, countedShare: between(0, 1), baseline: oneOf(['capacity', 'learned']),
    learnedSlotS: between(1, DAY_S), minLearnedBaseline: between(0, 1e6), alertFactor: above(0, 100), alertForS: between(0, DAY_S),
    clearFactor: between(0, 100), clearForS: between(0, DAY_S),
  },
};
