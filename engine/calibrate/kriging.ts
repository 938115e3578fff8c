// Simple kriging (zero mean) of a residual field sampled at scattered points,
// with a Gaussian covariance sill·exp(−h²/range²) and a per-point nugget
// (measurement noise of each point's mean). The predictor at q is
//   r̂(q) = k(q)ᵀ (K + diag(nugget))⁻¹ r,
// which returns the sampled residual near a point (less the noise) and decays
// to 0 (the model alone) beyond about a range from every point; its
// prediction variance is about the nugget on a point and the sill beyond. The
// covariance's shape (kernels) depends only on where the points and queries
// are, so APs heard at the same points share it.

/**
 * The covariance shape e^(−h²/range²) between the points (lower triangle,
 * row-major) and from each query to each point: what kriging the same points
 * for another AP (another sill, nugget and residuals) reuses.
 */
export interface Kernels {
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  points: Float64Array;
  queries: Float64Array;
}

export function kernels(px: ArrayLike<number>, py: ArrayLike<number>, qx: ArrayLike<number>, qy: ArrayLike<number>, rangeM: number): Kernels {
  const n = px.length;
  const inv2 = 1 / (rangeM * rangeM);
  const points = new Float64Array(n * n), queries = new Float64Array(qx.length * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) points[i * n + j] = Math.exp(-((px[i] - px[j]) ** 2 + (py[i] - py[j]) ** 2) * inv2);
  for (let q = 0; q < qx.length; q++) for (let i = 0; i < n; i++) queries[q * n + i] = Math.exp(-((qx[q] - px[i]) ** 2 + (qy[q] - py[i]) ** 2) * inv2);
  return { px, py, points, queries };
}

/**
 * The residuals at the kernels' points → predictions at their queries, written into out, and into outVar (when given) each
 * query's prediction variance, sill − cᵀ(K + diag(nugget))⁻¹c (c its covariances with the points): about the
 * nugget on a point, the sill beyond a range from every one.
 */
export function krige(kern: Kernels, residual: ArrayLike<number>, nugget: ArrayLike<number>, sill: number, out: Float64Array, outVar?: Float64Array): void {
  const n = kern.px.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const c = sill * kern.points[i * n + j];
      k[i * n + j] = c;
      k[j * n + i] = c;
    }
    k[i * n + i] += nugget[i];
  }
  const alpha = choleskySolve(k, n, Float64Array.from(residual));
  for (let q = 0; q < out.length; q++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += alpha[i] * kern.queries[q * n + i];
    out[q] = sill * sum;
  }
  if (!outVar) return;
  // c = L·v by forward substitution on the Cholesky factor choleskySolve left in k: cᵀ(K + N)⁻¹c = |v|².
  const v = new Float64Array(n);
  for (let q = 0; q < out.length; q++) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      let t = sill * kern.queries[q * n + i];
      for (let j = 0; j < i; j++) t -= k[i * n + j] * v[j];
      v[i] = t / k[i * n + i];
      ss += v[i] * v[i];
    }
    outVar[q] = Math.max(sill - ss, 0);
  }
}

/** Solves A·x = b for symmetric positive definite A (n×n, row-major, overwritten by its factor); b is overwritten by x. */
function choleskySolve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    // The nugget keeps d positive; the floor only guards rounding on near-duplicate points.
    const l = Math.sqrt(Math.max(d, 1e-9));
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return b;
}
