// Fused localization, the default: the survey map's fix (map.ts) and WKNN on the
// surveyed points (survey-knn.ts), averaged per fix. Their errors are partly
// independent (a kriged map, the raw points with absence counted): the
// weights are those of the least-variance mean of the two from the covariance
// of their errors on surveyed points left out of a rebuilt map
// (engine/calibrate/fusion-weights.ts), so each site tells how far to trust
// each, at each evidence level (reports averaged per AP, read at the fix's
// own): the map's errors shrink with more reports, WKNN's pull to the
// surveyed points does not, so one weight for every fix (single reports')
// took a thorough survey's ideal office from 0.2 to 0.7 m. WKNN reads the
// levels less the device's offset the map fits at its fix (mapOffsetAt, with
// the log's offset prior): without it phones unlike the survey's receiver
// cost the office's ble-app 2.56 -> 2.95 m. A fix that fits a candidate
// worse than the survey's points did (its misfit over their median: an aged
// survey, a device unlike the survey's) divides that candidate's weight by
// the ratio. WKNN counts only on the map fix's floor. The map is its base
// (Localizer.base): a batch run's stays are told apart on the map's fixes and
// only the fixes reported are refined (stays.ts). The fix's own radius,
// misfit factor and APs are the map fix's; the survey's radius calibration
// (map-radius.ts) locates the left-out points with this localizer, WKNN on
// the points kept and the weights those same points gave, so it calibrates
// the fused fixes (calibrated on the map's, the UJI library's fused radii held
// 0.76 of its truths, the office area's 0.79). Without the fusion data (no
// survey, too few left-out points) it is the map localizer. kNN on the
// ranging model was a third candidate: it helped the UJI office (geo, 2.41
// -> 2.24 m) but the survey weighed it 0.19 on the Wi-Fi months, which it
// cost 0.1-0.2 m (months 3, 5, 10 back behind wknn5). Results:
// bench/results/realdata.md.
import { map, mapOffsetAt, type MapSettings } from './map.ts';
import { surveyKnn } from './survey-knn.ts';
import { atReports } from './error-model.ts';
import type { Localizer, Readings, TechRadioMap } from './types.ts';
import type { WlsTuning } from './wls.ts';
import { whole, type Settings } from '../settings/rules.ts';

export interface FusedSettings {
  /** The WKNN candidate averages this many nearest surveyed points (5: the usual baseline, realdata's wknn5). */
  wknnK: number;
}

export const FUSED_SETTINGS: Settings<FusedSettings> = {
  defaults: { wknnK: 5 },
  rules: { wknnK: whole(1, 100) },
};

/** The candidates, in the order of Fusion.weights. */
export const FUSED_PARTS = ['map', 'wknn'] as const;

/** What the fused localizer reads. */
export type FusedTuning = WlsTuning & { map: MapSettings; fused: FusedSettings };

let apIdx = new Uint16Array(16);
let level = new Float64Array(16);

/**
 * The WKNN candidate of the readings: each level less the AP's offset, the
 * log's device offset from the map and this device's own (`offsetDb`: the
 * map's at its fix, mapOffsetAt), as the map reads it.
 */
export function wknnOf(tm: TechRadioMap, readings: Readings, k: number, offsetDb: number): ReturnType<typeof surveyKnn> {
  const n = readings.end - readings.start, deviceDb = (tm.deviceOffset?.meanDb ?? 0) + offsetDb;
  if (apIdx.length < n) {
    apIdx = new Uint16Array(n);
    level = new Float64Array(n);
  }
  for (let i = 0; i < n; i++) {
    const a = readings.apIdx[readings.start + i];
    apIdx[i] = a;
    level[i] = readings.rssiDbm[readings.start + i] - tm.apOffsetDb[a] - deviceDb;
  }
  return surveyKnn(tm.fusion!.points, apIdx, level, n, k);
}

/** A fix's misfit over the candidate's median on the survey, at least 1 (a fix that fits better is not trusted more than the survey's evidence). */
const misfitRatio = (misfit: number, ref: number): number => (ref > 0 ? Math.max(misfit / ref, 1) : 1);

/** Mean reports behind each reading: the fix's evidence level (the levels its weights were measured at). */
function reportsOf(readings: Readings): number {
  if (readings.count === undefined) return 1;
  let sum = 0;
  for (let i = readings.start; i < readings.end; i++) sum += readings.count[i];
  return sum / (readings.end - readings.start);
}

export const fused: Localizer<FusedTuning> = {
  ownRadius: 'posterior',
  base: map,
  locate(model, readings) {
    const fix = map.locate(model, readings);
    return fix === null ? null : fused.refine!(model, readings, fix);
  },
  refine(model, readings, fix) {
    const fusion = model.map?.fusion;
    if (fusion === undefined) return fix;
    // Each candidate's weight at the fix's evidence, over how much worse than on the survey's left-out points this fix fits it.
    const reports = reportsOf(readings), levels = fusion.reports;
    const weight = (part: number): number => atReports(levels, (k) => fusion.weights[k][part], reports);
    const ref = (part: number): number => atReports(levels, (k) => fusion.misfit[k][part], reports);
    const w0 = weight(0) / misfitRatio((fix.misfitScale ?? 1) ** 2, ref(0));
    let sw = w0, sx = w0 * fix.x, sy = w0 * fix.y;
    const w1 = weight(1);
    const points = w1 > 0 ? wknnOf(model.map!, readings, model.localize.fused.wknnK, mapOffsetAt(model, readings, fix.x, fix.y) ?? 0) : null;
    if (points !== null && points.floor === fix.floor) {
      const w = w1 / misfitRatio(points.nearestDist2, ref(1));
      sw += w;
      sx += w * points.x;
      sy += w * points.y;
    }
    // The map's own weight may be 0 (the others did better on every left-out point): with neither of them here, the map's fix.
    if (sw > 0) {
      fix.x = sx / sw;
      fix.y = sy / sw;
    }
    return fix;
  },
};
