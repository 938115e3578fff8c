// Reads observations.arrow (the schema observations-table.ts writes) back into
// an ObservationBatch, record batch by record batch: each batch's typed
// arrays are copied into growable columns, and its dictionary indices are
// remapped to one device list and the site's AP order.
import { readFileSync } from 'node:fs';
import { RecordBatchReader, type Data, type RecordBatch } from 'apache-arrow';
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
      cols.reserve(batch.numRows);
      for (const chunk of batchData(batch)) {
        // Dictionary ids → this batch's maps, once per dictionary entry, not per row.
        const apMap = Int32Array.from(dictionaryValues(chunk.apId), (id, k) => apOf.get(id) ?? fail(`apId '${id}' (dictionary entry ${k}) is not an AP of the site`));
        const techs = dictionaryValues(chunk.tech);
        const deviceMap = new Int32Array(chunk.deviceId.dictionary!.length).fill(-1);
        const deviceIds = dictionaryValues(chunk.deviceId);
        const [tMs, dev, tech, ap, rssiDbm] = COLUMNS.map((c) => valuesOf(chunk[c]));
        if (COLUMNS.some((c) => chunk[c].nullCount > 0)) fail(`rows ${row}..${row + tMs.length - 1} hold nulls`);
        for (let r = 0; r < chunk.tMs.length; r++, row++) {
          let d = deviceMap[dev[r]];
          if (d < 0) {
            const id = deviceIds[dev[r]];
            const t = techs[tech[r]] as Tech;
            if (!TECHS.includes(t)) fail(`row ${row}: tech '${t}' is not one of ${TECHS.join(', ')}`);
            d = deviceOf.get(id) ?? devices.push({ id, tech: t }) - 1;
            deviceOf.set(id, d);
            deviceMap[dev[r]] = d;
          }
          cols.push(tMs[r], d, apMap[ap[r]], rssiDbm[r]);
        }
      }
    }
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  return { ...cols.trimmed(), devices };
}

function fail(message: string): never {
  throw new Error(message);
}

type ColumnData = Data<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A batch's columns, one Data chunk at a time (a batch normally holds one per column). */
function* batchData(batch: RecordBatch): Generator<Record<(typeof COLUMNS)[number], ColumnData>> {
  const children = COLUMNS.map((c) => batch.getChild(c)!.data);
  for (let k = 0; k < children[0].length; k++) {
    yield Object.fromEntries(COLUMNS.map((c, i) => [c, children[i][k]])) as Record<(typeof COLUMNS)[number], ColumnData>;
  }
}

/** The chunk's own stretch of its values buffer (indices, for a dictionary column). */
function valuesOf(d: ColumnData): ArrayLike<number> {
  return (d.values as Float64Array).subarray(d.offset, d.offset + d.length);
}

function dictionaryValues(d: ColumnData): string[] {
  if (!d.dictionary) fail(`column of type ${d.type} is not dictionary-encoded strings`);
  return d.dictionary.toArray() as string[];
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
