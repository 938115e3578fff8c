// Tracking only what the stays leave: a pooled stay (engine/localize/stays.ts)
// gives each of its epochs one fix, bit for bit the same, from RSSI averaged
// over the whole stay, which no filter over per-epoch fixes improves on.
// The filter runs over the rest (the walks between stays) with each stay's
// first and last row as anchors, so a walk is pinned at both ends by where
// its stays were; the stays' rows keep their pooled fix. A device with no
// stay at all is no walk between stays: it gets the whole-track filter.
import { concatEstimates, copyPosition, EstimatesBuilder } from '../pipeline/estimates.ts';
import type { Estimates } from '../outputs.ts';

/**
 * Rows of `fixes` (sorted by time) that share their fix with the device's
 * previous or next row (its stays), and the rows whose previous or next row
 * is not the same fix, or that begin or end the device's day (its stays' ends).
 */
export function stayRows(fixes: Estimates, devices: number): { inStay: Uint8Array; end: Uint8Array } {
  const inStay = new Uint8Array(fixes.length), end = new Uint8Array(fixes.length);
  const last = new Int32Array(devices).fill(-1);
  for (let i = 0; i < fixes.length; i++) {
    const d = fixes.deviceIdx[i], p = last[d];
    if (p >= 0 && sameFix(fixes, p, i)) {
      inStay[p] = inStay[i] = 1;
    } else {
      end[i] = 1;
      if (p >= 0) end[p] = 1;
    }
    last[d] = i;
  }
  for (let d = 0; d < devices; d++) if (last[d] >= 0) end[last[d]] = 1;
  return { inStay, end };
}

function sameFix(e: Estimates, a: number, b: number): boolean {
  return e.x[a] === e.x[b] && e.y[a] === e.y[b] && e.floor[a] === e.floor[b] && e.errorRadiusM[a] === e.errorRadiusM[b];
}

/**
 * `trackWalk` run over the walks of the devices that have stays: every row
 * outside a stay, plus each stay's first and last row as anchors; those
 * rows take the tracked position, the stays' rows keep theirs. The devices
 * without a stay (e.g. a probing MAC's one burst) go to `trackRest` whole.
 */
export function trackWalks(fixes: Estimates, devices: number, trackWalk: Track, trackRest: Track): Estimates {
  const { inStay, end } = stayRows(fixes, devices);
  const hasStay = new Uint8Array(devices);
  for (let i = 0; i < fixes.length; i++) if (inStay[i]) hasStay[fixes.deviceIdx[i]] = 1;
  const walkRows: number[] = [], restRows: number[] = [];
  for (let i = 0; i < fixes.length; i++) {
    if (!hasStay[fixes.deviceIdx[i]]) restRows.push(i);
    else if (!inStay[i] || end[i]) walkRows.push(i);
  }
  const out = concatEstimates([fixes]);
  writeBack(out, trackWalk(pick(fixes, walkRows)), walkRows, inStay);
  writeBack(out, trackRest(pick(fixes, restRows)), restRows, inStay);
  return out;
}

type Track = (fixes: Estimates) => Estimates;

/** Row k of `tracked` into row rows[k] of `out`, except the stays' rows. */
function writeBack(out: Estimates, tracked: Estimates, rows: readonly number[], inStay: Uint8Array): void {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!inStay[i]) copyPosition(tracked, k, out, i);
  }
}

/** The given rows of `e`, in that order. */
function pick(e: Estimates, rows: readonly number[]): Estimates {
  const out = new EstimatesBuilder(rows.length);
  for (const i of rows) out.copyRow(e, i);
  return out.build();
}
