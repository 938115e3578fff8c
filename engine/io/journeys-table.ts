// journeys.arrow — one row per zone visit, by device then time.
//   deviceId  Utf8     pseudonymous device id
//   zone      Utf8     zone id (site.zones)
//   enterTMs  Float64  entry, ms since start
//   exitTMs   Float64  exit, ms since start
//   dwellS    Float64  exitTMs − enterTMs, seconds
import { Float64, Utf8, vectorFromArray } from 'apache-arrow';
import type { ZoneVisit } from '../outputs.ts';
import { writeArrowFile } from './arrow.ts';
import { columnOf, readArrowTable } from './read-arrow.ts';

export function writeJourneys(path: string, visits: readonly ZoneVisit[]): void {
  writeArrowFile(path, {
    deviceId: vectorFromArray(visits.map((v) => v.deviceId), new Utf8()),
    zone: vectorFromArray(visits.map((v) => v.zone), new Utf8()),
    enterTMs: vectorFromArray(visits.map((v) => v.enterTMs), new Float64()),
    exitTMs: vectorFromArray(visits.map((v) => v.exitTMs), new Float64()),
    dwellS: vectorFromArray(visits.map((v) => v.dwellS), new Float64()),
  });
}

export function readJourneys(path: string): ZoneVisit[] {
  const t = readArrowTable(path);
  const [deviceId, zone] = (['deviceId', 'zone'] as const).map((c) => columnOf(t, path, c, 'Utf8').toArray() as string[]);
  const [enterTMs, exitTMs, dwellS] = (['enterTMs', 'exitTMs', 'dwellS'] as const).map((c) => columnOf(t, path, c, 'Float64').toArray() as Float64Array);
  return Array.from({ length: t.numRows }, (_, i) => ({ deviceId: deviceId[i], zone: zone[i], enterTMs: enterTMs[i], exitTMs: exitTMs[i], dwellS: dwellS[i] }));
}
