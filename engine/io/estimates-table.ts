// estimates.arrow — one location fix per device per epoch.
//   tMs          Float64           epoch midpoint, ms since start
//   deviceId     Dictionary<Utf8>  pseudonymous device id
//   x, y         Float32           metres in the floor's frame
//   floor        Int16             floor id
//   errorRadiusM Float32           68% error radius, metres
//   apsUsed      Uint8             APs the fix used
import { makeVector } from 'apache-arrow';
import type { DeviceInfo } from '../observations.ts';
import type { Estimates } from '../outputs.ts';
import { dictionaryColumn, writeArrowFile } from './arrow.ts';

export function writeEstimates(path: string, est: Estimates, devices: readonly DeviceInfo[]): void {
  const n = est.length;
  writeArrowFile(path, {
    tMs: makeVector(est.tMs.subarray(0, n)),
    deviceId: dictionaryColumn(est.deviceIdx.subarray(0, n), devices.map((d) => d.id)),
    x: makeVector(est.x.subarray(0, n)),
    y: makeVector(est.y.subarray(0, n)),
    floor: makeVector(est.floor.subarray(0, n)),
    errorRadiusM: makeVector(est.errorRadiusM.subarray(0, n)),
    apsUsed: makeVector(est.apsUsed.subarray(0, n)),
  });
}
