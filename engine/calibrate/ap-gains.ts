// Each AP's own gain about a fitted path-loss line: APs differ in transmit
// power and antenna, so a reading less the line is not the same for every AP.
// The gain is the AP's mean residual shrunk towards 0 by (σ/τ)², an
// empirical-Bayes prior whose spread τ is read off the readings themselves:
// the robust spread (MAD) of the APs' raw mean residuals less the median AP's
// own noise σ²/Σw. On a site of like APs τ comes out near 0, and so do the
// gains. Shared by self-calibration (self-fit.ts) and the survey's line
// (survey-map.ts). Evidence: bench/results/ranging-prior.md, bench/results/realdata.md.

/** Fewer APs heard than this tell no spread of their gains. */
export const MIN_GAIN_APS = 3;
/** A normal's standard deviation is 1.4826 times its median absolute deviation. */
const MAD_TO_SD = 1.4826;

/** The median (upper, for an even count) of the values. */
export const middle = (v: Float64Array): number => Float64Array.from(v).sort()[v.length >> 1];

/**
 * Each AP's shrunk gain, dB, into `gain` (0 where an AP has no weight), from
 * its weighted residual sum and weight; sigmaDb the residuals' spread, tauDb
 * the gains' spread (0: read off the residuals). Not centred: the caller
 * takes out the mean its line absorbs. Returns false (gains all 0) when τ is 0.
 */
export function shrunkApGains(sum: Float64Array, weight: Float64Array, sigmaDb: number, tauDb: number, gain: Float32Array): boolean {
  const heard = [...weight.keys()].filter((a) => weight[a] > 0);
  let tau = tauDb;
  if (tau === 0 && heard.length >= MIN_GAIN_APS) {
    const raw = Float64Array.from(heard, (a) => sum[a] / weight[a]);
    const med = middle(raw);
    const noise = Float64Array.from(heard, (a) => (sigmaDb * sigmaDb) / weight[a]);
    tau = Math.sqrt(Math.max((MAD_TO_SD * middle(raw.map((v) => Math.abs(v - med)))) ** 2 - middle(noise), 0));
  }
  gain.fill(0);
  if (tau === 0) return false;
  const shrink = (sigmaDb / tau) ** 2;
  for (const a of heard) gain[a] = sum[a] / (weight[a] + shrink);
  return true;
}
