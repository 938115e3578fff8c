// Deliberate damage to what the engine reads, to prove the CI gate catches a
// worse engine: a calibration error of `db` on every RSSI report.
import type { ObservationBatch } from '../engine/observations.ts';

export function rssiBias(db: number): (obs: ObservationBatch) => ObservationBatch {
  return (obs) => ({ ...obs, rssiDbm: Float32Array.from(obs.rssiDbm.subarray(0, obs.length), (v) => v + db) });
}
