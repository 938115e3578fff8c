// How honest a localizer's 68 % radius is, read off the survey itself
// (engine/localize/error-model.ts): for the map localizer every
// HOLD_OUT_EVERY-th surveyed point is left out and the map rebuilt from the
// others (the other localizers never read the map: every point is left out,
// engine/calibrate/survey-map.ts), and each left-out point's readings
// (averaged over 1, 4, 16, ... readings per AP: the evidence of a single
// report, an epoch, a stay) are located by the configured localizer. Per evidence level, against the left-out truths: when fewer
// than 68 % fall inside the fixes' radii, the floor is the radius that,
// added in quadrature, brings 68 % inside (a model that is wrong between its
// points, a harsh site, sparse points: the spread misses it); when more do
// and the radius is no posterior (the centroid's, kNN's: Localizer.ownRadius),
// the scale below 1 that brings it to 68 %. Each fix's misfit factor g
// is taken out first, as the radius carries it; for the localizers that
// read the map, against the left-out fixes' median χ² (over its chi-square median, error-model.ts) at the level
// (kept as the level's misfit: what a right model shows, error-model.ts).
// Theirs only: the map's χ² is in the survey's own units (its readings' and
// map's spread) here and in use, while the ranging localizers' is in their
// ranging's σ, fitted on the log in use (self-fit), which the survey's points
// do not share: on the Wi-Fi months knn's log read 0.09-0.14 of the survey's
// misfit. Those localizers are located here with the ranging they end with
// (engine/pipeline/calibration.ts rangingInUse), at the survey's level. It is the survey's mismatch, not the
// survey-vs-use mismatch of a later day: that shows in g, through the log's
// own misfit (map-drift.ts).
import seedrandom from 'seedrandom';
import { median } from 'simple-statistics';
import type { SurveyBatch } from '../contract/survey.ts';
import type { LocalizeTuning } from '../localize/index.ts';
import type { SiteLayout } from '../localize/layout.ts';
import { localizeModel } from '../localize/model.ts';
import { meanVarDb2 } from '../localize/map.ts';
import type { RangingModel } from './ranging.ts';
import type { Fusion, Localizer, LocalizeModel, Readings, TechRadioMap } from '../localize/types.ts';

/** How the fixes weigh a reading: its fast fading and slow spread (TechRadioMap). */
export type ReadingNoise = Pick<TechRadioMap, 'readingSigmaDb' | 'slow'>;
import type { RadioMap } from './radio-map.ts';
import type { MovedRung, RadiusFloor } from '../localize/error-model.ts';

/**
 * One surveyed point in this many is left out (a quarter: the rebuilt map
 * stays nearly as dense as the full one); a band surveyed at fewer points has
 * none to leave out with a map behind, so no map (survey-map.ts surveyBandMap).
 */
export const HOLD_OUT_EVERY = 4;
/** Fewer left-out fixes than this tell no floor (0), nor fusion weights (fusion-weights.ts). */
export const MIN_FIXES = 20;
/** The share of truths the radius is meant to hold (types.ts Fix.errorRadiusM). */
const COVER = 0.68;

/**
 * Points left out over the folds, fewer than this: the next quarter is left
 * out in turn, up to every point once. The shared real surveys hold 24-124
 * points (a quarter: 6-31), and one quarter's floor moved by 1 m from one
 * quarter to the next (UJI office area, 34 points: 2.1-3.1 m).
 */
const MIN_LEFT_POINTS = 50;

/**
 * Which survey rows of the band (index into SURVEY_BANDS) each fold leaves
 * out: every HOLD_OUT_EVERY-th point in first-reading order, the first fold
 * the last of each HOLD_OUT_EVERY, then the others in turn while fewer than
 * MIN_LEFT_POINTS points are left out.
 */
