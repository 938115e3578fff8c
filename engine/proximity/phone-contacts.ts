// Contacts between app phones from what they heard of each other: both
// directions of a pair pooled in time order, scored EN-style (scan instances,
// attenuation buckets, weighted minutes).
import type { DeviceInfo } from '../observations.ts';
import type { Contact } from '../outputs.ts';
import { attenuationBucket, scanInstances, type EnConfig } from './exposure-notification.ts';
import type { PhoneRssiBatch } from './phone-rssi.ts';

/**
 * Pairs reaching cfg.minWeightedMinutes, sorted by a, b. exposureS is the
 * weighted time (seconds); minDistanceM is NaN (RSSI gives no distance);
 * first/last are the first and last scans with weight.
 */
export function phoneContacts(batch: PhoneRssiBatch, devices: readonly DeviceInfo[], cfg: EnConfig): Contact[] {
  const pairs = new Map<number, { tS: number[]; rssiDbm: number[] }>();
  for (let i = 0; i < batch.length; i++) {
    const lo = Math.min(batch.scanner[i], batch.advertiser[i]), hi = Math.max(batch.scanner[i], batch.advertiser[i]);
    const key = lo * devices.length + hi;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { tS: [], rssiDbm: [] }));
    p.tS.push(batch.tMs[i] / 1000);
    p.rssiDbm.push(batch.rssiDbm[i]);
  }
  const contacts: Contact[] = [];
  for (const [key, p] of pairs) {
    let weightedS = 0, firstS = NaN, lastS = NaN;
    for (const s of scanInstances(p.tS, p.rssiDbm, cfg)) {
      const w = cfg.bucketWeights[attenuationBucket(s.typicalAttenuationDb, cfg.attenuationThresholdsDb)];
      if (w <= 0) continue;
      weightedS += w * s.durationS;
      if (Number.isNaN(firstS)) firstS = s.startS;
      lastS = s.startS;
    }
    if (weightedS / 60 < cfg.minWeightedMinutes) continue;
    const [a, b] = [devices[Math.floor(key / devices.length)].id, devices[key % devices.length].id].sort();
    contacts.push({ a, b, tech: devices[key % devices.length].tech, exposureS: weightedS, minDistanceM: NaN, firstTMs: firstS * 1000, lastTMs: lastS * 1000, zones: [] });
  }
  return contacts.sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
}
