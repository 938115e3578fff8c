// What the engine concludes. Columnar like its input.
import type { Tech } from './contract/site.ts';

/** One location fix per device per epoch. */
export interface Estimates {
  length: number;
  /** Epoch midpoint, ms since start. */
  tMs: Float64Array;
  /** Index into the observation batch's `devices`. */
  deviceIdx: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  floor: Int16Array;
  /** Radius that should hold the true position about 68% of the time, metres. */
  errorRadiusM: Float32Array;
  /** Number of APs the fix used. */
  apsUsed: Uint8Array;
}

/** A pair of devices that were estimated close for long enough. */
export interface Contact {
  /** Device ids, a < b. */
  a: string;
  b: string;
  /** Both devices use this technology: contacts are found per technology. */
  tech: Tech;
  exposureS: number;
  minDistanceM: number;
  firstTMs: number;
  lastTMs: number;
  /** Zone ids where the pair was close (midpoint of the two fixes), sorted by site order. */
  zones: string[];
}

/** One stay of a device in one zone (a step of its journey). */
export interface ZoneVisit {
  deviceId: string;
  /** Zone id (site.zones). */
  zone: string;
  enterTMs: number;
  exitTMs: number;
  dwellS: number;
}

/** A zone running over its baseline: counts and times only, never who. */
export interface HotZoneAlert {
  zone: string;
  /** Start of the run of over-threshold intervals that raised the alert. */
  risingTMs: number;
  /** When the alert was raised (the run lasted hotZones.alertForS). */
  raisedTMs: number;
  /** When it cleared; NaN if still hot at the end of the data. */
  clearedTMs: number;
  peakOccupancy: number;
  /** The zone's baseline when the alert was raised (capacity, or learned typical occupancy). */
  baseline: number;
  /** Occupancy above this raised the alert (alertFactor × baseline). */
  threshold: number;
}
