// Scores what the engine concluded against the ground truth it never saw.
import { quantileSorted } from 'simple-statistics';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import type { Contact, Estimates } from '../../engine/outputs.ts';
import type { Tech } from '../../engine/contract/site.ts';
import type { Truth } from '../../sim/types.ts';
import { crlbVarianceM2, type CrlbModel } from './crlb.ts';
import type { ContactScore, LocalizationDetail, LocalizationScore } from '../../reports/schemas/metrics.ts';
import { TrackCursor } from '../../sim/track.ts';

/** Per scored estimate: its error, whether its radius held the truth, and the carrier's true motion. */
export interface LocalizationSamples {
  errorM: Float64Array;
  /** 1 when the true position lies within the estimate's errorRadiusM. */
  covered: Uint8Array;
  /** 1 when the carrier was walking (true speed over the epoch above MOVING_MPS). */
  moving: Uint8Array;
  /** Lower bound on the estimate's squared error at the true position (NaN without a model). */
  crlbM2: Float64Array;
  /** The same given an exactly known map (NaN without one). */
  crlbSurveyM2: Float64Array;
}

/** Faster than this over the epoch around a fix, a person counts as moving (slow shuffles at a desk do not). */
export const MOVING_MPS = 0.3;

/**
 * Horizontal error of every estimate of this technology's devices, against
 * the carrier's true position, with coverage, motion and (given a CRLB
 * model) the bound at that position.
 */
export function localizationSamples(
  est: Estimates, obs: ObservationBatch, truth: Truth, tech: Tech, epochMs: number, crlb?: CrlbModel,
  surveyBound?: (x: number, y: number, floor: number) => number,
): LocalizationSamples {
  const techOf = obs.devices.map((d) => d.tech === tech);
  // Sized for this technology's rows only: at campus scale est has tens of millions of rows.
  let rows = 0;
  for (let i = 0; i < est.length; i++) if (techOf[est.deviceIdx[i]]) rows++;
  const errorM = new Float64Array(rows);
  const covered = new Uint8Array(rows);
  const moving = new Uint8Array(rows);
  const crlbM2 = new Float64Array(rows);
  const crlbSurveyM2 = new Float64Array(rows);
  // Three cursors per person (the epoch's start, middle and end), created on first use: each moves forward only.
  const cursors: ([TrackCursor, TrackCursor, TrackCursor] | undefined)[] = new Array(truth.tracks.length);
  // The bounds depend on the true position alone, and people sit still most of
  // the day: each person's are kept until they stand somewhere else.
  const people = truth.tracks.length;
  const boundX = new Float64Array(people).fill(NaN), boundY = new Float64Array(people), boundFloor = new Int16Array(people).fill(-1);
  const crlbAt = new Float64Array(people), surveyAt = new Float64Array(people);
  let n = 0;
  for (let i = 0; i < est.length; i++) {
    const d = est.deviceIdx[i];
    if (!techOf[d]) continue;
    const person = truth.deviceOwner[d];
    let c = cursors[person];
    if (!c) {
      const track = truth.tracks[person];
      c = cursors[person] = [new TrackCursor(track), new TrackCursor(track), new TrackCursor(track)];
    }
    const [before, p, after] = c;
    p.seek(est.tMs[i]);
    if (p.floor < 0) continue; // devices only emit while present; guard the track's edges
    errorM[n] = Math.hypot(est.x[i] - p.x, est.y[i] - p.y);
    covered[n] = errorM[n] <= est.errorRadiusM[i] ? 1 : 0;
    before.seek(est.tMs[i] - epochMs / 2);
    after.seek(est.tMs[i] + epochMs / 2);
    moving[n] = Math.hypot(after.x - before.x, after.y - before.y) > (MOVING_MPS * epochMs) / 1000 ? 1 : 0;
    if (p.x !== boundX[person] || p.y !== boundY[person] || p.floor !== boundFloor[person]) {
      boundX[person] = p.x;
      boundY[person] = p.y;
      boundFloor[person] = p.floor;
      crlbAt[person] = crlb ? crlbVarianceM2(crlb, p.x, p.y, p.floor) : NaN;
      surveyAt[person] = surveyBound ? surveyBound(p.x, p.y, p.floor) : NaN;
    }
    crlbM2[n] = crlbAt[person];
    crlbSurveyM2[n] = surveyAt[person];
    n++;
  }
  // Views, not copies: only the rare fixes outside the track's span are missing.
  return { errorM: errorM.subarray(0, n), covered: covered.subarray(0, n), moving: moving.subarray(0, n), crlbM2: crlbM2.subarray(0, n), crlbSurveyM2: crlbSurveyM2.subarray(0, n) };
}

