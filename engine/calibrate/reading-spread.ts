// How much one device's readings of one AP spread about their mean while it
// stands still, as the log itself tells it: the differences between
// consecutive readings of a link within one epoch (the sampled rows hold
// whole epochs: self-fit.ts sampleRows), robustly (the mean square of all
// but the largest tenth, read as a Gaussian's: a walker's few big steps do
// not move it). The stays' change test (localize/stays.ts) compares an
// epoch with its stay in this spread.
// The survey's within-point spread is no stand-in for it: a survey point
// pools whatever read it (several phones, both ways along an aisle, other
// hours), so it spreads far wider than one device standing. UJI's library
// survey reads 9 dB there; compared in it, stays pooled a phone's visits to
// points 2-4 m apart into one fix (README, "Stays").
import type { ObservationBatch } from '../contract/observations.ts';
import { fnv1a, hashOf } from './id-hash.ts';

/** Fewer pairs than this say too little; the caller keeps the survey's spread. */
const MIN_PAIRS = 50;
/** The largest squared differences left out (walkers, a door shutting). */
const TRIM_SHARE = 0.1;
/** E[z² | |z| ≤ 1.645] for a standard normal: a Gaussian's mean square without its top tenth of z². */
const TRIMMED_Z2 = 1 - (2 * 1.645 * 0.10314) / 0.9;
/** Readings come in whole dB (some in halves): a spread below this is their rounding, not the radio. */
const MIN_SPREAD_DB = 1;

/** Sd of one reading about its link's mean within an epoch, dB; null with too few pairs (e.g. one report per AP per epoch). */
export function readingSpreadDb(rows: ObservationBatch, epochMs: number): number | null {
  const last = new Map<number, number>();
  const d2: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const key = rows.deviceIdx[i] * 65536 + rows.apIdx[i];
    const j = last.get(key);
    last.set(key, i);
    if (j !== undefined && rows.tMs[i] >= rows.tMs[j] && Math.floor(rows.tMs[j] / epochMs) === Math.floor(rows.tMs[i] / epochMs)) d2.push((rows.rssiDbm[i] - rows.rssiDbm[j]) ** 2);
  }
  if (d2.length < MIN_PAIRS) return null;
  // A difference of two readings spreads twice one reading's variance.
  return Math.max(MIN_SPREAD_DB, Math.sqrt(trimmedMeanSquare(d2) / 2));
}

/**
 * The part of a link's readings that an epoch's mean does not average away
 * (people moving, doors: real radio's slow variation, 4-5 dB with a
 * correlation time of seconds in the shared BLE logs,
 * bench/results/scenario-radio.md), as the log itself tells it.
 */
export interface SlowSpread {
  /** Sd of what changes from one epoch's mean of a link to the next beyond its fast fading, dB. */
  sigmaDb: number;
  /** Mean reports per link per epoch: a mean over more spans that many epochs, over which this part averages. */
  reportsPerEpoch: number;
}

/** About this many rows are read at most (pairs of epochs sampled beyond it): bounds the pass on a day's log to a few hundred thousand map updates. */
const SLOW_MAX_ROWS = 200_000;

/** One band's pass: per link (device · 65536 + AP) its open epoch (number, sum, reports, last reading) and the one before it (number, mean, reports). */
interface SlowPass {
  open: Map<number, number[]>;
  fastD2: number[];
  lagD2: number[];
  lagInvN: number;
  reports: number;
  linkEpochs: number;
}

/**
 * The log's slow spread per band (bandOf: a device's band index below
 * `bands`, or −1), when the log holds more than SLOW_MAX_ROWS rows read on
 * a sample of each device's pairs of consecutive epochs, by hash (the whole
 * day, every device): the means of one link in consecutive
 * epochs differ by fast² (1/n₁ + 1/n₂) (the fast part, from consecutive
 * readings within an epoch, as readingSpreadDb) plus twice this part's
 * variance, robustly (the largest tenth left out: a walker's steps).
 * Consecutive epochs only: a component slower than an epoch shows in part
 * (a lower bound; what a later day adds shows in the fixes' misfit,
 * map-drift.ts), and a walker moves little in one. Null for a band with
 * too few pairs of either kind (one report per link and epoch, one epoch per device).
 */