export function heldOutFolds(survey: SurveyBatch, band: number, pointKey: (i: number) => string): Uint8Array[] {
  const order = new Map<string, number>();
  const pointOf = new Int32Array(survey.length).fill(-1);
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== band) continue;
    const k = pointKey(i);
    let n = order.get(k);
    if (n === undefined) order.set(k, (n = order.size));
    pointOf[i] = n;
  }
  const folds: Uint8Array[] = [];
  for (let f = 0, left = 0; f < HOLD_OUT_EVERY && (f === 0 || left < MIN_LEFT_POINTS); f++) {
    const fold = HOLD_OUT_EVERY - 1 - f;
    folds.push(Uint8Array.from(pointOf, (n) => (n >= 0 && n % HOLD_OUT_EVERY === fold ? 1 : 0)));
    left += Math.floor((order.size + HOLD_OUT_EVERY - 1 - fold) / HOLD_OUT_EVERY);
  }
  return folds;
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
export const EVIDENCE_LEVELS = [1, 4, 16, 64, 256];
/**
 * Each left-out point gives at most this many readings per AP to each level
 * (consecutive blocks of its readings; at least one epoch): bounds the cost of a long dwell.
 */
const READINGS_PER_POINT = 32;

/** A left-out surveyed point and its readings of each AP, in survey order. */
export interface LeftPoint {
  floor: number;
  x: number;
  y: number;
  byAp: Map<number, number[]>;
}

/** The band's (index into SURVEY_BANDS) rows of `left` by point. */
export function leftPoints(left: SurveyBatch, band: number): LeftPoint[] {
  const points = new Map<string, LeftPoint>();
  for (let i = 0; i < left.length; i++) {
    if (left.band[i] !== band) continue;
    const k = `${left.floor[i]}:${left.x[i]}:${left.y[i]}`;
    let p = points.get(k);
    if (!p) points.set(k, (p = { floor: left.floor[i], x: left.x[i], y: left.y[i], byAp: new Map() }));
    const r = p.byAp.get(left.apIdx[i]);
    if (r) r.push(left.rssiDbm[i]);
    else p.byAp.set(left.apIdx[i], [left.rssiDbm[i]]);
  }
  return [...points.values()];
}

/** The point's epochs at `level` readings per AP: the means of consecutive blocks of `level` readings of each AP (none when it has fewer). */
export function* pointEpochs(p: LeftPoint, level: number): Generator<Readings> {
  const most = Math.max(...[...p.byAp.values()].map((r) => r.length));
  if (most < level) return;
  for (let e = 0; e < Math.min(Math.max(1, READINGS_PER_POINT / level), Math.floor(most / level)); e++) {
    const aps = [...p.byAp.entries()].filter(([, r]) => e * level < r.length);
    const mean = (r: number[]): number => {
      const part = r.slice(e * level, (e + 1) * level);
      return part.reduce((s, v) => s + v, 0) / part.length;
    };
    yield {
      apIdx: Uint16Array.from(aps, ([a]) => a), rssiDbm: Float32Array.from(aps, ([, r]) => mean(r)),
      count: Uint32Array.from(aps, ([, r]) => Math.min(level, r.length - e * level)), start: 0, end: aps.length,
    };
  }
}

/**
 * `localizer`'s radius calibration (scale, floor in metres, its misfit when
 * `readsMisfit`) at each evidence level, its fixes on the map built without the left-out rows (map.grid) from
 * their readings: the mean of `level` consecutive readings of each AP at a
 * point is one epoch.
 */
export function radiusFloor(localizer: Localizer<LocalizeTuning>, readsMisfit: boolean, folds: readonly LeftOutFold[], band: number): RadiusFloor {
  return floorOf(localizer, readsMisfit, folds, band);
}

/** One fold: the band's rows left out and the map rebuilt without them. */
export interface LeftOutFold {
  map: LeftOutMap;
  left: SurveyBatch;
}

/** What locating the left-out points reads: the rebuilt map, how fixes weigh readings, the site, ranging and settings. */
export interface LeftOutMap {
  grid: RadioMap;
  noise: ReadingNoise;
  layout: SiteLayout;
  ranging: RangingModel;
  /** Each AP's gain on the ranging's line (the survey's, survey-map.ts SurveyLine), for the localizers that range. */
  apGainDb?: Float32Array;
  localize: LocalizeTuning;
  /** The fused localizer's points kept and its weights (fusion-weights.ts, from these same left-out points): its fixes are then its own, not the map's. */
  fusion?: Fusion;
  /** How well the full map knows where devices are against the rebuilt map the left-out points (absent: alike): their errors are read as in use (errorInUse). */
  handicap?: MapHandicap;
}

/** How well the maps know where they are read, dB² (kriging variance, survey-map.ts): the full map over its walkable cells, the rebuilt map at the left-out points. */
export interface MapHandicap {
  inUseDb2: number;
  leftOutDb2: number;
}

