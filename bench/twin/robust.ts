// Robust fitting pieces for the twin's calibration: Huber regression by
// iteratively reweighted least squares, a Huber location, weighted moments,
// and a variogram fit (nugget + sill · shape(lag / scale)). Every function
// takes per-sample weights so a bootstrap replicate is the same fit with
// resampled weights (bench/twin/calibrate.ts).

/** Huber's tuning constant: 95 % efficiency under Gaussian noise (Huber 1964). */
export const HUBER_K = 1.345;
const IRLS_ITERATIONS = 30;

/** The MAD looks at no more than about this many samples (a stride through them): its error is then ~2 %, and it runs every IRLS step. */
const MAD_SAMPLES = 4000;

/** Median absolute deviation scaled to a Gaussian sd (× 1.4826), over samples with weight > 0. */
export function madSigma(values: ArrayLike<number>, w: ArrayLike<number>): number {
  const kept: number[] = [];
  const stride = Math.max(1, Math.floor(values.length / MAD_SAMPLES));
  for (let i = 0; i < values.length; i += stride) if (w[i] > 0) kept.push(values[i]);
  if (kept.length === 0) return 0;
  kept.sort((a, b) => a - b);
  const med = kept[kept.length >> 1];
  const dev = kept.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  return 1.4826 * dev[dev.length >> 1];
}

/** Solves the p×p system A x = b (row-major A) by Gaussian elimination with partial pivoting; NaN when singular. */
export function solve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const m = Float64Array.from(a), x = Float64Array.from(b);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r * p + c]) > Math.abs(m[piv * p + c])) piv = r;
    if (Math.abs(m[piv * p + c]) < 1e-12) return new Float64Array(p).fill(NaN);
    if (piv !== c) {
      for (let k = 0; k < p; k++) [m[c * p + k], m[piv * p + k]] = [m[piv * p + k], m[c * p + k]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < p; r++) {
      const f = m[r * p + c] / m[c * p + c];
      if (f === 0) continue;
      for (let k = c; k < p; k++) m[r * p + k] -= f * m[c * p + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = p - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < p; k++) s -= m[c * p + k] * x[k];
    x[c] = s / m[c * p + c];
  }
  return x;
}

/**
 * Huber regression y ≈ Σ_k β_k X_k by IRLS, samples weighted by `w`
 * (bootstrap counts). Columns X[k] hold one regressor each. The residual
 * scale is re-estimated (MAD) at every step.
 */
export function huberRegression(X: readonly Float64Array[], y: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const p = X.length, n = y.length;
  const robustW = new Float64Array(n).fill(1);
  const resid = new Float64Array(n);
  let beta: Float64Array = new Float64Array(p);
  for (let it = 0; it < IRLS_ITERATIONS; it++) {
    const a = new Float64Array(p * p), b = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const wi = w[i] * robustW[i];
      if (wi === 0) continue;
      for (let j = 0; j < p; j++) {
        const xj = X[j][i] * wi;
        b[j] += xj * y[i];
        for (let k = j; k < p; k++) a[j * p + k] += xj * X[k][i];
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j];
    const next = solve(a, b, p);
    if (next.some(Number.isNaN)) return next;
    const moved = next.some((v, j) => Math.abs(v - beta[j]) > 1e-4);
    beta = next;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += beta[j] * X[j][i];
      resid[i] = y[i] - f;
    }
    const c = HUBER_K * Math.max(madSigma(resid, w), 1e-6);
    for (let i = 0; i < n; i++) robustW[i] = Math.abs(resid[i]) <= c ? 1 : c / Math.abs(resid[i]);
    if (!moved) break;
  }
  return beta;
}

/** Huber M-estimate of location of `values` (weights `w`); NaN with no weight. */
export function huberLocation(values: ArrayLike<number>, w: ArrayLike<number>): number {
  const ones = new Float64Array(values.length).fill(1);
  return huberRegression([ones], values, w)[0];
}

/** Weighted mean and variance (weights `w`); NaN with no weight. */
export function weightedMoments(values: ArrayLike<number>, w: ArrayLike<number>): { mean: number; variance: number; weight: number } {
  let sw = 0, s = 0;
  for (let i = 0; i < values.length; i++) {
    sw += w[i];
    s += w[i] * values[i];
  }
  const mean = s / sw;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += w[i] * (values[i] - mean) ** 2;
  return { mean, variance: ss / sw, weight: sw };
}

export interface VariogramFit {
  /** The variogram at lag → 0+: what decorrelates at once, dB². */
  nuggetDb2: number;
  /** What decorrelates with lag, dB². */
  partialSillDb2: number;
  /** Lag at which the correlated part's correlation falls to 1/e. */
  scale: number;
}

/** A correlation shape: exp(−h/s) (an Ornstein-Uhlenbeck process in time) or exp(−h²/s²) (the simulator's Gaussian-smoothed shadowing field). */
export type CorrelationShape = 'exponential' | 'gaussian';

/**
 * Fits γ(h) = nugget + partialSill · (1 − ρ(h / scale)) to binned semivariances
 * (lag, γ, weight per bin) by weighted least squares: for each scale on a log
 * grid the two non-negative amplitudes are solved in closed form, and the
 * scale with the smallest weighted error wins. Null with fewer than 3 bins.
 */
export function fitVariogram(lag: readonly number[], gamma: readonly number[], weight: readonly number[], shape: CorrelationShape, scaleRange: [number, number]): VariogramFit | null {
  const bins = lag.map((h, i) => ({ h, g: gamma[i], w: weight[i] })).filter((b) => b.w > 0 && Number.isFinite(b.g));
  if (bins.length < 3) return null;
  const rho = shape === 'exponential' ? (u: number) => Math.exp(-u) : (u: number) => Math.exp(-u * u);
  let best: VariogramFit | null = null, bestErr = Infinity;
  const steps = 80;
  for (let s = 0; s <= steps; s++) {
    const scale = scaleRange[0] * (scaleRange[1] / scaleRange[0]) ** (s / steps);
    // Regressors 1 and f = 1 − ρ; weighted normal equations for (nugget, sill), then clamp at 0.
    let s11 = 0, s1f = 0, sff = 0, s1g = 0, sfg = 0;
    for (const b of bins) {
      const f = 1 - rho(b.h / scale);
      s11 += b.w; s1f += b.w * f; sff += b.w * f * f; s1g += b.w * b.g; sfg += b.w * f * b.g;
    }
    const det = s11 * sff - s1f * s1f;
    let nugget = det > 1e-12 ? (sff * s1g - s1f * sfg) / det : s1g / s11;
    let sill = det > 1e-12 ? (s11 * sfg - s1f * s1g) / det : 0;
    if (nugget < 0) { nugget = 0; sill = sff > 0 ? Math.max(0, sfg / sff) : 0; }
    if (sill < 0) { sill = 0; nugget = s1g / s11; }
    let err = 0;
    for (const b of bins) err += b.w * (b.g - nugget - sill * (1 - rho(b.h / scale))) ** 2;
    if (err < bestErr) {
      bestErr = err;
      best = { nuggetDb2: nugget, partialSillDb2: sill, scale };
    }
  }
  return best;
}
