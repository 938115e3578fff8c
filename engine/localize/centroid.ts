// RSSI-weighted centroid of the strongest APs on the strongest AP's floor.
// Weight 10^(k·(rssi − rssiStrongest)/10), k = localize.centroid.weightExponent:
// relative to the strongest AP so it never underflows. Robust and cheap, but
// pulled towards the middle of the APs heard: the baseline for WLS to beat.
import { selectStrongest, type Selection } from './strongest.ts';
import type { Fix, LocalizeModel, Localizer, SharedLocalize } from './types.ts';
import { above, between, type Settings } from '../settings/rules.ts';

export interface CentroidSettings {
  /**
   * An AP's weight is 10^(k·(rssi − rssiStrongest)/10): k = 1 weights by
   * received power, smaller k flattens (k = 0.5 with exponent 3 ≈ 1/d^1.5), 0 weighs all alike.
   */
  weightExponent: number;
  /** A centroid has no covariance: this nominal radius marks it as coarse, metres. */
  errorRadiusM: number;
}

export const CENTROID_SETTINGS: Settings<CentroidSettings> = {
  defaults: { weightExponent: 0.5, errorRadiusM: 8 },
  rules: { weightExponent: between(0, 10), errorRadiusM: above(0, 1000) },
};

/** What the centroid reads. */
export type CentroidTuning = SharedLocalize & { centroid: CentroidSettings };

export function weightedCentroid(model: LocalizeModel<CentroidTuning>, sel: Selection): Fix {
  const { apX, apY } = model.layout;
  const k = model.localize.centroid.weightExponent;
  const top = sel.rssiDbm[0];
  let sw = 0, sx = 0, sy = 0;
  for (let i = 0; i < sel.count; i++) {
    const w = 10 ** ((k * (sel.rssiDbm[i] - top)) / 10);
    sw += w;
    sx += w * apX[sel.apIdx[i]];
    sy += w * apY[sel.apIdx[i]];
  }
  return {
    x: sx / sw,
    y: sy / sw,
    floor: model.layout.floorId[sel.floorIdx],
    errorRadiusM: model.localize.centroid.errorRadiusM,
    apsUsed: sel.count,
  };
}

export const centroid: Localizer<CentroidTuning> = {
  locate(model, readings) {
    const sel = selectStrongest(model, readings);
    return sel === null ? null : weightedCentroid(model, sel);
  },
};