/**
 * The factor on a map fix's error variance in use over at a left-out point,
 * for a fix of `reports` reports per AP (measured at `at`): how much more an
 * AP's mean spreads around the full map where devices are than around the
 * rebuilt map at the left-out points (meanVarDb2 plus each map's kriging
 * variance). The rebuilt map knows a left-out point less well than the full
 * map knows a typical walkable cell (the ideal retail store's BLE: 5.5
 * against 0.95 dB²), or better where the survey covers part of the floor
 * (the UJI library: 1.9 against 2.6 dB²).
 */
export function errorInUse(h: MapHandicap | undefined, noise: ReadingNoise, errorSigmaDb: number, reports: number, at = reports): number {
  return h === undefined ? 1 : (meanVarDb2(noise, errorSigmaDb, reports) + h.inUseDb2) / (meanVarDb2(noise, errorSigmaDb, at) + h.leftOutDb2);
}

/**
 * The biases, dB, the moved calibration adds to every left-out reading of an
 * AP at a point: a world moved since the survey by that spread (drift,
 * bodies, furniture), a part no pooling averages away; 0 is the survey as it
 * is. Rungs a few dB apart, from what a survey's field drifts by within
 * months (wifi-longterm-uji: 0.8-2.6 dB, bench/results/radio-drift.md) past
 * a body's loss between device and AP (8 dB, ble-6ft-mitll:
 * bench/results/world-effects.md).
 */
export const MOVED_SIGMAS_DB = [0, 2, 4, 6, 9, 13];

/**
 * Fixes are told apart by the APs they used, from these counts up: a fix of
 * four or five APs already has a broad posterior, lost modes and all, one of
 * a dozen a sharp one a moved world can shift whole (the realistic office:
 * badges' fixes hold 7-8 APs, probing phones' 3-8, a survey point a dozen).
 * A fix of three APs has no degrees of freedom: it shows no misfit, so where
 * R stands tells nothing about it, and its radius stays g's.
 */
export const APS_FROM = [4, 5, 7, 10];

/** The APS_FROM class of a fix that used `aps` APs; −1 below the first. */
export function apsClass(aps: number): number {
  let c = -1;
  while (c + 1 < APS_FROM.length && aps >= APS_FROM[c + 1]) c++;
  return c;
}

/**
 * What a world moved since the survey does to the radii, read off the
 * survey: the left-out readings moved by a seeded standard normal per
 * (epoch, AP) times each rung's sd (the same draws at every rung), located on
 * the rebuilt map with the survey's own calibration `floor` (the
 * misfit-reading localizers'). A moved world raises the fixes' misfit, R,
 * and g widens every radius by √R; but a fix errs more than that (a mode
 * lost to another room, not a Gaussian widened), and how much more is the
 * factor these points need. Each epoch keeps its strongest few APs, three up
 * to all at random (a log's fixes hear fewer than a survey point: a channel
 * plan, a phone's scan), and the factor is read per class of APs used. The
 * log's R picks where on the ladder it stands (movedFactor). Rungs stop where too few fixes locate.
 */
