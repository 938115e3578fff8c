// Every threshold the engine uses, named and documented, with its default
// in one place so a sweep can vary any of them by path (e.g. contacts.distanceM).
import { DEFAULT_PRIVACY, type PrivacyRules } from './privacy/rules.ts';
import type { Tech } from './site.ts';

export interface RangingModel {
  /** Expected RSSI at 1 m from the AP, dBm. */
  refRssiDbmAt1m: number;
  /** Log-distance path-loss exponent. */
  pathLossExponent: number;
  /** Spread of RSSI around the model, dB (weights the ranges). */
  sigmaDb: number;
}

export interface LocalizeConfig {
  /** Use at most this many APs per fix, strongest first. */
  maxAps: number;
  /**
   * Fewer distinct APs than this on the fix's floor (the strongest AP's floor)
   * in an epoch: no fix. The weighted centroid needs 1; WLS falls back to the
   * centroid below 3.
   */
  minAps: number;
  /** Gauss-Newton iterations per fix (at most; stops early on convergence). */
  iterations: number;
  /** Gauss-Newton stops once a step is shorter than this, metres (far below any fix error that matters). */
  convergenceM: number;
  /** AP mounting height above the floor, metres (ranges are 3-D, fixes 2-D). */
  apHeightM: number;
  /** Assumed device height above the floor (hand, pocket, lanyard), metres. */
  deviceHeightM: number;
  /** A range shorter than the height difference still means "about here": horizontal range floor, metres. */
  minHorizontalRangeM: number;
  /**
   * sqrt(λ1+λ2) of the fix covariance times this is the reported errorRadiusM.
   * 1.07 would make it a 68% radius for a round 2-D Gaussian (P(r ≤ 1.51σ)
   * = 0.68, sqrt(λ1+λ2) = 1.41σ); 1.3 because fix errors are heavier-tailed
   * and biased by walls and shadowing (measured on office seeds 1-5: 1.07
   * covered only 44-59%).
   */
  errorRadiusScale: number;
  /**
   * Centroid weight of an AP = 10^(k·(rssi − rssiStrongest)/10): k = 1 weights
   * by received power, smaller k flattens (k = 0.5 with exponent 3 ≈ 1/d^1.5).
   */
  centroidWeightExponent: number;
  /** A centroid has no covariance: this nominal radius marks it as coarse, metres. */
  centroidErrorRadiusM: number;
  /** kNN radio map: predicted RSSI on a grid of this spacing, metres. */
  knnGridM: number;
  /** kNN: the k best-matching grid cells are averaged. */
  knnK: number;
  /** kNN: match RSSI up to a common offset (unknown device gain / transmit power). */
  knnOffsetInvariant: boolean;
  /** kNN: the weighted spread of the k cells times this is the reported errorRadiusM (2: at 1.5, office seed 1 covered only 46-55%). */
  knnRadiusScale: number;
}

export interface TrackConfig {
  /** Tracking filter over each device's fixes, by name (see engine/track/); 'none' reports the per-epoch fixes. */
  filter: 'kalman' | 'particle' | 'none';
  /** Smooth the filtered tracks backwards (RTS, engine/track/smooth.ts): every position also uses later fixes. */
  smooth: boolean;
  /**
   * Spectral density of a walker's random acceleration, m²/s³: how fast the
   * filter lets a seated device start walking (larger follows turns sooner,
   * smaller averages more).
   */
  accelNoiseM2PerS3: number;
  /** Fastest plausible indoor walk, m/s: the filter's velocity never exceeds it. */
  maxSpeedMps: number;
  /**
   * Innovation gate: a fix whose squared Mahalanobis distance from the
   * prediction exceeds this has its variance inflated onto the gate
   * (13.8 = 99.9% of a 2-D Gaussian).
   */
  gateChi2: number;
  /** Particle filter: particles per device. */
  particles: number;
  /** Particle filter: sd of a particle's random walk per second of elapsed time, m/s. */
  particleWalkSdMps: number;
  /** Particle filter: share of particles redrawn around each fix (recovery from a wrong room). */
  particleRedrawShare: number;
  /** A device unseen for longer than this starts a new track, seconds. */
  resetAfterS: number;
  /**
   * Fix errors are correlated over time (shadowing is a fixed map), so the
   * tracked radius is never reported below this share of the fix's own radius.
   */
  minRadiusShare: number;
}

