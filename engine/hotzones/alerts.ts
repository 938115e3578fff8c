// Hot-zone alerts: a zone is hot when its occupancy stays above
// alertFactor × baseline for alertForS; the alert clears once occupancy stays
// at or below clearFactor × baseline for clearForS. The baseline (baseline.ts)
// may change over the day. Alerts carry counts only, never device ids.
import type { HotZoneAlert } from '../outputs.ts';
import type { HotZoneSettings } from './settings.ts';
import type { Occupancy } from './occupancy.ts';

/**
 * The rule for one zone, interval by interval in time order: step() returns
 * 'raised' when an alert opens at the interval's end and 'cleared' when the
 * open one clears. The batch alerts and the live engine both step it.
 */
export class ZoneAlertRule {
  /** The open alert, if any (counts only). */
  open: HotZoneAlert | null = null;
  /** The alert the last 'cleared' step closed. */
  cleared: HotZoneAlert | null = null;
  private run = 0; // consecutive intervals over (idle) or under (alerting)
  private readonly needOver: number;
  private readonly needUnder: number;

  constructor(
    private readonly zone: string, private readonly intervalMs: number, private readonly cfg: HotZoneSettings,
    /** When interval 0 starts (occupancy.startMs: the log's own first interval). */
    private readonly startMs = 0,
  ) {
    this.needOver = Math.max(1, Math.ceil((cfg.alertForS * 1000) / intervalMs));
    this.needUnder = Math.max(1, Math.ceil((cfg.clearForS * 1000) / intervalMs));
  }

  /** Interval k's count against its baseline. */
  step(k: number, count: number, baseline: number): 'raised' | 'cleared' | null {
    const { cfg, intervalMs, startMs } = this;
    const endTMs = startMs + (k + 1) * intervalMs;
    const threshold = cfg.alertFactor * baseline;
    if (this.open === null) {
      this.run = count > threshold ? this.run + 1 : 0;
      if (this.run !== this.needOver) return null;
      this.open = { zone: this.zone, risingTMs: startMs + (k + 1 - this.run) * intervalMs, raisedTMs: endTMs, clearedTMs: NaN, peakOccupancy: count, baseline, threshold };
      this.run = 0;
      return 'raised';
    }
    this.open.peakOccupancy = Math.max(this.open.peakOccupancy, count);
    this.run = count <= cfg.clearFactor * baseline ? this.run + 1 : 0;
    if (this.run !== this.needUnder) return null;
    this.open.clearedTMs = endTMs;
    this.cleared = this.open;
    this.open = null;
    this.run = 0;
    return 'cleared';
  }
}

/** baselineAt(interval, zone): what occupancy is compared with. */
export function hotZoneAlerts(occ: Occupancy, baselineAt: (k: number, z: number) => number, cfg: HotZoneSettings): HotZoneAlert[] {
  const alerts: HotZoneAlert[] = [];
  const nz = occ.zoneIds.length;
  for (let z = 0; z < nz; z++) {
    const rule = new ZoneAlertRule(occ.zoneIds[z], occ.intervalMs, cfg, occ.startMs);
    for (let k = 0; k < occ.intervals; k++) {
      if (rule.step(k, occ.counts[k * nz + z], baselineAt(k, z)) === 'cleared') alerts.push(rule.cleared!);
    }
    if (rule.open) alerts.push(rule.open); // still hot at the end: clearedTMs stays NaN
  }
  return alerts.sort((p, q) => p.raisedTMs - q.raisedTMs || (p.zone < q.zone ? -1 : p.zone > q.zone ? 1 : 0));
}
