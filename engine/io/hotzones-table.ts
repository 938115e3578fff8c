// hotzones.arrow — one row per hot-zone alert (counts only, never device ids).
//   zone           Utf8     zone id
//   risingTMs      Float64  occupancy first over threshold in the run that raised it, ms (the log's own clock)
//   raisedTMs      Float64  alert raised, ms (the log's own clock)
//   clearedTMs     Float64  alert cleared, ms (the log's own clock); null if still hot at the end
//   peakOccupancy  Uint16   most holders counted while hot
//   baseline       Float64  the zone's baseline (capacity)
//   threshold      Float64  occupancy above this raised it (hotZones.alertFactor × baseline)
// occupancy.arrow — holders per zone per interval (hotZones.intervalS), by interval then zone.
//   startTMs Float64 (ms, same origin as the log), zone Dictionary<Utf8>, count Uint16
import { Float64, Uint16, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import type { Occupancy } from '../hotzones/occupancy.ts';
import type { HotZoneAlert } from '../outputs.ts';
import { dictionaryColumn, writeArrowFile } from './arrow.ts';

export function writeHotZoneAlerts(path: string, alerts: readonly HotZoneAlert[]): void {
  writeArrowFile(path, {
    zone: vectorFromArray(alerts.map((a) => a.zone), new Utf8()),
    risingTMs: vectorFromArray(alerts.map((a) => a.risingTMs), new Float64()),
    raisedTMs: vectorFromArray(alerts.map((a) => a.raisedTMs), new Float64()),
    clearedTMs: vectorFromArray(alerts.map((a) => (Number.isNaN(a.clearedTMs) ? null : a.clearedTMs)), new Float64()),
    peakOccupancy: vectorFromArray(alerts.map((a) => a.peakOccupancy), new Uint16()),
    baseline: vectorFromArray(alerts.map((a) => a.baseline), new Float64()),
    threshold: vectorFromArray(alerts.map((a) => a.threshold), new Float64()),
  });
}

export function writeOccupancy(path: string, occ: Occupancy): void {
  const nz = occ.zoneIds.length;
  const startTMs = new Float64Array(occ.counts.length);
  const zone = new Uint16Array(occ.counts.length);
  for (let i = 0; i < occ.counts.length; i++) {
    startTMs[i] = occ.startMs + Math.floor(i / nz) * occ.intervalMs;
    zone[i] = i % nz;
  }
  writeArrowFile(path, { startTMs: makeVector(startTMs), zone: dictionaryColumn(zone, occ.zoneIds), count: makeVector(occ.counts) });
}
