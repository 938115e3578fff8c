// The slow component of a static link's readings (sim/radio/temporal.ts: an
// Ornstein-Uhlenbeck process of sd σ_s and correlation time τ on top of
// independent fast fading of sd σ_f), fitted to short streams the way they
// are measured: each stream's own mean is removed before its spread and its
// autocorrelation are taken (bench/twin/fidelity.ts streamAutocorrelation),
// and a stream of span T takes with its mean the part of a slow component
// that does not change within T. Reading the measured ρ(L) as σ_s²·e^(−L/τ)
// over the whole variance, as if the streams were endless, halves the
// twin's slow component on ble-6ft-mitll's 15-30 s halves (Courtyard: a
// simulated ρ(1 s) of 0.05 against 0.21 measured, with the simulated streams
// measured alike), so here each ρ(L) is predicted as that estimator reads it.
// For a unit OU over [0, T] sampled evenly, with x̄ its mean:
//   B = Var(x̄) = (2τ/T)·(1 − (τ/T)(1 − e^(−T/τ)))
//   m(t) = E[x_t x̄] = (τ/T)(2 − e^(−t/τ) − e^(−(T−t)/τ))
// and over the pairs (t, t + L), t in [0, T − L], with J = the mean of m(t)
// there: E[(x_t − x̄)(x_t+L − x̄)] = e^(−L/τ) + B − 2J and each side's
// E[(x − x̄)²] = 1 + B − 2J; fast fading adds its variance to the latter.
// The streams are pooled as the estimator pools them (weighted by their
// pairs), and the within-stream variance, σ_f² + σ_s²(1 − B) on average,
// gives the total back.

/** One stream as the fit reads it: its span and how many readings it has. */
export interface StreamSpan {
  spanS: number;
  readings: number;
}

export interface SlowFit {
  /** Share of the reading variance the slow component holds, 0-1 (0: none). */
  share: number;
  correlationS: number;
  /** Total reading variance (slow + fast) before any mean is removed, dB². */
  varianceDb2: number;
}

/** τ is searched on this grid, s (log-spaced). */
const TAU_GRID_S = Array.from({ length: 121 }, (_, i) => 0.1 * 1.07 ** i);
const SHARE_STEPS = 200;

/** Var(x̄) of a unit OU of correlation time tau over a span of T. */
function meanVariance(tau: number, T: number): number {
  return (2 * tau / T) * (1 - (tau / T) * (1 - Math.exp(-T / tau)));
}

/** E[(x_t − x̄)(x_t+L − x̄)] and E[(x_t − x̄)²] of a unit OU over [0, T], averaged over t in [0, T − L]. */
function meanRemoved(tau: number, T: number, L: number): { cov: number; varAt: number } {
  const A = T - L, B = meanVariance(tau, T);
  const J = (tau / T) * (2 * A - tau * (1 - Math.exp(-A / tau)) - tau * (Math.exp(-L / tau) - Math.exp(-T / tau))) / A;
  return { cov: Math.exp(-L / tau) + B - 2 * J, varAt: 1 + B - 2 * J };
}

/**
 * The slow share and correlation time whose mean-removed autocorrelation,
 * pooled over `streams`, comes nearest (least squares) to `rho` measured at
 * `lagsS` (pairs: how many pairs each lag's estimate pooled, its weight);
 * withinDb2 the streams' mean within-stream variance. Lags a stream is too
 * short for do not count its pairs.
 */
export function fitSlow(streams: readonly StreamSpan[], lagsS: readonly number[], rho: readonly number[], pairs: readonly number[], withinDb2: number): SlowFit {
  streams = streams.filter((s) => s.spanS > 0 && s.readings > 1);
  let best = { share: 0, correlationS: TAU_GRID_S[0], sse: Infinity };
  const used = lagsS.flatMap((_, k) => (Number.isFinite(rho[k]) && pairs[k] > 0 ? [k] : []));
  // A component slower than the streams is, within each, an offset its mean takes away, and one much faster than the
  // shortest lag is fast fading: neither can be told apart, so τ stays between half the shortest lag and the median span.
  const spans = streams.map((s) => s.spanS).sort((a, b) => a - b), longest = spans[spans.length >> 1] ?? 0;
  const shortest = Math.min(...used.map((k) => lagsS[k])) / 2;
  for (const tau of TAU_GRID_S.filter((t) => t >= shortest && t <= longest)) {
    // Per lag: the pair-weighted slow covariance and variance of the streams long enough for it (a stream's pairs at lag L ≈ its readings over [0, T − L]).
    const at = used.map((k) => {
      const L = lagsS[k];
      let w = 0, cov = 0, v = 0;
      for (const s of streams) {
        if (s.spanS <= L) continue;
        const p = s.readings * (1 - L / s.spanS), r = meanRemoved(tau, s.spanS, L);
        w += p;
        cov += p * r.cov;
        v += p * r.varAt;
      }
      return w > 0 ? { cov: cov / w, v: v / w } : null;
    });
    for (let i = 0; i <= SHARE_STEPS; i++) {
      const share = i / SHARE_STEPS;
      let sse = 0;
      used.forEach((k, j) => {
        const a = at[j];
        if (a) sse += pairs[k] * (rho[k] - (share * a.cov) / (share * a.v + 1 - share)) ** 2;
      });
      if (sse < best.sse) best = { share, correlationS: tau, sse };
    }
  }
  // The within-stream variance is σ² (1 − share · B) on average over the readings.
  let n = 0, kept = 0;
  for (const s of streams) {
    n += s.readings;
    kept += s.readings * (1 - best.share * meanVariance(best.correlationS, s.spanS));
  }
  return { share: best.share, correlationS: best.correlationS, varianceDb2: n > 0 ? withinDb2 / (kept / n) : withinDb2 };
}
