// Weighted nonlinear least squares multilateration (Gauss-Newton).
//
// Ranging: d = 10^((refRssi + apGain − rssi)/(10·n)) is the 3-D distance
// (apGain: the AP's own fitted gain, 0 unless self-calibrated); the AP sits
// its height above the floor and the device its own (site map, else
// localize.apHeightM / deviceHeightM), so the horizontal range is
// r = sqrt(max(d² − Δh², minHorizontalRangeM²)).
// Weights: an RSSI error of σ dB scales d by 10^(σ/(10n)), so
// σ_d ≈ d·ln10·σ/(10n), and dr/dd = d/r carries it to the horizontal range:
// w = 1/σ_r². Far APs (and APs right overhead) count little.
// The fix minimizes Σ w·ρ(r − |p − ap|) + |p − c|²/σ_c² (steps halved until
// the misfit drops), clamped to the floor: ρ is Huber's loss (a range off by
// more than wls.huberK of its σ counts linearly, as a reading behind a shelf
// or a body does), and c, σ_c the weighted centroid as a prior
// (centroid.ts centroidPrior; wls.centroidPrior), so that where the ranging
// model fits badly the fix falls back towards the centroid. Its covariance
// (JᵀWJ)⁻¹ gives its own 68% radius, which the misfit left at the fix
// scales (engine/localize/error-model.ts).
// Start: the linearized solution (circle equations minus the strongest AP's,
// solved by least squares), exact on noiseless ranges. From the weighted
// centroid, devices outside the AP hull (corners) can sit near a saddle for
// more than the iteration budget. Collinear APs (singular system) or fewer
// than 3 cannot pin a point: the weighted centroid is returned instead.
import { centroidPrior, weightedCentroid, type CentroidTuning } from './centroid.ts';
import { floorDiagonalM, honestRadius, reportsPerAp } from './error-model.ts';
import { slantRangeM } from './model.ts';
import { selectStrongest } from './strongest.ts';
import type { LocalizeModel, Localizer } from './types.ts';

/** What WLS reads (it falls back to the centroid). */
export type WlsTuning = CentroidTuning & { wls: WlsSettings };
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';

export interface WlsSettings {
  /** Gauss-Newton iterations per fix, at most (stops early on convergence). */
  iterations: number;
  /** Gauss-Newton stops once a step is shorter than this, metres (far below any fix error that matters). */
  convergenceM: number;
  /** A range shorter than the height difference still means "about here": horizontal range floor, metres. */
  minHorizontalRangeM: number;
  /**
   * sqrt(λ1+λ2) of the fix covariance times this is the reported errorRadiusM
   * (also the factor trackers take back out of a centroid's or knn fix's
   * radius). 1.07 would make it a 68% radius for a round 2-D Gaussian
   * (P(r ≤ 1.51σ) = 0.68, sqrt(λ1+λ2) = 1.41σ); larger because fix errors
   * are heavier-tailed and biased by walls and shadowing (the share of fixes
   * within their radius: `ctsim run` metrics.json, perTech.*.localization).
   */
  radiusScale: number;
  /**
   * A range further from the fix than this many of its σ counts linearly
   * (Huber's loss); 0: plain least squares. 1.345 is 95 % efficient on
   * Gaussian residuals (Huber 1964; as calibrate.huberK). Its effect on
   * real logs: bench/results/ranging-prior.md (no huberK).
   */
  huberK: number;
  /** Take the weighted centroid as a prior (centroid.ts centroidPrior); off: ranges alone. Evidence: bench/results/ranging-prior.md. */
  centroidPrior: boolean;
}

export const WLS_SETTINGS: Settings<WlsSettings> = {
  defaults: { iterations: 10, convergenceM: 0.01, minHorizontalRangeM: 0.3, radiusScale: 1.3, huberK: 1.345, centroidPrior: true },
  rules: { iterations: whole(1, 100), convergenceM: above(0, 10), minHorizontalRangeM: above(0, 10), radiusScale: above(0, 10), huberK: between(0, 100), centroidPrior: flag },
};

