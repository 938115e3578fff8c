// observations.arrow — one row per RSSI report, in time order; its columns
// are the contract's OBSERVATION_SCHEMA (engine/contract/arrow-schemas.ts).
import { makeVector, type Vector } from 'apache-arrow';
import type { ObservationColumn } from '../contract/arrow-schemas.ts';
import type { ObservationBatch } from '../contract/observations.ts';
import { TECHS, type Site } from '../contract/site.ts';
import { dictionaryColumn, writeArrowFile } from './arrow.ts';

export function writeObservations(path: string, obs: ObservationBatch, site: Site): void {
  const techOfDevice = Uint8Array.from(obs.devices, (d) => TECHS.indexOf(d.tech));
  const tech = new Uint8Array(obs.length);
  for (let i = 0; i < obs.length; i++) tech[i] = techOfDevice[obs.deviceIdx[i]];
  writeArrowFile(path, {
    tMs: makeVector(obs.tMs.subarray(0, obs.length)),
    deviceId: dictionaryColumn(obs.deviceIdx.subarray(0, obs.length), obs.devices.map((d) => d.id)),
    tech: dictionaryColumn(tech, TECHS),
    apId: dictionaryColumn(obs.apIdx.subarray(0, obs.length), site.aps.map((a) => a.id)),
    rssiDbm: makeVector(obs.rssiDbm.subarray(0, obs.length)),
  } satisfies Record<ObservationColumn, Vector>);
}
