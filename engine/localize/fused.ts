// Fused localization: the survey map's fix (map.ts) and WKNN on the
// surveyed points (survey-knn.ts), averaged per fix. Their errors are partly
// independent (a kriged map matched up to the device's offset, the raw points
// with absence counted): the weights are those of the least-variance mean of
// the two from the covariance of their errors on surveyed points left out of
// a rebuilt map (engine/calibrate/fusion-weights.ts), so each site tells how
// far to trust each; a fix that fits a candidate worse than the survey's
// points did (its misfit over their median: an aged survey, a device unlike
// the survey's) divides that candidate's weight by the ratio. WKNN counts only
// on the map fix's floor. The fix's radius, misfit factor and APs are the
// map fix's; the survey's radius calibration (map-radius.ts) locates with
// this localizer on a rebuilt map without the fusion data, so it calibrates
// the map's fixes. Without the fusion data (no survey, too few left-out
// points) it is the map localizer. kNN on the ranging model was a third
// candidate: it helped the UJI office (geo, 2.41 -> 2.24 m) but the survey
// weighed it 0.19 on the Wi-Fi months, which it cost 0.1-0.2 m (months 3, 5,
// 10 back behind wknn5). Results: bench/results/realdata.md.
import { map, type MapSettings } from './map.ts';
import { surveyKnn } from './survey-knn.ts';
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

/** The WKNN candidate of the readings: each level less the AP's offset and the log's device offset from the map, as the map reads it. */
export function wknnOf(tm: TechRadioMap, readings: Readings, k: number): ReturnType<typeof surveyKnn> {
  const n = readings.end - readings.start, deviceDb = tm.deviceOffset?.meanDb ?? 0;
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

export const fused: Localizer<FusedTuning> = {
  ownRadius: 'posterior',
  locate(model, readings) {
    const fix = map.locate(model, readings);
    const fusion = model.map?.fusion;
    if (fix === null || fusion === undefined) return fix;
    // Each candidate's weight over how much worse than on the survey's left-out points this fix fits it.
    const w = fusion.weights, ref = fusion.misfit;
    const w0 = w[0] / misfitRatio((fix.misfitScale ?? 1) ** 2, ref[0]);
    let sw = w0, sx = w0 * fix.x, sy = w0 * fix.y;
    const points = w[1] > 0 ? wknnOf(model.map!, readings, model.localize.fused.wknnK) : null;
    if (points !== null && points.floor === fix.floor) {
      const w1 = w[1] / misfitRatio(points.nearestDist2, ref[1]);
      sw += w1;
      sx += w1 * points.x;
      sy += w1 * points.y;
    }
    // The map's own weight may be 0 (the others did better on every left-out point): with neither of them here, the map's fix.
    if (sw > 0) {
      fix.x = sx / sw;
      fix.y = sy / sw;
    }
    return fix;
  },
};
