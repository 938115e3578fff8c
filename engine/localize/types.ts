// One interface, one file per localization method (wls.ts, centroid.ts, ...),
// chosen by name through index.ts.
import type { LocalizeConfig, RangingModel } from '../config.ts';
import type { RadioMap } from '../calibrate/radio-map.ts';
import type { SiteLayout } from './layout.ts';

/** A survey radio map as one technology reads it. */
export interface TechRadioMap {
  grid: RadioMap;
  /** Added to the map's path gain per AP, dB: the AP beacon's transmit power for ble-app phones (which hear the APs), else 0. */
  apOffsetDb: Float32Array;
  /** Spread of one reading around its mean at a surveyed point (fading), dB: a mean of k readings spreads 1/√k of it. */
  readingSigmaDb: number;
}

/** What a localizer may know: the site's AP geometry and the device's ranging model. */
export interface LocalizeModel {
  layout: SiteLayout;
  ranging: RangingModel;
  localize: LocalizeConfig;
  /** The survey radio map of the technology's band, when there is one (the map localizer needs it). */
  map?: TechRadioMap;
}

/** One device's aggregated readings in one epoch: entries [start, end) of the parallel arrays. */
export interface Readings {
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
  /** Reports behind each mean (absent: one each). */
  count?: Uint32Array | Float64Array;
  start: number;
  end: number;
}

export interface Fix {
  x: number;
  y: number;
  /** Floor id (site.floors[].id). */
  floor: number;
  /** Radius that should hold the true position about 68% of the time, metres. */
  errorRadiusM: number;
  apsUsed: number;
}

export interface Localizer {
  /** A fix from one epoch of readings, or null when they cannot support one. */
  locate(model: LocalizeModel, readings: Readings): Fix | null;
}
