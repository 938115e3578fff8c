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
  const filled = all.build();
  const order = Uint32Array.from({ length: filled.length }, (_, i) => i).sort(
    (p, q) => filled.tMs[p] - filled.tMs[q] || filled.deviceIdx[p] - filled.deviceIdx[q],
  );
  const sorted = new EstimatesBuilder(filled.length);
  for (const i of order) sorted.copyRow(filled, i);
  return sorted.build();
}
