// Journeys: per device, the sequence of zone visits from its fixes. Two kinds
// of hysteresis keep a device standing near a wall from flickering between
// rooms: a fix only votes for a new zone when it lies at least marginM inside
// it, and the device only moves once the new zone has held for switchAfterS
// (the visit is then backdated to when the run of votes began). A fix outside
// every zone counts for the nearest zone within snapM. Visits shorter
// than minDwellS are dropped; no fix for maxGapS ends a visit (device left).
import type { EngineConfig } from '../config.ts';
import { distanceToPolygonEdge } from '../contract/geometry.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Estimates, ZoneVisit } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { rowsByDevice, smoothEstimates } from '../contacts/window-mean.ts';
import { snappingZoneLocator } from '../site-map/zone-locator.ts';
import { applyMinDwell, type Visit } from './visits.ts';

export type JourneyConfig = EngineConfig['journeys'];

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
    epochMs: number, private readonly cfg: JourneyConfig, private readonly onVisit: (v: Visit) => void,
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
export function deviceVisits(est: Estimates, rows: ArrayLike<number>, site: Site, epochMs: number, cfg: JourneyConfig): Visit[] {
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
export function buildJourneys(raw: Estimates, devices: readonly DeviceInfo[], site: Site, epochMs: number, cfg: JourneyConfig): ZoneVisit[] {
  const est = smoothEstimates(raw, devices.length, cfg.smoothWindowS);
  const out: ZoneVisit[] = [];
  rowsByDevice(est, devices.length).forEach((rows, d) => {
    for (const v of deviceVisits(est, rows, site, epochMs, cfg)) {
      out.push({ deviceId: devices[d].id, zone: site.zones[v.zone].id, enterTMs: v.enterTMs, exitTMs: v.exitTMs, dwellS: (v.exitTMs - v.enterTMs) / 1000 });
    }
  });
  return out.sort((p, q) => (p.deviceId < q.deviceId ? -1 : p.deviceId > q.deviceId ? 1 : p.enterTMs - q.enterTMs));
}
