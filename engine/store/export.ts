// A data-subject export: everything held about one device, as JSON (one
// file) and as Arrow tables (track, contacts, journeys, live reports) for analysis tools.
//   track.arrow     tMs Float64 (ms since the Unix epoch), x, y, errorRadiusM Float32, floor Int16
//   contacts.arrow  the contacts.arrow schema, a and b pseudonymous, times absolute
//   journeys.arrow  zoneId Utf8, enterTMs, exitTMs Float64
//   reports.arrow   tMs Float64 (absolute), tech Utf8, apId Utf8, rssiDbm Float32: what ctsim serve --store kept
import { Float32, Float64, makeVector, Utf8, vectorFromArray } from 'apache-arrow';
import { join } from 'node:path';
import { writeArrowFile } from '../io/arrow.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { writeContacts } from '../io/contacts-table.ts';
import type { DeviceRecord } from './access.ts';

export const EXPORT_FILES = ['export.json', 'track.arrow', 'contacts.arrow', 'journeys.arrow', 'reports.arrow'] as const;

export function writeExport(dir: string, r: DeviceRecord): void {
  const t = r.track;
  writeArrowFile(join(dir, 'track.arrow'), {
    tMs: makeVector(t.tMs), x: makeVector(t.x), y: makeVector(t.y), floor: makeVector(t.floor), errorRadiusM: makeVector(t.errorRadiusM),
  });
  writeContacts(join(dir, 'contacts.arrow'), r.contacts);
  writeArrowFile(join(dir, 'journeys.arrow'), {
    zoneId: vectorFromArray(r.journeys.map((v) => v.zoneId), new Utf8()),
    enterTMs: vectorFromArray(r.journeys.map((v) => v.enterTMs), new Float64()),
    exitTMs: vectorFromArray(r.journeys.map((v) => v.exitTMs), new Float64()),
  });
  const reports = reportRows(r);
  writeArrowFile(join(dir, 'reports.arrow'), {
    tMs: vectorFromArray(reports.map((x) => x.tMs), new Float64()),
    tech: vectorFromArray(reports.map((x) => x.tech), new Utf8()),
    apId: vectorFromArray(reports.map((x) => x.apId), new Utf8()),
    rssiDbm: vectorFromArray(reports.map((x) => x.rssiDbm), new Float32()),
  });
  writeFileAtomic(join(dir, 'export.json'), JSON.stringify(exportJson(r), null, 2) + '\n');
}

export function exportJson(r: DeviceRecord): object {
  const t = r.track;
  return {
    device: r.device,
    personId: r.personId ?? null,
    track: Array.from({ length: t.length }, (_, i) => ({ tMs: t.tMs[i], x: t.x[i], y: t.y[i], floor: t.floor[i], errorRadiusM: t.errorRadiusM[i] })),
    contacts: r.contacts,
    journeys: r.journeys.map(({ zoneId, enterTMs, exitTMs }) => ({ zoneId, enterTMs, exitTMs })),
    reports: reportRows(r),
  };
}

function reportRows(r: DeviceRecord): { tMs: number; tech: string; apId: string; rssiDbm: number }[] {
  return (r.reports ?? []).flatMap((b) => Array.from({ length: b.length }, (_, i) => ({ tMs: b.tMs[i], tech: b.tech, apId: b.apId[i], rssiDbm: b.rssiDbm[i] })));
}
