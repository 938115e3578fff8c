// Weighted k-nearest surveyed points (WKNN), the usual fingerprinting
// baseline, on the survey's own points rather than a model or a kriged map:
// each point's fingerprint is its mean reading per AP of the band, an AP it
// never heard counted below the survey's weakest reading (the receiver's
// floor, as far as the survey tells it): at the mean of a reading censored
// there, for an AP whose mean sits at the floor, floor − σ·φ(0)/Φ(0) =
// floor − 0.80σ, σ the survey's reading spread (counted at the floor itself,
// the Wi-Fi months 3 and 5 sat level with WKNN-5, 2.27 / 2.28 m; now 2.25 /
// 2.27, and the office area's even split 2.29 → 2.22 m); distance Euclidean in dB over
// every AP of the site, weights 1/distance, the floor the neighbours' weighted
// majority. Readings in one cell of the survey map's grid are one point (at
// their mean position), as the map takes them (survey-map.ts): a survey
// walked continuously (calib2021's robot at 5 Hz) has a new point every
// reading, each a single scan whose fading and lost packets (counted as not
// heard) its fingerprint would keep (grouped, the fused localizer there reads
// 1.13 → 0.99 m, npm run realdata). A candidate of the fused localizer
// (fused.ts): its errors are partly independent of the map's (no kriging
// between points, no offset removal, absence counts).
import type { SurveyBatch } from '../contract/survey.ts';

/** One band's surveyed points and their fingerprints. */
export interface SurveyFingerprints {
  /** Floor id of each point. */
  floor: Int16Array;
  x: Float32Array;
  y: Float32Array;
  /** Mean reading [ap·points + point] (AP-major: a fix runs over the points of each AP heard in turn), dBm; notHeardDbm where the point never heard the AP. */
  meanDbm: Float32Array;
  /** Per point, Σ over every AP of (mean − notHeardDbm)²: the squared distance of a fingerprint that hears nothing. */
  silentDist2: Float64Array;
  notHeardDbm: number;
  aps: number;
}

/** A normal's mean below its own mean, in its sds: φ(0)/Φ(0) = √(2/π). */
const CENSORED_MEAN_SD = Math.sqrt(2 / Math.PI);

/**
 * The band's (index into SURVEY_BANDS) point fingerprints over `aps` APs, a
 * point per cell of cellM, an AP not heard counted readingSigmaDb·0.80 below
 * the weakest reading; null without a survey point of the band.
 */
export function surveyFingerprints(survey: SurveyBatch, band: number, aps: number, cellM: number, readingSigmaDb: number): SurveyFingerprints | null {
  const index = new Map<string, number>(), pointOf = new Int32Array(survey.length);
  const floor: number[] = [], sx: number[] = [], sy: number[] = [], rows: number[] = [];
  let notHeardDbm = Infinity;
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== band) continue;
    const key = `${survey.floor[i]}:${Math.floor(survey.x[i] / cellM)}:${Math.floor(survey.y[i] / cellM)}`;
    let p = index.get(key);
    if (p === undefined) {
      index.set(key, (p = floor.length));
      floor.push(survey.floor[i]);
      sx.push(0);
      sy.push(0);
      rows.push(0);
    }
    pointOf[i] = p;
    sx[p] += survey.x[i];
    sy[p] += survey.y[i];
    rows[p]++;
    notHeardDbm = Math.min(notHeardDbm, survey.rssiDbm[i]);
  }
  const n = floor.length;
  if (n === 0) return null;
  notHeardDbm -= CENSORED_MEAN_SD * readingSigmaDb;
  const sum = new Float64Array(n * aps), count = new Uint32Array(n * aps);
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== band) continue;
    const k = pointOf[i] * aps + survey.apIdx[i];
    sum[k] += survey.rssiDbm[i];
    count[k]++;
  }
  // A point's scans: its best-heard AP's readings (heard in every scan); an AP missing from some scans counts at notHeardDbm there.
  const meanDbm = new Float32Array(n * aps), silentDist2 = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let scans = 0;
    for (let a = 0; a < aps; a++) scans = Math.max(scans, count[p * aps + a]);
    for (let a = 0; a < aps; a++) {
      const k = p * aps + a, m = Math.fround((sum[k] + (scans - count[k]) * notHeardDbm) / scans);
      meanDbm[a * n + p] = m;
      silentDist2[p] += (m - notHeardDbm) ** 2;
    }
  }
  return { floor: Int16Array.from(floor), x: Float32Array.from(sx, (v, p) => v / rows[p]), y: Float32Array.from(sy, (v, p) => v / rows[p]), meanDbm, silentDist2, notHeardDbm, aps };
}

