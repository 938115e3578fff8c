// The log-distance ranging model per technology as configured: what WLS,
// the centroid fallback and knn range with, and the prior AP-beacon
// calibration (ap-beacons.ts) starts from. A run's calibrated models are its
// own result (EngineResult.ranging), never written back over these.
import { TECHS, type Tech } from '../contract/site.ts';
import { above, between, type RulesOf, type Settings } from '../settings/rules.ts';

export interface RangingModel {
  /** Expected RSSI at 1 m from the AP, dBm. */
  refRssiDbmAt1m: number;
  /** Log-distance path-loss exponent (2 in free space, 2-4 indoors). */
  pathLossExponent: number;
  /** Spread of RSSI around the model, dB (weights the ranges). */
  sigmaDb: number;
}

export type RangingSettings = Record<Tech, RangingModel>;

/** Indoor path-loss exponents span about 1.6 (corridors) to 6 (obstructed, multi-floor): Rappaport, Wireless Communications, table 4.2. A fit ends inside. */
export const INDOOR_EXPONENT_RANGE: readonly [number, number] = [1.5, 6];

const MODEL_RULES: RulesOf<RangingModel> = { refRssiDbmAt1m: between(-120, 0), pathLossExponent: between(1, 8), sigmaDb: above(0, 30) };

/** Generic indoor starting values, fitted to no site; AP-beacon calibration refits refRssiDbmAt1m and pathLossExponent where the input has beacons. */
export const RANGING_SETTINGS: Settings<RangingSettings> = {
  defaults: {
    wifi: { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 5 },
    'wifi-probe': { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 6 },
    'ble-badge': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
    'ble-app': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
  },
  rules: Object.fromEntries(TECHS.map((t) => [t, MODEL_RULES])) as RulesOf<RangingSettings>,
};
