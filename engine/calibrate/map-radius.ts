// How far the map localizer's fixes stray beyond their posterior spread, read
// off the survey itself: every HOLD_OUT_EVERY-th surveyed point is left out,
// the map is rebuilt from the others, and each left-out point's readings
// (averaged over 1, 4, 16, ... readings per AP: the evidence of a single
// report, an epoch, a stay) are located on it. The posterior only knows the noise the map expects; a map
// that is wrong between its points (a harsh site, sparse points, a model that
// misses the walls) puts the truth outside it. The floor is the radius that,
// added in quadrature to each fix's own, holds 68 % of the left-out truths
// (0 when the posterior already does), per evidence level. It is the survey's mismatch, not the
// survey-vs-use mismatch of a later day: a lower bound where the survey is old.
import type { SurveyBatch } from '../contract/survey.ts';
import type { LocalizeTuning } from '../localize/index.ts';
import type { SiteLayout } from '../localize/layout.ts';
import { map } from '../localize/map.ts';
import { localizeModel } from '../localize/model.ts';
import type { RangingModel } from './ranging.ts';
import type { Readings, TechRadioMap } from '../localize/types.ts';
import type { RadioMap } from './radio-map.ts';
import type { RadiusFloor } from '../localize/radius-floor.ts';

/** One surveyed point in this many is left out (a quarter: the rebuilt map stays nearly as dense as the full one). */
const HOLD_OUT_EVERY = 4;
/** Fewer left-out fixes than this tell no floor (0). */
const MIN_FIXES = 20;
/** The share of truths the radius is meant to hold (types.ts Fix.errorRadiusM). */
const COVER = 0.68;

/** Which survey rows of the band (index into SURVEY_BANDS) are left out: every HOLD_OUT_EVERY-th point in first-reading order. */
export function heldOutRows(survey: SurveyBatch, band: number, pointKey: (i: number) => string): Uint8Array {
  const order = new Map<string, number>();
  const out = new Uint8Array(survey.length);
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== band) continue;
    const k = pointKey(i);
    let n = order.get(k);
    if (n === undefined) order.set(k, (n = order.size));
    if (n % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) out[i] = 1;
  }
  return out;
}

/** The rows of `survey` where keep[i] is 1. */
export function surveyRows(survey: SurveyBatch, keep: Uint8Array, want: number): SurveyBatch {
  const idx: number[] = [];
  for (let i = 0; i < survey.length; i++) if (keep[i] === want) idx.push(i);
  const pick = <T extends Int16Array | Float32Array | Uint16Array | Uint8Array>(a: T): T => {
    const o = new (a.constructor as new (n: number) => T)(idx.length);
    idx.forEach((j, k) => (o[k] = a[j]));
    return o;
  };
  return { length: idx.length, floor: pick(survey.floor), x: pick(survey.x), y: pick(survey.y), apIdx: pick(survey.apIdx), band: pick(survey.band), rssiDbm: pick(survey.rssiDbm) };
}

/** Evidence levels the floor is read at: reports averaged per AP (a phone's single report, an epoch of a few, a stay). */
const LEVELS = [1, 4, 16, 64, 256];
/**
 * Each left-out point gives at most this many readings per AP to each level
 * (consecutive blocks of its readings; at least one epoch): bounds the cost of a long dwell.
 */
const READINGS_PER_POINT = 32;

/**
 * The 68 % radius floor, metres, of the map built without the left-out rows
 * (`grid`), from their readings, at each evidence level: the mean of
 * `level` consecutive readings of each AP at a point is one epoch.
 */
export function radiusFloor(
  grid: RadioMap, readingSigmaDb: number, left: SurveyBatch, band: number, layout: SiteLayout, ranging: RangingModel, localize: LocalizeTuning,
): RadiusFloor {
  const techMap: TechRadioMap = { grid, apOffsetDb: new Float32Array(layout.apX.length), readingSigmaDb, radiusFloor: { reports: [], floorM: [] } };
  const model = localizeModel(layout, ranging, localize, { map: techMap });
  // Readings by point, then by AP, in survey order.
  const points = new Map<string, { floor: number; x: number; y: number; byAp: Map<number, number[]> }>();
  for (let i = 0; i < left.length; i++) {
    if (left.band[i] !== band) continue;
    const k = `${left.floor[i]}:${left.x[i]}:${left.y[i]}`;
    let p = points.get(k);
    if (!p) points.set(k, (p = { floor: left.floor[i], x: left.x[i], y: left.y[i], byAp: new Map() }));
    const r = p.byAp.get(left.apIdx[i]);
    if (r) r.push(left.rssiDbm[i]);
    else p.byAp.set(left.apIdx[i], [left.rssiDbm[i]]);
  }
  const out: RadiusFloor = { reports: [], floorM: [] };
  for (const level of LEVELS) {
    const need: number[] = [];
    for (const p of points.values()) {
      const most = Math.max(...[...p.byAp.values()].map((r) => r.length));
      if (most < level) continue;
      for (let e = 0; e < Math.min(Math.max(1, READINGS_PER_POINT / level), Math.floor(most / level)); e++) {
        const aps = [...p.byAp.entries()].filter(([, r]) => e * level < r.length);
        const mean = (r: number[]): number => {
          const part = r.slice(e * level, (e + 1) * level);
          return part.reduce((s, v) => s + v, 0) / part.length;
        };
        const readings: Readings = {
          apIdx: Uint16Array.from(aps, ([a]) => a), rssiDbm: Float32Array.from(aps, ([, r]) => mean(r)),
          count: Uint32Array.from(aps, ([, r]) => Math.min(level, r.length - e * level)), start: 0, end: aps.length,
        };
        const fix = map.locate(model, readings);
        if (fix === null || fix.floor !== p.floor) continue;
        // The floor this fix needs: its error beyond its own radius, in quadrature.
        need.push(Math.max((fix.x - p.x) ** 2 + (fix.y - p.y) ** 2 - fix.errorRadiusM ** 2, 0));
      }
    }
    if (need.length < MIN_FIXES) break;
    need.sort((a, b) => a - b);
    out.reports.push(level);
    out.floorM.push(Math.sqrt(need[Math.min(need.length - 1, Math.ceil(COVER * need.length) - 1)]));
  }
  return out;
}
