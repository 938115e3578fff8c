// One interface, one file per tracking method (kalman.ts, particle.ts,
// grid-hmm.ts), chosen by name through index.ts; and the settings every
// tracker shares (each also reads its own section, track.<name>).
import type { SiteLayout } from '../localize/layout.ts';
import type { Estimates } from '../outputs.ts';
import { above, between, DAY_S, type Settings } from '../settings/rules.ts';

export interface TrackInput {
  /** Sorted by (tMs, deviceIdx). */
  fixes: Estimates;
  devices: number;
  layout: SiteLayout;
  /** The factor from a fix's errorRadiusM back to its per-axis sigma·√2 (the localizer's radius scale). */
  fixRadiusScale: number;
  /** The fixes are the walks between pooled stays (engine/track/walks.ts), not whole days. */
  walks: boolean;
}

export interface Tracker<S extends SharedTrackSettings = SharedTrackSettings> {
  /** One tracked estimate per fix, sorted like the fixes. */
  track(input: TrackInput, settings: S): Estimates;
}

/** Each moved off its default on the real logs as recorded and the realistic scenarios: bench/results/track-settings.md. */
export interface SharedTrackSettings {
  /** A device unseen for longer than this starts a new track, seconds. */
  resetAfterS: number;
  /** Fastest plausible indoor walk, m/s: no tracker moves a device faster. */
  maxSpeedMps: number;
  /**
   * Innovation gate (kalman, particle): a fix whose squared Mahalanobis
   * distance from the prediction exceeds this has its variance inflated onto
   * the gate (13.8 = 99.9% of a 2-D Gaussian).
   */
  gateChi2: number;
  /**
   * No tracker reports a radius below this share of the fix's own. 0: the
   * floor is each device's own, from how far the track moved its fixes
   * (engine/track/residual-share.ts), which every run applies after the
   * tracker; 1 keeps every tracked radius at least the fix's (the default
   * before: badges outside stays on the realistic office covered 0.82).
   */
  minRadiusShare: number;
}

export const SHARED_TRACK_SETTINGS: Settings<SharedTrackSettings> = {
  defaults: { resetAfterS: 120, maxSpeedMps: 2, gateChi2: 13.8, minRadiusShare: 0 },
  rules: { resetAfterS: above(0, DAY_S), maxSpeedMps: above(0, 20), gateChi2: above(0, 10_000), minRadiusShare: between(0, 10) },
};
