// Scores what the engine concluded against the ground truth it never saw.
import { quantileSorted } from 'simple-statistics';
import type { ObservationBatch } from '../engine/observations.ts';
import type { Contact, Estimates } from '../engine/outputs.ts';
import type { Tech } from '../engine/site.ts';
import type { Truth } from '../sim/types.ts';
import type { JourneyScore } from './score-journeys.ts';
import { truePositionAt } from './true-position.ts';

export interface LocalizationScore {
  medianErrorM: number;
  p90ErrorM: number;
  rmseM: number;
  /** Estimates scored. */
  n: number;
}

export interface ContactScore {
  precision: number;
  recall: number;
  f1: number;
  /** True contacts among the people who carry this technology. */
  truePairs: number;
  /** Median |engine − true exposure| over correctly found pairs, seconds (NaN if none). */
  medianExposureErrorS: number;
}

export interface TechScore {
  localization: LocalizationScore;
  contacts: ContactScore;
  journeys: JourneyScore;
  /** ble-app only: contacts from what the phones heard of each other (EN-style), scored like contacts. */
  phoneContacts?: ContactScore;
}

/** Horizontal error of every estimate of this technology's devices, against the carrier's true position. */
export function localizationErrors(est: Estimates, obs: ObservationBatch, truth: Truth, tech: Tech): Float64Array {
  const errors = new Float64Array(est.length);
  let n = 0;
  for (let i = 0; i < est.length; i++) {
    const d = est.deviceIdx[i];
    if (obs.devices[d].tech !== tech) continue;
    const p = truePositionAt(truth.tracks[truth.deviceOwner[d]], est.tMs[i]);
    if (p.floor < 0) continue; // devices only emit while present; guard the track's edges
    errors[n++] = Math.hypot(est.x[i] - p.x, est.y[i] - p.y);
  }
  return errors.slice(0, n);
}

export function scoreLocalization(errors: Float64Array): LocalizationScore {
  const n = errors.length;
  if (n === 0) return { medianErrorM: NaN, p90ErrorM: NaN, rmseM: NaN, n };
  const sorted = Float64Array.from(errors).sort();
  let sumSq = 0;
  for (const e of sorted) sumSq += e * e;
  return {
    medianErrorM: quantileSorted(Array.from(sorted), 0.5),
    p90ErrorM: quantileSorted(Array.from(sorted), 0.9),
    rmseM: Math.sqrt(sumSq / n),
    n,
  };
}

/** People (indices) carrying at least one device of this technology. */
export function carriersOf(obs: ObservationBatch, truth: Truth, tech: Tech): Set<number> {
  const carriers = new Set<number>();
  obs.devices.forEach((d, i) => {
    if (d.tech === tech) carriers.add(truth.deviceOwner[i]);
  });
  return carriers;
}

const pairKey = (a: number, b: number): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * Compares the engine's contacts for one technology, mapped from devices to
 * people, with the true contacts among the people who carry that technology.
 * With nothing predicted precision is 1; with nothing true recall is 1.
 */
export function scoreContacts(contacts: readonly Contact[], obs: ObservationBatch, truth: Truth, tech: Tech): ContactScore {
  const ownerById = new Map(obs.devices.map((d, i) => [d.id, truth.deviceOwner[i]]));
  const predicted = new Map<string, number>(); // pair → engine exposure, seconds
  for (const c of contacts) {
    if (c.tech !== tech) continue;
    const a = ownerById.get(c.a);
    const b = ownerById.get(c.b);
    if (a === undefined || b === undefined || a === b) continue;
    predicted.set(pairKey(a, b), c.exposureS);
  }
  const carriers = carriersOf(obs, truth, tech);
  const actual = new Map<string, number>();
  for (const c of truth.contacts) {
    if (carriers.has(c.a) && carriers.has(c.b)) actual.set(pairKey(c.a, c.b), c.exposureS);
  }
  let tp = 0;
  const exposureErrors: number[] = [];
  for (const [k, exposureS] of predicted) {
    const trueS = actual.get(k);
    if (trueS === undefined) continue;
    tp++;
    exposureErrors.push(Math.abs(exposureS - trueS));
  }
  const precision = predicted.size ? tp / predicted.size : 1;
  const recall = actual.size ? tp / actual.size : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const medianExposureErrorS = exposureErrors.length ? quantileSorted(exposureErrors.sort((p, q) => p - q), 0.5) : NaN;
  return { precision, recall, f1, truePairs: actual.size, medianExposureErrorS };
}
