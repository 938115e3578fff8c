// Deliberate damage to what the engine reads, to prove the CI gate catches a
// worse engine: a calibration error of ±`db` on every RSSI report, + at
// even-numbered APs and − at odd ones. A bias common to every AP would not
// do: the map localizer, like any fingerprinting that removes a device's
// unknown gain, cancels it by design.
import type { ObservationBatch } from '../../engine/contract/observations.ts';

export function rssiBias(db: number): (obs: ObservationBatch) => ObservationBatch {
  return (obs) => ({ ...obs, rssiDbm: Float32Array.from(obs.rssiDbm.subarray(0, obs.length), (v, i) => v + (obs.apIdx[i] % 2 === 0 ? db : -db)) });
}
