// Journeys: per device, the sequence of zone visits from its fixes. Two kinds
// of hysteresis keep a device standing near a wall from flickering between
// rooms: a fix only votes for a new zone when it lies at least marginM inside
// it, and the device only moves once the new zone has held for switchAfterS
// (the visit is then backdated to when the run of votes began). A fix outside
// every zone counts for the nearest zone within snapM. Visits shorter
// than minDwellS are dropped; no fix for maxGapS ends a visit (device left).
import { distanceToPolygonEdge } from '../contract/geometry.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Estimates, ZoneVisit } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { rowsByDevice, smoothEstimates } from '../contacts/window-mean.ts';
import { snappingZoneLocator } from '../site-map/zone-locator.ts';
import { applyMinDwell, type Visit } from './visits.ts';
import { above, between, DAY_S, type Settings } from '../settings/rules.ts';

export interface JourneySettings {
  /** Fixes are averaged over this window before zone assignment, seconds (0 = off). */
  smoothWindowS: number;
  /** A fix votes for a zone the device is not in only when at least this far inside it, metres. */
  marginM: number;
  /**
   * A fix outside every zone counts for the zone whose edge is nearest, if
   * that is within this distance, metres (0 = off): fixes in rooms at the
   * building's edge are pulled out of them. The survey-map localizer keeps
   * fixes on walkable cells, so there it changes little.
   */
  snapM: number;
  /**
   * A new zone must hold this long (at least this many seconds of
   * consecutive epochs) before the device moves into it; smoothing already
   * damps flicker, so longer holds mostly lose short visits.
   */
  switchAfterS: number;
  /** Visits shorter than this are dropped (walking through, stray fixes), seconds. */
  minDwellS: number;
  /** No fix for this long ends a visit (the device left or went silent), seconds. */
  maxGapS: number;
}

export const JOURNEY_SETTINGS: Settings<JourneySettings> = {
  defaults: { smoothWindowS: 60, marginM: 0.5, snapM: 2, switchAfterS: 10, minDwellS: 120, maxGapS: 300 },
  rules: { smoothWindowS: between(0, 3600), marginM: between(0, 100), snapM: between(0, 100), switchAfterS: between(0, DAY_S), minDwellS: between(0, DAY_S), maxGapS: above(0, DAY_S) },
};

const NONE = -2;

/** Visits of one device from its fixes (rows of est, in time order). */
export function deviceVisits(est: Estimates, rows: ArrayLike<number>, site: Site, epochMs: number, cfg: JourneySettings): Visit[] {
  const zoneAt = snappingZoneLocator(site, cfg.snapM);
  const halfEpoch = epochMs / 2;
  const visits: Visit[] = [];
  let cur = -1, curStart = 0;
  // cand: the zone (−1: nowhere) whose run of votes began at candStart; NONE: no run.
  let cand = NONE, candStart = 0;
  let lastT = -Infinity;
  const close = (endTMs: number): void => {
    if (cur >= 0) visits.push({ zone: cur, enterTMs: curStart, exitTMs: endTMs });
  };
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const t = est.tMs[i];
    if (t - lastT > cfg.maxGapS * 1000) {
      close(lastT + halfEpoch);
      cur = -1;
      cand = NONE;
      curStart = t - halfEpoch;
    }
    lastT = t;
    let z = zoneAt(est.floor[i], est.x[i], est.y[i]);
    // Near the edge of a zone the device is not in yet: not a vote for it.
    if (z !== cur && z >= 0 && distanceToPolygonEdge(est.x[i], est.y[i], site.zones[z].polygon) < cfg.marginM) z = cur;
    if (z === cur) {
      cand = NONE;
      continue;
    }
    if (z !== cand) {
      cand = z;
      candStart = t - halfEpoch;
    }
    if (t + halfEpoch - candStart >= cfg.switchAfterS * 1000) {
      close(candStart);
      cur = cand;
      curStart = candStart;
      cand = NONE;
    }
  }
  close(lastT + halfEpoch);
  return applyMinDwell(visits, cfg.minDwellS, cfg.maxGapS);
}

/** Every device's journey, sorted by device id then enter time. */
export function buildJourneys(raw: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: JourneySettings): ZoneVisit[] {
  const est = smoothEstimates(raw, devices.length, cfg.smoothWindowS);
  const out: ZoneVisit[] = [];
  rowsByDevice(est, devices.length).forEach((rows, d) => {
    for (const v of deviceVisits(est, rows, site, epochMs, cfg)) {
      out.push({ deviceId: devices[d].id, zone: site.zones[v.zone].id, enterTMs: v.enterTMs, exitTMs: v.exitTMs, dwellS: (v.exitTMs - v.enterTMs) / 1000 });
    }
  });
  return out.sort((p, q) => (p.deviceId < q.deviceId ? -1 : p.deviceId > q.deviceId ? 1 : p.enterTMs - q.enterTMs));
}
