// Fingerprinting: weighted k-nearest neighbours on a radio map predicted
// from the (calibrated) ranging model and the site map's walls:
//   rssi(cell, AP) = refRssi + apGain − 10·n·log10(d3) − walls on the line
// (apGain: the AP's own fitted gain, 0 unless self-calibrated).
// Unlike WLS it knows that a concrete wall costs 12 dB, so a device behind
// one is not pushed away from the AP.
//
// Match: over the selected APs, the squared dB misfit of each grid cell,
// after removing the mean difference (localize.knn.offsetInvariant: an unknown device
// gain or transmit power shifts every AP alike). The k best cells are
// averaged with likelihood weights exp(−misfit / 2σ²), the misfit plus
// σ²·|cell − c|²/σ_c² where the weighted centroid is the prior (c, σ_c:
// centroid.ts centroidPrior; knn.centroidPrior), so that where the model fits
// the log badly (σ = ranging.sigmaDb, the calibration's residual) the cells
// near the centroid win; their weighted
// spread (plus the cell's own size) gives its own radius, which the best
// cell's misfit scales (engine/localize/error-model.ts).
import { modelGainDb } from './layout.ts';
import { keepCheapest } from './cheapest.ts';
import { floorDiagonalM, honestRadius, reportsPerAp } from './error-model.ts';
import { centroidPrior, type CentroidTuning } from './centroid.ts';
import { selectStrongest } from './strongest.ts';
import type { LocalizeModel, Localizer } from './types.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';

export interface KnnSettings {
  /** Radio map grid spacing, metres: the finest position knn resolves (memory grows with its inverse square). */
  gridM: number;
  /** The k best-matching grid cells are averaged. */
  k: number;
  /** Match RSSI up to a common offset (an unknown device gain or transmit power). */
  offsetInvariant: boolean;
  /**
   * The weighted spread of the k cells times this is its own 68 % radius
   * (error-model.ts). 1.07: a 68 % radius of a round 2-D Gaussian with that
   * RMS spread (P(r ≤ 1.51σ) = 0.68, RMS = 1.41σ); a survey recalibrates it
   * (engine/calibrate/map-radius.ts), and the misfit factor widens it where the model is off.
   */
  radiusScale: number;
  /** Take the weighted centroid as a prior (centroid.ts centroidPrior); off: the radio map alone. Evidence: bench/results/ranging-prior.md. */
  centroidPrior: boolean;
}

export const KNN_SETTINGS: Settings<KnnSettings> = {
  defaults: { gridM: 1, k: 20, offsetInvariant: false, radiusScale: 1.07, centroidPrior: true },
  rules: { gridM: between(0.1, 10), k: whole(1, 10_000), offsetInvariant: flag, radiusScale: above(0, 10), centroidPrior: flag },
};

interface RadioMap {
  /** Per floor: cell centres and predicted RSSI [cell·aps + ap] over every AP of the site. */
  cellX: Float32Array[];
  cellY: Float32Array[];
  rssiDbm: Float32Array[];
}

/** What kNN reads. */
type KnnTuning = CentroidTuning & { knn: KnnSettings };

const maps = new WeakMap<LocalizeModel<KnnTuning>, RadioMap>();

function radioMap(model: LocalizeModel<KnnTuning>): RadioMap {
  let map = maps.get(model);
  if (map) return map;
  const { layout, ranging, localize } = model;
  const step = localize.knn.gridM;
  const dh2 = model.heightDiff2M2, gain = model.apGainDb;
  const aps = layout.apX.length;
  map = { cellX: [], cellY: [], rssiDbm: [] };
  for (let f = 0; f < layout.floorId.length; f++) {
    const nx = Math.max(1, Math.round(layout.floorWidthM[f] / step));
    const ny = Math.max(1, Math.round(layout.floorHeightM[f] / step));
    const cellX = new Float32Array(nx * ny), cellY = new Float32Array(nx * ny);
    const rssi = new Float32Array(nx * ny * aps);
    for (let j = 0, c = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, c++) {
        const x = ((i + 0.5) * layout.floorWidthM[f]) / nx, y = ((j + 0.5) * layout.floorHeightM[f]) / ny;
        cellX[c] = x;
        cellY[c] = y;
        for (let a = 0; a < aps; a++) {
          if (layout.apFloorIdx[a] !== f) continue;
          rssi[c * aps + a] = modelGainDb(layout, f, a, x, y, dh2[a], ranging.refRssiDbmAt1m + (gain ? gain[a] : 0), ranging.pathLossExponent);
        }
      }
    }
    map.cellX.push(cellX);
    map.cellY.push(cellY);
    map.rssiDbm.push(rssi);
  }
  maps.set(model, map);
  return map;
}

