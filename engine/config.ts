// Every threshold the engine uses, named and documented, with its default
// in one place so a sweep can vary any of them by path (e.g. contacts.distanceM).
import type { Tech } from './site.ts';

export interface RangingModel {
  /** Expected RSSI at 1 m from the AP, dBm. */
  refRssiDbmAt1m: number;
  /** Log-distance path-loss exponent. */
  pathLossExponent: number;
  /** Spread of RSSI around the model, dB (weights the ranges). */
  sigmaDb: number;
}

export interface EngineConfig {
  /** Localization epoch: one fix per device per epoch from the RSSI heard in it. */
  epochMs: number;
  /** Localization method, by name (see engine/localize/). */
  localizer: 'wls' | 'centroid';
  localize: {
    /** Use at most this many APs per fix, strongest first. */
    maxAps: number;
    /** Fewer distinct APs than this in an epoch: no fix (weighted centroid needs 1). */
    minAps: number;
    /** Gauss-Newton iterations per fix. */
    iterations: number;
  };
  /** Calibrated log-distance ranging per technology. */
  ranging: Record<Tech, RangingModel>;
  contacts: {
    /** Two estimates closer than this count as exposure, metres. */
    distanceM: number;
    /** Cumulative exposure needed to report a contact, seconds. */
    minExposureS: number;
  };
  /** Worker threads for localization. */
  workers: number;
}

export const DEFAULT_CONFIG: EngineConfig = {
  epochMs: 5000,
  localizer: 'wls',
  localize: { maxAps: 6, minAps: 3, iterations: 10 },
  ranging: {
    wifi: { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 5 },
    'wifi-probe': { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 6 },
    'ble-badge': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
    'ble-app': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
  },
  contacts: { distanceM: 2, minExposureS: 900 },
  workers: 2,
};
