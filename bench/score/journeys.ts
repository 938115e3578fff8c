// Journey scoring: an engine visit matches a true visit of the carrier in the
// same zone when their time intervals overlap by at least MIN_IOU of their
// union (one-to-one, best overlap first). Dwell error is over matched visits.
import type { DeviceInfo } from '../../engine/contract/observations.ts';
import type { ZoneVisit } from '../../engine/outputs.ts';
import type { Site, Tech } from '../../engine/contract/site.ts';
import type { Visit } from '../../engine/journeys/visits.ts';
import type { JourneyScore } from '../../reports/schemas/metrics.ts';

/** Intersection over union of two time intervals that match only when at least this. */
export const MIN_IOU = 0.5;

function iou(a: Visit, b: Visit): number {
  const inter = Math.min(a.exitTMs, b.exitTMs) - Math.max(a.enterTMs, b.enterTMs);
  if (inter <= 0) return 0;
  return inter / (Math.max(a.exitTMs, b.exitTMs) - Math.min(a.enterTMs, b.enterTMs));
}

/** Pairs (estimated index, true index) matched one-to-one, best overlap first. */
export function matchVisits(est: readonly Visit[], truth: readonly Visit[]): [number, number][] {
  const candidates: [number, number, number][] = [];
  est.forEach((e, i) => truth.forEach((t, j) => {
    if (e.zone !== t.zone) return;
    const o = iou(e, t);
    if (o >= MIN_IOU) candidates.push([o, i, j]);
  }));
  candidates.sort((p, q) => q[0] - p[0] || p[1] - q[1] || p[2] - q[2]);
  const usedE = new Set<number>(), usedT = new Set<number>();
  const pairs: [number, number][] = [];
  for (const [, i, j] of candidates) {
    if (usedE.has(i) || usedT.has(j)) continue;
    usedE.add(i);
    usedT.add(j);
    pairs.push([i, j]);
  }
  return pairs;
}

export function scoreJourneys(
  journeys: readonly ZoneVisit[], devices: readonly DeviceInfo[], deviceOwner: Uint32Array, truth: readonly Visit[][], site: Site, tech: Tech,
): JourneyScore {
  const zoneIdx = new Map(site.zones.map((z, i) => [z.id, i]));
  const byDevice = new Map<string, Visit[]>();
  for (const v of journeys) {
    const list = byDevice.get(v.deviceId) ?? [];
    list.push({ zone: zoneIdx.get(v.zone) ?? -1, enterTMs: v.enterTMs, exitTMs: v.exitTMs });
    byDevice.set(v.deviceId, list);
  }
  let matched = 0, nEst = 0, nTrue = 0;
  const dwellErrors: number[] = [];
  devices.forEach((d, i) => {
    if (d.tech !== tech) return;
    const est = byDevice.get(d.id) ?? [];
    const tru = truth[deviceOwner[i]];
    nEst += est.length;
    nTrue += tru.length;
    for (const [a, b] of matchVisits(est, tru)) {
      matched++;
      dwellErrors.push(Math.abs((est[a].exitTMs - est[a].enterTMs) - (tru[b].exitTMs - tru[b].enterTMs)) / 1000);
    }
  });
  const precision = nEst ? matched / nEst : 1;
  const recall = nTrue ? matched / nTrue : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  dwellErrors.sort((p, q) => p - q);
  const medianDwellErrorS = dwellErrors.length ? dwellErrors[Math.floor(dwellErrors.length / 2)] : NaN;
  return { precision, recall, f1, medianDwellErrorS, trueVisits: nTrue, estimatedVisits: nEst };
}