export interface CalibrateConfig {
  /** Fit the ranging models from AP-to-AP beacons when the input has them (engine/calibrate/). */
  fromApBeacons: boolean;
  /** A band needs at least this many heard AP pairs to be fitted; otherwise its configured ranging stands. */
  minLinks: number;
  /**
   * Take the site map's wall losses off each AP pair before fitting: right
   * for a wall-aware localizer (knn); WLS ignores walls, so it ranges better
   * with the effective (walls-averaged-in) model fitted without.
   */
  subtractWalls: boolean;
  /** Huber threshold of the robust line fit, in robust sigmas (1.345: 95% efficient on Gaussian residuals). */
  huberK: number;
  /**
   * Prior spread of the path-loss exponent around the configured one
   * (ranging.wifi / ranging['ble-badge'] per band): how far AP pairs may move it.
   */
  exponentPriorSd: number;
  /**
   * Nominal transmit power of each device class, dBm (vendor figures: the
   * engine cannot see a device's own). ble-app phones hear the APs' beacons,
   * whose power the site map gives.
   */
  deviceTxPowerDbm: Record<Exclude<Tech, 'ble-app'>, number>;
}

export interface EngineConfig {
  /** Localization epoch: one fix per device per epoch from the RSSI heard in it. */
  epochMs: number;
  /** Localization method, by name (see engine/localize/). */
  localizer: 'wls' | 'centroid' | 'knn';
  localize: LocalizeConfig;
  track: TrackConfig;
  calibrate: CalibrateConfig;
  /** Calibrated log-distance ranging per technology. */
  ranging: Record<Tech, RangingModel>;
  contacts: {
    /** Two estimates closer than this count as exposure, metres. */
    distanceM: number;
    /** Cumulative exposure needed to report a contact, seconds. */
    minExposureS: number;
    /** Close-pair search, by name (see engine/contacts/): 'grid' is the fast one, 'all-pairs' the reference. */
    detector: 'grid' | 'all-pairs';
  };
  /** Worker threads for localization; 0 runs it inline on the calling thread. */
  workers: number;
  /**
   * Observations per worker task span this much time (rounded to whole
   * epochs): bounds the memory in flight and sets the progress granularity.
   */
  chunkMs: number;
  /** Retention and per-device-class consent for what the store keeps (see engine/privacy/rules.ts). */
  privacy: PrivacyRules;
}

export const DEFAULT_CONFIG: EngineConfig = {
  epochMs: 5000,
  localizer: 'wls',
  localize: {
    maxAps: 6,
    minAps: 3,
    iterations: 10,
    convergenceM: 0.01,
    apHeightM: 2.5,
    deviceHeightM: 1.2,
    minHorizontalRangeM: 0.3,
    errorRadiusScale: 1.3,
    centroidWeightExponent: 0.5,
    centroidErrorRadiusM: 8,
    knnGridM: 1,
    knnK: 20,
    knnOffsetInvariant: false,
    knnRadiusScale: 2,
  },
  track: { filter: 'kalman', smooth: true, accelNoiseM2PerS3: 0.3, maxSpeedMps: 2, gateChi2: 13.8, resetAfterS: 120, minRadiusShare: 1, particles: 100, particleWalkSdMps: 0.3, particleRedrawShare: 0.1 },
  calibrate: { fromApBeacons: true, minLinks: 6, subtractWalls: false, huberK: 1.345, exponentPriorSd: 0.3, deviceTxPowerDbm: { wifi: 15, 'wifi-probe': 15, 'ble-badge': 0 } },
  ranging: {
    wifi: { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 5 },
    'wifi-probe': { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 6 },
    'ble-badge': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
    'ble-app': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
  },
  contacts: { distanceM: 2, minExposureS: 900, detector: 'grid' },
  workers: 2,
  chunkMs: 3_600_000,
  privacy: DEFAULT_PRIVACY,
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** DEFAULT_CONFIG with `overrides` merged in, nested objects key by key. */
export function resolveConfig(overrides: DeepPartial<EngineConfig> = {}): EngineConfig {
  return mergeDeep(DEFAULT_CONFIG, overrides);
}

function mergeDeep<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return structuredClone(base);
  if (typeof base !== 'object' || base === null) return over as T;
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as object)) {
    if (v !== undefined) out[k] = mergeDeep((base as Record<string, unknown>)[k], v);
  }
  return out as T;
}
