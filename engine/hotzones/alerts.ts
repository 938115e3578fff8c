// Hot-zone alerts: a zone is hot when its occupancy stays above
// alertFactor × baseline for alertForS; the alert clears once occupancy stays
// at or below clearFactor × baseline for clearForS. The baseline (baseline.ts)
// may change over the day. Alerts carry counts only, never device ids.
import type { HotZoneAlert } from '../outputs.ts';
import type { HotZoneSettings } from './settings.ts';
import type { Occupancy } from './occupancy.ts';

/** baselineAt(interval, zone): what occupancy is compared with. */
export function hotZoneAlerts(occ: Occupancy, baselineAt: (k: number, z: number) => number, cfg: HotZoneSettings): HotZoneAlert[] {
  const alerts: HotZoneAlert[] = [];
  const nz = occ.zoneIds.length;
  const needOver = Math.max(1, Math.ceil((cfg.alertForS * 1000) / occ.intervalMs));
  const needUnder = Math.max(1, Math.ceil((cfg.clearForS * 1000) / occ.intervalMs));
  for (let z = 0; z < nz; z++) {
    let open: HotZoneAlert | null = null;
    let run = 0; // consecutive intervals over (idle) or under (alerting)
    for (let k = 0; k < occ.intervals; k++) {
      const count = occ.counts[k * nz + z];
      const endTMs = occ.startMs + (k + 1) * occ.intervalMs;
      const baseline = baselineAt(k, z);
      const threshold = cfg.alertFactor * baseline;
      if (open === null) {
        run = count > threshold ? run + 1 : 0;
        if (run === needOver) {
          open = { zone: occ.zoneIds[z], risingTMs: occ.startMs + (k + 1 - run) * occ.intervalMs, raisedTMs: endTMs, clearedTMs: NaN, peakOccupancy: count, baseline, threshold };
          run = 0;
        }
      } else {
        open.peakOccupancy = Math.max(open.peakOccupancy, count);
        run = count <= cfg.clearFactor * baseline ? run + 1 : 0;
        if (run === needUnder) {
          open.clearedTMs = endTMs;
          alerts.push(open);
          open = null;
          run = 0;
        }
      }
    }
    if (open) alerts.push(open); // still hot at the end: clearedTMs stays NaN
  }
  return alerts.sort((p, q) => p.raisedTMs - q.raisedTMs || (p.zone < q.zone ? -1 : p.zone > q.zone ? 1 : 0));
}
