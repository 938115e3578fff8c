// Log-distance path loss.

/**
 * Below this the log-distance model is not extended, metres. ble-proximity-pcng's
 * closest phone pairs, 0.2 and 0.4 m apart, still sit on (or above) the line
 * its 0.6-5 m pairs draw (hand to hand: -56 and -63 dBm against -59 and -66
 * on the line), where a floor at 0.5 m put them 12 dB low.
 */
export const MIN_DISTANCE_M = 0.2;

export function logDistanceLossDb(distanceM: number, refLossDbAt1m: number, exponent: number): number {
  return refLossDbAt1m + 10 * exponent * Math.log10(Math.max(distanceM, MIN_DISTANCE_M));
}
