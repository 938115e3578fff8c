// The carrier's own body by orientation: a device worn on the front of a
// person is heard best when the person faces the AP and worst with their back
// to it. Gain = (depth / 2) · cos(bearing to the AP − the person's heading),
// zero on average over bearings, so it adds to the constant body loss per
// carry position (which stays the mean) rather than replacing it.
// Depth per carry position is fitted on ble-6ft-mitll's rotations by
// bench/studies/radio-fit/body-orientation.ts (bench/results/body-orientation.md).
// A seated person faces the way their zone's seats face when the scenario
// says (zone.seatFacingDeg), else the way they walked in.
import { seatsOf } from '../../scenarios/seats.ts';
import type { ScenarioSite } from '../../scenarios/types.ts';

/** Gain in dB of a device on the front of a body facing `headingRad`, towards an AP at `bearingRad`. */
export function orientationGainDb(depthDb: number, bearingRad: number, headingRad: number): number {
  return (depthDb / 2) * Math.cos(bearingRad - headingRad);
}

/** Key of a seat as a track holds it (coordinates in Float32, as tracks store them). */
export const seatKey = (floor: number, x: number, y: number): string => `${floor}:${Math.fround(x)}:${Math.fround(y)}`;

/**
 * Facing of every seat in a zone that sets seatFacingDeg (0: +x, 90: +y), radians:
 * people seated there face that way rather than the way they walked in.
 */
export function seatFacings(site: ScenarioSite): Map<string, number> {
  const out = new Map<string, number>();
  for (const zone of site.zones) {
    if (zone.seatFacingDeg === null) continue;
    for (const [x, y] of seatsOf(zone)) out.set(seatKey(zone.floor, x, y), (zone.seatFacingDeg * Math.PI) / 180);
  }
  return out;
}
