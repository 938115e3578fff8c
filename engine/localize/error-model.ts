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

/**
 * The survey's calibration by evidence: at reports[k] reports per AP a fix's
 * own radius is multiplied by scale[k], then floorM[k] is added in quadrature (reports ascending).
 */
export interface RadiusFloor {
  reports: number[];
  floorM: number[];
  /** Per level, the factor on the localizer's own radius (≤ 1; 1 where a floor is needed). Absent: 1. */
  scale?: number[];
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

/** The reported 68 % radius, metres: g · hypot(scale · own, floor), the survey's calibration (if any) read at the fix's reports per AP. */
export function honestRadiusM(cal: RadiusFloor | undefined, ownM: number, g: number, reportsPerAp: number): number {
  if (cal === undefined || cal.reports.length === 0) return g * ownM;
  return g * Math.hypot(scaleAt(cal, reportsPerAp) * ownM, floorAt(cal, reportsPerAp));
}

/** Mean reports behind each selected AP's reading: the fix's evidence level. */
export function reportsPerAp(reports: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += reports[i];
  return sum / count;
}