/** A WKNN estimate: position and floor id. */
export interface PointFix {
  x: number;
  y: number;
  floor: number;
  /** Squared distance to the nearest point, dB²: how far the readings are from any surveyed fingerprint. */
  nearestDist2: number;
}

let dist2 = new Float64Array(64);
let nearDist = new Float64Array(8);
let nearPoint = new Int32Array(8);

/**
 * The weighted mean of the k surveyed points nearest in dB to the levels
 * heard, level[i] of AP apIdx[i] for i < count (every other AP not heard);
 * null without a point.
 */
export function surveyKnn(fp: SurveyFingerprints, apIdx: ArrayLike<number>, level: ArrayLike<number>, count: number, k: number): PointFix | null {
  const n = fp.floor.length, nh = fp.notHeardDbm, mean = fp.meanDbm;
  if (n === 0) return null;
  if (dist2.length < n) dist2 = new Float64Array(n);
  if (nearDist.length < k) {
    nearDist = new Float64Array(k);
    nearPoint = new Int32Array(k);
  }
  // Only the heard APs change the distance of a fingerprint that hears nothing, each by (m − l)² − (m − nh)² =
  // 2(nh − l)·m + (l² − nh²), m the point's mean: AP by AP over every point, the constant part once.
  dist2.set(fp.silentDist2);
  let shift = 0;
  for (let i = 0; i < count; i++) {
    const l = level[i], slope = 2 * (nh - l), row = apIdx[i] * n;
    shift += l * l - nh * nh;
    for (let p = 0; p < n; p++) dist2[p] += slope * mean[row + p];
  }
  for (let p = 0; p < n; p++) dist2[p] += shift;
  let kept = 0;
  for (let p = 0; p < n; p++) {
    const d2 = dist2[p];
    // Insertion into the k nearest so far, ascending.
    let j: number;
    if (kept < k) j = kept++;
    else if (d2 < nearDist[k - 1]) j = k - 1;
    else continue;
    while (j > 0 && nearDist[j - 1] > d2) {
      nearDist[j] = nearDist[j - 1];
      nearPoint[j] = nearPoint[j - 1];
      j--;
    }
    nearDist[j] = d2;
    nearPoint[j] = p;
  }
  let sw = 0, sx = 0, sy = 0;
  for (let j = 0; j < kept; j++) {
    const w = 1 / Math.max(Math.sqrt(Math.max(nearDist[j], 0)), 1e-6);
    sw += w;
    sx += w * fp.x[nearPoint[j]];
    sy += w * fp.y[nearPoint[j]];
  }
  // The floor holding most of the weight (ties: the nearest point's).
  let floor = fp.floor[nearPoint[0]], floorW = 0;
  for (let j = 0; j < kept; j++) {
    const f = fp.floor[nearPoint[j]];
    let w = 0;
    for (let i = 0; i < kept; i++) if (fp.floor[nearPoint[i]] === f) w += 1 / Math.max(Math.sqrt(Math.max(nearDist[i], 0)), 1e-6);
    if (w > floorW) {
      floorW = w;
      floor = f;
    }
  }
  return { x: sx / sw, y: sy / sw, floor, nearestDist2: Math.max(nearDist[0], 0) };
}
