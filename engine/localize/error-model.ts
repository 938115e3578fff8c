// The one error model every localizer's 68 % radius goes through:
//   errorRadiusM = g · hypot(scale · own, floor)
// own: the localizer's own radius (its spread: the WLS covariance, the kNN
// cells', the map posterior's, the centroid's weights over the APs heard,
// each times its radiusScale). g: how much worse the readings fit the
// localizer's noise model than it expects (misfitScale: the a-posteriori
// variance factor of least squares, √(χ²/dof) when above 1): a world that
// has moved away from the model (an old survey, bodies, a wrong path-loss
// fit) shows in the fit's residuals before it shows in the truth, which the
// engine never sees. scale and floor: the survey's calibration of the same
// localizer, by evidence (engine/calibrate/map-radius.ts: surveyed points
// left out are located and 68 % of them must fall inside): a radius too
// small gets a floor in quadrature (what the spread misses where the model
// is off), one too large a scale below 1. Without a survey both are the
// identity and the radius is g · own.
// With a survey, g is read against the survey's own misfit instead of the
// noise model's: a fitted position soaks up part of the readings' noise (a
// map's search over many cells more than its two coordinates), so the
// left-out points' median χ²/dof (misfit, per level) is what a right model
// shows, and g = √max(r, R) with r the fix's χ²/dof over it. R is the log's
// own median r (engine/calibrate/map-drift.ts, batch only; 1 without): a
// world that moved since the survey (drift, bodies, other phones) raises
// every fix's misfit, also of those that happen to fit, and their errors
// with it; a log that fits as well as the survey's points did keeps g ≥ 1,
// and so does one that fits better (R is taken at 1 or more,
// engine/pipeline/calibration.ts): the survey's points misfit a map rebuilt
// without them, the log's fixes the full map, so a log reads below 1 for that
// alone, and its errors' share of that is already out (map-radius.ts
// errorInUse). Narrowed by it, the UJI library's later rows on its earliest
// as the survey (R 0.64) held the truth in 0.57 of fixes; at 1, 0.68. Both sides read χ² over the chi-square
// median at the fix's dof, not over the dof: a log whose fixes hear fewer
// APs than the survey's points (connected phones, three or four held APs
// against eight) would otherwise read a lower median alone (χ²/dof's median
// is 0.45 at one dof, 0.87 at five) and narrow every radius (the hospital
// ward's connected Wi-Fi: R 0.55, radii × 0.74, a full day's coverage
// 0.59 → 0.46).

import type { SiteLayout } from './layout.ts';

/**
 * The survey's calibration by evidence: at reports[k] reports per AP a fix's
 * own radius is multiplied by scale[k], then floorM[k] is added in quadrature (reports ascending).
 */
export interface RadiusFloor {
  reports: number[];
  floorM: number[];
  /** Per level, the factor on the localizer's own radius (≤ 1; 1 where a floor is needed). Absent: 1. */
  scale?: number[];
  /** Per level, the left-out fixes' median χ² over its chi-square median (chi2Median): the misfit a right model shows. Absent: g reads χ²/dof as it is. */
  misfit?: number[];
  /** R: the log's median misfit ratio r (its fixes' χ² over chi2Median, over misfit at their level), taken at 1 or more. Absent: 1. */
  logMisfitRatio?: number;
  /** The left-out points moved by a bias of rising sd (engine/calibrate/map-radius.ts movedRungs): where the log's R stands among them sets movedFactor. */
  moved?: MovedRung[];
  /** What the world moved since the survey adds beyond g: a factor on every reported radius, per class of APs used (map-radius.ts APS_FROM), after tracking (engine/track/shard.ts; absent: 1). */
  movedFactor?: number[];
}

/** The left-out points moved by one rung's bias: what their fixes misfit and how far the radii must widen. */
export interface MovedRung {
  biasSigmaDb: number;
  /** Per class of APs used (engine/calibrate/map-radius.ts APS_FROM), R the moved fixes read: their median misfit ratio against the survey's calibration (fewer APs soak up more of a fit's misfit); a class with too few fixes takes all fixes' R. */
  misfitRatioByAps: number[];
  /** Per class of APs used (engine/calibrate/map-radius.ts APS_FROM), the factor that brings 68 % of the moved fixes inside their radii, each read as the log's would be (g with R at all the rung's fixes' median misfit ratio); a class with too few fixes takes all fixes' factor. */
  radiusFactor: number[];
}