export function slowSpreads(log: ObservationBatch, bandOf: (device: number) => number, bands: number, epochMs: number): (SlowSpread | null)[] {
  const band = Int8Array.from(log.devices, (_, d) => bandOf(d));
  const below = Math.min(1, SLOW_MAX_ROWS / Math.max(log.length, 1)) * 2 ** 32;
  const deviceHash = Uint32Array.from(log.devices, (d) => fnv1a(d.id));
  // Per device, when its current pair of epochs ends and whether the sample keeps it (the rows come in time order).
  const pairEndMs = new Float64Array(log.devices.length).fill(-Infinity), keptPair = new Uint8Array(log.devices.length);
  const passes: SlowPass[] = Array.from({ length: bands }, () => ({ open: new Map(), fastD2: [], lagD2: [], lagInvN: 0, reports: 0, linkEpochs: 0 }));
  for (let i = 0; i < log.length; i++) {
    const d = log.deviceIdx[i], b = band[d];
    if (b < 0) continue;
    if (log.tMs[i] >= pairEndMs[d]) {
      const pair = Math.floor(log.tMs[i] / (2 * epochMs));
      pairEndMs[d] = (pair + 1) * 2 * epochMs;
      keptPair[d] = below === 2 ** 32 || hashOf(deviceHash[d], pair) < below ? 1 : 0;
    }
    if (keptPair[d] === 1) read(passes[b], d * 65536 + log.apIdx[i], Math.floor(log.tMs[i] / epochMs), log.rssiDbm[i]);
  }
  return passes.map((p) => {
    for (const s of p.open.values()) close(p, s);
    if (p.fastD2.length < MIN_PAIRS || p.lagD2.length < MIN_PAIRS) return null;
    const fast2 = trimmedMeanSquare(p.fastD2) / 2;
    const slow2 = (trimmedMeanSquare(p.lagD2) - fast2 * (p.lagInvN / p.lagD2.length)) / 2;
    return { sigmaDb: Math.sqrt(Math.max(slow2, 0)), reportsPerEpoch: p.reports / p.linkEpochs };
  });
}

/** One reading of link `key` into its band's pass. */
function read(p: SlowPass, key: number, epoch: number, rssi: number): void {
  p.reports++;
  const s = p.open.get(key);
  if (s === undefined) {
    p.open.set(key, [epoch, rssi, 1, rssi, -Infinity, 0, 0]);
    return;
  }
  if (s[0] === epoch) {
    p.fastD2.push((rssi - s[3]) ** 2);
    s[1] += rssi;
    s[2]++;
  } else {
    close(p, s);
    s[0] = epoch;
    s[1] = rssi;
    s[2] = 1;
  }
  s[3] = rssi;
}

/** Closes a link's open epoch: its difference from the one before when that was the epoch before. */
function close(p: SlowPass, s: number[]): void {
  p.linkEpochs++;
  const mean = s[1] / s[2];
  if (s[4] === s[0] - 1) {
    p.lagD2.push((mean - s[5]) ** 2);
    p.lagInvN += 1 / s[2] + 1 / s[6];
  }
  s[4] = s[0];
  s[5] = mean;
  s[6] = s[2];
}

/** A Gaussian's mean square from squared values, the largest TRIM_SHARE left out. */
function trimmedMeanSquare(d2: number[]): number {
  const sorted = Float64Array.from(d2).sort();
  const kept = Math.ceil(sorted.length * (1 - TRIM_SHARE));
  let sum = 0;
  for (let k = 0; k < kept; k++) sum += sorted[k];
  return sum / kept / TRIMMED_Z2;
}
