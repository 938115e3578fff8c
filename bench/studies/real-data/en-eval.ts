// Choosing the phone-to-phone detector's config by cross-dataset validation.
// Each real log (a pcng body-position pair, an mitll environment) is one
// group; its windows carry the truth "within the contact distance". A config
// is tuned on some groups (best mean balanced accuracy over them: mitll holds
// only 6 ft contacts, so its balanced accuracy is its recall) and scored on a
// group it never saw. The grid: the receiver lift level and the first
// attenuation threshold (from 30 dB: close phones read −44 to −55 dBm), the
// next two 4 dB apart; bucket weights and the minimum as configured. With
// free gaps (0-8 dB each) the held-out scores were lower on 6 of the 11 logs
// and level on the other 5: the extra freedom fit the training logs.
import { attenuationBucket, scanInstances, type ProximitySettings } from '../../../engine/proximity/exposure-notification.ts';
import { receiverLiftDb } from '../../../engine/proximity/device-calibration.ts';
import { REFERENCE_ENCOUNTER_MIN } from '../../../engine/proximity/window-decision.ts';
import type { LogWindow } from '../../../engine/proximity/log-windows.ts';

export interface Group { name: string; windows: LogWindow[] }

/** The search grid: lift level (−140 = off), first threshold and the gap between thresholds, dB. */
export const GRID = {
  receiverLevelDbm: [-140, ...range(-100, -60, 2)],
  firstThresholdDb: range(30, 110, 2),
  gapDb: [4],
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** A window reduced to what the grid varies: its scan instances' durations and typical attenuations (no lift), and its receiver's median. */
interface Compact { close: boolean; durationS: Float64Array; attenuationDb: Float64Array; medianDbm: number; totalS: number }

function compact(w: LogWindow, contactM: number, cfg: ProximitySettings): Compact {
  const inst = scanInstances(w.tS, w.rssiDbm, cfg);
  return {
    close: w.distanceM <= contactM, medianDbm: w.receiverMedianDbm, totalS: inst.reduce((s, i) => s + i.durationS, 0),
    durationS: Float64Array.from(inst, (i) => i.durationS), attenuationDb: Float64Array.from(inst, (i) => i.typicalAttenuationDb),
  };
}

function saysClose(c: Compact, cfg: ProximitySettings): boolean {
  const lift = receiverLiftDb(c.medianDbm, cfg.receiverLevelDbm);
  let sum = 0;
  for (let k = 0; k < c.durationS.length; k++) sum += c.durationS[k] * cfg.bucketWeights[attenuationBucket(c.attenuationDb[k] - lift, cfg.attenuationThresholdsDb)];
  return c.totalS > 0 && (sum / 60) * REFERENCE_ENCOUNTER_MIN / (c.totalS / 60) >= cfg.minWeightedMinutes;
}

function balancedAccuracy(ws: readonly Compact[], cfg: ProximitySettings): number {
  let tp = 0, p = 0, tn = 0, n = 0;
  for (const w of ws) {
    const said = saysClose(w, cfg);
    if (w.close) { p++; if (said) tp++; } else { n++; if (!said) tn++; }
  }
  const parts = [p ? tp / p : NaN, n ? tn / n : NaN].filter((x) => !Number.isNaN(x));
  return parts.reduce((s, x) => s + x, 0) / parts.length;
}

/** The grid point with the best mean balanced accuracy over `groups` (ties: the first in grid order). */
export function tune(groups: readonly Group[], contactM: number, base: ProximitySettings, grid = GRID): { config: ProximitySettings; meanBalancedAccuracy: number } {
  // Only windows with a true distance are scored (mitll's other advertisers count toward the receiver's median, not here).
  const data = groups.map((g) => g.windows.filter((w) => !Number.isNaN(w.distanceM)).map((w) => compact(w, contactM, base)));
  let best = { config: base, meanBalancedAccuracy: -1 };
  for (const receiverLevelDbm of grid.receiverLevelDbm) {
    for (const t0 of grid.firstThresholdDb) {
      for (const g1 of grid.gapDb) {
        for (const g2 of grid.gapDb) {
          const cfg: ProximitySettings = { ...base, receiverLevelDbm, attenuationThresholdsDb: [t0, t0 + g1, t0 + g1 + g2] };
          const score = data.reduce((s, ws) => s + balancedAccuracy(ws, cfg), 0) / data.length;
          if (score > best.meanBalancedAccuracy) best = { config: cfg, meanBalancedAccuracy: score };
        }
      }
    }
  }
  return best;
}
