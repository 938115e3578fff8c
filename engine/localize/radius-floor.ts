// The map localizer's radius floor by evidence (measured on the survey by
// engine/calibrate/map-radius.ts) and how a fix reads it.

/** The floor by evidence: at reports[k] reports per AP a fix adds floorM[k] (reports ascending). */
export interface RadiusFloor {
  reports: number[];
  floorM: number[];
}

/** The floor at `reports` reports per AP: log-linear between the levels measured, the nearest one beyond them; 0 with none. */
export function floorAt(f: RadiusFloor, reports: number): number {
  const n = f.reports.length;
  if (n === 0) return 0;
  if (reports <= f.reports[0]) return f.floorM[0];
  for (let k = 1; k < n; k++) {
    if (reports <= f.reports[k]) {
      const t = Math.log(reports / f.reports[k - 1]) / Math.log(f.reports[k] / f.reports[k - 1]);
      return f.floorM[k - 1] + t * (f.floorM[k] - f.floorM[k - 1]);
    }
  }
  return f.floorM[n - 1];
}
