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
   * 1.07 makes it a 68% radius for a round 2-D Gaussian (P(r ≤ 1.51σ) = 0.68,
   * sqrt(λ1+λ2) = 1.41σ); an elongated one needs ≈1.0, so it errs wide.
   */
  errorRadiusScale: number;
  /**
   * Centroid weight of an AP = 10^(k·(rssi − rssiStrongest)/10): k = 1 weights
   * by received power, smaller k flattens (k = 0.5 with exponent 3 ≈ 1/d^1.5).
   */
  centroidWeightExponent: number;
  /** A centroid has no covariance: this nominal radius marks it as coarse, metres. */
  centroidErrorRadiusM: number;
}

export interface EngineConfig {
  /** Localization epoch: one fix per device per epoch from the RSSI heard in it. */
  epochMs: number;
  /** Localization method, by name (see engine/localize/). */
  localizer: 'wls' | 'centroid';
  localize: LocalizeConfig;
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
    errorRadiusScale: 1.07,
    centroidWeightExponent: 0.5,
    centroidErrorRadiusM: 8,
  },
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
