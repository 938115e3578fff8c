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

/**
 * One device's zone votes, fix by fix in time order: the raw visits (before
 * the minimum dwell) it closes, through onVisit. The batch journeys and the
 * live engine (engine/live/) both step it.
 */
export class ZoneVoter {
  private cur = -1;
  private curStart = 0;
  /** The zone (−1: nowhere) whose run of votes began at candStart; NONE: no run. */
  private cand = NONE;
  private candStart = 0;
  private lastT = -Infinity;
  private readonly halfEpoch: number;

  constructor(
    private readonly site: Site, private readonly zoneAt: (floor: number, x: number, y: number) => number,
    epochMs: number, private readonly cfg: JourneySettings, private readonly onVisit: (v: Visit) => void,
  ) {
    this.halfEpoch = epochMs / 2;
  }

  /** The zone the device is in now (−1: none), and since when. */
  get zone(): number {
    return this.cur;
  }

  get since(): number {
    return this.curStart;
  }

  get lastTMs(): number {
    return this.lastT;
  }

  step(t: number, floor: number, x: number, y: number): void {
    const { cfg, halfEpoch } = this;
    if (t - this.lastT > cfg.maxGapS * 1000) {
      this.close(this.lastT + halfEpoch);
      this.cur = -1;
      this.cand = NONE;
      this.curStart = t - halfEpoch;
    }
    this.lastT = t;
    let z = this.zoneAt(floor, x, y);
    // Near the edge of a zone the device is not in yet: not a vote for it.
    if (z !== this.cur && z >= 0 && distanceToPolygonEdge(x, y, this.site.zones[z].polygon) < cfg.marginM) z = this.cur;
    if (z === this.cur) {
      this.cand = NONE;
      return;
    }
    if (z !== this.cand) {
      this.cand = z;
      this.candStart = t - halfEpoch;
    }
    if (t + halfEpoch - this.candStart >= cfg.switchAfterS * 1000) {
      this.close(this.candStart);
      this.cur = this.cand;
      this.curStart = this.candStart;
      this.cand = NONE;
    }
  }

  /** Closes the open visit at the last fix (end of the data, or the device left). */
  end(): void {
    this.close(this.lastT + this.halfEpoch);
    this.cur = -1;
    this.cand = NONE;
  }

  private close(endTMs: number): void {
    if (this.cur >= 0) this.onVisit({ zone: this.cur, enterTMs: this.curStart, exitTMs: endTMs });
  }
}

/** Visits of one device from its fixes (rows of est, in time order). */
export function deviceVisits(est: Estimates, rows: ArrayLike<number>, site: Site, epochMs: number, cfg: JourneySettings): Visit[] {
  const visits: Visit[] = [];
  const voter = new ZoneVoter(site, snappingZoneLocator(site, cfg.snapM), epochMs, cfg, (v) => visits.push(v));
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    voter.step(est.tMs[i], est.floor[i], est.x[i], est.y[i]);
  }
  voter.end();
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
