// A close/not-close decision on a short stretch of one phone hearing another
// (a window of a real log), in the detector's own terms: the window's weighted
// minutes are projected to a REFERENCE_ENCOUNTER_MIN encounter at the same
// rate, so "close" means "15 minutes like this would be an exposure". The
// decision at another distance than the contact distance shifts the
// attenuation thresholds along the log-distance model.
import { scanInstances, weightedMinutes, type ProximitySettings } from './exposure-notification.ts';

/** EN's reference encounter (its default minimum exposure), minutes. */
export const REFERENCE_ENCOUNTER_MIN = 15;

/** dB to add to the attenuation thresholds to ask "within distanceM" instead of "within contactM": 10·n·log10(distanceM / contactM). */
export function thresholdShiftDb(distanceM: number, contactM: number, pathLossExponent: number): number {
  return 10 * pathLossExponent * Math.log10(distanceM / contactM);
}

/** Whether time-ordered readings (tS seconds, rssiDbm already corrected) say close, thresholds shifted by shiftDb. */
export function windowSaysClose(tS: ArrayLike<number>, rssiDbm: ArrayLike<number>, cfg: ProximitySettings, shiftDb = 0): boolean {
  const shifted = shiftDb === 0 ? cfg : { ...cfg, attenuationThresholdsDb: cfg.attenuationThresholdsDb.map((t) => t + shiftDb) as [number, number, number] };
  const instances = scanInstances(tS, rssiDbm, shifted);
  const elapsedMin = instances.reduce((s, i) => s + i.durationS, 0) / 60;
  return elapsedMin > 0 && (weightedMinutes(instances, shifted) * REFERENCE_ENCOUNTER_MIN) / elapsedMin >= cfg.minWeightedMinutes;
}
