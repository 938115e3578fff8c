// Within-2-m classification on real phone-to-phone RSSI: the EN-style
// detector (scan instances, attenuation buckets, weighted minutes) against a
// single RSSI threshold on raw samples. Sessions are cut into windows; each
// window's weighted minutes are projected to a REFERENCE_ENCOUNTER_MIN
// encounter at the same rate, so "exposure" means "15 minutes like this would
// reach minWeightedMinutes". Tuning uses the first half of every session,
// scoring the second half.
import { scanInstances, weightedMinutes, type ProximitySettings, type ScanInstance } from '../../../engine/proximity/exposure-notification.ts';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import type { RssiSession } from './rssi-sessions.ts';

export const WINDOW_S = 10;
export const REFERENCE_ENCOUNTER_MIN = 15;

export interface Window {
  group: string;
  close: boolean;
  tS: number[];
  rssiDbm: number[];
}

/** Windows of WINDOW_S from one half of each session (by time). */
export function windowsOf(sessions: readonly RssiSession[], half: 'train' | 'test'): Window[] {
  const out: Window[] = [];
  for (const s of sessions) {
    const mid = s.tS[0] + (s.tS[s.tS.length - 1] - s.tS[0]) / 2;
    const [from, to] = half === 'train' ? [s.tS[0], mid] : [mid, Infinity];
    let cur: Window | null = null;
    let curStart = -Infinity;
    s.tS.forEach((t, i) => {
      if (t < from || t >= to) return;
      if (!cur || t >= curStart + WINDOW_S) {
        cur = { group: s.group, close: s.distanceM <= DEFAULT_CONFIG.contacts.distanceM, tS: [], rssiDbm: [] };
        curStart = t;
        out.push(cur);
      }
      cur.tS.push(t);
      cur.rssiDbm.push(s.rssiDbm[i]);
    });
  }
  return out.filter((w) => w.tS.length >= 3);
}

export function enSaysClose(w: Window, cfg: ProximitySettings, instances: ScanInstance[] = scanInstances(w.tS, w.rssiDbm, cfg)): boolean {
  const elapsedMin = instances.reduce((s, i) => s + i.durationS, 0) / 60;
  return (weightedMinutes(instances, cfg) * REFERENCE_ENCOUNTER_MIN) / elapsedMin >= cfg.minWeightedMinutes;
}

export interface Confusion { tp: number; fp: number; tn: number; fn: number }

export function confusion(truth: readonly boolean[], said: readonly boolean[]): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  truth.forEach((t, i) => {
    if (said[i]) t ? c.tp++ : c.fp++;
    else t ? c.fn++ : c.tn++;
  });
  return c;
}

export interface Rates { precision: number; recall: number; balancedAccuracy: number; n: number }

export function rates(c: Confusion): Rates {
  const tpr = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const tnr = c.tn + c.fp ? c.tn / (c.tn + c.fp) : NaN;
  return {
    precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN,
    recall: tpr,
    balancedAccuracy: Number.isNaN(tnr) ? tpr : (tpr + tnr) / 2,
    n: c.tp + c.fp + c.tn + c.fn,
  };
}

/** The single RSSI threshold (close when rssi ≥ it) with the best balanced accuracy on these samples. */
export function bestRssiThreshold(close: readonly boolean[], rssiDbm: readonly number[]): number {
  let best = -Infinity, bestBa = -1;
  for (let thr = -110; thr <= -30; thr++) {
    const ba = rates(confusion(close, rssiDbm.map((r) => r >= thr))).balancedAccuracy;
    if (ba > bestBa) [best, bestBa] = [thr, ba];
  }
  return best;
}

/** Per-sample view of windows: (close, rssi) for every raw sample. */
export function samplesOf(windows: readonly Window[]): { close: boolean[]; rssiDbm: number[] } {
  return { close: windows.flatMap((w) => w.rssiDbm.map(() => w.close)), rssiDbm: windows.flatMap((w) => w.rssiDbm) };
}

/** Attenuation thresholds with the best mean (over groups) balanced accuracy on these windows; weights and minimum as configured. */
export function tuneThresholds(windows: readonly Window[], cfg: ProximitySettings): ProximitySettings {
  const groups = [...new Set(windows.map((w) => w.group))];
  const byGroup = groups.map((g) => {
    const ws = windows.filter((w) => w.group === g);
    return { truth: ws.map((w) => w.close), ws, instances: ws.map((w) => scanInstances(w.tS, w.rssiDbm, cfg)) };
  });
  let best = cfg, bestScore = -1;
  for (let t0 = 50; t0 <= 100; t0 += 2) {
    for (let g1 = 0; g1 <= 12; g1 += 2) {
      for (let g2 = 0; g2 <= 12; g2 += 2) {
        const c: ProximitySettings = { ...cfg, attenuationThresholdsDb: [t0, t0 + g1, t0 + g1 + g2] };
        const score = byGroup.reduce((s, g) => s + rates(confusion(g.truth, g.ws.map((w, i) => enSaysClose(w, c, g.instances[i])))).balancedAccuracy, 0) / groups.length;
        if (score > bestScore) [best, bestScore] = [c, score];
      }
    }
  }
  return best;
}
