// The carrier's own body by orientation: a device worn on the front of a
// person is heard best when the person faces the AP and worst with their back
// to it. Gain = (depth / 2) · cos(bearing to the AP − the person's heading),
// zero on average over bearings, so it adds to the constant body loss per
// carry position (which stays the mean) rather than replacing it.
// Depth per carry position is fitted on ble-6ft-mitll's rotations by
// bench/studies/radio-fit/body-orientation.ts (bench/results/body-orientation.md).

/** Gain in dB of a device on the front of a body facing `headingRad`, towards an AP at `bearingRad`. */
export function orientationGainDb(depthDb: number, bearingRad: number, headingRad: number): number {
  return (depthDb / 2) * Math.cos(bearingRad - headingRad);
}
