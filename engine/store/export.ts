// A data-subject export: everything held about one device, as JSON (one
// file) and as Arrow tables (track, contacts, journeys) for analysis tools.
//   track.arrow     tMs Float64 (ms since the Unix epoch), x, y, errorRadiusM Float32, floor Int16
//   contacts.arrow  the contacts.arrow schema, a and b pseudonymous, times absolute
//   journeys.arrow  zoneId Utf8, enterTMs, exitTMs Float64
import { Float64, makeVector, Utf8, vectorFromArray } from 'apache-arrow';
import { join } from 'node:path';
import { writeArrowFile } from '../io/arrow.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { writeContacts } from '../io/contacts-table.ts';
import type { DeviceRecord } from './access.ts';

export const EXPORT_FILES = ['export.json', 'track.arrow', 'contacts.arrow', 'journeys.arrow'] as const;

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
  };
}