let bestCell = new Int32Array(16);
let bestCost = new Float64Array(16);

export const knn: Localizer<KnnTuning> = {
  ownRadius: 'spread',
  locate(model, readings) {
    const sel = selectStrongest(model, readings);
    if (sel === null) return null;
    const cfg = model.localize.knn;
    const map = radioMap(model);
    const f = sel.floorIdx;
    const cellX = map.cellX[f], cellY = map.cellY[f], pred = map.rssiDbm[f];
    const aps = model.layout.apX.length;
    const k = Math.min(cfg.k, cellX.length);
    if (bestCell.length < k) {
      bestCell = new Int32Array(k);
      bestCost = new Float64Array(k);
    }
    let kept = 0;
    const n = sel.count;
    const sigma2 = model.ranging.sigmaDb * model.ranging.sigmaDb;
    const prior = cfg.centroidPrior ? centroidPrior(model, sel) : null;
    // The prior's cost in the misfit's units (dB²): σ² per σ_c² of squared distance.
    const priorW = prior ? sigma2 / (prior.sdM * prior.sdM) : 0, px = prior?.x ?? 0, py = prior?.y ?? 0;
    for (let c = 0; c < cellX.length; c++) {
      let mean = 0;
      if (cfg.offsetInvariant) {
        for (let i = 0; i < n; i++) mean += sel.rssiDbm[i] - pred[c * aps + sel.apIdx[i]];
        mean /= n;
      }
      let cost = priorW * ((cellX[c] - px) ** 2 + (cellY[c] - py) ** 2);
      for (let i = 0; i < n; i++) {
        const r = sel.rssiDbm[i] - pred[c * aps + sel.apIdx[i]] - mean;
        cost += r * r;
      }
      kept = keepCheapest(bestCost, bestCell, kept, k, cost, c);
    }
    const twoSigma2 = 2 * sigma2;
    let sw = 0, sx = 0, sy = 0;
    for (let i = 0; i < kept; i++) {
      const w = Math.exp(-(bestCost[i] - bestCost[0]) / twoSigma2);
      sw += w;
      sx += w * cellX[bestCell[i]];
      sy += w * cellY[bestCell[i]];
    }
    const x = sx / sw, y = sy / sw;
    let spread = 0;
    for (let i = 0; i < kept; i++) {
      const w = Math.exp(-(bestCost[i] - bestCost[0]) / twoSigma2);
      spread += w * ((cellX[bestCell[i]] - x) ** 2 + (cellY[bestCell[i]] - y) ** 2);
    }
    // A cell's own uniform spread: step²/6 in 2-D.
    const ownM = Math.sqrt(spread / sw + (cfg.gridM * cfg.gridM) / 6) * cfg.radiusScale;
    // The best cell's misfit in units of the ranging's σ², over the APs' dof beyond the two coordinates (and the offset; the prior reads the same readings: no dof of its own): error-model.ts.
    const { radiusM, ...told } = honestRadius(model.map?.radiusFloor, ownM, bestCost[0] / sigma2, n - 2 - (cfg.offsetInvariant ? 1 : 0), reportsPerAp(sel.reports, n), floorDiagonalM(model.layout, f));
    return { x, y, floor: model.layout.floorId[f], errorRadiusM: radiusM, apsUsed: n, ...told };
  },
};
