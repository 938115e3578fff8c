// A pair is compared only at epochs where both devices have a fix, and
// devices report less often than once per epoch (Wi-Fi phones every 10 s or
// more in power save): two phones fixed on alternate epochs would never meet.
// So before pairing, each device's track is filled in at every epoch between
// two of its fixes at most maxGapS apart (linear on one floor, the wider
// radius of the two), and then smoothed (smooth.ts), device by device in one
// pass.
import { allocEstimates } from '../pipeline/estimates.ts';
import type { Estimates } from '../outputs.ts';
import { rowsByDevice, smoothEstimates, TrackScratch } from './window-mean.ts';

/**
 * est (sorted by time) with the missing epochs filled in, then smoothed over
 * windowS (smooth.ts); sorted by epoch, then device. Rows are counted per
 * epoch first; then each device's filled track is built and smoothed in
 * contiguous scratch and written straight to its rows' places (a counting
 * sort without an intermediate copy): linear, where a comparison sort of a
 * campus slab's millions of rows is not.
 */
export function fillAndSmooth(est: Estimates, deviceCount: number, epochMs: number, maxGapS: number, windowS: number): Estimates {
  const maxGapMs = maxGapS * 1000;
  if (maxGapMs <= epochMs || est.length === 0) return smoothEstimates(est, deviceCount, windowS);
  const first = Math.floor(est.tMs[0] / epochMs);
  const byDevice = rowsByDevice(est, deviceCount);
  // Row i is filled up to j (its device's next row) when both are on one floor, more than an epoch and at most maxGapS apart.
  const fillsTo = (i: number, j: number): boolean => {
    const gapMs = est.tMs[j] - est.tMs[i];
    return gapMs > epochMs && gapMs <= maxGapMs && est.floor[i] === est.floor[j];
  };
  const next = new Uint32Array(Math.floor(est.tMs[est.length - 1] / epochMs) - first + 2);
  for (let i = 0; i < est.length; i++) next[Math.floor(est.tMs[i] / epochMs) - first + 1]++;
  for (const rows of byDevice) {
    for (let k = 0; k + 1 < rows.length; k++) {
      const i = rows[k], j = rows[k + 1];
      if (!fillsTo(i, j)) continue;
      for (let t = est.tMs[i] + epochMs; t < est.tMs[j]; t += epochMs) next[Math.floor(t / epochMs) - first + 1]++;
    }
  }
  for (let e = 1; e < next.length; e++) next[e] += next[e - 1];
  // next[e]: where epoch e's next row goes.
  const out = allocEstimates(next[next.length - 1]);
  const track = new TrackScratch();
  for (const rows of byDevice) {
    if (rows.length === 0) continue;
    track.length = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      track.push(est.tMs[i], est.x[i], est.y[i], est.floor[i], est.errorRadiusM[i], est.apsUsed[i]);
      if (k + 1 === rows.length) continue;
      const j = rows[k + 1];
      if (!fillsTo(i, j)) continue;
      const gapMs = est.tMs[j] - est.tMs[i];
      const errorRadiusM = Math.max(est.errorRadiusM[i], est.errorRadiusM[j]);
      const apsUsed = Math.min(est.apsUsed[i], est.apsUsed[j]);
      for (let t = est.tMs[i] + epochMs; t < est.tMs[j]; t += epochMs) {
        const f = (t - est.tMs[i]) / gapMs;
        track.push(t, est.x[i] + f * (est.x[j] - est.x[i]), est.y[i] + f * (est.y[j] - est.y[i]), est.floor[i], errorRadiusM, apsUsed);
      }
    }
    track.smooth(windowS);
    const device = est.deviceIdx[rows[0]];
    for (let k = 0; k < track.length; k++) {
      const p = next[Math.floor(track.tMs[k] / epochMs) - first]++;
      out.tMs[p] = track.tMs[k];
      out.deviceIdx[p] = device;
      out.x[p] = track.sx[k];
      out.y[p] = track.sy[k];
      out.floor[p] = track.floor[k];
      out.errorRadiusM[p] = track.sr[k];
      out.apsUsed[p] = track.apsUsed[k];
    }
  }
  return out;
}
