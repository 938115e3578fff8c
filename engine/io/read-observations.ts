// Reads observations.arrow (the schema observations-table.ts writes) back into
// an ObservationBatch, record batch by record batch: a batch's columns are
// copied into growable typed arrays and released, and dictionary indices are
// remapped to the batch's device list and the site's AP order.
import { readFileSync } from 'node:fs';
import { RecordBatchReader, type RecordBatch, type Vector } from 'apache-arrow';
import type { DeviceInfo, ObservationBatch } from '../observations.ts';
import { TECHS, type Site, type Tech } from '../site.ts';

const COLUMNS = ['tMs', 'deviceId', 'tech', 'apId', 'rssiDbm'] as const;

export function readObservations(path: string, site: Site): ObservationBatch {
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(readFileSync(path));
    reader.open();
  } catch (err) {
    throw new Error(`${path}: not a readable Arrow IPC file (${(err as Error).message})`);
  }
  const names = reader.schema.fields.map((f) => f.name);
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`${path}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has ${names.join(', ')})`);

  const apOf = new Map(site.aps.map((ap, i) => [ap.id, i]));
  const deviceOf = new Map<string, number>();
  const devices: DeviceInfo[] = [];
  const cols = new Columns();
  let row = 0;
  try {
    for (const batch of reader as Iterable<RecordBatch>) {
      const col = (name: string): Vector => batch.getChild(name)!;
      const [tMs, deviceId, tech, apId, rssiDbm] = COLUMNS.map(col);
      cols.reserve(batch.numRows);
      for (let r = 0; r < batch.numRows; r++, row++) {
        const id = deviceId.get(r) as string | null;
        const ap = apOf.get(apId.get(r) as string);
        if (id === null) throw new Error(`row ${row}: deviceId is null`);
        if (ap === undefined) throw new Error(`row ${row}: apId '${apId.get(r)}' is not an AP of the site`);
        let d = deviceOf.get(id);
        if (d === undefined) {
          const t = tech.get(r) as Tech;
          if (!TECHS.includes(t)) throw new Error(`row ${row}: tech '${t}' is not one of ${TECHS.join(', ')}`);
          d = devices.push({ id, tech: t }) - 1;
          deviceOf.set(id, d);
        }
        cols.push(tMs.get(r) as number, d, ap, rssiDbm.get(r) as number);
      }
    }
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  return { ...cols.trimmed(), devices };
}

class Columns {
  length = 0;
  tMs = new Float64Array(1024);
  deviceIdx = new Uint32Array(1024);
  apIdx = new Uint16Array(1024);
  rssiDbm = new Float32Array(1024);

  reserve(extra: number): void {
    if (this.length + extra <= this.tMs.length) return;
    const n = Math.max(this.tMs.length * 2, this.length + extra);
    const widen = <T extends Float64Array | Uint32Array | Uint16Array | Float32Array>(a: T, b: T): T => (b.set(a), b);
    this.tMs = widen(this.tMs, new Float64Array(n));
    this.deviceIdx = widen(this.deviceIdx, new Uint32Array(n));
    this.apIdx = widen(this.apIdx, new Uint16Array(n));
    this.rssiDbm = widen(this.rssiDbm, new Float32Array(n));
  }

  push(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): void {
    const i = this.length++;
    this.tMs[i] = tMs;
    this.deviceIdx[i] = deviceIdx;
    this.apIdx[i] = apIdx;
    this.rssiDbm[i] = rssiDbm;
  }

  trimmed(): Omit<ObservationBatch, 'devices'> {
    const n = this.length;
    return { length: n, tMs: this.tMs.slice(0, n), deviceIdx: this.deviceIdx.slice(0, n), apIdx: this.apIdx.slice(0, n), rssiDbm: this.rssiDbm.slice(0, n) };
  }
}
