// Reading a user's RSSI log: CSV or Arrow, one row per report, the same
// columns as observations.arrow:
//   tMs       number   report time, ms (any origin; rows may come in any order, they are sorted stably)
//   deviceId  string   pseudonymous device id; 'ap:<apId>' marks an AP-to-AP beacon (calibration)
//   tech      string   wifi | wifi-probe | ble-badge | ble-app (for a beacon: wifi or a BLE tech)
//   apId      string   the AP that heard the report (site.aps[].id)
//   rssiDbm   number   received signal strength, dBm
// A bad row stops the read with one error naming the file, the line (CSV) or
// row (Arrow), and the field.
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { AP_BEACON_PREFIX } from '../calibrate/ap-beacons.ts';
import type { DeviceInfo, ObservationBatch } from '../observations.ts';
import { TECHS, type Site, type Tech } from '../site.ts';

export const OBSERVATION_COLUMNS = ['tMs', 'deviceId', 'tech', 'apId', 'rssiDbm'] as const;
/** Plausible RSSI, dBm: outside this a value is a unit or column mix-up, not a reading. */
const RSSI_RANGE_DBM: [number, number] = [-130, 20];

export interface ObservationLog {
  /** Device reports, time-ordered. */
  observations: ObservationBatch;
  /** AP-to-AP beacon reports (engine/observations.ts), time-ordered. */
  apBeacons: ObservationBatch;
}

export class ObservationFileError extends Error {}

/** Collects validated rows, then builds the two time-ordered batches. */
class LogBuilder {
  private readonly apIdx: Map<string, number>;
  private readonly rows: { tMs: number; device: number; ap: number; rssi: number; beacon: boolean }[] = [];
  private readonly devices = new Map<string, number>();
  private readonly infos: DeviceInfo[] = [];

  constructor(site: Site) {
    this.apIdx = new Map(site.aps.map((ap, i) => [ap.id, i]));
  }

  add(where: string, tMs: unknown, deviceId: unknown, tech: unknown, apId: unknown, rssiDbm: unknown): void {
    const fail = (msg: string): never => {
      throw new ObservationFileError(`${where}: ${msg}`);
    };
    const t = Number(tMs);
    if (tMs === '' || tMs === null || !Number.isFinite(t)) fail(`tMs '${tMs}' is not a number`);
    const id = String(deviceId ?? '');
    if (id === '') fail('deviceId is empty');
    if (!TECHS.includes(tech as Tech)) fail(`tech '${tech}' is not one of ${TECHS.join(', ')}`);
    const ap = this.apIdx.get(String(apId));
    if (ap === undefined) fail(`apId '${apId}' is not an AP of the site`);
    const rssi = Number(rssiDbm);
    if (rssiDbm === '' || rssiDbm === null || !Number.isFinite(rssi)) fail(`rssiDbm '${rssiDbm}' is not a number`);
    if (rssi < RSSI_RANGE_DBM[0] || rssi > RSSI_RANGE_DBM[1]) fail(`rssiDbm ${rssi} is outside ${RSSI_RANGE_DBM[0]}..${RSSI_RANGE_DBM[1]} dBm`);
    const key = `${tech}\u0000${id}`;
    let device = this.devices.get(key);
    if (device === undefined) {
      device = this.infos.length;
      this.devices.set(key, device);
      this.infos.push({ id, tech: tech as Tech });
    }
    this.rows.push({ tMs: t, device, ap: ap!, rssi, beacon: id.startsWith(AP_BEACON_PREFIX) });
  }

  build(): ObservationLog {
    const sorted = this.rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.tMs - b.r.tMs || a.i - b.i).map((x) => x.r);
    return { observations: this.batch(sorted.filter((r) => !r.beacon)), apBeacons: this.batch(sorted.filter((r) => r.beacon)) };
  }

  /** Rows renumbered onto the devices they use, so each batch lists only its own devices. */
  private batch(rows: typeof this.rows): ObservationBatch {
    const remap = new Map<number, number>();
    const devices: DeviceInfo[] = [];
    for (const r of rows) {
      if (!remap.has(r.device)) {
        remap.set(r.device, devices.length);
        devices.push(this.infos[r.device]);
      }
    }
    return {
      length: rows.length,
      tMs: Float64Array.from(rows, (r) => r.tMs),
      deviceIdx: Uint32Array.from(rows, (r) => remap.get(r.device)!),
      apIdx: Uint16Array.from(rows, (r) => r.ap),
      rssiDbm: Float32Array.from(rows, (r) => r.rssi),
      devices,
    };
  }
}

export function readObservationsCsv(path: string, site: Site): ObservationLog {
  const text = readText(path);
  let records: { info: { lines: number }; record: Record<string, string> }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, trim: true, comment: '#' });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ObservationFileError(`${path}${e.lines ? `:${e.lines}` : ''}: not valid CSV (${e.message})`);
  }
  const header = records.length ? Object.keys(records[0].record) : firstLineColumns(text);
  const missing = OBSERVATION_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new ObservationFileError(`${path}:1: missing column(s) ${missing.join(', ')} (need ${OBSERVATION_COLUMNS.join(',')})`);
  const log = new LogBuilder(site);
  for (const { info, record: r } of records) log.add(`${path}:${info.lines}`, r.tMs, r.deviceId, r.tech, r.apId, r.rssiDbm);
  return log.build();
}

export function readObservationsArrow(path: string, site: Site): ObservationLog {
  let table;
  try {
    table = tableFromIPC(readFileSync(path));
  } catch (err) {
    throw new ObservationFileError(`${path}: not a readable Arrow IPC file (${(err as Error).message})`);
  }
  const cols = OBSERVATION_COLUMNS.map((c) => table.getChild(c));
  const missing = OBSERVATION_COLUMNS.filter((_, i) => cols[i] === null);
  if (missing.length) throw new ObservationFileError(`${path}: missing column(s) ${missing.join(', ')}`);
  const log = new LogBuilder(site);
  for (let i = 0; i < table.numRows; i++) {
    log.add(`${path}: row ${i}`, ...(cols.map((c) => c!.get(i)) as [unknown, unknown, unknown, unknown, unknown]));
  }
  return log.build();
}

/** By extension: .csv, or .arrow / .feather / .ipc. */
export function readObservationsFile(path: string, site: Site): ObservationLog {
  if (/\.csv$/i.test(path)) return readObservationsCsv(path, site);
  if (/\.(arrow|feather|ipc)$/i.test(path)) return readObservationsArrow(path, site);
  throw new ObservationFileError(`${path}: unknown observation file type (use .csv or .arrow)`);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ObservationFileError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function firstLineColumns(text: string): string[] {
  return (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((s) => s.trim());
}
