// Log-distance path loss.

/** Below this the log-distance model is meaningless (near field). */
const MIN_DISTANCE_M = 0.5;

export function logDistanceLossDb(distanceM: number, refLossDbAt1m: number, exponent: number): number {
  return refLossDbAt1m + 10 * exponent * Math.log10(Math.max(distanceM, MIN_DISTANCE_M));
}
