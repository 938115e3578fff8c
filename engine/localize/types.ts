// One interface, one file per localization method (wls.ts, centroid.ts, ...),
// chosen by name through index.ts.
import type { RangingModel } from '../calibrate/ranging.ts';
import type { RadioMap } from '../calibrate/radio-map.ts';
import type { SlowSpread } from '../calibrate/reading-spread.ts';
import type { RadiusFloor } from './error-model.ts';
import type { SiteLayout } from './layout.ts';
import type { SurveyFingerprints } from './survey-knn.ts';

/** A survey radio map as one technology reads it. */
export interface TechRadioMap {
  grid: RadioMap;
  /** Added to the map's path gain per AP, dB: the AP beacon's transmit power for ble-app phones (which hear the APs), else 0. */
  apOffsetDb: Float32Array;
  /** Spread of one reading around its mean at a surveyed point (fading), dB: a mean of k readings spreads 1/√k of it. */
  readingSigmaDb: number;
  /** The survey's calibration of the configured localizer's 68 % radius by its reports per AP (SurveyFit.radiusFloor, error-model.ts). */
  radiusFloor: RadiusFloor;
  /** Spread of one device's reading about its mean over an epoch, from the log itself (calibrate/reading-spread.ts), dB: what stays compare in; absent: readingSigmaDb. */
  stayReadingSigmaDb?: number;
  /** What of the readings an epoch's mean does not average away, from the log (calibrate/reading-spread.ts slowSpreads): the map weighs each AP's mean with it; absent: none. */
  slow?: SlowSpread;
  /**
   * The log's devices' offset from the map, dB, as the log itself tells it
   * (engine/calibrate/map-drift.ts): a fix's own offset gets this prior
   * (mean, spread); absent: any offset, alike.
   */
  deviceOffset?: { meanDb: number; sdDb: number };
  /** What the fused localizer combines beyond the map (fused.ts); absent: it is the map localizer. */
  fusion?: Fusion;
}

/** The fused localizer's survey side: the points for its WKNN candidate and each candidate's weight by evidence. */
export interface Fusion {
  points: SurveyFingerprints;
  /** The evidence levels (reports averaged per AP, ascending) the weights and misfits below were measured at. */
  reports: number[];
  /**
   * Per level, per candidate (FUSED_PARTS order: map, wknn), its weight (≥ 0,
   * summing to 1) from its errors on surveyed points left out of a rebuilt
   * map (engine/calibrate/fusion-weights.ts): the map's errors shrink with
   * evidence, WKNN's (pulled to surveyed points) much less.
   */
  weights: Float64Array[];
  /**
   * Per level, per candidate, its median misfit on those points (map:
   * misfitScale²; wknn: the squared dB distance to the nearest point): a fix
   * that misfits more than that (a survey since aged, a device unlike the
   * survey's) has its weight divided by the ratio.
   */
  misfit: Float64Array[];
}

/** The localize settings every method reads (each also reads its own section: wls, centroid, knn, map). */
export interface SharedLocalize {
  /** Use at most this many APs per fix, strongest first (map: localize.map.maxAps). */
  maxAps: number;
  /**
   * Fewer distinct APs than this on the fix's floor (the strongest AP's floor)
   * in an epoch: no fix. The weighted centroid needs 1; WLS falls back to the
   * centroid below 3.
   */
  minAps: number;
  /** AP mounting height above the floor, metres (ranges are 3-D, fixes 2-D), where the site map gives none (aps[].heightM). */
  apHeightM: number;
  /** Assumed device height above the floor (hand, pocket, lanyard), metres, where the site map gives none (deviceHeightM). */
  deviceHeightM: number;
}

/**
 * What a localizer may know: the site's AP geometry, the device's ranging
 * model (calibrated when the run could) and the settings it reads, `S`
 * (the shared ones and its own section; index.ts's LocalizeTuning holds them all).
 */
export interface LocalizeModel<S extends SharedLocalize = SharedLocalize> {
  layout: SiteLayout;
  ranging: RangingModel;
  localize: S;
  /** Per AP, the squared AP-to-device height difference, m² (layout.ts heightDiff2). */
  heightDiff2M2: Float64Array;
  /** Per AP, added to ranging.refRssiDbmAt1m, dB: the AP's own gain as self-calibration fitted it (absent: 0). */
  apGainDb?: Float32Array;
  /** The survey radio map of the technology's band, when there is one (the map localizer needs it). */
  map?: TechRadioMap;
}

/** One device's aggregated readings in one epoch: entries [start, end) of the parallel arrays. */
export interface Readings {
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
  /** Reports behind each mean (absent: one each). */
  count?: Uint32Array | Float64Array;
  /** 1 where the entry is an AP's report held from an earlier epoch (engine/ingest/hold.ts), already pooled there (absent: none). */
  held?: Uint8Array;
  start: number;
  end: number;
}

export interface Fix {
  x: number;
  y: number;
  /** Floor id (site.floors[].id). */
  floor: number;
  /** Radius that should hold the true position about 68% of the time, metres (error-model.ts). */
  errorRadiusM: number;
  apsUsed: number;
  /** g of error-model.ts: how far the readings misfit the localizer's model, as a factor on the radius (absent: 1). */
  misfitScale?: number;
  /** r of error-model.ts: the fix's χ² over its chi-square median, over the survey's misfit at its level (absent: no survey calibration, or no dof). */
  misfitRatio?: number;
}

export interface Localizer<S extends SharedLocalize = SharedLocalize> {
  /**
   * What its own radius is (error-model.ts): a posterior of the readings'
   * noise ('posterior': WLS, map), which a survey only widens, or a spread
   * of where it looked ('spread': the centroid's APs, kNN's cells), which a survey also narrows.
   */
  readonly ownRadius: 'posterior' | 'spread';
  /** A fix from one epoch of readings, or null when they cannot support one. */
  locate(model: LocalizeModel<S>, readings: Readings): Fix | null;
  /**
   * A cheaper localizer whose fix `refine` completes: locate(r) is
   * refine(r, base.locate(r)). A batch run's stays are told apart on the
   * base's fixes and only the fixes it reports are refined (stays.ts).
   */
  readonly base?: Localizer<S>;
  refine?(model: LocalizeModel<S>, readings: Readings, fix: Fix): Fix;
}
