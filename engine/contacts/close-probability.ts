// The chance two people were really within distanceM, given their estimated
// separation and both fixes' 68% error radii. Each fix error is taken as a
// round 2-D Gaussian (σ = radius / 1.515, since P(r ≤ 1.515σ) = 0.68), so
// the true separation vector is Gaussian around the estimated one with
// σ² = σa² + σb², and its length is Rice distributed:
//   P(R ≤ D) = ∫₀^D r/σ² · exp(-(r² + d²)/2σ²) · I₀(r·d/σ²) dr.
// Tabulated once over (d/σ, D/σ), read with bilinear interpolation.

/** r68 = this × σ for a round 2-D Gaussian. */
export const RADIUS68_PER_SIGMA = 1.515;
/** The table covers d/σ and D/σ up to this; beyond, R ≈ N(d/σ, 1) (error < 1e-3). */
export const MAX_SIGMAS = 8;
const STEPS = 160;
const STEP = MAX_SIGMAS / STEPS;
const INTEGRATION_STEPS = 200;

/** e^-x · I₀(x), x ≥ 0 (Abramowitz & Stegun 9.8.1-2). */
function besselI0Scaled(x: number): number {
  if (x < 3.75) {
    const t = (x / 3.75) ** 2;
    return Math.exp(-x) * (1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813))))));
  }
  const t = 3.75 / x;
  return (0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281 + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))) / Math.sqrt(x);
}

/** P(R ≤ b) for a Rice variable with noncentrality a and σ = 1 (Simpson's rule). */
export function riceCdf(a: number, b: number): number {
  if (b <= 0) return 0;
  const h = b / INTEGRATION_STEPS;
  // exp(-(r² + a²)/2) I₀(ra) = exp(-(r - a)²/2) · e^{-ra} I₀(ra)
  const f = (r: number): number => r * Math.exp(-((r - a) ** 2) / 2) * besselI0Scaled(r * a);
  let sum = f(0) + f(b);
  for (let k = 1; k < INTEGRATION_STEPS; k++) sum += (k % 2 ? 4 : 2) * f(k * h);
  return Math.min(1, (sum * h) / 3);
}

/** Φ(z) via the Abramowitz & Stegun 7.1.26 erf (error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

let table: Float64Array | null = null;

function riceTable(): Float64Array {
  if (table) return table;
  const n = STEPS + 1;
  table = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) table[i * n + j] = riceCdf(i * STEP, j * STEP);
  return table;
}

/**
 * P(true separation ≤ distanceM) for fixes estimated separationM apart with
 * 68% error radii radiusA, radiusB (metres).
 */
export function closeProbability(separationM: number, distanceM: number, radiusA: number, radiusB: number): number {
  const sigma = Math.max(Math.hypot(radiusA, radiusB) / RADIUS68_PER_SIGMA, 1e-6);
  const a = separationM / sigma;
  const b = distanceM / sigma;
  if (a >= MAX_SIGMAS || b >= MAX_SIGMAS) return normalCdf(b - a);
  const t = riceTable();
  const n = STEPS + 1;
  const fi = a / STEP, fj = b / STEP;
  const i = Math.min(Math.floor(fi), STEPS - 1), j = Math.min(Math.floor(fj), STEPS - 1);
  const u = fi - i, v = fj - j;
  return (1 - u) * ((1 - v) * t[i * n + j] + v * t[i * n + j + 1]) + u * ((1 - v) * t[(i + 1) * n + j] + v * t[(i + 1) * n + j + 1]);
}
