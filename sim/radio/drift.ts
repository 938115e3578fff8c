// The site's radio field drifts between the survey and the day the engine
// runs: furniture and stock move, APs get tweaked. The drift is a spatially
// correlated field per link whose sd grows with the survey's age and
// saturates: σd(age) = σ∞ · √(1 − exp(−age / T)). σ∞ and T per band are
// fitted on wifi-longterm-uji (25 monthly surveys of the same points) by
// bench/studies/radio-fit/drift.ts (bench/results/radio-drift.md).

/** Sd of the drift after `ageDays`, dB. */
export function driftSigmaDb(sigmaInfDb: number, timeDays: number, ageDays: number): number {
  return sigmaInfDb * Math.sqrt(1 - Math.exp(-ageDays / timeDays));
}
