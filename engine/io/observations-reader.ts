// Reading a user's RSSI log: CSV or Arrow, one row per report, the columns
// of observations.arrow (OBSERVATION_SCHEMA, engine/contract/arrow-schemas.ts):
//   tMs       number   report time, ms (any origin, |tMs| ≤ 1e15, a log spanning at most 31 days:
//                      engine/contract/time-range.ts; rows may come in any order, they are sorted stably)
//   deviceId  string   pseudonymous device id; 'ap:<apId>' marks an AP-to-AP beacon (calibration)
//   tech      string   wifi | wifi-probe | ble-badge | ble-app (for a beacon: wifi or a BLE tech)
//   apId      string   the AP that heard the report (site.aps[].id)
//   rssiDbm   number   received signal strength, dBm, -130..0
// Numbers are decimals (CSV text or Arrow int/float/decimal/text columns);
// a column of another type (a boolean tMs) is refused, and so is a dictionary
// index outside its dictionary. A bad row (a field as above that is wrong)
// stops the read with one error naming the file, the line (CSV) or row
// (Arrow), and the field; or, with onBadRow 'skip', is left out and counted
// by reason (BadRows), as real logs carry a few (positive RSSI sentinels,
// APs the map lost).
import { makeVector, type Data } from 'apache-arrow';
import { ObservationColumns } from '../contract/observation-columns.ts';
import { sharedArray } from '../pipeline/shared-memory.ts';
import { readCsvRecords } from './csv-records.ts';
import { columnTypeError, outsideDictionary, readArrowTable } from './read-arrow.ts';
import { decimalOf } from './decimal.ts';
import { quote } from '../contract/quote.ts';
import { spanError, timeError } from '../contract/time-range.ts';
import { OBSERVATION_COLUMNS, type ObservationColumn } from '../contract/arrow-schemas.ts';
import { AP_BEACON_PREFIX, RSSI_RANGE_DBM, type DeviceInfo, type ObservationBatch } from '../contract/observations.ts';
import { bandOf, TECHS, type Site, type Tech } from '../contract/site.ts';
import { InputError } from '../contract/input-error.ts';


/** What to do with a bad row: stop the read naming it (the default), or leave it out and count it. */
export type OnBadRow = 'fail' | 'skip';

/** Rows left out with onBadRow 'skip'. */
export interface BadRows {
  count: number;
  /** Rows per reason ('positive RSSI', 'unknown AP', ...), in order of first occurrence. */
  byReason: Record<string, number>;
  /** The first few, each as the error 'fail' would have stopped with. */
  first: string[];
}

/** How many skipped rows are quoted. */
const FIRST_BAD_ROWS = 3;

export interface ObservationLog {
  /** Device reports, time-ordered. */
  observations: ObservationBatch;
  /** AP-to-AP beacon reports (engine/contract/observations.ts), time-ordered. */
  apBeacons: ObservationBatch;
  /** Rows left out (none unless onBadRow is 'skip'). */
  skipped: BadRows;
}

export class ObservationFileError extends InputError {}

/** Validated rows in growable typed columns; builds the two time-ordered batches. */
class LogBuilder {
  private readonly apIdx: Map<string, number>;
  private readonly devices = new Map<string, number>();
  private readonly infos: DeviceInfo[] = [];
  private readonly beacon: boolean[] = [];
  private readonly rows: ObservationColumns;
  // Where each row came from (its CSV line or Arrow row), kept for the earliest and latest time only.
  private first = { tMs: Infinity, at: -1 };
  private last = { tMs: -Infinity, at: -1 };
  private sumTMs = 0;
  readonly skipped: BadRows = { count: 0, byReason: {}, first: [] };

  /** where(at): the file and line or row `at` names, for errors. */
  constructor(site: Site, readonly where: (at: number) => string, private readonly onBadRow: OnBadRow = 'fail', capacity = 1024) {
    this.apIdx = new Map(site.aps.map((ap, i) => [ap.id, i]));
    this.rows = new ObservationColumns(capacity);
  }

  fail(at: number, msg: string): never {
    throw new ObservationFileError(`${this.where(at)}: ${msg}`);
  }

  /** A bad row: fails, or (skip) is counted under `reason` and left out. */
  bad(at: number, reason: string, msg: string): void {
    if (this.onBadRow === 'fail') this.fail(at, msg);
    const s = this.skipped;
    s.count++;
    s.byReason[reason] = (s.byReason[reason] ?? 0) + 1;
    if (s.first.length < FIRST_BAD_ROWS) s.first.push(`${this.where(at)}: ${msg}`);
  }