export function movedRungs(localizer: Localizer<LocalizeTuning>, floor: RadiusFloor, folds: readonly LeftOutFold[], band: number): MovedRung[] {
  const draw = seedrandom.alea(`moved-survey:${band}`);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw());
  // Every epoch once, thinned to its strongest few APs, with each AP's unit bias (drawn per epoch: a fix sees one
  // draw either way, and independent ones tell the factor more surely from a survey's few dozen left-out points).
  const epochs: { p: LeftPoint; readings: Readings; z: Float64Array; inUse: number; model: LocalizeModel<LocalizeTuning> }[] = [];
  for (const { map, left } of folds) {
    const { grid, noise, layout, ranging, apGainDb, localize, fusion, handicap } = map;
    const model = localizeModel(layout, ranging, localize, { apGainDb, map: { grid, apOffsetDb: new Float32Array(layout.apX.length), ...noise, radiusFloor: floor, ...(fusion ? { fusion } : {}) } });
    for (const p of leftPoints(left, band)) {
      for (const level of EVIDENCE_LEVELS) {
        for (const r of pointEpochs(p, level)) {
          const order = Array.from(r.apIdx.keys()).sort((a, b) => r.rssiDbm[b] - r.rssiDbm[a]);
          const keep = order.slice(0, Math.min(order.length, 3 + Math.floor(draw() * Math.max(order.length - 2, 1))));
          const readings = { apIdx: Uint16Array.from(keep, (k) => r.apIdx[k]), rssiDbm: Float32Array.from(keep, (k) => r.rssiDbm[k]), count: Uint32Array.from(keep, (k) => r.count![k]), start: 0, end: keep.length };
          epochs.push({ p, readings, z: Float64Array.from(keep, normal), inUse: Math.sqrt(errorInUse(handicap, noise, localize.map.errorSigmaDb, level)), model });
        }
      }
    }
  }
  const rungs: MovedRung[] = [];
  for (const sd of MOVED_SIGMAS_DB) {
    const errM: number[] = [], radiusM: number[] = [], ratio: number[] = [], cls: number[] = [];
    for (const { p, readings, z, inUse, model } of epochs) {
      const fix = localizer.locate(model, { ...readings, rssiDbm: readings.rssiDbm.map((v, k) => v + sd * z[k]) });
      if (fix === null || fix.floor !== p.floor) continue;
      errM.push(inUse * Math.hypot(fix.x - p.x, fix.y - p.y));
      radiusM.push(fix.errorRadiusM);
      ratio.push(fix.misfitRatio ?? 0);
      cls.push(apsClass(fix.apsUsed));
    }
    const told = ratio.filter((r) => r > 0);
    if (told.length < MIN_FIXES) break;
    const R = median(told);
    // Each radius as the log's would read: g = √max(r, R) where it was √max(r, 1) (error-model.ts honestRadius).
    const need = errM.map((e, k) => e / (radiusM[k] * Math.sqrt(Math.max(ratio[k], R) / Math.max(ratio[k], 1))));
    const all = quantile([...need]);
    const radiusFactor = APS_FROM.map((_, c) => {
      const mine = need.filter((_, k) => cls[k] === c);
      return mine.length < MIN_FIXES ? all : quantile(mine);
    });
    // A class with too few fixes reads all fixes' R (on a survey whose points all hear many APs, the few-AP classes are thinned ones).
    const misfitRatioByAps = APS_FROM.map((_, c) => {
      const mine = ratio.filter((r, k) => r > 0 && cls[k] === c);
      return mine.length < MIN_FIXES ? R : median(mine);
    });
    rungs.push({ biasSigmaDb: sd, misfitRatioByAps, radiusFactor });
  }
  return rungs;
}

/**
 * The factor on every radius, per APS_FROM class, where the log reads R of
 * that class (its fixes of so many APs; null: too few to tell) against the
 * survey's calibration: between the two rungs whose R of the class brackets
 * it (in log R), relative to the unmoved rung's: above 1 where a moved
 * world's fixes err more than √R says (a mode lost to another room), below
 * where less (a site too small to err further); the top rung's beyond it;
 * 1 at or below the unmoved rung's R (a log that fits as the survey's
 * points did keeps its radii), or untold. Also the bias sd the classes stand
 * at (their median). None when every factor is 1.
 */
export function movedFactor(rungs: readonly MovedRung[], byAps: readonly (number | null)[]): { factor: number[]; biasSigmaDb: number } | undefined {
  if (rungs.length < 2) return undefined;
  const factor: number[] = [], sigma: number[] = [];
  APS_FROM.forEach((_, c) => {
    const log = byAps[c];
    const R = (g: MovedRung): number => g.misfitRatioByAps[c];
    const k = log === null || rungs[0].radiusFactor[c] <= 0 ? 0 : rungs.findIndex((g) => R(g) >= log);
    if (k === 0) return factor.push(1);
    // Between rungs k − 1 and k in log R, or the top rung's beyond it.
    const lo = k < 0 ? rungs.length - 1 : k - 1, hi = k < 0 ? lo : k;
    const t = lo === hi ? 0 : Math.log(log! / R(rungs[lo])) / Math.log(R(rungs[hi]) / R(rungs[lo]));
    const at = (v: (g: MovedRung) => number): number => v(rungs[lo]) + t * (v(rungs[hi]) - v(rungs[lo]));
    factor.push(at((g) => g.radiusFactor[c]) / rungs[0].radiusFactor[c]);
    sigma.push(at((g) => g.biasSigmaDb));
  });
  return sigma.length === 0 ? undefined : { factor, biasSigmaDb: median(sigma) };
}

