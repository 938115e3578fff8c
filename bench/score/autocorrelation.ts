// Autocorrelation of an irregularly sampled RSSI series at chosen lags: the
// mean product of two readings' deviations from the series mean, over pairs
// whose time apart is within a tolerance of the lag, divided by the variance.
// Real receivers report at uneven times (adverts on three channels, scan
// windows), so lags are matched by tolerance rather than by index.

/** Pairs count towards a lag L when |Δt − L| ≤ max(minTolS, relTol · L). */
export interface LagTolerance {
  minTolS: number;
  relTol: number;
}

export const DEFAULT_LAG_TOLERANCE: LagTolerance = { minTolS: 0.1, relTol: 0.1 };

/** ρ at each lag (NaN where no pair matches); `tS` ascending. */
export function autocorrelation(tS: readonly number[], values: readonly number[], lagsS: readonly number[], tol = DEFAULT_LAG_TOLERANCE): number[] {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2 / n;
  // Each lag's tolerance once, not at every pair.
  const tolS = lagsS.map((L) => Math.max(tol.minTolS, tol.relTol * L));
  const maxLagS = Math.max(...lagsS.map((L, k) => L + tolS[k]));
  const sum = new Float64Array(lagsS.length);
  const count = new Float64Array(lagsS.length);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n && tS[j] - tS[i] <= maxLagS; j++) {
      const dt = tS[j] - tS[i];
      const product = (values[i] - mean) * (values[j] - mean);
      for (let k = 0; k < lagsS.length; k++) {
        if (Math.abs(dt - lagsS[k]) <= tolS[k]) {
          sum[k] += product;
          count[k]++;
        }
      }
    }
  }
  return lagsS.map((_, k) => (count[k] > 0 && variance > 0 ? sum[k] / count[k] / variance : NaN));
}
