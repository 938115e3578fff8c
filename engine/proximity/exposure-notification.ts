// Phone-to-phone exposure in the style of Exposure Notification v2: RSSI
// heard from another phone becomes attenuation (advertised tx power − RSSI);
// samples within one scan form a scan instance (typical = mean attenuation,
// min = smallest); each instance's time falls in a bucket by its typical
// attenuation (immediate / near / medium / other, split by three thresholds)
// and counts with that bucket's weight. An exposure is weighted minutes ≥
// minWeightedMinutes.
import type { EngineConfig } from '../config.ts';

export type EnConfig = EngineConfig['proximity'];

export interface ScanInstance {
  startS: number;
  /** Time this instance stands for: until the next scan, at most scanS. */
  durationS: number;
  typicalAttenuationDb: number;
  minAttenuationDb: number;
}

/** Scan instances from time-ordered RSSI samples of one phone pair (tS seconds, rssiDbm). */
export function scanInstances(tS: ArrayLike<number>, rssiDbm: ArrayLike<number>, cfg: EnConfig): ScanInstance[] {
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

export function weightedMinutes(instances: readonly ScanInstance[], cfg: EnConfig): number {
  let sum = 0;
  for (const s of instances) sum += s.durationS * cfg.bucketWeights[attenuationBucket(s.typicalAttenuationDb, cfg.attenuationThresholdsDb)];
  return sum / 60;
}

export function isExposure(instances: readonly ScanInstance[], cfg: EnConfig): boolean {
  return weightedMinutes(instances, cfg) >= cfg.minWeightedMinutes;
}
