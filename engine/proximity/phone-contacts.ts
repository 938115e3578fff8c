// Contacts between app phones from what they heard of each other: both
// directions of a pair pooled in time order, scored EN-style (scan instances,
// attenuation buckets, weighted minutes), each scanner's readings first lifted
// by its log-estimated offset (device-calibration.ts).
import { receiverLiftDb, receiverMediansDbm } from './device-calibration.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact } from '../outputs.ts';
import { attenuationBucket, scanInstances, type ProximitySettings } from './exposure-notification.ts';
import type { PhoneRssiBatch } from '../contract/phone-rssi.ts';

/**
 * Pairs reaching cfg.minWeightedMinutes, sorted by a, b. exposureS is the
 * weighted time (seconds); minDistanceM is NaN (RSSI gives no distance);
 * first/last are the first and last scans with weight.
 */
export function phoneContacts(batch: PhoneRssiBatch, devices: readonly DeviceInfo[], cfg: ProximitySettings): Contact[] {
  // Rows grouped by pair (pairs in first-seen order, each pair's rows in batch
  // order) through typed arrays: a campus day has tens of millions of rows, and
  // per-pair JS arrays of them were a worker's largest allocation.
  const pairOf = new Map<number, number>();
  const keys: number[] = [];
  const pairOfRow = new Uint32Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const lo = Math.min(batch.scanner[i], batch.advertiser[i]), hi = Math.max(batch.scanner[i], batch.advertiser[i]);
    const key = lo * devices.length + hi;
    let pair = pairOf.get(key);
    if (pair === undefined) {
      pair = keys.push(key) - 1;
      pairOf.set(key, pair);
    }
    pairOfRow[i] = pair;
  }
  const start = new Uint32Array(keys.length + 1);
  for (let i = 0; i < batch.length; i++) start[pairOfRow[i] + 1]++;
  let longest = 0;
  for (let p = 0; p < keys.length; p++) {
    longest = Math.max(longest, start[p + 1]);
    start[p + 1] += start[p];
  }
  const rows = new Uint32Array(batch.length);
  const next = start.slice(0, keys.length);
  for (let i = 0; i < batch.length; i++) rows[next[pairOfRow[i]]++] = i;
  const liftDb = Array.from(receiverMediansDbm(batch.scanner, batch.rssiDbm, devices.length), (m) => receiverLiftDb(m, cfg.receiverLevelDbm));
  const tS = new Float64Array(longest), rssiDbm = new Float32Array(longest);
  const contacts: Contact[] = [];
  keys.forEach((key, p) => {
    const n = start[p + 1] - start[p];
    for (let k = 0; k < n; k++) {
      const i = rows[start[p] + k];
      tS[k] = batch.tMs[i] / 1000;
      rssiDbm[k] = batch.rssiDbm[i] + liftDb[batch.scanner[i]];
    }
    let weightedS = 0, firstS = NaN, lastS = NaN;
    for (const s of scanInstances(tS.subarray(0, n), rssiDbm.subarray(0, n), cfg)) {
      const w = cfg.bucketWeights[attenuationBucket(s.typicalAttenuationDb, cfg.attenuationThresholdsDb)];
      if (w <= 0) continue;
      weightedS += w * s.durationS;
      if (Number.isNaN(firstS)) firstS = s.startS;
      lastS = s.startS;
    }
    if (weightedS / 60 < cfg.minWeightedMinutes) return;
    const [a, b] = [devices[Math.floor(key / devices.length)].id, devices[key % devices.length].id].sort();
    contacts.push({ a, b, tech: devices[key % devices.length].tech, exposureS: weightedS, minDistanceM: NaN, firstTMs: firstS * 1000, lastTMs: lastS * 1000, zones: [] });
  });
  return contacts.sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
}
