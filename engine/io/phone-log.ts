// Real phone-to-phone BLE logs as rows of "scanner heard advertiser at t with
// rssi" (plus the device models and the true distance when the log has them),
// from three layouts:
// - csv: columns tS,scanner,advertiser,rssiDbm; optional scannerModel,
//   advertiserModel (GAEN Build.MODEL names) and distanceM (true distance,
//   metres; blank = unknown).
// - pcng: ble-proximity-pcng's RSS_human*.csv (device,elapsed,rss,mRSS10,
//   mRSS100,dist,label; dist in cm): `device` heard the file's other phone.
// - mitll: ble-6ft-mitll's iPhone app logs (a log_*.txt file or a folder of
//   them): Bluetooth lines time,Bluetooth,uuid,rssi,name,txpower,ts; the
//   receiver's model from the Device line; TestPhone1-4 were 6 ft away, other
//   advertisers at unknown distances. RSSI 127 is CoreBluetooth's "not
//   available" and those lines are skipped.
// Any malformed row is an InputError naming the file and line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../contract/input-error.ts';
import { quote } from '../contract/quote.ts';
import { readCsvRecords } from './csv-records.ts';
import { decimalOf } from './decimal.ts';

export const PHONE_LOG_FORMATS = ['csv', 'pcng', 'mitll'] as const;
export type PhoneLogFormat = (typeof PHONE_LOG_FORMATS)[number];

/** RSSI readings outside this are not a BLE reading, dBm. */
export const RSSI_RANGE_DBM = [-140, 20] as const;
/** CoreBluetooth's RSSI when none was measured (Apple: "127 is reserved and indicates the RSSI was not available"). */
const IOS_RSSI_UNAVAILABLE = 127;
/** Six feet, the ble-6ft-mitll separation, metres. */
export const SIX_FT_M = 6 * 0.3048;

export interface PhoneLogRow {
  /** Which recording (file, setup) the row belongs to: windows never straddle two. */
  session: string;
  tS: number;
  scanner: string;
  advertiser: string;
  rssiDbm: number;
  scannerModel?: string;
  advertiserModel?: string;
  /** True distance, metres; NaN when unknown. */
  distanceM: number;
}

export function readPhoneLog(path: string, format: PhoneLogFormat): PhoneLogRow[] {
  switch (format) {
    case 'csv': return readCsvLog(path);
    case 'pcng': return readPcngLog(path);
    case 'mitll': return readMitllLog(path);
  }
}

function rssiOf(path: string, line: number, v: string): number {
  const x = decimalOf(v);
  if (!Number.isFinite(x) || x < RSSI_RANGE_DBM[0] || x > RSSI_RANGE_DBM[1]) {
    throw new InputError(`${path}:${line}: rssi ${quote(v)} is not a reading in [${RSSI_RANGE_DBM.join(', ')}] dBm`);
  }
  return x;
}

function timeOf(path: string, line: number, v: string): number {
  const x = decimalOf(v);
  if (!Number.isFinite(x)) throw new InputError(`${path}:${line}: time ${quote(v)} is not a number of seconds`);
  return x;
}

function readCsvLog(path: string): PhoneLogRow[] {
  return readCsvRecords(path, ['tS', 'scanner', 'advertiser', 'rssiDbm'], (m) => new InputError(m)).map(({ line, record: r }) => {
    if (!r.scanner || !r.advertiser) throw new InputError(`${path}:${line}: empty scanner or advertiser`);
    const d = r.distanceM === undefined || r.distanceM === '' ? NaN : decimalOf(r.distanceM);
    if (r.distanceM !== undefined && r.distanceM !== '' && !(Number.isFinite(d) && d >= 0)) {
      throw new InputError(`${path}:${line}: distanceM ${quote(r.distanceM)} is not a distance ≥ 0 in metres`);
    }
    return {
      session: '', tS: timeOf(path, line, r.tS), scanner: r.scanner, advertiser: r.advertiser, rssiDbm: rssiOf(path, line, r.rssiDbm),
      scannerModel: r.scannerModel || undefined, advertiserModel: r.advertiserModel || undefined, distanceM: d,
    };
  });
}

function readPcngLog(path: string): PhoneLogRow[] {
  const records = readCsvRecords(path, ['device', 'elapsed', 'rss', 'dist'], (m) => new InputError(m));
  const devices = [...new Set(records.map((r) => r.record.device))];
  if (devices.length > 2) throw new InputError(`${path}: ${devices.length} devices (${devices.join(', ')}); a pcng file holds one pair of phones`);
  return records.map(({ line, record: r }) => {
    const distCm = decimalOf(r.dist);
    if (!(Number.isFinite(distCm) && distCm > 0)) throw new InputError(`${path}:${line}: dist ${quote(r.dist)} is not a distance > 0 in cm`);
    const peer = devices.find((d) => d !== r.device) ?? `peer of ${r.device}`;
    return {
      session: `${basename(path)}@${distCm}cm`, tS: timeOf(path, line, r.elapsed), scanner: r.device, advertiser: peer,
      rssiDbm: rssiOf(path, line, r.rss), scannerModel: r.device, advertiserModel: peer, distanceM: distCm / 100,
    };
  });
}

function readMitllLog(path: string): PhoneLogRow[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory() ? mitllLogFiles(path) : [path];
  } catch (err) {
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (files.length === 0) throw new InputError(`${path}: no log_*.txt files`);
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const rows: PhoneLogRow[] = [];
    let scannerModel: string | undefined;
    let unavailable = 0;
    text.split(/\r?\n/).forEach((lineText, i) => {
      const f = lineText.split(',');
      if (f[1] === 'Device' && f.length >= 3) scannerModel = f[2].trim();
      if (f[1] !== 'Bluetooth') return;
      if (f.length < 7 || f[2] === '') throw new InputError(`${file}:${i + 1}: malformed Bluetooth line ${quote(lineText)} (want time,Bluetooth,uuid,rssi,name,txpower,ts)`);
      if (f[3].trim() === String(IOS_RSSI_UNAVAILABLE)) {
        unavailable++;
        return;
      }
      const name = f[4].trim();
      const known = name !== '' && name !== 'None';
      rows.push({
        session: basename(file), tS: timeOf(file, i + 1, f[6].trim()), scanner: 'receiver', advertiser: known ? name : f[2].trim(),
        rssiDbm: rssiOf(file, i + 1, f[3].trim()), scannerModel, distanceM: /^TestPhone\d$/.test(name) ? SIX_FT_M : NaN,
      });
    });
    if (rows.length === 0 && unavailable > 0) throw new InputError(`${file}: every one of its ${unavailable} Bluetooth lines reads RSSI ${IOS_RSSI_UNAVAILABLE} (not measured): no reading to use`);
    if (rows.length === 0) throw new InputError(`${file}: no Bluetooth lines (is this an ble-6ft-mitll iPhone log?)`);
    return rows;
  });
}

/** The log_*.txt files under dir (any depth), in name order. */
export function mitllLogFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return mitllLogFiles(p);
    return /^log_.*\.txt$/.test(name) ? [p] : [];
  });
}