  /** One row of strings (CSV) or loose values, validated field by field. */
  add(at: number, tMs: unknown, deviceId: unknown, tech: unknown, apId: unknown, rssiDbm: unknown): void {
    const t = decimalOf(tMs);
    const badTime = Number.isFinite(t) ? timeError(t) : `tMs ${quote(tMs)} is not a number`;
    if (badTime) return this.bad(at, 'bad tMs', badTime);
    const id = String(deviceId ?? '');
    if (id === '') return this.bad(at, 'empty deviceId', 'deviceId is empty');
    if (!TECHS.includes(tech as Tech)) return this.bad(at, 'unknown tech', techError(tech));
    const ap = this.apOf(apId);
    if (ap === undefined) return this.bad(at, 'unknown AP', apError(apId));
    const rssi = decimalOf(rssiDbm);
    const bad = rssiError(rssi, rssiDbm);
    if (bad) return this.bad(at, rssiReason(rssi), bad);
    this.push(at, t, this.deviceOf(id, tech as Tech), ap, rssi);
  }

  apOf(apId: unknown): number | undefined {
    return this.apIdx.get(String(apId));
  }

  /** The device's number: one per (tech, id), in order of first report. */
  deviceOf(id: string, tech: Tech): number {
    const key = `${tech}\u0000${id}`;
    let device = this.devices.get(key);
    if (device === undefined) {
      device = this.infos.push({ id, tech }) - 1;
      this.beacon.push(id.startsWith(AP_BEACON_PREFIX));
      this.devices.set(key, device);
    }
    return device;
  }

  /** An already validated row. */
  push(at: number, tMs: number, device: number, ap: number, rssi: number): void {
    this.rows.push(tMs, device, ap, rssi);
    this.sumTMs += tMs;
    if (tMs < this.first.tMs) this.first = { tMs, at };
    if (tMs > this.last.tMs) this.last = { tMs, at };
  }

  build(): ObservationLog {
    const long = this.rows.length ? spanError(this.first, this.last, this.sumTMs / this.rows.length) : null;
    if (long) this.fail(long.at, long.message);
    const order = this.timeOrder();
    return { observations: this.batch(order, false), apBeacons: this.batch(order, true), skipped: this.skipped };
  }

  /** Row order sorted stably by time; null when the rows already are (the usual case: no sort). */
  private timeOrder(): Uint32Array | null {
    const { tMs: t, length } = this.rows;
    let sorted = true;
    for (let i = 1; i < length && sorted; i++) sorted = t[i - 1] <= t[i];
    if (sorted) return null;
    return Uint32Array.from({ length }, (_, i) => i).sort((a, b) => t[a] - t[b] || a - b);
  }

  /** The beacon or non-beacon rows, renumbered onto the devices they use, so each batch lists only its own devices. */
  private batch(order: Uint32Array | null, beacons: boolean): ObservationBatch {
    const rows = this.rows;
    let length = 0;
    for (let i = 0; i < rows.length; i++) if (this.beacon[rows.deviceIdx[i]] === beacons) length++;
    // In shared memory: the engine's workers read them in place, no copy per chunk.
    const out = { length, tMs: sharedArray(Float64Array, length), deviceIdx: sharedArray(Uint32Array, length), apIdx: sharedArray(Uint16Array, length), rssiDbm: sharedArray(Float32Array, length) };
    const remap = new Int32Array(this.infos.length).fill(-1);
    const devices: DeviceInfo[] = [];
    for (let k = 0, j = 0; k < rows.length; k++) {
      const i = order ? order[k] : k;
      const d = rows.deviceIdx[i];
      if (this.beacon[d] !== beacons) continue;
      if (remap[d] < 0) remap[d] = devices.push(this.infos[d]) - 1;
      out.tMs[j] = rows.tMs[i];
      out.deviceIdx[j] = remap[d];
      out.apIdx[j] = rows.apIdx[i];
      out.rssiDbm[j++] = rows.rssiDbm[i];
    }
    return { ...out, devices };
  }
}

const techError = (tech: unknown) => `tech ${quote(tech)} is not one of ${TECHS.join(', ')}`;
const apError = (apId: unknown) => `apId ${quote(apId)} is not an AP of the site`;

/** Why an RSSI value is no reading, or '' when it is one; `raw` is the value as read, quoted when it is no number. */
/** The reason a bad RSSI is counted under. */
const rssiReason = (rssi: number): string => (!Number.isFinite(rssi) ? 'RSSI not a number' : rssi > 0 ? 'positive RSSI' : 'RSSI out of range');