/** Horizontal error of every estimate of this technology's devices, against the carrier's true position. */
export function localizationErrors(est: Estimates, obs: ObservationBatch, truth: Truth, tech: Tech, epochMs = 5000): Float64Array {
  return localizationSamples(est, obs, truth, tech, epochMs).errorM;
}

export function scoreLocalization(errors: Float64Array): LocalizationScore {
  const n = errors.length;
  if (n === 0) return { medianErrorM: NaN, p90ErrorM: NaN, rmseM: NaN, n };
  const sorted = Float64Array.from(errors).sort();
  let sumSq = 0;
  for (const e of sorted) sumSq += e * e;
  // quantileSorted only indexes its input: no copy of millions of errors into a JS array.
  const asArray = sorted as unknown as number[];
  return {
    medianErrorM: quantileSorted(asArray, 0.5),
    p90ErrorM: quantileSorted(asArray, 0.9),
    rmseM: Math.sqrt(sumSq / n),
    n,
  };
}

/** scoreLocalization plus coverage, moving/static split and the CRLB beside the RMSE. */
export function scoreLocalizationDetail(s: LocalizationSamples): LocalizationDetail {
  const pick = (want: number): Float64Array => s.errorM.filter((_, i) => s.moving[i] === want);
  const moving = scoreLocalization(pick(1));
  const stat = scoreLocalization(pick(0));
  let covered = 0;
  for (let i = 0; i < s.errorM.length; i++) covered += s.covered[i];
  /** RMS of a bound over the samples where it is finite (all, or only the static ones). */
  const rmsBound = (m2: Float64Array, staticOnly: boolean): number => {
    let sum = 0, n = 0;
    for (let i = 0; i < m2.length; i++) {
      if (!Number.isFinite(m2[i]) || (staticOnly && s.moving[i] === 1)) continue;
      sum += m2[i];
      n++;
    }
    return Math.sqrt(sum / n);
  };
  return {
    ...scoreLocalization(s.errorM),
    coverage: covered / s.errorM.length,
    crlbRmseM: rmsBound(s.crlbM2, false),
    crlbSurveyRmseM: rmsBound(s.crlbSurveyM2, false),
    movingMedianErrorM: moving.medianErrorM,
    movingN: moving.n,
    staticMedianErrorM: stat.medianErrorM,
    staticRmseM: stat.rmseM,
    staticCrlbRmseM: rmsBound(s.crlbM2, true),
    staticCrlbSurveyRmseM: rmsBound(s.crlbSurveyM2, true),
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

/** One number per unordered pair of people (fewer than `people`): no string per contact. */
const pairKey = (a: number, b: number, people: number): number => (a < b ? a * people + b : b * people + a);

/**
 * Compares the engine's contacts for one technology, mapped from devices to
 * people, with the true contacts among the people who carry that technology.
 * With nothing predicted precision is 1; with nothing true recall is 1.
 */
export function scoreContacts(contacts: readonly Contact[], obs: ObservationBatch, truth: Truth, tech: Tech): ContactScore {
  const ownerById = new Map(obs.devices.map((d, i) => [d.id, truth.deviceOwner[i]]));
  const people = truth.tracks.length;
  const predicted = new Map<number, number>(); // pair → engine exposure, seconds
  for (const c of contacts) {
    if (c.tech !== tech) continue;
    const a = ownerById.get(c.a);
    const b = ownerById.get(c.b);
    if (a === undefined || b === undefined || a === b) continue;
    predicted.set(pairKey(a, b, people), c.exposureS);
  }
  const carriers = carriersOf(obs, truth, tech);
  const actual = new Map<number, number>();
  for (const c of truth.contacts) {
    if (carriers.has(c.a) && carriers.has(c.b)) actual.set(pairKey(c.a, c.b, people), c.exposureS);
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
