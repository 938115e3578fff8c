// Phone-to-phone exposure in the style of Exposure Notification v2: RSSI
// heard from another phone becomes attenuation (advertised tx power − RSSI);
// samples within one scan form a scan instance (typical = mean attenuation,
// min = smallest); each instance's time falls in a bucket by its typical
// attenuation (immediate / near / medium / other, split by three thresholds)
// and counts with that bucket's weight. An exposure is weighted minutes ≥
// minWeightedMinutes. Before all that, each receiver's readings may be lifted
// by its log-estimated offset (device-calibration.ts, receiverLevelDbm).
import { above, between, listOf, type Settings } from '../settings/rules.ts';

/** Phone-to-phone exposure, Exposure Notification v2 style (engine/proximity/). */
export interface ProximitySettings {
  /** Advertised calibrated transmit power; attenuation = this − RSSI, dBm. */
  txPowerDbm: number;
  /** Samples of one phone pair within this long form one scan instance, seconds. */
  scanS: number;
  /**
   * Attenuation bucket edges, dB: immediate ≤ [0] < near ≤ [1] < medium ≤ [2] < other.
   * Chosen with receiverLevelDbm by cross-dataset validation on the real
   * phone-to-phone logs (bench/studies/real-data/en-proximity.ts; the result,
   * held-out scores included, in bench/results/en-proximity.md and .json).
   */
  attenuationThresholdsDb: [number, number, number];
  /** Weight of a minute in each bucket: immediate, near, medium, other. */
  bucketWeights: [number, number, number, number];
  /** An exposure needs at least this many weighted minutes. */
  minWeightedMinutes: number;
  /**
   * A receiver whose median RSSI over everything it heard in the log is below
   * this is lifted to it before bucketing (engine/proximity/device-calibration.ts),
   * dBm; -140 turns the lift off. Chosen with the thresholds by cross-dataset
   * validation (bench/studies/real-data/en-proximity.ts).
   */
  receiverLevelDbm: number;
}

export const PROXIMITY_SETTINGS: Settings<ProximitySettings> = {
  defaults: { txPowerDbm: 0, scanS: 4, attenuationThresholdsDb: [78, 82, 86], bucketWeights: [1.5, 1, 0.5, 0], minWeightedMinutes: 15, receiverLevelDbm: -78 },
  rules: {
    txPowerDbm: between(-100, 30), scanS: above(0, 3600), attenuationThresholdsDb: listOf(between(0, 200), 3), bucketWeights: listOf(between(0, 100), 4),
    minWeightedMinutes: between(0, 1440), receiverLevelDbm: between(-140, 20),
  },
};

export interface ScanInstance {
  startS: number;
  /** Time this instance stands for: until the next scan, at most scanS. */
  durationS: number;
  typicalAttenuationDb: number;
  minAttenuationDb: number;
}

/** Scan instances from time-ordered RSSI samples of one phone pair (tS seconds, rssiDbm). */
export function scanInstances(tS: ArrayLike<number>, rssiDbm: ArrayLike<number>, cfg: ProximitySettings): ScanInstance[] {
  const out: ScanInstance[] = [];
  for (let i = 0; i < tS.length; ) {
    const startS = tS[i];
    let sum = 0, min = Infinity, n = 0;
    for (; i < tS.length && tS[i] < startS + cfg.scanS; i++) {
      const att = cfg.txPowerDbm - rssiDbm[i];
      sum += att;
      min = Math.min(min, att);
      n++;
    }
    const nextS = i < tS.length ? tS[i] : startS + cfg.scanS;
    out.push({ startS, durationS: Math.min(cfg.scanS, nextS - startS), typicalAttenuationDb: sum / n, minAttenuationDb: min });
  }
  return out;
}

/** 0 immediate, 1 near, 2 medium, 3 other. */
export function attenuationBucket(attenuationDb: number, thresholdsDb: readonly number[]): number {
  let b = 0;
  while (b < thresholdsDb.length && attenuationDb > thresholdsDb[b]) b++;
  return b;
}

export function weightedMinutes(instances: readonly ScanInstance[], cfg: ProximitySettings): number {
  let sum = 0;
  for (const s of instances) sum += s.durationS * cfg.bucketWeights[attenuationBucket(s.typicalAttenuationDb, cfg.attenuationThresholdsDb)];
  return sum / 60;
}

export function isExposure(instances: readonly ScanInstance[], cfg: ProximitySettings): boolean {
  return weightedMinutes(instances, cfg) >= cfg.minWeightedMinutes;
}