const MIN_APS_FOR_RANGING = 3; // fewer: the circles do not pin down a point
const MAX_STEP_HALVINGS = 8; // a step cut to 1/256 that still does not help: at the minimum

let rangeM = new Float64Array(16);
let weight = new Float64Array(16);
// Normal equations at the current point: [[a, b], [b, c]]·δ = [gx, gy]; module
// scratch, as the hot loop allocates nothing.
let a = 0, b = 0, c = 0, gx = 0, gy = 0;
// The fix's centroid prior (weight 1/σ_c², 0 without one) and its Huber threshold (0: none).
let priorW = 0, priorX = 0, priorY = 0, huberK = 0;

/** Huber's weight on a residual of u σ: 1 inside huberK, huberK/|u| beyond (IRLS). */
const huberWeight = (u: number): number => (huberK > 0 && u > huberK ? huberK / u : 1);

function normalEquations(model: LocalizeModel<WlsTuning>, apIdx: Uint16Array, n: number, x: number, y: number): void {
  const { apX, apY } = model.layout;
  a = b = c = gx = gy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x - apX[apIdx[i]];
    const dy = y - apY[apIdx[i]];
    const rho = Math.max(Math.sqrt(dx * dx + dy * dy), 1e-6);
    const ux = dx / rho, uy = dy / rho;
    const res = rangeM[i] - rho;
    const w = weight[i] * huberWeight(Math.abs(res) * Math.sqrt(weight[i]));
    a += w * ux * ux;
    b += w * ux * uy;
    c += w * uy * uy;
    gx += w * ux * res;
    gy += w * uy * res;
  }
  a += priorW;
  c += priorW;
  gx += priorW * (priorX - x);
  gy += priorW * (priorY - y);
}

/** Σ w·ρ(r − |p − ap|) + the prior's |p − c|²/σ_c², ρ Huber's loss (scaled as a square inside huberK): the misfit at (x, y). */
function misfit(model: LocalizeModel<WlsTuning>, apIdx: Uint16Array, n: number, x: number, y: number): number {
  const { apX, apY } = model.layout;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const dx = x - apX[apIdx[i]];
    const dy = y - apY[apIdx[i]];
    const u = Math.abs(rangeM[i] - Math.sqrt(dx * dx + dy * dy)) * Math.sqrt(weight[i]);
    sum += huberK > 0 && u > huberK ? huberK * (2 * u - huberK) : u * u;
  }
  return sum + priorW * ((x - priorX) ** 2 + (y - priorY) ** 2);
}

let linX = 0, linY = 0;

/**
 * |p − a_i|² − |p − a_0|² = r_i² − r_0² is linear in p: 2(a_i − a_0)·p =
 * r_0² − r_i² + |a_i|² − |a_0|². Solves it into (linX, linY); false if the APs are collinear.
 */
function linearStart(model: LocalizeModel<WlsTuning>, apIdx: Uint16Array, n: number): boolean {
  const { apX, apY } = model.layout;
  const x0 = apX[apIdx[0]], y0 = apY[apIdx[0]];
  let saa = 0, sab = 0, sbb = 0, sac = 0, sbc = 0;
  for (let i = 1; i < n; i++) {
    const xi = apX[apIdx[i]], yi = apY[apIdx[i]];
    const ca = 2 * (xi - x0), cb = 2 * (yi - y0);
    const rhs = rangeM[0] * rangeM[0] - rangeM[i] * rangeM[i] + xi * xi + yi * yi - x0 * x0 - y0 * y0;
    saa += ca * ca;
    sab += ca * cb;
    sbb += cb * cb;
    sac += ca * rhs;
    sbc += cb * rhs;
  }
  const det = saa * sbb - sab * sab;
  if (det <= 1e-9 * (saa + sbb) * (saa + sbb)) return false;
  linX = (sbb * sac - sab * sbc) / det;
  linY = (saa * sbc - sab * sac) / det;
  return true;
}

