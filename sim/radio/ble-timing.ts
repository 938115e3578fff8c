// BLE timing: a device advertises every advertising interval (the scenario's
// devices[tech].intervalS for its class) plus a random advDelay, and an AP's
// BLE radio hears an advert only while it is scanning on that channel: its
// scan duty cycle (scan window / scan interval) is the chance a given AP hears
// a given advert. advDelay shifts every event against the scanner's windows,
// so successive adverts meet the windows independently.
//
// Parameters and their sources (each fitted value beside its default:
// bench/studies/radio-fit/world-effects.ts, bench/results/world-effects.md):
// - ADV_DELAY_MAX_MS 10: the Bluetooth Core Specification (v5.3, Vol 6,
//   Part B, 4.4.2.2.1) adds advDelay, pseudo-random in 0-10 ms, to every
//   advertising event.
// - SCAN_DUTY 0.57: ble-anchors-calib2021, where a tag advertising 5 times a
//   second (its README) is heard by each of the 12 anchor modules at 0.42-0.62
//   of its adverts over the four calibration sessions and the robot test; median
//   0.57 (60 module-sessions; bench/studies/radio-fit/ble-timing-fit.ts).
import type { Rng } from '../rng.ts';

export const ADV_DELAY_MAX_MS = 10;
export const SCAN_DUTY = 0.57;

/** Gap to the next advertising event, ms. */
export function advertisingGapMs(intervalMs: number, rng: Rng): number {
  return intervalMs + rng.uniform(0, ADV_DELAY_MAX_MS);
}
