// Temporal variation of a link: a slow component that drifts with time
// (people moving nearby, doors, the carrier's small motions) on top of the
// independent per-reading fading. Modelled as an Ornstein-Uhlenbeck process
// per link: stationary sd `slowSigmaDb`, autocorrelation exp(−Δt / correlationS),
// so readings a second apart share most of it and pooling a stay cannot
// average it away the way it averages independent fading. A device that
// moves leaves it behind too (optional decorrelationM): its correlation also
// falls as exp(−moved / decorrelationM), the exponential decorrelation in
// distance of a moving receiver's slow fading (Gudmundson, Electronics
// Letters 27(23), 1991), so a walker's readings at points a few metres
// apart do not share one draw as a seated device's a moment apart do.
//
// Parameters are fitted on real static BLE sessions by
// bench/studies/radio-fit/temporal.ts (results in bench/results/temporal-variation.json).
import type { Rng } from '../rng.ts';

export interface TemporalParams {
  /** Stationary sd of the slow component, dB (≥ 0). */
  slowSigmaDb: number;
  /** Correlation time, s (> 0): the slow component's autocorrelation falls to 1/e after this long. */
  correlationS: number;
  /** Distance a device moves over which it also falls to 1/e, m (> 0); absent: time alone. */
  decorrelationM?: number;
}

/**
 * One link's slow component at time tS, given its value `prevDb` at `prevTS`
 * (exact OU transition, so the result does not depend on how often the link
 * is sampled). The first sample of a link (prevTS = NaN) is drawn from the
 * stationary distribution. `movedM`: how far the device moved since prevTS.
 */
export function slowComponentDb(prevDb: number, prevTS: number, tS: number, p: TemporalParams, rng: Rng, movedM = 0): number {
  if (Number.isNaN(prevTS)) return rng.normal(0, p.slowSigmaDb);
  const moved = p.decorrelationM === undefined ? 1 : Math.exp(-movedM / p.decorrelationM);
  const keep = Math.exp(-Math.max(0, tS - prevTS) / p.correlationS) * moved;
  return prevDb * keep + rng.normal(0, p.slowSigmaDb * Math.sqrt(1 - keep * keep));
}

/** Autocorrelation of a reading series with this slow component and `fastSigmaDb` of independent fading, at lag Δt > 0. */
export function modelAutocorrelation(p: TemporalParams, fastSigmaDb: number, lagS: number): number {
  const slow = p.slowSigmaDb ** 2;
  return (slow / (slow + fastSigmaDb ** 2)) * Math.exp(-lagS / p.correlationS);
}