function floorOf(localizer: Localizer<LocalizeTuning>, readsMisfit: boolean, folds: readonly LeftOutFold[], band: number): RadiusFloor {
  // A misfit of 1 at every level: each fix's misfitRatio is its χ² over its chi-square median as it is, and its radius g · own as without a calibration.
  const located = folds.map(({ map: { grid, noise, layout, ranging, apGainDb, localize, fusion, handicap }, left }) => {
    const techMap: TechRadioMap = {
      grid, apOffsetDb: new Float32Array(layout.apX.length), ...noise, radiusFloor: { reports: [1], floorM: [0], ...(readsMisfit ? { misfit: [1] } : {}) }, ...(fusion ? { fusion } : {}),
    };
    const inUse = (level: number): number => Math.sqrt(errorInUse(handicap, noise, localize.map.errorSigmaDb, level));
    return { model: localizeModel(layout, ranging, localize, { apGainDb, map: techMap }), points: leftPoints(left, band), inUse };
  });
  const out: RadiusFloor = { reports: [], floorM: [], scale: [], misfit: [] };
  for (const level of EVIDENCE_LEVELS) {
    /** Per fix: its error, own radius (without its misfit scale), misfit ratio (NaN: no dof, or not read) and misfit scale. */
    const errM: number[] = [], ownM: number[] = [], chi2: number[] = [], scales: number[] = [];
    for (const { model, points, inUse } of located) {
      const factor = inUse(level);
      for (const p of points) {
        for (const readings of pointEpochs(p, level)) {
          const fix = localizer.locate(model, readings);
          if (fix === null || fix.floor !== p.floor) continue;
          errM.push(factor * Math.hypot(fix.x - p.x, fix.y - p.y));
          scales.push(fix.misfitScale ?? 1);
          ownM.push(fix.errorRadiusM / scales[scales.length - 1]);
          chi2.push(fix.misfitRatio ?? NaN);
        }
      }
    }
    if (errM.length < MIN_FIXES) break;
    const told = chi2.filter((m) => !Number.isNaN(m));
    const misfit = readsMisfit && told.length >= MIN_FIXES ? median(told) : 0;
    // g (error-model.ts), against the level's misfit where it is read, taken out of the error (the own radius is without it) before the calibration.
    const g = chi2.map((m, i) => (misfit <= 0 ? scales[i] : Number.isNaN(m) ? 1 : Math.sqrt(Math.max(m / misfit, 1))));
    const { scale, floorM } = calibration(errM.map((e, i) => e / g[i]), ownM, localizer.ownRadius === 'spread');
    out.reports.push(level);
    out.scale!.push(scale);
    out.floorM.push(floorM);
    out.misfit!.push(misfit);
  }
  // The misfit is read at every level or at none (a localizer without one: the centroid).
  if (out.misfit!.some((m) => m <= 0)) delete out.misfit;
  return out;
}


/** The COVER quantile of xs (sorted in place). */
function quantile(xs: number[]): number {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.ceil(COVER * xs.length) - 1)];
}

/**
 * The least change that has COVER of the errors inside hypot(scale · own, floor):
 * a floor when too few are inside the own radii (scale 1), else a scale
 * (floor 0) when `mayNarrow`. A posterior is never narrowed (mayNarrow
 * false): survey points held still under a surveyor are a log's easy case
 * (walkers, stays cut short), and its spread already is what the noise alone
 * allows: narrowed to the survey's 68 %, the office's map fixes under ideal
 * radio held well under 68 % in use (bench/studies/radius-coverage.ts).
 */
export function calibration(errM: readonly number[], ownM: readonly number[], mayNarrow: boolean): { scale: number; floorM: number } {
  const inside = errM.filter((e, i) => e <= ownM[i]).length;
  if (!mayNarrow || inside < COVER * errM.length) return { scale: 1, floorM: Math.sqrt(quantile(errM.map((e, i) => Math.max(e * e - ownM[i] * ownM[i], 0)))) };
  // Every own radius > 0 here unless its error is 0 too (inside either way): 0/0 counts as inside.
  return { scale: quantile(errM.map((e, i) => (e === 0 ? 0 : e / ownM[i]))), floorM: 0 };
}
