// A pair is compared only at epochs where both devices have a fix, and
// devices report less often than once per epoch (Wi-Fi phones every 10 s or
// more in power save): two phones fixed on alternate epochs would never meet.
// So before pairing, each device's track is filled in at every epoch between
// two of its fixes at most maxGapS apart (linear on one floor, the wider
// radius of the two).
import { EstimatesBuilder } from '../estimates.ts';
import type { Estimates } from '../outputs.ts';
import { rowsByDevice } from './smooth.ts';

/** est with the missing epochs filled in; sorted by time, then device. */
export function fillEpochs(est: Estimates, deviceCount: number, epochMs: number, maxGapS: number): Estimates {
  if (maxGapS * 1000 <= epochMs) return est;
  const all = new EstimatesBuilder(est.length);
  for (const rows of rowsByDevice(est, deviceCount)) {
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      all.copyRow(est, i);
      if (k + 1 === rows.length) continue;
      const j = rows[k + 1];
      const gapMs = est.tMs[j] - est.tMs[i];
      if (gapMs <= epochMs || gapMs > maxGapS * 1000 || est.floor[i] !== est.floor[j]) continue;
      const errorRadiusM = Math.max(est.errorRadiusM[i], est.errorRadiusM[j]);
      const apsUsed = Math.min(est.apsUsed[i], est.apsUsed[j]);
      for (let t = est.tMs[i] + epochMs; t < est.tMs[j]; t += epochMs) {
        const f = (t - est.tMs[i]) / gapMs;
        all.push(t, est.deviceIdx[i], {
          x: est.x[i] + f * (est.x[j] - est.x[i]), y: est.y[i] + f * (est.y[j] - est.y[i]), floor: est.floor[i], errorRadiusM, apsUsed,
        });
      }
    }
  }
  return byEpochThenDevice(all.build(), epochMs);
}

/**
 * Rows appended device by device (ascending), each device's in time order,
 * put in (epoch, device) order by a stable counting sort on the epoch: linear,
 * where a comparison sort of a campus slab's millions of rows is not.
 */
function byEpochThenDevice(rows: Estimates, epochMs: number): Estimates {
  if (rows.length === 0) return rows;
  let first = Infinity, last = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const e = Math.floor(rows.tMs[i] / epochMs);
    if (e < first) first = e;
    if (e > last) last = e;
  }
  const starts = new Uint32Array(last - first + 2);
  for (let i = 0; i < rows.length; i++) starts[Math.floor(rows.tMs[i] / epochMs) - first + 1]++;
  for (let e = 1; e < starts.length; e++) starts[e] += starts[e - 1];
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[starts[Math.floor(rows.tMs[i] / epochMs) - first]++] = i;
  const sorted = new EstimatesBuilder(rows.length);
  for (const i of order) sorted.copyRow(rows, i);
  return sorted.build();
}
