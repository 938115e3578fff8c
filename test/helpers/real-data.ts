// The real RSSI datasets in ../shared/data (see its README), read at test
// time, never copied into the repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../../bench/studies/real-data/data-dir.ts';
import type { RssiSample } from '../../sim/radio/calibrate.ts';

export interface UjiZone {
  beacons: { x: number; y: number }[];
  /** Receiver spot per row, metres. */
  points: { x: number; y: number }[];
  /** rssiDbm[row][beacon], NaN when not heard. */
  rssiDbm: number[][];
  /** Per row: phone, tx-power code and campaign, decoded from the row id. */
  sessions: string[];
}

/** UJI BLE database, one zone ('lib' or 'geo'); "100" means not heard. */
export function readUji(zone: 'lib' | 'geo'): UjiZone {
  const dir = join(dataDir(), 'ble-localization-uji', 'data');
  const lines = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const beacons = lines(`dep/${zone}.csv`).slice(1).map((l) => {
    const [, x, y] = l.split(',');
    return { x: Number(x), y: Number(y) };
  });
  const points = lines(`rss/${zone}_crd.csv`).map((l) => {
    const [x, y] = l.split(',').map(Number);
    return { x, y };
  });
  const rssiDbm = lines(`rss/${zone}_rss.csv`).map((l) => l.split(',').map((v) => (v === '100' ? NaN : Number(v))));
  // id digits: phone, tx-power code, campaign, point (3), sample (2).
  const sessions = lines(`rss/${zone}_ids.csv`).map((id) => id.slice(0, 3));
  return { beacons, points, rssiDbm, sessions };
}

/**
 * Every (row, beacon) cell as (3-D distance, RSSI or NaN when not heard,
 * link), the beacon `heightDiffM` above the phone; a link is one beacon, one
 * receiver spot, one phone and campaign (so only sample-to-sample variation stays within a link).
 */
export function ujiSamples(zone: UjiZone, heightDiffM: number): RssiSample[] {
  const spots = new Map<string, number>();
  const samples: RssiSample[] = [];
  zone.rssiDbm.forEach((row, i) => {
    const p = zone.points[i];
    const key = `${p.x},${p.y},${zone.sessions[i]}`;
    if (!spots.has(key)) spots.set(key, spots.size);
    const spot = spots.get(key)!;
    row.forEach((rssiDbm, b) => {
      const distanceM = Math.hypot(p.x - zone.beacons[b].x, p.y - zone.beacons[b].y, heightDiffM);
      samples.push({ distanceM, rssiDbm, link: spot * zone.beacons.length + b });
    });
  });
  return samples;
}
