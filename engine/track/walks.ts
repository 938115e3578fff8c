// Tracking only what the stays leave: a pooled stay (engine/localize/stays.ts)
// gives each of its epochs one fix, bit for bit the same, from RSSI averaged
// over the whole stay, which no filter over per-epoch fixes improves on.
// The filter runs over the rest (the walks between stays) with each stay's
// first and last row as anchors, so a walk is pinned at both ends by where
// its stays were; the stays' rows keep their pooled fix.
import { allocEstimates, concatEstimates } from '../estimates.ts';
import type { Estimates } from '../outputs.ts';

/** Rows of `fixes` (sorted by time) that share their fix with the device's previous or next row: its stays. */
export function stayRows(fixes: Estimates, devices: number): Uint8Array {
  const inStay = new Uint8Array(fixes.length);
  const last = new Int32Array(devices).fill(-1);
  for (let i = 0; i < fixes.length; i++) {
    const d = fixes.deviceIdx[i], p = last[d];
    if (p >= 0 && sameFix(fixes, p, i)) inStay[p] = inStay[i] = 1;
    last[d] = i;
  }
  return inStay;
}

function sameFix(e: Estimates, a: number, b: number): boolean {
  return e.x[a] === e.x[b] && e.y[a] === e.y[b] && e.floor[a] === e.floor[b] && e.errorRadiusM[a] === e.errorRadiusM[b];
}

/**
 * `track` run over the walks: every row outside a stay, plus each stay's
 * first and last row as anchors. Rows outside stays take the tracked
 * position; the stays' rows keep theirs. Without stays, `track(fixes)`.
 */
export function trackWalks(fixes: Estimates, devices: number, track: (walks: Estimates) => Estimates): Estimates {
  const inStay = stayRows(fixes, devices);
  // A stay row is an anchor when the device's previous or next row is not the same fix (its stay's ends).
  const keep = new Uint8Array(fixes.length);
  const last = new Int32Array(devices).fill(-1);
  let kept = 0;
  for (let i = 0; i < fixes.length; i++) {
    const d = fixes.deviceIdx[i], p = last[d];
    if (!inStay[i] || p < 0 || !sameFix(fixes, p, i)) keep[i] = 1;
    if (p >= 0 && !(inStay[i] && sameFix(fixes, p, i))) keep[p] = 1;
    last[d] = i;
  }
  for (let d = 0; d < devices; d++) if (last[d] >= 0) keep[last[d]] = 1;
  for (let i = 0; i < fixes.length; i++) kept += keep[i];
  if (kept === fixes.length) return track(fixes);

  const rows = new Uint32Array(kept);
  for (let i = 0, k = 0; i < fixes.length; i++) if (keep[i]) rows[k++] = i;
  const walks = pick(fixes, rows);
  const tracked = track(walks);
  const out = concatEstimates([fixes]);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (inStay[i]) continue;
    out.x[i] = tracked.x[k];
    out.y[i] = tracked.y[k];
    out.floor[i] = tracked.floor[k];
    out.errorRadiusM[i] = tracked.errorRadiusM[k];
    out.apsUsed[i] = tracked.apsUsed[k];
  }
  return out;
}

/** The given rows of `e`, in that order. */
function pick(e: Estimates, rows: Uint32Array): Estimates {
  const out = allocEstimates(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    out.tMs[k] = e.tMs[i];
    out.deviceIdx[k] = e.deviceIdx[i];
    out.x[k] = e.x[i];
    out.y[k] = e.y[i];
    out.floor[k] = e.floor[i];
    out.errorRadiusM[k] = e.errorRadiusM[i];
    out.apsUsed[k] = e.apsUsed[i];
  }
  return out;
}
