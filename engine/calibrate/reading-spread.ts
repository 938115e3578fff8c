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
  d2.sort((a, b) => a - b);
  const kept = Math.ceil(d2.length * (1 - TRIM_SHARE));
  let sum = 0;
  for (let k = 0; k < kept; k++) sum += d2[k];
  // A difference of two readings spreads twice one reading's variance.
  return Math.max(MIN_SPREAD_DB, Math.sqrt(sum / kept / TRIMMED_Z2 / 2));
}