/** A value given at each of `levels` (ascending reports per AP; valueAt(k) at levels[k]), at `reports`: log-linear in reports between the levels, the nearest one beyond them. */
export function atReports(levels: readonly number[], valueAt: (k: number) => number, reports: number): number {
  const n = levels.length;
  if (reports <= levels[0]) return valueAt(0);
  for (let k = 1; k < n; k++) {
    if (reports <= levels[k]) {
      const t = Math.log(reports / levels[k - 1]) / Math.log(levels[k] / levels[k - 1]);
      return valueAt(k - 1) + t * (valueAt(k) - valueAt(k - 1));
    }
  }
  return valueAt(n - 1);
}

/** The floor at `reports` reports per AP; 0 with none. */
export function floorAt(f: RadiusFloor, reports: number): number {
  return f.reports.length === 0 ? 0 : atReports(f.reports, (k) => f.floorM[k], reports);
}

/** The scale on the own radius at `reports` reports per AP; 1 with none. */
export function scaleAt(f: RadiusFloor, reports: number): number {
  return f.reports.length === 0 || f.scale === undefined ? 1 : atReports(f.reports, (k) => f.scale![k], reports);
}

/**
 * g: √(χ²/dof) of the fit's weighted misfit, when the readings disagree with
 * the model more than its noise allows (a chi-square variable averages its
 * dof); 1 when they do not, or when the fit has no degrees of freedom left.
 */
export function misfitScale(chi2: number, dof: number): number {
  return dof >= 1 && chi2 > dof ? Math.sqrt(chi2 / dof) : 1;
}

/** The median of a chi-square variable with `dof` degrees of freedom (Wilson-Hilferty: 0.47 at one for 0.455, within 1.5 % from two). */
export const chi2Median = (dof: number): number => dof * (1 - 2 / (9 * dof)) ** 3;

/** A fix's radius and what its misfit told it. */
export interface HonestRadius {
  radiusM: number;
  /** √(χ²/dof) when above 1 (misfitScale): the fused localizer's weights read it. */
  misfitScale: number;
  /** r: χ² over chi2Median(dof), over the survey's misfit at the fix's level; absent without those or without dof. */
  misfitRatio?: number;
}

/**
 * The reported 68 % radius, metres: g · hypot(scale · own, floor), the
 * survey's calibration (if any) read at the fix's reports per AP; g from the
 * fix's χ² over its dof as the calibration reads it (top of this file); at
 * most maxM (floorDiagonalM).
 */
export function honestRadius(cal: RadiusFloor | undefined, ownM: number, chi2: number, dof: number, reports: number, maxM: number): HonestRadius {
  const scale = misfitScale(chi2, dof);
  if (cal === undefined || cal.reports.length === 0) return { radiusM: Math.min(scale * ownM, maxM), misfitScale: scale };
  const spread = Math.hypot(scaleAt(cal, reports) * ownM, floorAt(cal, reports));
  if (cal.misfit === undefined) return { radiusM: Math.min(scale * spread, maxM), misfitScale: scale };
  const ratio = dof >= 1 ? chi2 / chi2Median(dof) / atReports(cal.reports, (k) => cal.misfit![k], reports) : undefined;
  const g = Math.sqrt(Math.max(ratio ?? 0, cal.logMisfitRatio ?? 1));
  return { radiusM: Math.min(g * spread, maxM), misfitScale: scale, ...(ratio === undefined ? {} : { misfitRatio: ratio }) };
}

/**
 * The diagonal of floor `f` (layout index), m: no 68 % radius is wider, the
 * device being on the floor (a log the ranging fits to a tenth of a dB
 * would otherwise claim millions of metres off its few readings' misfit).
 */
export function floorDiagonalM(layout: Pick<SiteLayout, 'floorWidthM' | 'floorHeightM'>, f: number): number {
  return Math.hypot(layout.floorWidthM[f], layout.floorHeightM[f]);
}

/** Mean reports behind each selected AP's reading: the fix's evidence level. */
export function reportsPerAp(reports: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += reports[i];
  return sum / count;
}
