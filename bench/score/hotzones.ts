// Hot-zone scoring. True alerts come from true occupancy (true journeys
// counted the same way) under the engine's own alert rule. An engine alert
// matches a true alert of the same zone when [risingTMs, clearedTMs] of the
// true one overlaps [raisedTMs, clearedTMs] of the engine's.
import type { HotZoneSettings } from '../../engine/hotzones/settings.ts';
import { hotZonesFromVisits } from '../../engine/hotzones/hot-zones.ts';
import type { HotZoneAlert } from '../../engine/outputs.ts';
import type { Site } from '../../engine/contract/site.ts';
import type { Visit } from '../../engine/journeys/visits.ts';
import type { HotZoneScore } from '../../reports/schemas/metrics.ts';

/** The alerts a perfect engine would raise: true journeys, one holder per person, same rule. */
export function trueHotZoneAlerts(journeys: readonly Visit[][], site: Site, durationMs: number, cfg: HotZoneSettings): HotZoneAlert[] {
  const visits = journeys.flatMap((vs, p) => vs.map((v) => ({
    deviceId: `person-${p}`, zone: site.zones[v.zone].id, enterTMs: v.enterTMs, exitTMs: v.exitTMs, dwellS: (v.exitTMs - v.enterTMs) / 1000,
  })));
  const people = journeys.map((_, p) => ({ id: `person-${p}`, tech: cfg.techs[0] }));
  // Every person is counted, so no share to scale the capacity by.
  return hotZonesFromVisits(visits, people, site, { fromMs: 0, toMs: durationMs }, { ...cfg, dedupeBound: false, countedShare: 1 }).alerts;
}

const endOf = (a: HotZoneAlert, durationMs: number): number => (Number.isNaN(a.clearedTMs) ? durationMs : a.clearedTMs);

/** How long engine alert e and true alert t overlap (the engine's from its raising, the truth's from its rising), ms; 0 across zones. */
export function alertOverlapMs(e: HotZoneAlert, t: HotZoneAlert, durationMs: number): number {
  return e.zone === t.zone ? Math.max(0, Math.min(endOf(e, durationMs), endOf(t, durationMs)) - Math.max(e.raisedTMs, t.risingTMs)) : 0;
}

export function scoreHotZones(engine: readonly HotZoneAlert[], truth: readonly HotZoneAlert[], durationMs: number): HotZoneScore {
  const overlapMs = (e: HotZoneAlert, t: HotZoneAlert): number => alertOverlapMs(e, t, durationMs);
  const matchedTrue = new Set<number>();
  const delays: number[] = [];
  let matchedEngine = 0;
  let falseMs = 0;
  for (const e of engine) {
    const hits = truth.flatMap((t, j) => (overlapMs(e, t) > 0 ? [j] : []));
    if (hits.length) matchedEngine++;
    for (const j of hits) {
      if (matchedTrue.has(j)) continue;
      matchedTrue.add(j);
      delays.push((e.raisedTMs - truth[j].risingTMs) / 1000);
    }
    falseMs += endOf(e, durationMs) - e.raisedTMs - hits.reduce((s, j) => s + overlapMs(e, truth[j]), 0);
  }
  return {
    precision: engine.length ? matchedEngine / engine.length : 1,
    recall: truth.length ? matchedTrue.size / truth.length : 1,
    meanDetectionDelayS: delays.length ? delays.reduce((s, d) => s + d, 0) / delays.length : NaN,
    falseAlarmMinutes: Math.max(0, falseMs) / 60_000,
    trueAlerts: truth.length,
    engineAlerts: engine.length,
  };
}
