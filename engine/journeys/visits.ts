// Zone visits as plain intervals, and the minimum-dwell rule shared by the
// engine's journeys and the harness's true journeys.

/** One stay in one zone; zone is an index into site.zones. */
export interface Visit {
  zone: number;
  enterTMs: number;
  exitTMs: number;
}

/**
 * Drops visits shorter than minDwellS (walking through, a stray fix), then
 * joins consecutive visits of the same zone that the drop left less than
 * maxGapS apart, so A-B-A with a short B is one visit to A.
 */
export function applyMinDwell(visits: readonly Visit[], minDwellS: number, maxGapS: number): Visit[] {
  const out: Visit[] = [];
  for (const v of visits) {
    if (v.exitTMs - v.enterTMs < minDwellS * 1000) continue;
    const last = out[out.length - 1];
    if (last && last.zone === v.zone && v.enterTMs - last.exitTMs < maxGapS * 1000) last.exitTMs = v.exitTMs;
    else out.push({ ...v });
  }
  return out;
}
