// Fits the simulator's phone-to-phone link (radio.ble.phoneLink,
// sim/phone-proximity.ts) on real phone pairs: ble-proximity-pcng (two
// Android phones 0.2-5 m apart, six body-position pairs). Per pair, the
// log-distance line RSSI = level − 10·n·log10(d) through the mean RSSI at
// each distance (every distance weighs the same, whatever its row count).
// The simulator adds each phone's carry body loss (radio.ble.bodyLossDb) on
// top of the link, so the link's level is the hand-hand pair's (hand: no body
// loss); the other pairs, with the simulator's body loss added back, give the
// spread of levels between phone pairs, hence the per-phone offset sd.
// Cross-check: ble-6ft-mitll's iPhones at 1.83 m.
import { join } from 'node:path';
import { linearRegression, mean, median, sampleStandardDeviation } from 'simple-statistics';
import type { CarryPosition } from '../../../scenarios/types.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { PCNG_PAIRS, readMitll, readPcng } from '../real-data/rssi-sessions.ts';
import { INDOOR, MITLL_PHONES } from './body-orientation-fit.ts';

/** pcng's body positions as simulator carry positions: a backpack is not one, it takes the pocket's (the body between). */
export const PCNG_CARRY: Record<string, CarryPosition> = { H: 'hand', P: 'pocket', B: 'pocket' };

export interface PairFit {
  pair: string;
  distances: number;
  /** Fitted RSSI at 1 m, dBm. */
  levelDbmAt1m: number;
  pathLossExponent: number;
  /** RMS of the distance means around the line, dB. */
  residualDb: number;
  /** levelDbmAt1m plus the simulator's body loss of both carry positions: the pair's body-free level. */
  bodyFreeLevelDbm: number;
}

export interface PhoneLinkFit {
  pairs: PairFit[];
  /** The link's parameters: the hand-hand pair's line. */
  refRssiDbmAt1m: number;
  pathLossExponent: number;
  /** Sd of the pairs' body-free levels / √2 (a pair's level carries two phones' offsets), dB. */
  offsetSigmaDb: number;
  /** Median RSSI of pcng's readings at 2 m, per pair, dBm. */
  pcngAt2mDbm: Record<string, number>;
  /** ble-6ft-mitll: median RSSI at 1.83 m of the phone held to the ear, per indoor environment, dBm. */
  mitllHandAt1_83mDbm: Record<string, number>;
}

export function fitPair(pair: string, bodyLossDb: Record<CarryPosition, number>, dir = dataDir()): PairFit & { at2mDbm: number } {
  const byDist = new Map<number, number[]>();
  for (const s of readPcng(join(dir, 'ble-proximity-pcng'), pair)) byDist.set(s.distanceM, [...(byDist.get(s.distanceM) ?? []), ...s.rssiDbm]);
  const points = [...byDist].sort((a, b) => a[0] - b[0]).map(([d, r]) => [Math.log10(d), mean(r)]);
  const line = linearRegression(points);
  const residual = Math.sqrt(mean(points.map(([x, y]) => (y - line.b - line.m * x) ** 2)));
  const loss = bodyLossDb[PCNG_CARRY[pair[0]]] + bodyLossDb[PCNG_CARRY[pair[1]]];
  return { pair, distances: points.length, levelDbmAt1m: line.b, pathLossExponent: -line.m / 10, residualDb: residual, bodyFreeLevelDbm: line.b + loss, at2mDbm: median(byDist.get(2)!) };
}

export function fitPhoneLink(bodyLossDb: Record<CarryPosition, number>, dir = dataDir()): PhoneLinkFit {
  const fits = PCNG_PAIRS.map((p) => fitPair(p, bodyLossDb, dir));
  const hh = fits.find((f) => f.pair === 'HH')!;
  const mitll = new Map<string, number[]>();
  for (const s of readMitll(join(dir, 'ble-6ft-mitll'))) {
    if (!INDOOR.includes(s.group) || MITLL_PHONES[s.label.split('@')[0]]?.carry !== 'hand') continue;
    mitll.set(s.group, [...(mitll.get(s.group) ?? []), ...s.rssiDbm]);
  }
  return {
    pairs: fits.map(({ at2mDbm: _, ...f }) => f),
    refRssiDbmAt1m: hh.levelDbmAt1m,
    pathLossExponent: hh.pathLossExponent,
    offsetSigmaDb: sampleStandardDeviation(fits.map((f) => f.bodyFreeLevelDbm)) / Math.SQRT2,
    pcngAt2mDbm: Object.fromEntries(fits.map((f) => [f.pair, f.at2mDbm])),
    mitllHandAt1_83mDbm: Object.fromEntries([...mitll].sort().map(([env, r]) => [env, median(r)])),
  };
}