function singular(): boolean {
  return a * c - b * b <= 1e-9 * (a + c) * (a + c);
}

export const wls: Localizer<WlsTuning> = {
  ownRadius: 'posterior',
  locate(model, readings) {
    const sel = selectStrongest(model, readings);
    if (sel === null) return null;
    const n = sel.count;
    if (n < MIN_APS_FOR_RANGING) return weightedCentroid(model, sel);

    const { pathLossExponent, sigmaDb } = model.ranging;
    const cfg = model.localize.wls;
    const dh2 = model.heightDiff2M2;
    const minR2 = cfg.minHorizontalRangeM * cfg.minHorizontalRangeM;
    const relSigma = (Math.LN10 * sigmaDb) / (10 * pathLossExponent);
    if (rangeM.length < n) {
      rangeM = new Float64Array(n);
      weight = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      const ap = sel.apIdx[i];
      const d = slantRangeM(model, ap, sel.rssiDbm[i]);
      const r = Math.sqrt(Math.max(d * d - dh2[ap], minR2));
      const sigmaR = (relSigma * d * d) / r;
      rangeM[i] = r;
      weight[i] = 1 / (sigmaR * sigmaR);
    }

    const prior = cfg.centroidPrior ? centroidPrior(model, sel) : null;
    priorW = prior ? 1 / (prior.sdM * prior.sdM) : 0;
    priorX = prior?.x ?? 0;
    priorY = prior?.y ?? 0;
    huberK = cfg.huberK;
    const maxX = model.layout.floorWidthM[sel.floorIdx];
    const maxY = model.layout.floorHeightM[sel.floorIdx];
    if (!linearStart(model, sel.apIdx, n)) return weightedCentroid(model, sel);
    let x = Math.min(Math.max(linX, 0), maxX);
    let y = Math.min(Math.max(linY, 0), maxY);
    let cost = misfit(model, sel.apIdx, n, x, y);
    for (let it = 0; it < cfg.iterations; it++) {
      normalEquations(model, sel.apIdx, n, x, y);
      if (singular()) return weightedCentroid(model, sel);
      const det = a * c - b * b;
      const sx = (c * gx - b * gy) / det;
      const sy = (a * gy - b * gx) / det;
      // Full Gauss-Newton steps can cycle between two points on noisy ranges:
      // halve the step until the misfit drops.
      let nx = x, ny = y;
      for (let t = 1, halvings = 0; halvings <= MAX_STEP_HALVINGS; t /= 2, halvings++) {
        const tx = Math.min(Math.max(x + t * sx, 0), maxX);
        const ty = Math.min(Math.max(y + t * sy, 0), maxY);
        const trial = misfit(model, sel.apIdx, n, tx, ty);
        if (trial < cost) {
          nx = tx;
          ny = ty;
          cost = trial;
          break;
        }
      }
      const movedM2 = (nx - x) * (nx - x) + (ny - y) * (ny - y);
      x = nx;
      y = ny;
      if (movedM2 < cfg.convergenceM * cfg.convergenceM) break;
    }
    normalEquations(model, sel.apIdx, n, x, y);
    if (singular()) return weightedCentroid(model, sel);
    // λ1 + λ2 of the covariance is its trace: (a + c)/det for the 2×2 inverse.
    const traceM2 = (a + c) / (a * c - b * b);
    // The misfit left at the fix, over the ranges' dof beyond the two coordinates (the prior reads the same readings: no dof of its own), scales the radius when the ranges disagree (error-model.ts).
    const { radiusM, ...told } = honestRadius(model.map?.radiusFloor, Math.sqrt(traceM2) * cfg.radiusScale, cost, n - 2, reportsPerAp(sel.reports, n), floorDiagonalM(model.layout, sel.floorIdx));
    return { x, y, floor: model.layout.floorId[sel.floorIdx], errorRadiusM: radiusM, apsUsed: n, ...told };
  },
};
