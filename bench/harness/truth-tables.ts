// Ground-truth tables, for users who want to score or plot outside ctsim.
//
// truth.arrow — true positions sampled every truth.sampleIntervalS while present.
//   tMs Float64, personId Dictionary<Utf8>, x Float32, y Float32, floor Int16,
//   zoneId Dictionary<Utf8> (null outside every zone)
// truth-contacts.arrow — people within truth.contacts.distanceM for at least truth.contacts.minExposureS.
//   a Utf8, b Utf8 (person ids, a < b), exposureS Float64, minDistanceM Float32, firstTMs Float64, lastTMs Float64
// truth-devices.arrow — which person carried which device.
//   deviceId Utf8, tech Utf8, personId Utf8
import { Float32, Float64, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { dictionaryColumn, utf8Column, writeArrowFile } from '../../engine/io/arrow.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import type { Site } from '../../engine/contract/site.ts';
import type { Truth } from '../../sim/types.ts';

export function writeTruthTables(dir: string, truth: Truth, obs: ObservationBatch, site: Site): void {
  const pos = truth.positions;
  const n = pos.length;
  const personIds = truth.people.map((p) => p.id);
  writeArrowFile(`${dir}/truth.arrow`, {
    tMs: makeVector(pos.tMs.subarray(0, n)),
    personId: dictionaryColumn(pos.person.subarray(0, n), personIds),
    x: makeVector(pos.x.subarray(0, n)),
    y: makeVector(pos.y.subarray(0, n)),
    floor: makeVector(pos.floor.subarray(0, n)),
    zoneId: utf8Column(pos.zone.subarray(0, n), site.zones.map((z) => z.id)),
  });
  const c = truth.contacts;
  writeArrowFile(`${dir}/truth-contacts.arrow`, {
    a: vectorFromArray(c.map((x) => personIds[x.a]), new Utf8()),
    b: vectorFromArray(c.map((x) => personIds[x.b]), new Utf8()),
    exposureS: vectorFromArray(c.map((x) => x.exposureS), new Float64()),
    minDistanceM: vectorFromArray(c.map((x) => x.minDistanceM), new Float32()),
    firstTMs: vectorFromArray(c.map((x) => x.firstTMs), new Float64()),
    lastTMs: vectorFromArray(c.map((x) => x.lastTMs), new Float64()),
  });
  writeArrowFile(`${dir}/truth-devices.arrow`, {
    deviceId: vectorFromArray(obs.devices.map((d) => d.id), new Utf8()),
    tech: vectorFromArray(obs.devices.map((d) => d.tech), new Utf8()),
    personId: vectorFromArray(Array.from(truth.deviceOwner, (p) => personIds[p]), new Utf8()),
  });
}
