// estimates.arrow — one location fix per device per epoch.
//   tMs          Float64           epoch midpoint, ms since start
//   deviceId     Dictionary<Utf8>  pseudonymous device id
//   x, y         Float32           metres in the floor's frame
//   floor        Int16             floor id
//   errorRadiusM Float32           68% error radius, metres
//   apsUsed      Uint8             APs the fix used
//   tech         Dictionary<Utf8>  the device's technology
import { makeVector } from 'apache-arrow';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Estimates } from '../outputs.ts';
import { TECHS, type Tech } from '../contract/site.ts';
import { dictionaryColumn, writeArrowFile } from './arrow.ts';
import { columnOf, dictionaryIndices, readArrowTable } from './read-arrow.ts';
import { InputError } from '../contract/input-error.ts';

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
    tech: dictionaryColumn(Uint8Array.from(est.deviceIdx.subarray(0, n), (d) => TECHS.indexOf(devices[d].tech)), TECHS),
  });
}

/** Reads estimates.arrow back: the estimates and the devices their deviceIdx refers to. */
export function readEstimates(path: string): { est: Estimates; devices: DeviceInfo[] } {
  const t = readArrowTable(path);
  const num = <T>(name: string, type: string): T => columnOf(t, path, name, type).toArray() as T;
  const ids = dictionaryIndices(columnOf(t, path, 'deviceId', 'Dictionary'), path, 'deviceId');
  const techs = dictionaryIndices(columnOf(t, path, 'tech', 'Dictionary'), path, 'tech');
  const devices: DeviceInfo[] = ids.values.map((id) => ({ id, tech: 'wifi' }));
  for (let i = 0; i < t.numRows; i++) {
    const tech = techs.values[techs.indices[i]] as Tech;
    if (!TECHS.includes(tech)) throw new InputError(`${path}: row ${i}: unknown tech '${tech}'`);
    devices[ids.indices[i]].tech = tech;
  }
  const est: Estimates = {
    length: t.numRows,
    tMs: num<Float64Array>('tMs', 'Float64'),
    deviceIdx: ids.indices,
    x: num<Float32Array>('x', 'Float32'),
    y: num<Float32Array>('y', 'Float32'),
    floor: num<Int16Array>('floor', 'Int16'),
    errorRadiusM: num<Float32Array>('errorRadiusM', 'Float32'),
    apsUsed: num<Uint8Array>('apsUsed', 'Uint8'),
  };
  // Positions and times a run wrote are finite: anything else was edited, and would stop the stages that read them.
  for (const [name, col] of [['tMs', est.tMs], ['x', est.x], ['y', est.y]] as const) {
    const bad = col.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InputError(`${path}: row ${bad}: ${name} ${col[bad]} is not a finite number`);
  }
  return { est, devices };
}
