// RSSI-weighted centroid of the strongest APs on the strongest AP's floor.
// Weight 10^(k·(rssi − rssiStrongest)/10), k = localize.centroid.weightExponent:
// relative to the strongest AP so it never underflows. Robust and cheap, but
// pulled towards the middle of the APs heard: the baseline for WLS to beat.
// Its own radius is the spread of its weights over the APs (the weights read
// as where the device may be, about the fix), times localize.centroid.radiusScale,
// and never less than the strongest AP's range on the ranging line: APs that
// sit in one point (several networks on one box) have no spread, and a device
// outside the APs heard is farther from the centroid than their spread says.
import { floorDiagonalM, honestRadius, reportsPerAp } from './error-model.ts';
import { slantRangeM } from './model.ts';
import { selectStrongest, type Selection } from './strongest.ts';
import type { Fix, LocalizeModel, Localizer, SharedLocalize } from './types.ts';
import { above, between, type Settings } from '../settings/rules.ts';

export interface CentroidSettings {
  /**
   * An AP's weight is 10^(k·(rssi − rssiStrongest)/10): k = 1 weights by
   * received power, smaller k flattens (k = 0.5 with exponent 3 ≈ 1/d^1.5), 0 weighs all alike.
   */
  weightExponent: number;
  /**
   * The weighted RMS distance of the APs used from the fix times this is its
   * own radius (error-model.ts). 1.07: a 68 % radius of a round 2-D Gaussian
   * with that RMS (P(r ≤ 1.51σ) = 0.68, RMS = 1.41σ), the weights read as the
   * device's distribution; a survey recalibrates it (map-radius.ts).
   */
  radiusScale: number;
}

export const CENTROID_SETTINGS: Settings<CentroidSettings> = {
  defaults: { weightExponent: 0.5, radiusScale: 1.07 },
  rules: { weightExponent: between(0, 10), radiusScale: above(0, 10) },
};

/** What the centroid reads. */
export type CentroidTuning = SharedLocalize & { centroid: CentroidSettings };

/** The weighted centroid and its own 68 % radius (the weights' spread over the APs times radiusScale), before any survey calibration. */
function centroidOf(model: LocalizeModel<CentroidTuning>, sel: Selection): { x: number; y: number; ownM: number } {
  const { apX, apY } = model.layout;
  const k = model.localize.centroid.weightExponent;
  const top = sel.rssiDbm[0];
  let sw = 0, sx = 0, sy = 0, sxx = 0;
  for (let i = 0; i < sel.count; i++) {
    const w = 10 ** ((k * (sel.rssiDbm[i] - top)) / 10);
    const ax = apX[sel.apIdx[i]], ay = apY[sel.apIdx[i]];
    sw += w;
    sx += w * ax;
    sy += w * ay;
    sxx += w * (ax * ax + ay * ay);
  }
  const x = sx / sw, y = sy / sw;
  return { x, y, ownM: Math.sqrt(Math.max(sxx / sw - x * x - y * y, 0)) * model.localize.centroid.radiusScale };
}

export function weightedCentroid(model: LocalizeModel<CentroidTuning>, sel: Selection): Fix {
  const { x, y, ownM } = centroidOf(model, sel);
  // The selection is strongest first.
  const d = slantRangeM(model, sel.apIdx[0], sel.rssiDbm[0]);
  const reachM = Math.sqrt(Math.max(d * d - model.heightDiff2M2[sel.apIdx[0]], 0));
  return {
    x, y, floor: model.layout.floorId[sel.floorIdx],
    errorRadiusM: honestRadius(model.map?.radiusFloor, Math.max(ownM, reachM), 0, 0, reportsPerAp(sel.reports, sel.count), floorDiagonalM(model.layout, sel.floorIdx)).radiusM,
    apsUsed: sel.count,
  };
}

/** A round 2-D Gaussian holds 68 % of its mass within 1.51 σ (√(−2 ln 0.32)). */
const RADIUS68_PER_SIGMA = 1.51;

/**
 * The weighted centroid as a prior for the localizers that range (wls.ts,
 * knn.ts): a round Gaussian at it whose 68 % radius is the centroid's own.
 * It reads the same readings, robustly (no path-loss model), so it is a
 * shrinkage towards the centroid rather than independent evidence: where the
 * ranging model fits the log well its likelihood dominates, where it fits
 * badly (its ranging.sigmaDb, the calibration's residual, is large) the fix
 * falls back towards the centroid. null: the APs sit in one point (no spread).
 */
export function centroidPrior(model: LocalizeModel<CentroidTuning>, sel: Selection): { x: number; y: number; sdM: number } | null {
  const { x, y, ownM } = centroidOf(model, sel);
  return ownM > 0 ? { x, y, sdM: ownM / RADIUS68_PER_SIGMA } : null;
}

export const centroid: Localizer<CentroidTuning> = {
  ownRadius: 'spread',
  locate(model, readings) {
    const sel = selectStrongest(model, readings);
    return sel === null ? null : weightedCentroid(model, sel);
  },
};