export function rssiError(rssi: number, raw: unknown = rssi): string {
  if (!Number.isFinite(rssi)) return `rssiDbm ${quote(raw)} is not a number`;
  if (rssi < RSSI_RANGE_DBM[0] || rssi > RSSI_RANGE_DBM[1]) return `rssiDbm ${rssi} is outside ${RSSI_RANGE_DBM[0]}..${RSSI_RANGE_DBM[1]} dBm`;
  return '';
}

export function readObservationsCsv(path: string, site: Site, onBadRow: OnBadRow = 'fail'): ObservationLog {
  const records = readCsvRecords(path, OBSERVATION_COLUMNS, (m) => new ObservationFileError(m));
  const log = new LogBuilder(site, (line) => `${path}:${line}`, onBadRow);
  for (const { line, record: r } of records) log.add(line, r.tMs, r.deviceId, r.tech, r.apId, r.rssiDbm);
  return log.build();
}

export function readObservationsArrow(path: string, site: Site, onBadRow: OnBadRow = 'fail'): ObservationLog {
  const table = readArrowTable(path);
  const missing = OBSERVATION_COLUMNS.filter((c) => table.getChild(c) === null);
  if (missing.length) throw new ObservationFileError(`${path}: missing column(s) ${missing.join(', ')}`);
  for (const c of OBSERVATION_COLUMNS) {
    const bad = columnTypeError(path, c, table.getChild(c)!.type, c === 'tMs' || c === 'rssiDbm' ? 'number' : 'string');
    if (bad) throw new ObservationFileError(bad);
  }
  const log = new LogBuilder(site, (row) => `${path}: row ${row}`, onBadRow, Math.max(1, table.numRows));
  let row = 0;
  for (const batch of table.batches) {
    const data = OBSERVATION_COLUMNS.map((c) => batch.getChild(c)!.data);
    for (let k = 0; k < data[0].length; k++) {
      const [tMs, deviceId, tech, apId, rssiDbm] = data.map((chunks) => chunks[k]);
      row = addChunk(log, row, { tMs, deviceId, tech, apId, rssiDbm });
    }
  }
  return log.build();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Chunk = Data<any>;

/**
 * One record batch's columns, read straight from their typed arrays: each
 * dictionary entry (AP, tech, device id) is resolved once per chunk, so the
 * per-row work is array lookups and range checks. Returns the next row number.
 */
function addChunk(log: LogBuilder, row0: number, chunk: Record<ObservationColumn, Chunk>): number {
  // A null field makes its row bad (the first such column named); a dictionary index outside its dictionary, the file.
  const nullIn: (ObservationColumn | undefined)[] = [];
  for (const name of OBSERVATION_COLUMNS) {
    const d = chunk[name];
    if (d.nullCount > 0) for (let r = 0; r < d.length; r++) if (!d.getValid(r)) nullIn[r] ??= name;
    const outside = outsideDictionary(d);
    if (outside >= 0 && nullIn[outside] === undefined) log.fail(row0 + outside, `${name}'s dictionary index ${Number((d.values as ArrayLike<number | bigint>)[d.offset + outside])} is outside its dictionary (${d.dictionary!.length} entries)`);
  }
  const tMs = numbersOf(chunk.tMs);
  const rssiDbm = numbersOf(chunk.rssiDbm);
  const devices = stringsOf(chunk.deviceId);
  const techs = stringsOf(chunk.tech);
  const aps = stringsOf(chunk.apId);
  const techOf = Int32Array.from(techs.values, (t) => TECHS.indexOf(t as Tech));
  const apOf = Int32Array.from(aps.values, (id) => log.apOf(id) ?? -1);
  // (device entry, tech) → the log's device number, -1 until first seen.
  const deviceOf = new Int32Array(devices.values.length * TECHS.length).fill(-1);
  for (let r = 0; r < tMs.length; r++) {
    const row = row0 + r;
    if (nullIn[r] !== undefined) {
      log.bad(row, 'empty field', `${nullIn[r]} is empty (null)`);
      continue;
    }
    const t = tMs[r];
    // A text cell that is no number is named as written, not as the NaN it became.
    const badTime = Number.isNaN(t) ? `tMs ${quote(rawOf(chunk.tMs, r))} is not a number` : timeError(t);
    if (badTime) {
      log.bad(row, 'bad tMs', badTime);
      continue;
    }
    const tech = techOf[techs.indices[r]];
    if (tech < 0) {
      log.bad(row, 'unknown tech', techError(techs.values[techs.indices[r]]));
      continue;
    }
    const ap = apOf[aps.indices[r]];
    if (ap < 0) {
      log.bad(row, 'unknown AP', apError(aps.values[aps.indices[r]]));
      continue;
    }
    const bad = rssiError(rssiDbm[r], Number.isNaN(rssiDbm[r]) ? rawOf(chunk.rssiDbm, r) : rssiDbm[r]);
    if (bad) {
      log.bad(row, rssiReason(rssiDbm[r]), bad);
      continue;
    }
    const key = devices.indices[r] * TECHS.length + tech;
    let device = deviceOf[key];
    if (device < 0) {
      const id = devices.values[devices.indices[r]] ?? '';
      if (id === '') {
        log.bad(row, 'empty deviceId', 'deviceId is empty');
        continue;
      }
      device = deviceOf[key] = log.deviceOf(id, TECHS[tech]);
    }
    log.push(row, t, device, ap, rssiDbm[r]);
  }
  return row0 + tMs.length;
}

/** A numeric column's values for this chunk: the typed array itself when it holds plain numbers. */
function numbersOf(d: Chunk): ArrayLike<number> {
  const values = d.values as ArrayLike<number | bigint> | undefined;
  if (!d.dictionary && (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array)) {
    return values.subarray(d.offset, d.offset + d.length);
  }
  // Other types (int64, decimals, text): one conversion per value, the same decimals as CSV text.
  const vector = makeVector(d);
  return Float64Array.from({ length: d.length }, (_, r) => decimalOf(vector.get(r)));
}

/** Row r's value as the column holds it (for an error message). */
const rawOf = (d: Chunk, r: number): unknown => makeVector(d).get(r);

/** A string column as per-row indices into distinct values: a dictionary column's own indices, else a dictionary built here. */
function stringsOf(d: Chunk): { indices: ArrayLike<number>; values: string[] } {
  if (d.dictionary) {
    const raw = (d.values as Int32Array | BigInt64Array).subarray(d.offset, d.offset + d.length);
    const indices = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? Float64Array.from(raw, Number) : raw;
    return { indices, values: Array.from(d.dictionary as Iterable<unknown>, (v) => String(v ?? '')) };
  }
  const vector = makeVector(d);
  const values: string[] = [];
  const index = new Map<string, number>();
  const indices = Uint32Array.from({ length: d.length }, (_, r) => {
    const v = String(vector.get(r) ?? '');
    let k = index.get(v);
    if (k === undefined) index.set(v, (k = values.push(v) - 1));
    return k;
  });
  return { indices, values };
}

/** By extension: .csv, or .arrow / .feather / .ipc. */
export function readObservationsFile(path: string, site: Site, onBadRow: OnBadRow = 'fail'): ObservationLog {
  if (/\.csv$/i.test(path)) return readObservationsCsv(path, site, onBadRow);
  if (/\.(arrow|feather|ipc)$/i.test(path)) return readObservationsArrow(path, site, onBadRow);
  throw new ObservationFileError(`${path}: unknown observation file type (use .csv or .arrow)`);
}

/** One line for rows left out: "skipped 12 rows: 9 positive RSSI, 3 unknown AP; first: obs.csv:17: ..."; '' when none. */
export function badRowsSummary(s: BadRows): string {
  if (s.count === 0) return '';
  const reasons = Object.entries(s.byReason).map(([reason, n]) => `${n.toLocaleString('en-US')} ${reason}`).join(', ');
  return `skipped ${s.count.toLocaleString('en-US')} bad row${s.count === 1 ? '' : 's'}: ${reasons}; first: ${s.first.join('; ')}`;
}

/**
 * A note when the log's reports reach APs the site map gives no radio of
 * their band ('' when none do): a mislabelled tech column, or radios left
 * out of the map. Said, not refused: the engine locates off any AP the site
 * places (a radio's power matters for AP beacons and BLE app phones only).
 */
export function radioMismatch(obs: ObservationBatch, site: Site): string {
  const byBand = new Map<string, { n: number; aps: Set<string> }>();
  for (let i = 0; i < obs.length; i++) {
    const band = bandOf(obs.devices[obs.deviceIdx[i]].tech), ap = site.aps[obs.apIdx[i]];
    if (ap.radios[band]) continue;
    const m = byBand.get(band) ?? { n: 0, aps: new Set<string>() };
    m.n++;
    m.aps.add(ap.id);
    byBand.set(band, m);
  }
  const parts = [...byBand].map(([band, m]) => {
    const ids = [...m.aps].slice(0, 3).map((id) => quote(id)).join(', ');
    return `${m.n.toLocaleString('en-US')} ${band} reports at APs the site map gives no ${band} radio (${ids}${m.aps.size > 3 ? `, ${m.aps.size - 3} more` : ''})`;
  });
  return parts.length ? `note: ${parts.join('; ')}: check the log's tech column or the APs' radios` : '';
}
