// The only input the engine reads: timestamped RSSI reports keyed by a
// device id (pseudonymous) and an AP. Columnar, so batches can be
// transferred to worker threads without copying per observation.
import type { Tech } from './site.ts';

/**
 * Plausible RSSI, dBm: outside this a value is a unit or column mix-up or a
 * sentinel, not a reading. Above 0 dBm no receiver hears a real link (a phone
 * on the AP reads about -20); BLE stacks report +127 for "no RSSI".
 */
export const RSSI_RANGE_DBM: readonly [number, number] = [-130, 0];

export interface DeviceInfo {
  /** Pseudonymous device id as reported (MAC, badge id, app id). */
  id: string;
  tech: Tech;
}

export interface ObservationBatch {
  length: number;
  /** Report time, ms since the start of the run; non-decreasing. */
  tMs: Float64Array;
  /** Index into `devices`. */
  deviceIdx: Uint32Array;
  /** Index into `site.aps`. */
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
  devices: DeviceInfo[];
}

// AP-to-AP beacons (for calibration, engine/calibrate/ap-beacons.ts) travel
// as a separate ObservationBatch in the same shape: each "device" is a
// transmitting AP with id 'ap:<apId>' and tech 'wifi' (its Wi-Fi beacon) or
// 'ble-badge' (its BLE beacon); apIdx is the AP that heard it. A user's log
// may mix them in; readers split rows whose device id starts with 'ap:'.
export const AP_BEACON_PREFIX = 'ap:';

/** The rows of `obs` that `keep` keeps, with the same device list; apIdxOf renumbers their APs (a site with some APs left out). */
export function subsetObservations(obs: ObservationBatch, keep: (i: number) => boolean, apIdxOf: (apIdx: number) => number = (a) => a): ObservationBatch {
  const rows: number[] = [];
  for (let i = 0; i < obs.length; i++) if (keep(i)) rows.push(i);
  return {
    length: rows.length,
    tMs: Float64Array.from(rows, (i) => obs.tMs[i]),
    deviceIdx: Uint32Array.from(rows, (i) => obs.deviceIdx[i]),
    apIdx: Uint16Array.from(rows, (i) => apIdxOf(obs.apIdx[i])),
    rssiDbm: Float32Array.from(rows, (i) => obs.rssiDbm[i]),
    devices: obs.devices,
  };
}
